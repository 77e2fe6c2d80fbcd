"""免申即享: the list holds exactly the eligible decisions with a computed amount (never a ceiling,
a may-apply item or one a stacking group does not pay), each with the facts used and their
provenance; an official reviews and publishes it, audited; each listed firm gets one notice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import Result
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine import parse_profile
from engine.facts.uscc import make_code
from engine.rules.loader import load_catalog
from engine.store.accounts import create_user
from engine.store.importing import origin_of_import
from engine.store.models import AuditEntry, DecisionRow, FirmNotice, ProfileVersion, PushEntry, RunItem
from engine.store.notices import NoticeError, confirm_notice, mark_notices_seen, notice_counts, notices_for
from engine.store.profiles import add_profiles
from engine.store.push_export import export_push_list
from engine.store.push_lists import (
    PushListError,
    create_push_list,
    exclude_entry,
    publish_push_list,
    restore_entry,
)
from engine.store.reviews import add_review
from engine.store.screening import process_run, select_all, start_run

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "seeds" / "profiles" / "futian_rd_firm.json").read_text(encoding="utf-8"))
DAY = dt.date(2020, 6, 1)
CONFIRM = dt.date(2020, 7, 1)


def _firm(i: int, **changes: Any) -> dict[str, Any]:
    return {**SEED, "credit_code": make_code(f"91440300MA5F{i:05d}"), "name": f"推送测试企业{i}",
            **changes}


FIRMS = [
    _firm(0),  # rd_input 320,000 yuan (verified by the statistics bureau), HNTE reward
    # moved in 2018: settlement and relocation are may-apply (ceilings only); R&D below 500,000
    _firm(1, settled_in_district_date="2018-03-01", moved_in_from_elsewhere=True,
          rd_expense_stats_verified="400000"),
    _firm(2, registered_district="nanshan", tax_district="nanshan", statistics_district="nanshan"),
    _firm(3, rd_expense_stats_verified="900000"),
]
CODES = [f["credit_code"] for f in FIRMS]


@pytest.fixture
def run_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        add_profiles(session, [parse_profile(f) for f in FIRMS], "李四",
                     origin=origin_of_import("申报名单.xlsx"))
        run = start_run(session, load_catalog(), select_all(session, DAY), DAY, None, "test", "all")
        session.commit()
        run_id = run.id
    process_run(sessions, run_id, workers=0)
    return run_id


def _expected(session: Session, run_id: int, district: str | None = None) -> set[tuple[str, str]]:
    """Straight from the stored decisions: eligible, computed, paid."""
    query = (select(ProfileVersion.company_code, RunItem.item_id).select_from(DecisionRow)
             .join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id)
             .join(RunItem, (RunItem.run_id == DecisionRow.run_id) & (RunItem.code == DecisionRow.item))
             .where(DecisionRow.run_id == run_id, DecisionRow.status == "eligible",
                    DecisionRow.amount.is_not(None), ~DecisionRow.amount_is_ceiling,
                    or_(DecisionRow.receivable.is_(None), DecisionRow.receivable)))
    rows = {tuple(r) for r in session.execute(query)}
    return {r for r in rows if district is None or r[0] != CODES[2]}


def _entries(session: Session, list_id: int) -> list[PushEntry]:
    return list(session.scalars(select(PushEntry).where(PushEntry.list_id == list_id)
                                .order_by(PushEntry.id)))


def test_the_list_holds_exactly_the_eligible_computed_decisions_with_their_facts(
        sessions: sessionmaker[Session], run_id: int) -> None:
    with sessions() as session:
        push = create_push_list(session, run_id, "王科员", district="futian", confirm_by=CONFIRM)
        session.commit()
        entries = _entries(session, push.id)
        expected = _expected(session, run_id, "futian")
        assert {(e.company_code, e.item_id) for e in entries} == expected
        assert (CODES[0], "futian.rd_input") in expected
        # Firm 1's may-apply decisions are stored, with ceilings, and are not on the list.
        ceilings = session.execute(select(DecisionRow.status, RunItem.item_id).select_from(
            DecisionRow).join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id).join(
            RunItem, (RunItem.run_id == DecisionRow.run_id) & (RunItem.code == DecisionRow.item))
            .where(DecisionRow.run_id == run_id, ProfileVersion.company_code == CODES[1],
                   DecisionRow.amount_is_ceiling)).all()
        assert "may_apply" in {status for status, _ in ceilings}
        assert not {(CODES[1], item) for _, item in ceilings} & {(e.company_code, e.item_id)
                                                                 for e in entries}
        rd = next(e for e in entries if (e.company_code, e.item_id) == (CODES[0], "futian.rd_input"))
        assert rd.amount == 320000 and not rd.excluded
        facts = {f["name"]: f for f in rd.facts}
        assert facts["rd_expense_stats_verified"] == {
            "name": "rd_expense_stats_verified", "value": "3200000", "source": "statistics_bureau",
            "date": "2020-03-31", "origin": "profile"}
        district = facts["registered_district"]
        assert district["source"] == "self_declared"
        assert district["origin"] == "导入名单 imported list 申报名单.xlsx"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "push_create")).one()
        assert entry.actor == "王科员" and entry.details["listed"] == len(expected)


def test_a_decision_a_reviewer_overrode_is_listed_as_excluded_with_the_reason(
        sessions: sessionmaker[Session], run_id: int) -> None:
    with sessions() as session:
        pid = session.scalar(select(ProfileVersion.id).where(ProfileVersion.company_code == CODES[0]))
        add_review(session, run_id, pid, "futian.rd_input", "override", "研发费用核查不实", "张审核",
                   override_status="ineligible")
        push = create_push_list(session, run_id, "王科员")
        rd = next(e for e in _entries(session, push.id)
                  if (e.company_code, e.item_id) == (CODES[0], "futian.rd_input"))
        assert rd.excluded and "研发费用核查不实" in rd.exclude_reason


def test_an_override_with_an_amount_is_carried_into_the_list_the_notice_and_the_exports(
        sessions: sessionmaker[Session], run_id: int) -> None:
    """Firm 0's rd_input (engine: eligible, 320,000) is overridden to 250,000; firm 1's
    (engine: ineligible, R&D 400,000) is overridden to eligible with 40,000: both are listed
    with the engine's outcome and amount beside the reviewer's, and the firm is told the
    reviewer's amount."""
    with sessions() as session:
        pids = dict(session.execute(select(ProfileVersion.company_code, ProfileVersion.id)).all())
        add_review(session, run_id, pids[CODES[0]], "futian.rd_input", "override", "按审计报告核减",
                   "张审核", override_status="eligible", override_amount="250000")
        add_review(session, run_id, pids[CODES[1]], "futian.rd_input", "override", "补充材料后核定",
                   "李审核", override_status="eligible", override_amount="40000")
        push = create_push_list(session, run_id, "王科员", district="futian")
        entries = {(e.company_code, e.item_id): e for e in _entries(session, push.id)}
        cut, added = entries[(CODES[0], "futian.rd_input")], entries[(CODES[1], "futian.rd_input")]
        assert (cut.engine_status, cut.amount, cut.override_amount, cut.payable) == (
            "eligible", 320000, 250000, 250000)
        assert (cut.override_status, cut.override_reason, cut.override_by) == (
            "eligible", "按审计报告核减", "张审核")
        assert (added.engine_status, added.amount, added.payable) == ("ineligible", None, 40000)
        assert not cut.excluded and not added.excluded
        assert (CODES[1], "futian.rd_input") not in _expected(session, run_id)
        publish_push_list(session, push.id, "赵科长")
        (notice,) = notices_for(session, CODES[0])
        assert "「R&D投入支持」（预计 25.00万元）" in notice.message["zh"]
        (notice,) = notices_for(session, CODES[1])
        assert "（预计 4.00万元）" in notice.message["zh"]
        out = io.BytesIO()
        export_push_list(session, push.id, "csv", out, actor="王科员")
        rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
        rd = next(r for r in rows if (r["统一社会信用代码"], r["项目编号"]) == (CODES[0], "futian.rd_input"))
        assert (rd["预计金额（万元）"], rd["系统测算金额（万元）"], rd["审核改定金额（万元）"]) == (
            "25.00", "32.00", "25.00")
        assert (rd["系统测算结论"], rd["审核改定结论"], rd["改定理由"], rd["改定人"]) == (
            "符合条件", "符合条件", "按审计报告核减", "张审核")
        xlsx = io.BytesIO()
        export_push_list(session, push.id, "xlsx", xlsx, actor="王科员", lang="en")
        sheet = openpyxl.load_workbook(xlsx).active
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
                   if (r[0], r[header.index("Item id")]) == (CODES[1], "futian.rd_input"))
        values = dict(zip(header, row, strict=True))
        assert values["Estimated amount (CNY)"] == 40000 and values["Engine's amount (CNY)"] is None
        assert values["Reviewer's amount (CNY 10,000)"] == "4.00"
        assert values["Reason for the override"] == "补充材料后核定"


