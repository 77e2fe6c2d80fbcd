"""Numbers reach durable_rules exactly: no valid profile crashes it, and ties, cents, tiny ratios
and huge magnitudes are decided as the law's arithmetic says (engine.decide.encoding)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from engine.decide.encoding import encode_facts, encode_literal, scaled_bounds, upper
from engine.decide.engine import Engine
from engine.facts.kinds import EXACT_LIMIT, FactKind
from engine.facts.parse import parse_profile

DAY = dt.date(2020, 6, 1)
HNTE = "national.hnte"


def _criteria(engine: Engine, **facts: object) -> dict[str, str]:
    decision = engine.assess(parse_profile(facts), DAY, [HNTE]).decisions[0]
    return {c.id: c.status for c in decision.criteria}


@pytest.mark.parametrize(
    ("facts", "criterion", "status"),
    [
        # the crashes of issue 9: each share has a whole-number mantissa in exponent form as a float
        ({"st_staff": 1, "employees_total": 20000}, "st_staff_10pct", "fail"),  # 5e-05
        ({"high_tech_revenue_y1": "2100", "total_revenue_y1": "42000000"},
         "high_tech_revenue_60pct", "fail"),  # 5e-05
        ({"rd_expense_y1": "1", "rd_expense_y2": "1", "rd_expense_y3": "1",
          "sales_revenue_y1": "10000", "sales_revenue_y2": "10000", "sales_revenue_y3": "10000"},
         "rd_intensity_5pct", "fail"),  # 1e-04
        # exact ties pass a "not below" threshold
        ({"st_staff": 10, "employees_total": 100}, "st_staff_10pct", "pass"),
        ({"st_staff": 9, "employees_total": 100}, "st_staff_10pct", "fail"),
        ({"st_staff": 1, "employees_total": 10}, "st_staff_10pct", "pass"),
        # a share one fen under 60% at 10^13 yuan fails; exactly 60% passes
        ({"high_tech_revenue_y1": "5999999999999.99", "total_revenue_y1": "10000000000000"},
         "high_tech_revenue_60pct", "fail"),
        ({"high_tech_revenue_y1": "6000000000000", "total_revenue_y1": "10000000000000"},
         "high_tech_revenue_60pct", "pass"),
        # one fen more than the whole revenue is still at least 60%
        ({"high_tech_revenue_y1": "0.01", "total_revenue_y1": "0.01"}, "high_tech_revenue_60pct",
         "pass"),
        # the sales band: exactly 50 million is in the lower band, one fen more is not
        ({"sales_revenue_y1": "50000000"}, "sales_up_to_50m", "pass"),
        ({"sales_revenue_y1": "50000000.01"}, "sales_up_to_50m", "fail"),
        ({"sales_revenue_y1": "50000000.01"}, "sales_above_50m", "pass"),
        # strictly more than 70 points: 70 fails, the smallest step above passes
        ({"innovation_score": "70"}, "innovation_score_above_70", "fail"),
        ({"innovation_score": "70.0001"}, "innovation_score_above_70", "pass"),
        ({"innovation_score": "69.9999"}, "innovation_score_above_70", "fail"),
    ],
)
def test_thresholds_are_decided_exactly(engine: Engine, facts: dict, criterion: str,
                                        status: str) -> None:
    assert _criteria(engine, **facts)[criterion] == status


def test_a_ratio_just_under_a_threshold_below_the_unit_still_fails(engine: Engine) -> None:
    """2 of 3 staff is 0.6666...: rounded down it is below 2/3 of a unit step; the engine must not
    round it up to pass a >= 0.666666667 test, nor down to fail a > 0.666666666 test."""
    facts = {"st_staff": 2, "employees_total": 3}
    low, high = scaled_bounds(FactKind("ratio"), Decimal(2) / Decimal(3))
    assert (low, high) == (666_666_666, 666_666_667)
    encoded = encode_facts({"st_staff_share": Decimal(2) / Decimal(3), **facts})
    assert encoded["st_staff_share"] == low and encoded[upper("st_staff_share")] == high


def test_a_long_ratio_a_hair_under_a_bound_stays_under_it() -> None:
    """A ratio carries 40 significant digits (facts.derived._ratio); rounding it to a 28-digit
    decimal context first would lift 0.999…(35 nines) onto 1 and let `share < 1` fail. Its units
    come from its exact integer ratio instead, in both encoders."""
    share = Decimal("0." + "9" * 35)
    assert scaled_bounds(FactKind("ratio"), share) == (999_999_999, 1_000_000_000)
    assert scaled_bounds(FactKind("ratio"), Decimal("-0." + "9" * 35)) == (-1_000_000_000, -999_999_999)
    assert scaled_bounds(FactKind("money"), Decimal("-0.001")) == (-1, 0)
    encoded = encode_facts({"st_staff_share": share})
    assert (encoded["st_staff_share"], encoded[upper("st_staff_share")]) == (
        999_999_999, 1_000_000_000)


def test_every_number_is_sent_as_plain_digits() -> None:
    """No exponent form can reach durable_rules: every numeric property is an int."""
    values = {"st_staff_share": Decimal("0.00005"), "rd_expense_y1": Decimal("3"),
              "sales_revenue_y1": Decimal("9999999999999999.99"), "employees_total": 10**400,
              "registration_date": dt.date(2019, 6, 1), "innovation_score": Decimal("1e-7")}
    encoded = encode_facts(values)
    assert all(isinstance(v, int) for v in encoded.values())
    assert json.dumps(list(encoded.values())).replace(", ", "").strip("[]").lstrip("-").isdigit()
    assert encoded["employees_total"] == EXACT_LIMIT  # clamped, still above any literal


def test_literals_are_integer_units() -> None:
    assert encode_literal(FactKind("ratio"), "0.00005") == 50_000
    assert encode_literal(FactKind("money"), 500000) == 50_000_000
    assert encode_literal(FactKind("date"), "2020-01-01") == dt.date(2020, 1, 1).toordinal()


def test_huge_values_are_decided_without_error(engine: Engine) -> None:
    decision = engine.assess(parse_profile({"sales_revenue_y1": "10000000000000",
                                            "employees_total": 10**7, "st_staff": 10**6}),
                             DAY, [HNTE]).decisions[0]
    statuses = {c.id: c.status for c in decision.criteria}
    assert statuses["sales_above_200m"] == "pass" and statuses["st_staff_10pct"] == "pass"
