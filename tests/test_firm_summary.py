"""The result a firm can act on: groups, the total of computed amounts with ceilings and tax
deductions apart, and the paths; at edge values (zero, cents, ceiling-only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engine.explain.firm_summary import (
    GROUPS,
    group_label,
    no_path_text,
    path_text,
    summarize,
    total_lines,
)
from engine.rules.regions import items_for_region, program_for

from .test_paths import HNTE_NEARLY

IP_LOAN = {"tech_enterprise": True, "ip_loan_collateral": "patent", "ip_loan_term_months": 12,
           "ip_loan_drawn": True, "ip_loan_filed": True, "ip_loan_repaid": True,
           "ip_loan_principal": "5000000", "ip_loan_interest_paid": "0", "ip_loan_service_fees": "0",
           "ip_owner": "borrower", "ip_loan_other_subsidy_claimed": False}
DAY_2021 = dt.date(2021, 6, 1)


def _groups(summary) -> dict[str, list[str]]:
    return {g: [i.decision.item_id for i in summary.group(g)]
            for g in (*GROUPS, "other_region", "not_in_force")}


def test_a_zero_amount_is_eligible_and_adds_nothing(engine, make_profile):
    summary = summarize(engine, engine.assess(make_profile(**IP_LOAN), DAY_2021))
    assert "futian.ip_pledge" in _groups(summary)["eligible"]
    assert summary.total == Decimal("0.00")
    assert total_lines(summary, "zh")[0].endswith("：0元")


def test_cents_are_kept_exactly(engine, make_profile):
    profile = make_profile(**{**IP_LOAN, "ip_loan_interest_paid": "225000.01",
                              "ip_loan_service_fees": "0.02"})
    summary = summarize(engine, engine.assess(profile, DAY_2021))
    # 50% of 225,000.03 = 112,500.015, paid to the cent half up
    assert summary.total == Decimal("112500.02")
    assert isinstance(summary.total, Decimal)
    counted = [(i.decision.item_id, v) for i, v in summary.counted]
    assert counted == [("futian.ip_pledge", Decimal("112500.02"))]


def test_a_ceiling_is_listed_apart_and_never_added(engine, make_profile):
    profile = make_profile(settled_in_district_date="2018-03-01", rd_expense_stats_verified="3200000")
    summary = summarize(engine, engine.assess(profile, dt.date(2019, 6, 1)))
    groups = _groups(summary)
    assert "futian.settlement" in groups["unpublished"]
    assert "futian.settlement" not in groups["eligible"]
    assert summary.total == Decimal("320000.00")  # R&D input only
    assert [i.decision.item_id for i in summary.ceilings] == ["futian.settlement"]
    assert any("最高 20,000,000元" in line and "不计入合计" in line for line in total_lines(summary))
    assert any("only a ceiling is known; not in the total" in line for line in total_lines(summary, "en"))


def test_a_tax_deduction_is_not_a_payment(engine, make_profile):
    profile = make_profile(rd_expense_current_year="1000000", fiscal_year=2023)
    summary = summarize(engine, engine.assess(profile, dt.date(2023, 6, 1)))
    assert "national.rd_super_deduction" in _groups(summary)["eligible"]
    assert summary.total == Decimal(0)
    assert [i.decision.item_id for i, _ in summary.deductions] == ["national.rd_super_deduction"]


def test_near_when_a_confirmed_path_is_within_reach(engine, make_profile):
    summary = summarize(engine, engine.assess(make_profile(**HNTE_NEARLY), dt.date(2020, 6, 1)))
    groups = _groups(summary)
    assert "national.hnte" in groups["near"]
    assert "futian.rd_input" in groups["near"]
    assert "futian.hnte_reward.new" in groups["ineligible"]  # a 2018 certificate: history
    top = summary.top_paths[0]
    assert top.item_id == "futian.rd_input" and top.amount == Decimal("50000.00")
    assert path_text(top, "zh").startswith(
        "统计部门核定的上年度研发投入：400,000元 → 500,000.01元（企业可改变）")
    staff = next(p for p in summary.top_paths if p.item_id == "national.hnte")
    assert "科技人员数：9人 → 10人（企业可改变）" in path_text(staff, "zh")
    assert "(the firm can change this)" in path_text(staff, "en")


def test_undetermined_items_ask_for_facts_not_a_verdict(engine, make_profile):
    summary = summarize(engine, engine.assess(make_profile(), dt.date(2020, 6, 1)))
    groups = _groups(summary)
    assert "futian.rd_input" in groups["to_supply"]
    assert "futian.rd_input" not in groups["ineligible"]
    assert summary.total == 0 and not summary.top_paths  # supplying facts is no path of action


def test_items_of_other_regions_and_out_of_force_are_apart(engine, make_profile):
    summary = summarize(engine, engine.assess(make_profile(), dt.date(2020, 6, 1)))
    groups = _groups(summary)
    assert "shanghai.hnte_reward.huangpu.new" in groups["other_region"]
    assert "huizhou.import_interest" in groups["other_region"]
    assert "futian.ip_pledge" in groups["not_in_force"]
    for name in GROUPS:
        assert not any(i.startswith(("shanghai.", "huizhou.")) for i in groups[name])
    assert "national.hnte" not in groups["other_region"]  # national: for firms anywhere


def test_a_firm_of_unknown_location_sees_every_region(engine, make_profile):
    summary = summarize(engine, engine.assess(make_profile(registered_district=None), dt.date(2020, 6, 1)))
    assert not any(i.startswith("shanghai.") for i in _groups(summary)["other_region"])


def test_region_first_lists_the_items_of_a_region(engine):
    futian = items_for_region(engine.catalog, "shenzhen", "futian")
    assert "futian.rd_input" in futian and "national.hnte" in futian and "shenzhen.rd_funding" in futian
    assert not any(i.startswith(("shanghai.", "huizhou.")) for i in futian)
    assert program_for(engine.catalog, "futian.st", "shenzhen", "nanshan") is False
    assert program_for(engine.catalog, "futian.st", "shenzhen", None) is None


def test_labels_in_both_languages():
    assert [group_label(g) for g in GROUPS] == ["可申报", "差一点", "待补充资料", "条件未公开", "不符合"]
    assert group_label("near", "en") == "Nearly there"
    assert "within the firm's reach" in no_path_text("en")


def test_no_proposed_path_brings_nothing(engine) -> None:  # noqa: ANN001
    """The newcomer could "buy an office for a cent" and be may-apply for 0元: found, confirmed,
    and not proposed."""
    import json

    from engine import parse_profile
    from engine.decide.paths import paths_to_eligibility, ranked_paths
    from engine.explain.firm_summary import summarize
    from engine.intake.seeds import SEEDS_DIR

    data = json.loads((SEEDS_DIR / "profiles" / "futian_newcomer.json").read_text(encoding="utf-8"))
    assessment = engine.assess(parse_profile(data), dt.date(2020, 6, 1))
    found = ranked_paths(paths_to_eligibility(engine, assessment, ["futian.office.purchase"]))
    assert any(p.amount == 0 and not p.ceiling for p in found)  # the search does find it
    summary = summarize(engine, assessment)
    assert all(p.ceiling or p.amount is None or p.amount > 0 for p in summary.top_paths)
    assert "futian.office.purchase" not in {p.item_id for p in summary.top_paths}
