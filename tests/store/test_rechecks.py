"""Saved profile versions re-checked when the rules change: a baseline first, then new items,
lost items and changed amounts with the engine's reasons, on SQLite and PostgreSQL. The rule
changes are real: modified copies of the rules directory, compiled like the rules in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.decide.engine import Engine
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog
from engine.store import rebuild
from engine.store.account_changes import mark_changes_seen, unseen_changes
from engine.store.accounts import create_user
from engine.store.models import AuditEntry, CatalogVersion, ProfileChange, ProfileCheck, ProfileVersion
from engine.store.profiles import add_profile
from engine.store.rechecks import recheck_accounts, recheck_company, record_check
from tests.rules_variants import CHANGES, add_file, rules_variant
from tests.web.conftest import NOT_ASSESSABLE_RULES, seed

FIRM = "91440300MA5F3K7L04"  # seeds/profiles/futian_rd_firm.json, fiscal year 2019
AS_OF = dt.date(2020, 6, 1)  # its default check date

@pytest.fixture(scope="module")
def rule_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Changed copies of the rules in force, as a deploy would bring them."""
    base = tmp_path_factory.mktemp("rules-variants")
    return {**{name: rules_variant(base, name) for name in CHANGES},
            "other": rules_variant(base, "other", add_file("x.yaml", NOT_ASSESSABLE_RULES))}


@pytest.fixture(scope="module")
def engines(rule_dirs: dict[str, Path]) -> dict[str, Engine]:
    """The rules in force and the changed ones, compiled once for the module."""
    return {"current": Engine(load_catalog()),
            **{k: Engine(load_catalog(d)) for k, d in rule_dirs.items()}}


def _saved(session: Session, engine: Engine, data: dict | None = None) -> int:
    profile_id, _ = add_profile(session, parse_profile(data or seed("futian_rd_firm")), "firm-a")
    assert record_check(session, engine, profile_id)
    session.commit()
    return profile_id


def _summary(changes: list[ProfileChange]) -> list[tuple]:
    return [(c.item_id, c.kind, c.status_before, c.status_after, c.amount_before, c.amount_after)
            for c in changes]


