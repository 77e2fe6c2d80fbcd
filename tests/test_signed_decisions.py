"""Decisions a Futian official would sign (issue 10, second part): moved-in Shanghai rewards read
the moved-in fact, and an earlier round never rests on a later document without saying so."""

from __future__ import annotations

import datetime as dt

from engine import (
    Engine,
    assessment_text,
    decision_from_dict,
    decision_lines,
    decision_to_dict,
    further_bases,
)
from engine.decide.citations import amount_ref
from engine.explain.phrases import format_citation
from engine.facts.parse import parse_profile
from engine.intake.seeds import demo_profiles
from engine.rules.model import Citation, Source, Text

HUANGPU = {"city": "shanghai", "registered_district": "huangpu", "serious_dishonesty_listed": False,
           "hnte_certificate_date": "2023-11-20", "hnte_first_certification": False,
           "settled_in_district_date": "2024-02-01"}
MOVED_IN = "shanghai.hnte_reward.huangpu.moved_in"


def test_a_shanghai_firm_founded_after_its_certificate_did_not_move_in(engine: Engine) -> None:
    firm = parse_profile({**HUANGPU, "moved_in_from_elsewhere": False})
    d = engine.assess(firm, dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN)
    assert d.status == "ineligible"
    assert {c.id: c.status for c in d.criteria}["moved_from_elsewhere"] == "fail"


def test_the_shanghai_moved_in_reward_asks_whether_the_firm_moved_in(engine: Engine) -> None:
    d = engine.assess(parse_profile(HUANGPU), dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN)
    assert d.status == "undetermined"
    assert d.missing == ("moved_in_from_elsewhere",)
    moved = parse_profile({**HUANGPU, "moved_in_from_elsewhere": True})
    assert engine.assess(moved, dt.date(2024, 6, 1), [MOVED_IN]).decision(MOVED_IN).status == "eligible"


FAQ_DATE = dt.date(2021, 11, 23)  # the Shenzhen MIIT FAQ the dishonesty exclusion comes from