def test_a_notice_is_seen_when_shown_and_confirmed_apart(sessions: sessionmaker[Session],
                                                         run_id: int) -> None:
    with sessions() as session:
        push = create_push_list(session, run_id, "王科员")
        firms = publish_push_list(session, push.id, "赵科长")
        assert notice_counts(session, push.id) == {"notified": firms, "seen": 0, "confirmed": 0}
        assert mark_notices_seen(session, CODES[3], "firm3")  # not confirmed yet
        (seen,) = notices_for(session, CODES[3])
        assert seen.seen_by == "firm3" and seen.seen_at is not None and seen.confirmed_at is None
        assert mark_notices_seen(session, CODES[3], "firm3b") == []  # seen once, by the first
        assert seen.seen_by == "firm3"
        (notice,) = notices_for(session, CODES[0])
        confirm_notice(session, notice.id, CODES[0], "firm0")  # confirmed unseen: seen then
        assert notice.seen_at == notice.confirmed_at and notice.seen_by == "firm0"
        assert notice_counts(session, push.id) == {"notified": firms, "seen": 2, "confirmed": 1}
        assert len(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "notice_seen")).all()) == 1


def test_review_then_publish_sends_one_notice_per_listed_firm_and_is_audited(
        sessions: sessionmaker[Session], run_id: int) -> None:
    with sessions() as session:
        push = create_push_list(session, run_id, "王科员", confirm_by=CONFIRM)
        entries = _entries(session, push.id)
        other = next(e for e in entries if (e.company_code, e.item_id) == (CODES[3], "futian.rd_input"))
        with pytest.raises(PushListError, match="理由"):
            exclude_entry(session, push.id, other.id, "王科员", "  ")
        exclude_entry(session, push.id, other.id, "王科员", "已获同类支持")
        restore_entry(session, push.id, other.id, "王科员")
        exclude_entry(session, push.id, other.id, "王科员", "已获同类支持")
        with pytest.raises(PushListError, match="no push list"):
            exclude_entry(session, push.id + 1, other.id, "王科员", "x")
        firms = publish_push_list(session, push.id, "赵科长")
        session.commit()
        listed = {e.company_code for e in entries if not e.excluded}
        assert firms == len(listed) and CODES[0] in listed
        notices = session.scalars(select(FirmNotice)).all()
        assert {n.company_code for n in notices} == listed
        (notice,) = notices_for(session, CODES[0])
        assert notice.confirm_by == CONFIRM
        assert "您可能符合" in notice.message["zh"] and "无需申请" in notice.message["zh"]
        assert "请在2020-07-01前登录确认" in notice.message["zh"]
        assert "「R&D投入支持」（预计 32.00万元）" in notice.message["zh"]
        assert "without applying" in notice.message["en"]
        kept = [e.item_id for e in entries if e.company_code == CODES[3] and not e.excluded]
        assert [i["item_id"] for n in notices_for(session, CODES[3]) for i in n.items] == kept
        assert "futian.rd_input" not in kept
        actions = [a for a in session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))
                   if a.startswith("push")]
        assert actions == ["push_create", "push_exclude", "push_restore", "push_exclude",
                           "push_publish"]
        with pytest.raises(PushListError, match="already published"):
            publish_push_list(session, push.id, "赵科长")
        with pytest.raises(PushListError, match="is published"):
            restore_entry(session, push.id, other.id, "王科员")

        firm = create_user(session, "firm0", "pw-long-enough", "firm", company_code=CODES[0])
        with pytest.raises(NoticeError):
            confirm_notice(session, notice.id, CODES[3], "firm3")
        confirm_notice(session, notice.id, firm.company_code, firm.username)
        session.commit()
        assert notice.confirmed_by == "firm0" and notice.confirmed_at is not None
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "notice_confirm"))