def test_a_first_check_is_a_baseline_and_unchanged_rules_find_nothing(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        check = session.get(ProfileCheck, pid)
        assert check.catalog_hash == engines["current"].rules_version and check.as_of == AS_OF
        assert check.items["futian.rd_input"][:3] == ["eligible", "320000.00", False]
        assert check.checked_at is not None
        assert not record_check(session, engines["current"], pid)  # already has one
        assert recheck_company(session, engines["current"], FIRM) == []
        assert unseen_changes(session, FIRM) == {}


def test_a_raised_threshold_loses_the_item_because_of_that_criterion(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        results = recheck_company(session, engines["threshold"], FIRM)
        session.commit()
        assert [(r.profile_id, r.baseline) for r in results] == [(pid, False)]
        changes = unseen_changes(session, FIRM)[pid]
        assert _summary(changes) == [("futian.rd_input", "lost", "eligible", "ineligible",
                                      Decimal("320000.00"), None)]
        change = changes[0]
        assert change.title == {"zh": "R&D投入支持", "en": "R&D input support"}
        assert change.reasons == [{
            "kind": "criterion", "id": "rd_verified_over_500k", "before": "pass", "after": "fail",
            "text": {"zh": "上年度经统计部门核定的研发投入超过50万元",
                     "en": "Prior-year R&D verified by the statistics bureau above 500,000 yuan"}}]
        assert (change.catalog_before, change.catalog_after) == (
            engines["current"].rules_version, engines["threshold"].rules_version)
        assert change.as_of == AS_OF
        # The check now names the new rules: a second look costs nothing and adds nothing.
        assert session.get(ProfileCheck, pid).catalog_hash == engines["threshold"].rules_version
        assert recheck_company(session, engines["threshold"], FIRM) == []
        # Back to the rules before: the item is open again, for the same criterion.
        back = recheck_company(session, engines["current"], FIRM)
        session.commit()
        assert _summary(list(back[0].changes)) == [("futian.rd_input", "new", "ineligible", "eligible",
                                                    None, Decimal("320000.00"))]
        assert back[0].changes[0].reasons[0]["before"] == "fail"


def test_a_changed_rate_changes_the_amount_with_the_arithmetic_as_the_reason(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        recheck_company(session, engines["amount"], FIRM)
        session.commit()
        changes = unseen_changes(session, FIRM)[pid]
    assert _summary(changes) == [("futian.rd_input", "amount", "eligible", "eligible",
                                  Decimal("320000.00"), Decimal("640000.00"))]
    (reason,) = changes[0].reasons
    assert reason["kind"] == "amount"
    before, after = reason["before"][0]["zh"], reason["after"][0]["zh"]
    assert before.startswith("10% × ") and before.endswith("= 320,000元")
    assert after.startswith("20% × ") and after.endswith("= 640,000元")


def test_an_added_item_the_firm_qualifies_for_is_new_because_the_item_was_added(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        recheck_company(session, engines["added"], FIRM)
        session.commit()
        changes = unseen_changes(session, FIRM)[pid]
        assert _summary(changes) == [("test.new.grant", "new", None, "eligible", None,
                                      Decimal("50000.00"))]
        assert changes[0].title == {"zh": "新设研发补贴", "en": "New R&D grant"}
        assert changes[0].reasons == [{"kind": "item_added"}]
        # And removed again: lost, because the item is gone from the rules.
        recheck_company(session, engines["current"], FIRM)
        session.commit()
        lost = unseen_changes(session, FIRM)[pid][-1]
    assert (lost.item_id, lost.kind, lost.status_after, lost.reasons) == (
        "test.new.grant", "lost", None, [{"kind": "item_removed"}])
    assert lost.title == {"zh": "新设研发补贴", "en": "New R&D grant"}  # from the old rules' files


def test_a_new_version_of_an_item_in_force_is_named_with_the_criterion_it_changed(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        recheck_company(session, engines["new_version"], FIRM)
        session.commit()
        (change,) = unseen_changes(session, FIRM)[pid]
    assert (change.item_id, change.kind) == ("futian.rd_input", "lost")
    assert change.reasons == [
        {"kind": "new_version", "before": "2017-01-01", "after": "2020-01-01",
         "text": {"zh": "2020年试行", "en": "2020 trial"}},
        {"kind": "criterion", "id": "rd_verified_over_500k", "before": "pass", "after": "fail",
         "text": {"zh": "上年度经统计部门核定的研发投入超过50万元",
                  "en": "Prior-year R&D verified by the statistics bureau above 500,000 yuan"}}]


def test_without_the_earlier_rule_files_the_reason_says_so_rather_than_guess(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["threshold"])
        session.execute(update(CatalogVersion).values(sources=None))  # as before migration 0004
        session.commit()
        rebuild._ENGINES.clear()  # nothing compiled earlier may stand in for the files
        recheck_company(session, engines["current"], FIRM)
        session.commit()
        (change,) = unseen_changes(session, FIRM)[pid]
    assert (change.item_id, change.kind, change.reasons) == (
        "futian.rd_input", "new", [{"kind": "rules_unavailable"}])


def test_a_rules_change_that_touches_nothing_of_the_firm_lists_nothing(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        results = recheck_company(session, engines["other"], FIRM)
        session.commit()
        assert [(r.profile_id, r.changes) for r in results] == [(pid, ())]
        assert unseen_changes(session, FIRM) == {}
        assert session.get(ProfileCheck, pid).catalog_hash == engines["other"].rules_version


def test_marking_seen_empties_the_list_and_is_audited_and_only_for_the_own_company(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid = _saved(session, engines["current"])
        recheck_company(session, engines["threshold"], FIRM)
        session.commit()
        assert mark_changes_seen(session, "91310115MA1K4A2B3A", "firm-b") == 0
        assert mark_changes_seen(session, FIRM, "firm-a", profile_id=pid) == 1
        session.commit()
        assert unseen_changes(session, FIRM) == {}
        seen = session.scalars(select(ProfileChange)).one()
        assert seen.seen_by == "firm-a" and seen.seen_at is not None
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "changes_seen")).one()
        assert (audit.actor, audit.target, audit.details) == ("firm-a", FIRM, {"profile": pid, "count": 1})


def test_versions_never_checked_get_a_baseline_on_the_first_recheck(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        pid, _ = add_profile(session, parse_profile(seed("futian_rd_firm")), "import")
        session.commit()
        results = recheck_company(session, engines["threshold"], FIRM)
        session.commit()
        assert [(r.profile_id, r.baseline, r.changes) for r in results] == [(pid, True, ())]
        assert session.get(ProfileCheck, pid).catalog_hash == engines["threshold"].rules_version


def _accounts(session: Session, engine: Engine) -> tuple[int, int]:
    good = _saved(session, engine)
    other = {**seed("shanghai_pudong_hnte")}
    bad = _saved(session, engine, other)
    create_user(session, "firm-a", "firm-a-password", "firm", FIRM)
    create_user(session, "firm-b", "firm-b-password", "firm", other["credit_code"])
    # A stored version from before the bounds: it cannot be decided again.
    session.execute(update(ProfileVersion).where(ProfileVersion.id == bad)
                    .values(data={**other, "employees_total": -5}))
    session.commit()
    return good, bad


def test_one_company_that_cannot_be_checked_does_not_stop_the_others(
        sessions: sessionmaker[Session], engines: dict[str, Engine]) -> None:
    with sessions() as session:
        good, bad = _accounts(session, engines["current"])
    report = recheck_accounts(sessions, engines["threshold"])
    assert (report.companies, report.checked, report.changes) == (1, 1, 1)
    assert [code for code, _ in report.failures] == ["91310115MA1K4A2B3A"]
    assert "employees_total" in report.failures[0][1]
    with sessions() as session:
        assert list(unseen_changes(session, FIRM)) == [good]
        assert session.get(ProfileCheck, bad).catalog_hash == engines["current"].rules_version


def test_subsidy_recheck_after_a_rules_deploy(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        engines: dict[str, Engine], rule_dirs: dict[str, Path]) -> None:
    with sessions() as session:
        _accounts(session, engines["current"])
    out = cli("recheck", "--rules-dir", rule_dirs["threshold"], code=1).output
    assert "91440300MA5F3K7L04" in out and "R&D投入支持" in out and "rd_verified_over_500k" in out
    assert "91310115MA1K4A2B3A" in out and "无法核对" in out
    again = cli("recheck", "--company", FIRM, "--rules-dir", rule_dirs["threshold"]).output
    assert "0 项变化" in again
    assert "未知企业" in cli("recheck", "--company", "91440300MA5F3K7L0X", code=1).stderr

