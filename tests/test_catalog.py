"""The catalog as a whole: budgets add up, every line has an item, Shanghai honours Art. 55."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.decide.engine import Engine
from engine.explain.catalog_view import item_status
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_futian_budget_lines_sum_to_26380_wan(catalog: Catalog) -> None:
    budget = catalog.programs["futian.st"].budget
    assert budget is not None
    assert len(budget.lines) == 26
    assert sum((line.wan for line in budget.lines), Decimal(0)) == Decimal(26380) == budget.total_wan


def test_every_futian_budget_line_has_an_item(catalog: Catalog) -> None:
    budget = catalog.programs["futian.st"].budget
    assert budget is not None
    used = {item.budget_line for item in catalog.all_items()
            if catalog.program_of[item.id] == "futian.st"}
    assert {line.id for line in budget.lines} - used == set()


@pytest.mark.parametrize("line", ["4", "5", "11", "12", "13", "14", "15", "16", "17", "21", "22",
                                  "23", "24", "25", "26"])
def test_lines_without_published_criteria_are_not_assessable(catalog: Catalog, line: str) -> None:
    items = [i for i in catalog.all_items() if i.budget_line == line]
    assert items and all(i.not_assessable is not None for i in items)


def test_every_shanghai_fiscal_item_excludes_dishonest_firms_under_art_55(catalog: Catalog) -> None:
    shanghai = [i for i in catalog.all_items()
                if catalog.program_of[i.id] == "shanghai.stic" and i.not_assessable is None]
    assert len(shanghai) >= 9
    assert all("shanghai.art55_dishonesty" in i.exclusions for i in shanghai)


def test_status_labels(catalog: Catalog) -> None:
    assert item_status(catalog.versions["national.rd_super_deduction"][4], catalog) == "assessable"
    # the 365-day reading of 注册成立一年以上 is from the 195 guidance, not in the sources: shown
    assert item_status(catalog.versions["national.hnte"][0], catalog) == "reconstructed"
    assert item_status(catalog.versions["futian.case_by_case"][0], catalog) == "not_assessable"
    assert item_status(catalog.versions["futian.st_loan.incubation"][0], catalog) == "reconstructed"


def _profile(data: dict) -> object:
    from engine.facts.parse import parse_profile

    return parse_profile(data)


def test_only_one_futian_interest_subsidy_for_the_same_project(engine: Engine) -> None:
    firm = {
        "registered_district": "futian", "tax_district": "futian", "statistics_district": "futian",
        "serious_dishonesty_listed": False, "tech_enterprise": True,
        "ip_loan_collateral": "patent", "ip_loan_term_months": 12, "ip_loan_drawn": True,
        "ip_loan_filed": True, "ip_loan_repaid": True, "ip_loan_principal": "5000000",
        "ip_loan_interest_paid": "225000", "ip_loan_service_fees": "50000", "ip_owner": "borrower",
        "ip_loan_other_subsidy_claimed": False,
        "st_loan_product": "incubation", "st_loan_partner_bank": True, "st_loan_term_months": 12,
        "st_loan_principal": "3000000", "st_loan_filed_in_grant_year": True,
        "st_loan_overdue": False, "st_loan_repaid": True, "st_loan_interest_paid": "120000",
        "st_loan_guarantee_fee": "30000",
    }
    result = engine.assess(_profile(firm), _date("2021-10-01"),
                           ["futian.ip_pledge", "futian.st_loan.incubation"])
    ip, loan = result.decision("futian.ip_pledge"), result.decision("futian.st_loan.incubation")
    assert ip.status == loan.status == "eligible"
    assert ip.stacking.receivable and not loan.stacking.receivable
    assert "137,500" in loan.stacking.reason.zh


def test_a_huangpu_firm_receives_only_one_hnte_reward(engine: Engine) -> None:
    firm = {"city": "shanghai", "registered_district": "huangpu", "serious_dishonesty_listed": False,
            "hnte_certificate_date": "2023-11-20", "hnte_first_certification": True,
            "settled_in_district_date": "2024-01-10", "moved_in_from_elsewhere": True}
    ids = ["shanghai.hnte_reward.huangpu.new", "shanghai.hnte_reward.huangpu.moved_in",
           "shanghai.hnte_reward.huangpu.recertified"]
    result = engine.assess(_profile(firm), _date("2024-06-01"), ids)
    receivable = [d.item_id for d in result.decisions
                  if d.status == "eligible" and d.stacking and d.stacking.receivable]
    assert receivable == ["shanghai.hnte_reward.huangpu.new"]


def test_a_tech_sme_status_feeds_the_super_deduction_rate(engine: Engine) -> None:
    firm = {"registered_in_mainland": True, "employees_total": 120, "st_staff": 30,
            "sales_revenue_y1": "60000000", "total_assets_y1": "80000000",
            "restricted_industry": False, "major_incident_or_misconduct_2y": False,
            "abnormal_operations_listed": False, "serious_dishonesty_listed": False,
            "tech_sme_score": 72, "tech_sme_staff_score": 12, "rd_expense_current_year": "1000000"}
    decision = engine.assess(_profile(firm), _date("2022-06-30"),
                             ["national.rd_super_deduction"]).decision("national.rd_super_deduction")
    assert decision.amount.value == Decimal("1000000.00")
    assert any("national.tech_sme" in step.en for step in decision.amount.steps)


def _date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_the_assessment_shows_the_combination_the_firm_can_receive(engine: Engine) -> None:
    from engine.explain.text import assessment_text

    firm = {"registered_district": "futian", "serious_dishonesty_listed": False,
            "rd_expense_stats_verified": "3000000", "settled_in_district_date": "2018-03-01",
            "hnte_certificate_date": "2019-10-01", "received_futian_hnte_reward_before": False,
            "tax_district": "futian", "above_scale": True, "rd_expense_current_year": "3000000"}
    result = engine.assess(_profile(firm), _date("2020-06-01"))
    text = assessment_text(result, "en", engine.catalog)
    tail = text[text.index("What the firm can receive together"):]
    assert "R&D input support: CNY 300,000" in tail
    assert "HNTE certification support: newly certified: CNY 300,000" in tail
    assert "moved into Futian" not in tail  # the one-of group keeps only the first-certification option
    assert "Payments in total (items with a determined amount): CNY 600,000" in tail
    # settlement publishes only a ceiling and a date: listed apart as may-apply, never totalled
    may = tail[tail.index("The firm may also apply for (conditions not fully published"):]
    assert "Settlement support: up to CNY 20,000,000" in may
    assert "23,000,000" not in tail and "up to:" not in tail.split("may also apply")[0]
    assert result.decision("futian.settlement").status == "may_apply"
    # relocation needs a move from elsewhere, which this profile does not state
    assert result.decision("futian.relocation").missing == ("moved_in_from_elsewhere",)


def test_decisions_only_mode_decides_item_criteria_alike(engine: Engine) -> None:
    firm = {"registered_district": "futian", "tax_district": "futian", "statistics_district": "futian",
            "serious_dishonesty_listed": False, "ip_loan_collateral": "patent",
            "ip_loan_term_months": 12, "ip_loan_drawn": True, "ip_loan_filed": True,
            "ip_loan_repaid": True, "ip_owner": "borrower", "ip_loan_other_subsidy_claimed": False,
            "on_strategic_emerging_list": False, "above_scale": False}
    full = engine.assess(_profile(firm), _date("2021-10-01"), ["futian.ip_pledge"])
    fast = engine.assess(_profile(firm), _date("2021-10-01"), ["futian.ip_pledge"], explain=False)
    assert [(d.item_id, d.status, d.missing) for d in fast.decisions] == \
        [(d.item_id, d.status, d.missing) for d in full.decisions]
    assert "tech_sme_score" in full.decision("futian.ip_pledge").missing
