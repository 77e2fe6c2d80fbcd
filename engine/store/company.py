"""One company across time: its profile versions (what changed from one to the next, who entered
it, from where) and every run that screened it, with the decisions and the reviewers' actions.

Read from what the runs stored (no explanation is rebuilt here; the decision page rebuilds one),
so the page costs a few indexed queries however many runs there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import SubsidyError

from .models import (
    Company,
    DecisionRow,
    ProfileVersion,
    Run,
    RunErrorRow,
    RunItem,
    RunProfile,
    RunSignoff,
)
from .reviews import ReviewSummary, review_summaries


class UnknownCompany(SubsidyError):
    code = "unknown_company"


@dataclass(frozen=True)
class VersionInfo:
    id: int
    fiscal_year: int
    version: int
    source: str  # self_declared | verified
    origin: str | None  # e.g. the imported list's name; None: a form, or stored before 0005
    entered_by: str
    created_at: dt.datetime
    changed: tuple[str, ...]  # fields that differ from the previous version of the same year


@dataclass(frozen=True)
class CompanyDecision:
    item_id: str
    title: dict[str, str]
    status: str
    amount: Decimal | None
    amount_is_ceiling: bool
    receivable: bool | None
    review: ReviewSummary | None = None


@dataclass(frozen=True)
class CompanyRun:
    run_id: int
    as_of: dt.date
    status: str
    started_at: dt.datetime
    signed_off: bool
    profile_id: int
    fiscal_year: int
    version: int
    error: str | None  # the run could not decide this applicant: why
    decisions: list[CompanyDecision] = field(default_factory=list)  # items that depend on it
    static: int = 0  # items decided alike for every applicant (not in force, not assessable)


@dataclass(frozen=True)
class CompanyHistory:
    credit_code: str
    name: str | None
    district: str | None
    versions: list[VersionInfo]  # newest first
    runs: list[CompanyRun]  # newest first


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[str, ...]:
    """The facts that differ between two stored versions (provenance included), sorted."""
    if before is None:
        return ()
    names = set(before) | set(after)
    return tuple(sorted(n for n in names if before.get(n) != after.get(n)))


def _versions(session: Session, code: str) -> list[VersionInfo]:
    rows = session.scalars(select(ProfileVersion).where(ProfileVersion.company_code == code)
                           .order_by(ProfileVersion.fiscal_year, ProfileVersion.version)).all()
    previous: dict[int, dict[str, Any]] = {}
    out = []
    for row in rows:
        out.append(VersionInfo(row.id, row.fiscal_year, row.version, row.source, row.origin,
                               row.entered_by, row.created_at,
                               changed_fields(previous.get(row.fiscal_year), row.data)))
        previous[row.fiscal_year] = row.data
    return out[::-1]


def company_history(session: Session, credit_code: str, runs_limit: int = 50) -> CompanyHistory:
    """The company's versions and its `runs_limit` latest runs.

    Raises:
        UnknownCompany: no company with this credit code is stored.
    """
    code = credit_code.strip().upper()
    company = session.get(Company, code)
    if company is None:
        raise UnknownCompany(f"没有统一社会信用代码为 {code} 的企业 no company {code} is stored",
                             company=code)
    screened = session.execute(
        select(Run, RunProfile.profile_id, ProfileVersion.fiscal_year, ProfileVersion.version,
               RunSignoff.run_id.is_not(None), RunErrorRow.reason)
        .join(RunProfile, RunProfile.run_id == Run.id)
        .join(ProfileVersion, ProfileVersion.id == RunProfile.profile_id)
        .outerjoin(RunSignoff, RunSignoff.run_id == Run.id)
        .outerjoin(RunErrorRow, (RunErrorRow.run_id == Run.id)
                   & (RunErrorRow.profile_id == RunProfile.profile_id))
        .where(ProfileVersion.company_code == code)
        .order_by(Run.id.desc(), RunProfile.profile_id).limit(runs_limit)).all()
    runs = [_company_run(session, *row) for row in screened]
    return CompanyHistory(code, company.name, company.district, _versions(session, code), runs)


def _company_run(session: Session, run: Run, profile_id: int, year: int, version: int,
                 signed: bool, error: str | None) -> CompanyRun:
    items = {code: (item_id, static, decision["title"]) for code, item_id, static, decision in
             session.execute(select(RunItem.code, RunItem.item_id, RunItem.static, RunItem.decision)
                             .where(RunItem.run_id == run.id))}
    reviews = review_summaries(session, run.id, [profile_id])
    decided = session.execute(
        select(DecisionRow.item, DecisionRow.status, DecisionRow.amount,
               DecisionRow.amount_is_ceiling, DecisionRow.receivable)
        .where(DecisionRow.run_id == run.id, DecisionRow.profile_id == profile_id)
        .order_by(DecisionRow.item)).all()
    decisions = [CompanyDecision(items[item][0], items[item][2], status, amount, ceiling, receivable,
                                 reviews.get((profile_id, items[item][0])))
                 for item, status, amount, ceiling, receivable in decided]
    static = 0 if error else sum(1 for _, is_static, _ in items.values() if is_static)
    return CompanyRun(run.id, run.as_of, run.status, run.started_at, bool(signed), profile_id,
                      year, version, error, decisions, static)
