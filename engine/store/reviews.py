"""Reviewers' actions on a run's decisions: a comment, an override with its mandatory reason, or a
request for materials, each audited.

An override never rewrites the engine's decision: it is a row of its own beside it, and every
page and export shows both, the engine's outcome and the reviewer's, with who and when. A signed-
off run is read-only, so nothing is reviewed after the sign-off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from engine.errors import SubsidyError
from engine.facts import bounds

from . import audit
from .models import (
    REASON_MAX,
    REVIEW_ACTIONS,
    DecisionReview,
    ProfileVersion,
    Run,
    RunErrorRow,
    RunItem,
    RunProfile,
)
from .screening import RunError
from .signoffs import signoff_of

# What a reviewer may set: a decided outcome. "may_apply" and the static statuses describe what
# the sources publish, which a reviewer cannot change.
OVERRIDE_STATUSES = ("eligible", "ineligible", "undetermined")
STATES = {"comment": "commented", "override": "overridden", "request_materials": "materials_requested"}


class ReviewError(SubsidyError):
    """A review action that cannot be recorded: say why, keep nothing."""

    code = "bad_review"


@dataclass(frozen=True)
class ReviewSummary:
    """One decision's reviews as exports and the results table show them."""

    state: str  # the latest action: commented | overridden | materials_requested
    override_status: str | None  # the latest override's outcome, if any override was made
    override_amount: Decimal | None
    override_reason: str | None
    note: str | None  # the latest comment or request for materials
    by: str  # who made the latest action, and when (UTC; shown in Beijing time)
    at: dt.datetime
    actions: int
    override_by: str | None = None  # who made the latest override (push lists carry it)


def _amount(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ReviewError(f"改定金额不是数字 the overriding amount is not a number: {value}",
                          field="override_amount") from None
    if not amount.is_finite() or amount < 0 or amount > bounds.MONEY_MAX:
        raise ReviewError("改定金额应为 0 至 10^13 元 the overriding amount must be 0 to 10^13 yuan",
                          field="override_amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ReviewError("改定金额最多保留两位小数（分）the overriding amount has at most two "
                          "decimal places", field="override_amount")
    return amount.quantize(Decimal("0.01"))


def _check(action: str, text: str, status: str | None, amount: Decimal | None) -> None:
    if action not in REVIEW_ACTIONS:
        raise ReviewError(f"unknown review action `{action}` (one of {', '.join(REVIEW_ACTIONS)})",
                          field="action")
    if not text:
        what = {"comment": "意见 a comment", "override": "改定理由 a reason for the override",
                "request_materials": "所需材料 the materials requested"}[action]
        raise ReviewError(f"请填写{what}", field="text")
    if len(text) > REASON_MAX:
        raise ReviewError(f"最多{REASON_MAX}字 at most {REASON_MAX} characters", field="text")
    if action != "override" and (status is not None or amount is not None):
        raise ReviewError("只有改定才有结果和金额 only an override sets an outcome or amount",
                          field="override_status")
    if action == "override" and status not in OVERRIDE_STATUSES:
        raise ReviewError(f"改定结果应为 the overriding outcome must be one of "
                          f"{', '.join(OVERRIDE_STATUSES)}", field="override_status")
    if amount is not None and status != "eligible":
        raise ReviewError("只有改定为符合条件才有金额 only an override to eligible carries an amount",
                          field="override_amount")


def _check_target(session: Session, run_id: int, profile_id: int, item_id: str) -> str:
    """The applicant's credit code, once the run, applicant and item are known to belong together."""
    run = session.get(Run, run_id)
    if run is None:
        raise RunError(f"no run {run_id}", run=run_id)
    if signoff_of(session, run.id) is not None:
        raise ReviewError(f"批次{run.id}已签批，不可再审核 run {run.id} is signed off and read-only",
                          run=run.id)
    code = session.scalar(
        select(ProfileVersion.company_code).join(RunProfile, RunProfile.profile_id == ProfileVersion.id)
        .where(RunProfile.run_id == run.id, RunProfile.profile_id == profile_id, RunProfile.done,
               ~exists().where(RunErrorRow.run_id == run.id, RunErrorRow.profile_id == profile_id)))
    if code is None:
        raise ReviewError(f"批次{run.id}中没有已评估的档案{profile_id} profile {profile_id} was not "
                          f"decided in run {run.id}", run=run.id, profile=profile_id)
    if session.scalar(select(RunItem.code).where(RunItem.run_id == run.id,
                                                 RunItem.item_id == item_id)) is None:
        raise ReviewError(f"批次{run.id}未评估项目 run {run.id} did not decide item `{item_id}`",
                          run=run.id, item=item_id)
    return code


def add_review(session: Session, run_id: int, profile_id: int, item_id: str, action: str,
               text: str, by: str, override_status: str | None = None,
               override_amount: Decimal | str | None = None) -> DecisionReview:
    """Record one reviewer action and its audit entry in the caller's transaction.

    Args:
        action: comment | override | request_materials.
        text: the comment, the override's reason, or the materials requested (required).
        override_status, override_amount: what the override sets (override only; an amount only
            with "eligible").

    Raises:
        ReviewError: the action, its text, outcome or amount is not acceptable, the run is signed
            off, or the applicant or item is not in the run. RunError: no such run.
    """
    text = (text or "").strip()
    amount = _amount(override_amount)
    status = override_status or None
    _check(action, text, status, amount)
    code = _check_target(session, run_id, profile_id, item_id)
    row = DecisionReview(run_id=run_id, profile_id=profile_id, item_id=item_id, action=action,
                         text=text, override_status=status, override_amount=amount, by=by)
    session.add(row)
    audit.record(session, by, f"review_{action}", f"run {run_id}", profile=profile_id,
                 company=code, item=item_id, text=text, override_status=status,
                 override_amount=None if amount is None else format(amount, "f"))
    session.flush()
    return row


def reviews_of(session: Session, run_id: int, profile_id: int,
               item_id: str | None = None) -> list[DecisionReview]:
    """One applicant's review actions in a run, oldest first (the decision page's history)."""
    query = select(DecisionReview).where(DecisionReview.run_id == run_id,
                                         DecisionReview.profile_id == profile_id)
    if item_id is not None:
        query = query.where(DecisionReview.item_id == item_id)
    return list(session.scalars(query.order_by(DecisionReview.at, DecisionReview.id)))


def summarise(rows: Iterable[DecisionReview]) -> ReviewSummary | None:
    """The summary of one decision's actions, given oldest first."""
    rows = list(rows)
    if not rows:
        return None
    last = rows[-1]
    override = next((r for r in reversed(rows) if r.action == "override"), None)
    note = next((r for r in reversed(rows) if r.action != "override"), None)
    return ReviewSummary(STATES[last.action], override and override.override_status,
                         override and override.override_amount, override and override.text,
                         note and note.text, last.by, last.at, len(rows),
                         override and override.by)


def review_summaries(session: Session, run_id: int,
                     profile_ids: list[int]) -> dict[tuple[int, str], ReviewSummary]:
    """(profile id, item id) -> its review summary, for the applicants given (one query)."""
    grouped: dict[tuple[int, str], list[DecisionReview]] = {}
    for start in range(0, len(profile_ids), 500):
        for row in session.scalars(
                select(DecisionReview).where(DecisionReview.run_id == run_id,
                                             DecisionReview.profile_id.in_(profile_ids[start:start + 500]))
                .order_by(DecisionReview.at, DecisionReview.id)):
            grouped.setdefault((row.profile_id, row.item_id), []).append(row)
    return {key: summary for key, rows in grouped.items() if (summary := summarise(rows))}
