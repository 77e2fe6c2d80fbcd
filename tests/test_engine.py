"""Engine semantics a user sees: three-valued logic, versions by date, gaps, amounts, stacking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from engine.decide.engine import Engine
from engine.decide.logic import combine_all, combine_any, negate
from engine.explain.text import assessment_text, format_gap
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog


@pytest.mark.parametrize(
    ("statuses", "all_of", "any_of"),
    [
        (["pass", "pass"], "pass", "pass"),
        (["pass", "fail"], "fail", "pass"),
        (["fail", "unknown"], "fail", "unknown"),
        (["pass", "unknown"], "unknown", "pass"),
        (["unknown", "unknown"], "unknown", "unknown"),
        (["fail", "fail"], "fail", "fail"),
    ],
)
def test_three_valued_logic(statuses: list[str], all_of: str, any_of: str) -> None:
    assert combine_all(statuses) == all_of
    assert combine_any(statuses) == any_of


def test_negation_keeps_unknown() -> None:
    assert [negate(s) for s in ("pass", "fail", "unknown")] == ["fail", "pass", "unknown"]


def test_the_as_of_date_chooses_the_version(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(ip_owner="controlling_shareholder", ip_loan_collateral="patent",
                           ip_loan_term_months=12, ip_loan_drawn=True, ip_loan_filed=True,
                           ip_loan_repaid=True, tech_enterprise=True,
                           ip_loan_other_subsidy_claimed=False)
    in_2021 = engine.assess(profile, dt.date(2021, 9, 1), items=["futian.ip_pledge"])
    in_2022 = engine.assess(profile, dt.date(2022, 9, 1), items=["futian.ip_pledge"])
    assert in_2021.decision("futian.ip_pledge").status == "eligible"
    assert in_2022.decision("futian.ip_pledge").status == "ineligible"
    assert in_2022.decision("futian.ip_pledge").version.en == "2022 application guide"


def test_an_item_outside_its_period_is_reported_not_skipped(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    decision = engine.assess(make_profile(), dt.date(2026, 1, 1)).decision("futian.rd_input")
    assert decision.status == "not_in_force"
    assert decision.reason is not None and "2021-04-27" in decision.reason.zh


def test_the_gap_for_staff_is_counted_in_people(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(employees_total=100, st_staff=9)
    decision = engine.assess(profile, dt.date(2020, 6, 1)).decision("national.hnte")
    staff = next(c for c in decision.criteria if c.id == "st_staff_10pct")
    assert staff.status == "fail"
    assert staff.gap is not None and staff.gap.shortfall == 1 and staff.gap.unit == "persons"
    assert format_gap(staff.gap, "zh").startswith("还需增加 1人")
    assert format_gap(staff.gap, "en").startswith("needs 1 person more")


def test_the_gap_for_rd_intensity_is_in_yuan(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(sales_revenue_y1="10000000", sales_revenue_y2="10000000",
                           sales_revenue_y3="10000000", rd_expense_y1="360000",
                           rd_expense_y2="360000", rd_expense_y3="360000")
    decision = engine.assess(profile, dt.date(2020, 6, 1)).decision("national.hnte")
    rd = next(c for c in decision.criteria if c.id == "rd_intensity_5pct")
    # 3.6% of 30,000,000 sales: 1,500,000 needed, 1,080,000 spent
    assert rd.gap is not None and rd.gap.shortfall == Decimal("420000.00")
    assert rd.gap.unit == "yuan"


def test_a_strict_threshold_gap_needs_one_unit_more(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(rd_expense_stats_verified="400000")
    decision = engine.assess(profile, dt.date(2019, 6, 1)).decision("futian.rd_input")
    rd = next(c for c in decision.criteria if c.id == "rd_verified_over_500k")
    assert rd.gap is not None and rd.gap.shortfall == Decimal("100000.01")


def test_one_of_stacking_keeps_one_option_and_says_why(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(hnte_certificate_date="2019-12-01", settled_in_district_date="2019-03-01",
                           moved_in_from_elsewhere=True,
                           above_scale=True, received_futian_hnte_reward_before=False)
    result = engine.assess(profile, dt.date(2020, 6, 1))
    new = result.decision("futian.hnte_reward.new")
    moved = result.decision("futian.hnte_reward.moved_in")
    assert new.status == moved.status == "eligible"
    assert new.stacking is not None and new.stacking.receivable
    assert moved.stacking is not None and not moved.stacking.receivable
    assert "国高企业认定支持（新认定）" in moved.stacking.reason.zh


def test_undetermined_items_list_only_the_facts_that_decide(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(ip_loan_collateral="patent", ip_loan_term_months=12,
                           ip_loan_drawn=True, ip_loan_filed=True, ip_loan_repaid=True,
                           tech_enterprise=True, ip_owner="borrower")
    decision = engine.assess(profile, dt.date(2021, 9, 1)).decision("futian.ip_pledge")
    assert decision.status == "undetermined"
    # tech_enterprise already satisfies the any-of, so its siblings are not asked for
    assert decision.missing == ("ip_loan_other_subsidy_claimed",)


def test_explanations_render_in_both_languages(engine: Engine, make_profile) -> None:  # type: ignore[no-untyped-def]
    profile = make_profile(rd_expense_stats_verified="3200000", name="福田测试企业")
    result = engine.assess(profile, dt.date(2019, 6, 1), items=["futian.rd_input"])
    zh, en = assessment_text(result), assessment_text(result, "en")
    assert "【R&D投入支持】符合条件 — 预计 32万元（320,000元）" in zh
    assert "10% × 统计部门核定的上年度研发投入3,200,000元 = 320,000元" in zh
    assert "[R&D input support] Eligible — estimated CNY 320,000" in en
    assert "推定" in zh and "reconstructed" in en


def _write(tmp_path: Path, items: list[dict], extra: dict | None = None) -> Path:
    data = {"program": {"id": "t", "title": {"zh": "测", "en": "T"},
                        "authority": {"zh": "测", "en": "T"}}, "items": items, **(extra or {})}
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _item(item_id: str, **fields: object) -> dict:
    return {"id": item_id, "title": {"zh": item_id, "en": item_id},
            "source": {"document": "d", "clause": "c", "evidence": "official", "basis": "verbatim"},
            "valid_from": "2020-01-01", **fields}


LEAF = {"id": "big", "text": {"zh": "大", "en": "big"}, "fact": "employees_total", "op": ">=",
        "value": 10}


def test_amount_arithmetic_tiers_least_floor_cap(tmp_path: Path) -> None:
    amount = {"tiers": [{"up_to": 10000000, "rate": "0.035"}, {"rate": "0.0175"}],
              "of": {"least": [{"fact": "rd_expense_y1"}, {"fact": "rd_expense_stats_verified"}]},
              "cap": 10000000, "floor": 100}
    engine = Engine(load_catalog(_write(tmp_path, [_item("t.a", criteria=LEAF, amount=amount)])))
    profile = parse_profile({"employees_total": 20, "rd_expense_y1": "30000000",
                             "rd_expense_stats_verified": "25000000"})
    decision = engine.assess(profile, dt.date(2021, 1, 1)).decision("t.a")
    # 3.5% of 10,000,000 + 1.75% of 15,000,000 = 350,000 + 262,500
    assert decision.amount is not None and decision.amount.value == Decimal("612500.00")
    steps = [s.en for s in decision.amount.steps]
    assert steps[0].startswith("least of CNY 30,000,000, CNY 25,000,000")
    assert "tiers total CNY 612,500" in steps


def test_requires_feeds_another_items_status(tmp_path: Path) -> None:
    items = [_item("t.base", criteria=LEAF), _item("t.dependent", criteria={**LEAF, "id": "again"},
                                                   requires=["t.base"])]
    engine = Engine(load_catalog(_write(tmp_path, items)))
    unknown = engine.assess(parse_profile({}), dt.date(2021, 1, 1)).decision("t.dependent")
    assert unknown.status == "undetermined" and unknown.missing == ("employees_total",)
    small = engine.assess(parse_profile({"employees_total": 3}), dt.date(2021, 1, 1))
    assert small.decision("t.dependent").status == "ineligible"
    assert small.decision("t.dependent").criteria[-1].id == "requires.t.base"


def test_not_assessable_items_carry_their_reason(tmp_path: Path) -> None:
    reason = {"zh": "条件未公开", "en": "criteria unpublished"}
    engine = Engine(load_catalog(_write(tmp_path, [_item("t.n", not_assessable=reason)])))
    decision = engine.assess(parse_profile({}), dt.date(2021, 1, 1)).decision("t.n")
    assert decision.status == "not_assessable" and decision.reason is not None
    assert decision.reason.zh == "条件未公开"


def test_amount_cases_are_decided_by_durable_rules(engine: Engine) -> None:
    """Every fact test in an amount's `cases` is compiled into a durable_rules rule too."""
    from engine.decide.compiler import when_tests

    whens = [w for item in engine.catalog.all_items() for w in when_tests(item.amount)]
    assert whens, "the catalog has amounts chosen by case"
    rules = {name for r in engine.compiled.rulesets for name in r.definition}
    for when in whens:
        assert engine.compiled.by_leaf[id(when)].rule in rules


@pytest.mark.parametrize("day", ["2017-06-01", "2020-06-01", "2023-06-01"])
def test_lines_known_only_from_the_budget_are_not_assessable_on_every_date(
        engine: Engine, make_profile, day: str) -> None:  # type: ignore[no-untyped-def]
    result = engine.assess(make_profile(), dt.date.fromisoformat(day))
    budget_only = [d for d in result.decisions if d.program == "futian.st"
                   and all(v.not_assessable for v in engine.catalog.versions[d.item_id])]
    assert len(budget_only) == 15  # with the 2018 incubator line, the 16 lines without criteria
    for d in budget_only:
        assert d.status == "not_assessable", d.item_id
        assert d.reason is not None and "不在有效期内" not in d.reason.zh
        if d.item_id != "futian.case_by_case":
            assert "本项仅见于2018年预算" in d.reason.zh, d.item_id
    # an expired plan with no budget line (Huizhou 2017-2021) is not in force after its period
    if day == "2023-06-01":
        assert result.decision("huizhou.import_interest").status == "not_in_force"
    # a line with an assessable version (incubators, 2020-21) is out of force outside its periods
    assert result.decision("futian.incubator").status == (
        "undetermined" if day == "2020-06-01" else "not_in_force")
