"""The region-first form's questions (issue 14): which profile fields deciding the items for a
firm's region on a date reads (engine.decide.usage.fields_read / fields_for_region)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine import (
    FACT_FIELDS,
    FIRST_FACTS,
    SEEDS_DIR,
    Engine,
    fact_usage,
    fields_for_region,
    fields_read,
    items_for_region,
    location_conflict,
    parse_profile,
)


def _seed(name: str) -> dict[str, object]:
    data = json.loads((SEEDS_DIR / "profiles" / f"{name}.json").read_text(encoding="utf-8"))
    data.pop("provenance", None)
    return data


def test_every_field_a_rule_reads_is_counted(engine: Engine) -> None:
    read = fields_read(engine.compiled)
    assert set(fact_usage(engine.compiled)) <= read
    # beyond "why we ask": the stacking project and the optional inputs of derived quantities
    assert {"st_loan_project", "ip_loan_project", "fiscal_year"} <= read
    assert "name" not in read and "credit_code" not in read


def test_a_futian_firm_is_not_asked_what_only_shanghai_items_read(engine: Engine) -> None:
    futian = fields_for_region(engine.compiled, "shenzhen", "futian")
    pudong = fields_for_region(engine.compiled, "shanghai", "pudong")
    for shanghai_only in ("zhangjiang_zone", "hnte_first_certification", "social_insurance_records"):
        assert shanghai_only not in futian and shanghai_only in pudong
    for futian_only in ("ip_loan_principal", "talent_team_grant", "rd_expense_stats_verified"):
        assert futian_only in futian and futian_only not in pudong
    assert "employees_total" in futian and "employees_total" in pudong  # national.hnte


def test_only_the_versions_in_force_on_the_date_count(engine: Engine) -> None:
    every = fields_for_region(engine.compiled, "shenzhen", "futian")
    in_2022 = fields_for_region(engine.compiled, "shenzhen", "futian", dt.date(2022, 1, 1))
    assert in_2022 < every
    assert "rd_expense_stats_verified" not in in_2022  # futian.rd_input ended 2021-04-27
    in_2020 = fields_for_region(engine.compiled, "shenzhen", "futian", dt.date(2020, 6, 1))
    assert "rd_expense_stats_verified" in in_2020


def test_an_unknown_location_asks_about_every_item(engine: Engine) -> None:
    assert fields_for_region(engine.compiled, None, None) == fields_read(engine.compiled)


@pytest.mark.parametrize(("seed", "other", "day"), [
    ("futian_rd_firm", "shanghai_pudong_hnte", dt.date(2020, 6, 1)),
    ("futian_ip_loan_firm", "shanghai_huangpu_hnte", dt.date(2021, 10, 1)),
    ("shanghai_pudong_hnte", "futian_ip_loan_firm", dt.date(2020, 6, 1)),
    ("shanghai_huangpu_hnte", "futian_newcomer", dt.date(2023, 6, 1)),
])
def test_a_field_not_asked_changes_no_decision_of_the_region(
        engine: Engine, seed: str, other: str, day: dt.date) -> None:
    """Fill every field the form leaves out with another firm's answers: each decision of an
    item for the firm's region stays as it was."""
    data = _seed(seed)
    base = parse_profile(data)
    city = base.city.value if base.city else None
    district = base.registered_district.value if base.registered_district else None
    asked = fields_for_region(engine.compiled, city, district, day) | set(FIRST_FACTS)
    changed = {**data, **{k: v for k, v in _seed(other).items() if k not in asked}}
    assert set(changed) != set(data) or changed != data  # something was really filled in
    before = engine.assess(base, day)
    after = engine.assess(parse_profile(changed), day)
    region = set(items_for_region(engine.catalog, city, district))
    outcome = {d.item_id: (d.status, d.amount and d.amount.value) for d in before.decisions}
    for d in after.decisions:
        if d.item_id in region:
            assert (d.status, d.amount and d.amount.value) == outcome[d.item_id], d.item_id


def test_first_facts_are_where_and_what_kind_of_firm() -> None:
    assert FIRST_FACTS[:2] == ("city", "registered_district")
    assert set(FIRST_FACTS) <= set(FACT_FIELDS)
    assert "listed_company" in FIRST_FACTS and "employees_total" not in FIRST_FACTS


def test_a_district_in_another_city_is_a_conflict() -> None:
    assert location_conflict("shanghai", "futian")
    assert not location_conflict("shenzhen", "futian")
    assert not location_conflict(None, "pudong") and not location_conflict("other", None)
    assert not location_conflict("shenzhen", "other")
