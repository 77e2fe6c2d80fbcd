"""engine.decide.usage: which items and clauses read each profile field."""

from __future__ import annotations

from engine import Engine
from engine.decide.usage import fact_usage


def test_a_field_read_by_a_criterion(engine: Engine) -> None:
    uses = fact_usage(engine.compiled)["rd_expense_stats_verified"]
    assert [u.item_id for u in uses] == ["futian.rd_input"]
    assert uses[0].title.zh == "R&D投入支持"


def test_derived_quantities_are_traced_to_their_inputs(engine: Engine) -> None:
    usage = fact_usage(engine.compiled)
    for field in ("st_staff", "employees_total"):  # through st_staff_share
        assert "national.hnte" in [u.item_id for u in usage[field]]


def test_exclusions_name_the_conditions_clause(engine: Engine) -> None:
    uses = fact_usage(engine.compiled)["serious_dishonesty_listed"]
    clauses = {clause for u in uses if u.item_id.split(".")[0] in ("futian", "shanghai")
               for clause in u.clauses}
    # Futian items cite the Shenzhen rule (rounds before it as a borrowed later document),
    # Shanghai items the ordinance's Art. 55
    assert clauses == {"申报单位不得列入严重失信主体名单", "第五十五条",
                       "申报单位不得列入严重失信主体名单（借用的后出文件，非本项目依据）"}
    shanghai = [u for u in uses if u.item_id.startswith("shanghai.")]
    assert shanghai and all(u.clauses == ("第五十五条",) for u in shanghai)


def test_amount_inputs_count(engine: Engine) -> None:
    uses = fact_usage(engine.compiled)["ip_loan_interest_paid"]
    assert [u.item_id for u in uses] == ["futian.ip_pledge"]


def test_fields_no_rule_reads_are_absent(engine: Engine) -> None:
    usage = fact_usage(engine.compiled)
    assert "name" not in usage and "credit_code" not in usage
