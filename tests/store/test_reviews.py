"""A reviewer comments on, overrides (with a reason) or asks for materials on a decision: stored
beside the engine's decision, never over it, audited, and shown in every table export; a signed-
off run takes no more reviews; the sign-off keeps its comment."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.explain.clock import beijing_text
from engine.store.models import AuditEntry, DecisionRow, ProfileVersion, Run
from engine.store.results import ResultFilter, result_page, run_item_ids
from engine.store.reviews import ReviewError, add_review, reviews_of
from engine.store.run_export import export_table
from engine.store.runs import get_run
from engine.store.screening import RunError
from engine.store.signoffs import sign_off, signoff_of

from .test_screening import AS_OF


def _target(sessions: sessionmaker[Session]) -> tuple[int, str, DecisionRow]:
    """The first stored eligible decision: its profile id, "code|item" and row."""
    with sessions() as session:
        row = session.scalars(select(DecisionRow).where(DecisionRow.status == "eligible")
                              .order_by(DecisionRow.id)).first()
        assert row is not None
        code = session.get(ProfileVersion, row.profile_id).company_code
        item = run_item_ids(session, 1)[row.item]
        return row.profile_id, code + "|" + item, row


@pytest.fixture
def screened(cli: Callable[..., Result], applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(12), "--as-of", AS_OF, "--workers", "0")


@pytest.mark.parametrize(("action", "text", "status", "amount", "words"), [
    ("override", "  ", "ineligible", None, "改定理由"),
    ("override", "核查不符", None, None, "改定结果"),
    ("override", "核查不符", "may_apply", None, "改定结果"),
    ("override", "核查不符", "ineligible", "1000", "只有改定为符合条件才有金额"),
    ("override", "核查后金额", "eligible", "1.234", "两位小数"),
    ("override", "核查后金额", "eligible", "-1", "0 至"),
    ("override", "核查后金额", "eligible", "一万", "不是数字"),
    ("comment", "", None, None, "意见"),
    ("comment", "请核实", "eligible", None, "只有改定"),
    ("request_materials", "", None, None, "所需材料"),
    ("approve", "好", None, None, "unknown review action"),
])
def test_a_review_that_cannot_stand_is_refused_and_nothing_is_kept(
        screened: None, sessions: sessionmaker[Session], action: str, text: str,
        status: str | None, amount: str | None, words: str) -> None:
    pid, key, _ = _target(sessions)
    with sessions() as session:
        with pytest.raises(ReviewError) as error:
            add_review(session, 1, pid, key.split("|")[1], action, text, "审核员",
                       override_status=status, override_amount=amount)
        assert words in error.value.message
        assert reviews_of(session, 1, pid) == []
        assert session.scalar(select(AuditEntry).where(AuditEntry.action.like("review%"))) is None


def test_a_review_must_name_an_applicant_and_item_of_the_run(
        screened: None, sessions: sessionmaker[Session]) -> None:
    pid, key, _ = _target(sessions)
    with sessions() as session:
        with pytest.raises(ReviewError, match="did not decide item"):
            add_review(session, 1, pid, "futian.rd_inptu", "comment", "请核实", "审核员")
        with pytest.raises(ReviewError, match="was not decided in run"):
            add_review(session, 1, 10_000, key.split("|")[1], "comment", "请核实", "审核员")
        with pytest.raises(RunError):
            add_review(session, 99, pid, key.split("|")[1], "comment", "请核实", "审核员")


def _csv(sessions: sessionmaker[Session], **kw: object) -> list[dict[str, str]]:
    out = io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "csv", out, actor="test", **kw)  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def test_an_override_stands_beside_the_decision_and_every_export_shows_it(
        screened: None, sessions: sessionmaker[Session]) -> None:
    pid, key, before = _target(sessions)
    code, item = key.split("|")
    with sessions() as session:
        add_review(session, 1, pid, item, "request_materials", "请补充研发费用专项审计报告", "张审核")
        override = add_review(session, 1, pid, item, "override", "专项审计核减研发费用",
                              "张审核", override_status="eligible", override_amount="123,456.70")
        add_review(session, 1, pid, item, "comment", "已电话核实", "李复核")
        session.commit()
        at = override.at
        # The engine's decision is untouched.
        row = session.get(DecisionRow, before.id)
        assert (row.status, row.amount, row.outcomes) == (before.status, before.amount,
                                                          before.outcomes)
        actions = [e.action for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("review%")).order_by(AuditEntry.id))]
        assert actions == ["review_request_materials", "review_override", "review_comment"]
        logged = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "review_override")).one()
        assert logged.actor == "张审核" and logged.details["text"] == "专项审计核减研发费用"
        assert logged.details["override_amount"] == "123456.70" and logged.details["company"] == code
        last_at = reviews_of(session, 1, pid)[-1].at

    rows = _csv(sessions)
    reviewed = [r for r in rows if r["审核状态"]]
    assert len(reviewed) == 1
    mine = reviewed[0]
    assert (mine["统一社会信用代码"], mine["项目编号"]) == (code, item)
    assert mine["评估结果"] == "符合条件"  # the engine's outcome, beside the reviewer's
    assert mine["审核状态"] == "已批注"  # the latest action was a comment
    assert (mine["审核改定结果"], mine["审核改定金额（元）"], mine["改定理由"]) == (
        "符合条件", "123456.70", "专项审计核减研发费用")
    assert mine["审核意见或补充材料要求"] == "已电话核实" and mine["审核人"] == "李复核"
    assert mine["审核时间（北京时间）"] == beijing_text(last_at, label=False)
    assert beijing_text(at, label=False) <= mine["审核时间（北京时间）"]

    english = _csv(sessions, lang="en")
    assert [r["Review status"] for r in english if r["Review status"]] == ["commented"]

    out = io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "jsonl", out, actor="test", filters=ResultFilter(item=item))
    lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    review = next(line["review"] for line in lines if "review" in line)
    assert review["override_amount"] == "123456.70" and review["override_status"] == "eligible"
    assert review["at"].endswith("+08:00") and sum("review" in line for line in lines) == 1

    out = io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "outcomes", out, actor="test")
    outcomes = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    marked = [r for r in outcomes if r["审核状态"]]
    assert len(marked) == 1 and marked[0]["改定理由"] == "专项审计核减研发费用"
    assert Decimal(marked[0]["审核改定金额（元）"]) == Decimal("123456.70")

    out = io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "outcomes_jsonl", out, actor="test")
    lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    marked_lines = [line for line in lines if line["review"] is not None]
    assert [(m["company"]["credit_code"], m["item_id"]) for m in marked_lines] == [(code, item)]
    assert marked_lines[0]["review"]["override_amount"] == "123456.70"
    assert marked_lines[0]["review"]["override_reason"] == "专项审计核减研发费用"
    assert marked_lines[0]["review"]["at"].endswith("+08:00")


def test_exports_with_reviews_are_the_same_from_one_process_or_several(
        screened: None, sessions: sessionmaker[Session]) -> None:
    pid, key, _ = _target(sessions)
    with sessions() as session:
        add_review(session, 1, pid, key.split("|")[1], "override", "现场核查不符", "张审核",
                   override_status="ineligible")
        session.commit()
    outputs = []
    for workers in (1, 2):
        out = io.BytesIO()
        with sessions() as session:
            export_table(session, 1, "csv", out, actor="test", workers=workers)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] and "现场核查不符".encode() in outputs[0]


def test_a_signed_off_run_keeps_its_comment_and_takes_no_more_reviews(
        screened: None, sessions: sessionmaker[Session]) -> None:
    pid, key, _ = _target(sessions)
    with sessions() as session:
        run = get_run(session, 1)
        with pytest.raises(RunError, match="2000"):
            sign_off(session, run, "王科长", comment="很" * 2001)
        sign_off(session, run, "王科长", comment="  经集体研究，同意公示  ")
        session.commit()
        assert signoff_of(session, 1).comment == "经集体研究，同意公示"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off")).one()
        assert entry.details["comment"] == "经集体研究，同意公示"
        with pytest.raises(ReviewError, match="已签批"):
            add_review(session, 1, pid, key.split("|")[1], "comment", "补一句", "张审核")
        assert session.get(Run, 1).status == "complete"


def test_the_commands_review_and_sign_off_with_confirmation(
        screened: None, cli: Callable[..., Result], sessions: sessionmaker[Session]) -> None:
    pid, key, _ = _target(sessions)
    item = key.split("|")[1]
    assert "override recorded" in cli("runs", "review", "1", str(pid), item, "--action",
                                      "override", "--text", "核减", "--status", "eligible",
                                      "--amount", "1000", "--by", "张审核").output
    assert "改定理由" in cli("runs", "review", "1", str(pid), item, "--action", "override",
                             "--text", " ", "--status", "ineligible", code=1).output
    cli("runs", "sign-off", "1", "--comment", "同意", code=1)  # no confirmation given: aborted
    with sessions() as session:
        assert signoff_of(session, 1) is None
    done = cli("runs", "sign-off", "1", "--comment", "同意", "--yes", "--by", "王科长").output
    assert "signed off by 王科长" in done and "（北京时间）" in done


def test_the_results_page_shows_a_review_beside_the_engine_status(
        screened: None, sessions: sessionmaker[Session]) -> None:
    pid, key, row = _target(sessions)
    with sessions() as session:
        add_review(session, 1, pid, key.split("|")[1], "override", "核查不符", "张审核",
                   override_status="ineligible")
        session.commit()
        page = result_page(session, 1, ResultFilter(), per_page=500)
    reviewed = [r for r in page.rows if r.review is not None]
    assert [(r.id, r.status, r.review.state, r.review.override_status) for r in reviewed] == [
        (row.id, "eligible", "overridden", "ineligible")]
