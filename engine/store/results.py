"""One page of a run's decisions for the officials' results table: filtered by item, status and
district, sorted, paginated with LIMIT/OFFSET over indexed columns.

OFFSET rather than keyset: officials jump to page n and sort by several columns, and a run is at
most some 100,000 rows, where an indexed OFFSET page stays in the milliseconds (see the report in
docs/web.md). Rows are the decisions that depend on the applicant; the decisions that are the
same for every applicant (not in force, not assessable) are listed once. No explanation is
rebuilt here; the decision page rebuilds one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .models import Company, DecisionRow, ProfileVersion, RunItem
from .reviews import review_summaries

SORTS = {
    "id": (DecisionRow.id,),
    "company": (ProfileVersion.company_code, DecisionRow.item),
    "item": (DecisionRow.item, DecisionRow.id),
    "status": (DecisionRow.status, DecisionRow.id),
    "amount": (DecisionRow.amount.desc().nulls_last(), DecisionRow.id),
}


@dataclass(frozen=True)
class ResultFilter:
    item: str | None = None
    status: str | None = None
    district: str | None = None
    sort: str = "id"


@dataclass(frozen=True)
class ResultRow:
    id: int
    credit_code: str
    name: str | None
    district: str | None
    fiscal_year: int
    version: int
    item_id: str
    status: str
    amount: Decimal | None
    amount_is_ceiling: bool
    profile_id: int | None = None
    # The reviewers' actions on this decision (store.reviews), None when nobody acted: the table
    # shows the state and an override's outcome beside the engine's status.
    review: Any = None


@dataclass(frozen=True)
class StaticItem:
    item_id: str
    status: str
    title: dict[str, str]
    reason: dict[str, str] | None


@dataclass(frozen=True)
class ResultPage:
    rows: list[ResultRow]
    total: int
    page: int
    pages: int
    static: list[StaticItem] = field(default_factory=list)


def _filtered(run_id: int, f: ResultFilter, columns: Any, codes: dict[str, int],
              joined: bool = True) -> Select[Any]:
    """The filtered decisions; `joined=False` (a count without a district filter) skips the joins,
    which cannot change the count: every decision has its profile and company (foreign keys)."""
    query = select(*columns).select_from(DecisionRow).where(DecisionRow.run_id == run_id)
    if joined or f.district:
        query = (query.join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id)
                 .join(Company, Company.credit_code == ProfileVersion.company_code))
    if f.item:
        query = query.where(DecisionRow.item == codes.get(f.item, -1))
    if f.status:
        query = query.where(DecisionRow.status == f.status)
    if f.district:
        query = query.where(Company.district == f.district)
    return query


def result_page(session: Session, run_id: int, f: ResultFilter, page: int = 1,
                per_page: int = 50) -> ResultPage:
    """Rows of page `page` (from 1; past the end gives the last page) and the filtered total."""
    ids = run_item_ids(session, run_id)
    codes = {item_id: code for code, item_id in ids.items()}
    total = session.scalar(_filtered(run_id, f, (func.count(),), codes, joined=False)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    columns = (DecisionRow.id, ProfileVersion.company_code, Company.name, Company.district,
               ProfileVersion.fiscal_year, ProfileVersion.version, DecisionRow.item,
               DecisionRow.status, DecisionRow.amount, DecisionRow.amount_is_ceiling,
               DecisionRow.profile_id)
    query = (_filtered(run_id, f, columns, codes).order_by(*SORTS.get(f.sort, SORTS["id"]))
             .limit(per_page).offset((page - 1) * per_page))
    rows = [ResultRow(*row[:6], ids[row[6]], *row[7:]) for row in session.execute(query)]
    reviews = review_summaries(session, run_id, sorted({r.profile_id for r in rows if r.profile_id}))
    rows = [replace(r, review=reviews.get((r.profile_id, r.item_id))) if reviews else r for r in rows]
    return ResultPage(rows, total, page, pages, static_items(session, run_id))


def run_item_ids(session: Session, run_id: int) -> dict[int, str]:
    """Item number in the run -> item id."""
    return dict(session.execute(select(RunItem.code, RunItem.item_id).where(
        RunItem.run_id == run_id)).all())


def static_items(session: Session, run_id: int) -> list[StaticItem]:
    """The run's decisions that are the same for every applicant (not in force, not assessable
    on the run's date), stored once: the results page lists them once, above the rows."""
    rows = session.execute(select(RunItem.item_id, RunItem.decision).where(
        RunItem.run_id == run_id, RunItem.static).order_by(RunItem.code)).all()
    return [StaticItem(item_id, d["status"], d["title"], d.get("reason")) for item_id, d in rows]