def test_a_list_needs_a_complete_run_and_a_confirmation_date_after_it(
        sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        add_profiles(session, [parse_profile(FIRMS[0])], "李四")
        run = start_run(session, load_catalog(), select_all(session, DAY), DAY, None, "t", "all")
        session.commit()
        with pytest.raises(PushListError, match="every applicant decided"):
            create_push_list(session, run.id, "王科员")
    process_run(sessions, run.id, workers=0)
    with sessions() as session, pytest.raises(PushListError, match="before the run's date"):
        create_push_list(session, run.id, "王科员", confirm_by=DAY - dt.timedelta(days=1))


def test_the_commands_screen_every_firm_then_list_publish_and_export(
        cli: Callable[..., Result], sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions() as session:
        add_profiles(session, [parse_profile(f) for f in FIRMS], "李四")
        session.commit()
    created = cli("push", "create", "--as-of", DAY.isoformat(), "--district", "futian",
                  "--confirm-by", CONFIRM.isoformat(), "--workers", "0", "--by", "王科员")
    assert "push list 1 (draft), run 1" in created.output
    cli("push", "create", code=1)  # neither --run nor --as-of
    assert "firms notified" in cli("push", "publish", "1", "--by", "赵科长").output
    out = tmp_path / "名单.csv"
    cli("push", "export", "1", "--format", "csv", "--out", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    with sessions() as session:
        assert {(r["统一社会信用代码"], r["项目编号"]) for r in rows} == _expected(session, 1, "futian")
    rd = next(r for r in rows if r["项目编号"] == "futian.rd_input" and r["统一社会信用代码"] == CODES[0])
    assert (rd["预计金额（元）"], rd["预计金额（万元）"]) == ("320000.00", "32.00")
    assert "统计部门，2020-03-31" in rd["所用数据及来源"] and rd["名单状态"] == "列入（无需申请）"
    assert rd["发布（北京时间）"].endswith("赵科长")
    xlsx = tmp_path / "名单.xlsx"
    cli("push", "export", "1", "--format", "xlsx", "--out", xlsx, "--lang", "en")
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:2] == ["Unified social credit code", "Company name"]
    assert sheet.max_row == len(rows) + 1
    with sessions() as session:
        exports = session.scalars(select(AuditEntry).where(AuditEntry.action == "export",
                                                           AuditEntry.target == "push list 1")).all()
        assert len(exports) == 2
        with pytest.raises(PushListError):
            export_push_list(session, 9, "csv", io.BytesIO(), actor="x")