def test_rounds_before_the_dishonesty_faq_cite_it_as_a_borrowed_later_document(
        engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    for item in engine.catalog.all_items():
        day = item.valid_from
        if not item.id.startswith("futian.") or item.not_assessable:
            continue
        d = engine.assess(make_profile(), day, [item.id]).decision(item.id)
        for c in d.criteria:
            if c.group and c.group.startswith("futian.serious_dishonesty"):
                if day < FAQ_DATE:
                    assert c.citation.basis == "reconstructed", item.id
                    assert "借用" in c.citation.assumption.zh, item.id
                    assert "2021年11月23日" in c.citation.assumption.zh, item.id
                    assert "borrowed from a later document" in c.citation.assumption.en
                else:
                    assert "借用" not in (c.citation.assumption.zh if c.citation.assumption else "")


def test_the_borrowed_basis_is_shown_in_the_text(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    result = engine.assess(make_profile(rd_expense_stats_verified="3200000"), dt.date(2020, 6, 1),
                           ["futian.rd_input"])
    text = assessment_text(result, "zh", engine.catalog)
    assert "借用的后出文件" in text and "推定" in text


SD_FIRM = {"registered_in_mainland": True, "employees_total": 800, "st_staff": 30,
           "sales_revenue_y1": "60000000", "total_assets_y1": "80000000",
           "restricted_industry": False, "major_incident_or_misconduct_2y": False,
           "abnormal_operations_listed": False, "serious_dishonesty_listed": False,
           "tech_sme_score": 72, "tech_sme_staff_score": 12, "rd_expense_current_year": "4000000"}
SD = "national.rd_super_deduction"


def test_the_chosen_amount_case_cites_its_own_document(engine: Engine) -> None:
    """2022: a firm that is not a tech-based SME deducts 75% under Announcement 2021 No. 6, the
    case's own document, not the item's 2022 No. 16; text, JSON, card and letter say so."""
    result = engine.assess(parse_profile(SD_FIRM), dt.date(2022, 12, 31), [SD])
    d = result.decision(SD)
    assert d.amount.citation.document == "财政部 税务总局公告2021年第6号"
    assert d.amount.citation.clause == "其他企业75%政策延续执行"
    assert decision_to_dict(d)["amount_citation"]["document"] == "财政部 税务总局公告2021年第6号"
    assert "金额依据：财政部 税务总局公告2021年第6号 其他企业75%政策延续执行" in "\n".join(
        decision_lines(d))
    assert ("金额依据", "财政部 税务总局公告2021年第6号 其他企业75%政策延续执行") in further_bases(d)
    sme = engine.assess(parse_profile({**SD_FIRM, "employees_total": 120}), dt.date(2022, 12, 31),
                        [SD]).decision(SD)
    assert sme.amount.citation.clause == "科技型中小企业按100%加计扣除"


def test_an_open_case_falls_back_to_the_amount_citation(engine: Engine) -> None:
    firm = {**{k: v for k, v in SD_FIRM.items() if k != "tech_sme_score"}, "employees_total": 120}
    d = engine.assess(parse_profile(firm), dt.date(2022, 12, 31), [SD]).decision(SD)
    assert d.amount.value is None and d.amount.citation == d.source


def test_a_reconstructed_case_is_marked_with_its_assumption() -> None:
    source = Source(document="某文件", clause="支持标准", evidence="secondary", basis="verbatim")
    outer = Citation(clause="支持标准：总则")
    case = Citation(clause="第二档", basis="reconstructed",
                    assumption=Text(zh="第二档上限沿用上一年度。", en="The tier-2 cap is carried over."))
    ref = amount_ref([outer, case], source)
    assert (ref.document, ref.clause, ref.basis) == ("某文件", "第二档", "reconstructed")
    assert "推定：第二档上限沿用上一年度" in format_citation(ref, "zh")


TWO_LOANS = {
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
LOANS = ["futian.ip_pledge", "futian.st_loan.incubation"]


def _loans(engine: Engine, **projects: str):  # type: ignore[no-untyped-def]
    result = engine.assess(parse_profile({**TWO_LOANS, **projects}), dt.date(2021, 10, 1), LOANS)
    return result, result.decision(LOANS[0]), result.decision(LOANS[1])


def test_two_loans_for_different_projects_are_both_subsidised(engine: Engine) -> None:
    result, ip, loan = _loans(engine, ip_loan_project="专利产业化项目",
                              st_loan_project="新产线建设")
    assert ip.stacking.receivable and loan.stacking.receivable
    assert "不同项目" in loan.stacking.reason.zh and ip.stacking.citation.basis == "verbatim"
    text = assessment_text(result, "zh", engine.catalog)
    assert "拨款合计（金额确定的项目）：227,500元" in text  # 137,500 + 90,000


def test_two_loans_for_the_same_project_keep_only_the_larger_subsidy(engine: Engine) -> None:
    _result, ip, loan = _loans(engine, ip_loan_project="专利产业化项目",
                               st_loan_project=" 专利产业化项目 ")
    assert ip.stacking.receivable and not loan.stacking.receivable
    assert loan.stacking.citation.basis == "verbatim"
    assert "同一项目" in loan.stacking.title.zh


def test_loans_without_their_projects_are_taken_as_one_and_the_decision_says_so(
        engine: Engine) -> None:
    result, ip, loan = _loans(engine, ip_loan_project="专利产业化项目")
    assert ip.stacking.receivable and not loan.stacking.receivable
    for d in (ip, loan):
        assert d.stacking.citation.basis == "reconstructed"
        assert "按同一项目处理" in d.stacking.citation.assumption.zh
        assert "按同一项目处理" in d.stacking.reason.zh
    text = assessment_text(result, "zh", engine.catalog)
    assert "叠加规则依据" in text and "推定：档案未写明每笔贷款所融资的项目" in text
    assert decision_to_dict(loan)["stacking"]["citation"]["basis"] == "reconstructed"


def _rd_firm():  # type: ignore[no-untyped-def]
    return next(p for p, _ in demo_profiles() if p.name == "深圳市福田启明智能科技有限公司")


def test_figures_of_an_earlier_year_are_flagged_with_the_year_the_round_reviews(
        engine: Engine) -> None:
    firm = _rd_firm()  # fiscal year 2019
    later = engine.assess(firm, dt.date(2023, 6, 1)).decision("national.hnte")
    assert later.figures is not None
    assert (later.figures.expected_year, later.figures.profile_year) == (2022, 2019)
    assert "本项按评估日期的上一年度（2022年度）的数据评估，档案数据为2019年度" in later.figures.text.zh
    assert ("数据年度提示", later.figures.text.zh) in further_bases(later)
    data = decision_to_dict(later)["figures"]
    assert data["expected_fiscal_year"] == 2022 and data["profile_fiscal_year"] == 2019
    assert "sales_revenue_y1" in data["facts"]
    assert decision_from_dict(decision_to_dict(later)).figures == later.figures
    own_round = engine.assess(firm, dt.date(2020, 6, 1))
    assert all(d.figures is None for d in own_round.decisions)  # 2020 rounds review 2019


def test_items_that_read_no_yearly_figures_are_not_flagged(engine: Engine) -> None:
    result = engine.assess(_rd_firm(), dt.date(2023, 6, 1))
    for d in result.decisions:
        if d.status in ("not_in_force", "not_assessable") or d.item_id.startswith("shanghai.hnte"):
            assert d.figures is None, d.item_id


def test_undated_figures_are_flagged_too(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    d = engine.assess(make_profile(rd_expense_stats_verified="3200000"), dt.date(2020, 6, 1),
                      ["futian.rd_input"]).decision("futian.rd_input")
    assert d.status == "eligible" and d.figures.profile_year is None
    assert "档案未写明数据所属年度" in d.figures.text.zh


def test_the_super_deduction_reviews_its_own_tax_year(engine: Engine) -> None:
    firm = parse_profile({**SD_FIRM, "fiscal_year": 2022})
    d = engine.assess(firm, dt.date(2022, 12, 31), [SD]).decision(SD)
    assert d.figures is None
    late = engine.assess(firm, dt.date(2023, 6, 1), [SD]).decision(SD)
    assert late.figures.expected_year == 2023
