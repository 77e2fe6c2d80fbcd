"""免申即享 push lists: the firms a complete run found eligible, with a computed amount, for items
they need not apply for; reviewed by an official, published, and then told in their accounts.

Only eligible decisions with a computed amount are listed: an amount known only as a ceiling, a
may-apply item (conditions not fully published), an item a stacking group does not pay, and an
undetermined one are never presented as "eligible". A decision a reviewer overrode to another
outcome is listed as excluded, with the override's reason. Each entry carries the facts its
decision used with their provenance (store.provenance), read from the decision rebuilt from the
run's stored rules (so it is the decision's own). Creating, excluding, restoring and publishing
are audited; a published list is read-only.

A reviewer's latest override is carried into the entry beside the engine's decision: its
status, amount, reason and reviewer. An override to eligible with an amount lists a decision the
engine did not (and the firm is told the override's amount); one to another outcome excludes it.
The notices themselves are store.notices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import SubsidyError
from engine.rules.loader import catalog_from_sources, load_catalog

from . import audit
from .base import utcnow
from .models import (
    REASON_MAX,
    CatalogVersion,
    Company,
    DecisionReview,
    DecisionRow,
    FirmNotice,
    ProfileVersion,
    PushEntry,
    PushList,
    Run,
)
from .notices import notice_message
from .provenance import facts_used
from .rebuild import CompactRow, RunExplainer
from .reviews import review_summaries
from .runs import get_run
from .screening import check_items, process_run, select_all, start_run

APPLICANTS = 200  # applicants rebuilt at a time


class PushListError(SubsidyError):
    code = "push_list_error"


def get_push_list(session: Session, list_id: int) -> PushList:
    row = session.get(PushList, list_id)
    if row is None:
        raise PushListError(f"没有推送名单 {list_id} no push list {list_id}", list=list_id)
    return row


def _candidates(run: Run, codes: dict[str, int], district: str | None,
                items: list[str] | None) -> Select[Any]:
    query = (select(DecisionRow.profile_id, DecisionRow.id, DecisionRow.item, DecisionRow.status,
                    DecisionRow.amount, DecisionRow.amount_is_ceiling, DecisionRow.receivable,
                    DecisionRow.outcomes)
             .join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id)
             .join(Company, Company.credit_code == ProfileVersion.company_code)
             .where(DecisionRow.run_id == run.id, DecisionRow.status == "eligible",
                    DecisionRow.amount.is_not(None), ~DecisionRow.amount_is_ceiling,
                    or_(DecisionRow.receivable.is_(None), DecisionRow.receivable))
             .order_by(ProfileVersion.company_code, DecisionRow.profile_id, DecisionRow.item))
    if district:
        query = query.where(Company.district == district)
    if items:
        query = query.where(DecisionRow.item.in_([codes[i] for i in items if i in codes]))
    return query


def _overridden_in(session: Session, run: Run, codes: dict[str, int], district: str | None,
                   items: list[str] | None) -> Iterator[tuple[int, CompactRow]]:
    """Decisions the engine does not list (not eligible, a ceiling only, not paid) whose latest
    override makes them eligible with an amount: the reviewer's outcome puts them on the list."""
    query = (select(DecisionReview.profile_id).distinct()
             .join(ProfileVersion, ProfileVersion.id == DecisionReview.profile_id)
             .join(Company, Company.credit_code == ProfileVersion.company_code)
             .where(DecisionReview.run_id == run.id, DecisionReview.action == "override"))
    if district:
        query = query.where(Company.district == district)
    if items:
        query = query.where(DecisionReview.item_id.in_(items))
    pids = list(session.scalars(query))
    wanted = {(pid, codes[item]) for (pid, item), s in review_summaries(session, run.id, pids).items()
              if s.override_status == "eligible" and s.override_amount is not None
              and item in codes and (not items or item in items)}
    if not wanted:
        return
    for pid, *values in session.execute(
            select(DecisionRow.profile_id, DecisionRow.id, DecisionRow.item, DecisionRow.status,
                   DecisionRow.amount, DecisionRow.amount_is_ceiling, DecisionRow.receivable,
                   DecisionRow.outcomes)
            .where(DecisionRow.run_id == run.id,
                   DecisionRow.profile_id.in_(sorted({p for p, _ in wanted})))):
        if (pid, values[1]) in wanted:
            yield pid, CompactRow(*values)


def _listable(row: CompactRow) -> bool:
    """The engine itself lists it: eligible, a computed amount, and paid."""
    return (row.status == "eligible" and row.amount is not None and not row.amount_is_ceiling
            and row.receivable is not False)


def _catalog_of(session: Session, run: Run) -> Any:
    row = session.get(CatalogVersion, run.catalog_hash)
    if row is not None and row.sources:
        return catalog_from_sources(row.sources)
    current = load_catalog()
    if current.version != run.catalog_hash:
        raise PushListError(f"批次{run.id}的规则未保存 the rules of run {run.id} are not stored",
                            run=run.id)
    return current


def create_push_list(session: Session, run_id: int, by: str, district: str | None = None,
                     items: list[str] | None = None,
                     confirm_by: dt.date | None = None) -> PushList:
    """A draft list from a complete run, in the caller's transaction.

    Raises:
        PushListError: the run is not complete, or a confirmation date before the run's date.
        RunError: no such run, or an unknown item.
    """
    run = get_run(session, run_id)
    if run.status != "complete":
        raise PushListError(f"批次{run.id}尚未完成 run {run.id} is {run.status}: a push list needs "
                            "every applicant decided", run=run.id)
    if confirm_by is not None and confirm_by < run.as_of:
        raise PushListError("确认截止日期早于评估日期 the confirmation date is before the run's date",
                            run=run.id)
    catalog = _catalog_of(session, run)
    check_items(catalog, items)
    push = PushList(run_id=run.id, district=district or None, items=items or None,
                    confirm_by=confirm_by, status="draft", created_by=by)
    session.add(push)
    session.flush()
    explainer = RunExplainer(session, run)
    rows: dict[int, list[CompactRow]] = {}
    for pid, *values in session.execute(_candidates(run, explainer.codes, district, items)):
        rows.setdefault(pid, []).append(CompactRow(*values))
    for pid, row in _overridden_in(session, run, explainer.codes, district, items):
        if all(r.code != row.code for r in rows.get(pid, [])):
            rows.setdefault(pid, []).append(row)
    pids = list(rows)
    listed = 0
    for start in range(0, len(pids), APPLICANTS):
        chunk = pids[start:start + APPLICANTS]
        entries = list(_entries(session, explainer, catalog, push, chunk, rows))
        if entries:
            session.execute(insert(PushEntry), entries)
        listed += sum(not e["excluded"] for e in entries)
    audit.record(session, by, "push_create", f"push list {push.id}", run=run.id,
                 district=district, items=items, listed=listed,
                 confirm_by=confirm_by.isoformat() if confirm_by else None)
    return push


def _entries(session: Session, explainer: RunExplainer, catalog: Any, push: PushList,
             pids: list[int], rows: dict[int, list[CompactRow]]) -> Iterator[dict[str, Any]]:
    versions = {v.id: v for v in session.scalars(select(ProfileVersion).where(
        ProfileVersion.id.in_(pids)))}
    reviews = review_summaries(session, explainer.run.id, pids)
    all_rows = _all_rows(session, explainer.run.id, pids)
    for pid in pids:
        version = versions[pid]
        decisions = {d.item_id: d for d in explainer.decisions(pid, version.data, all_rows[pid])}
        for row in rows[pid]:
            item_id = explainer.item_ids[row.code]
            decision = decisions[item_id]
            review = reviews.get((pid, item_id))
            override = review if review is not None and review.override_status else None
            overridden = override is not None and override.override_status != "eligible"
            yield {"list_id": push.id, "profile_id": pid, "company_code": version.company_code,
                   "item_id": item_id, "title": {"zh": decision.title.zh, "en": decision.title.en},
                   "amount": row.amount if _listable(row) else None,
                   "engine_status": row.status,
                   "override_status": override and override.override_status,
                   "override_amount": override and override.override_amount,
                   "override_reason": override and (override.override_reason or "")[:REASON_MAX],
                   "override_by": override and override.override_by,
                   "facts": facts_used(decision, version, version.data, catalog,
                                       explainer.run.as_of),
                   "excluded": overridden,
                   "exclude_reason": (f"审核改定为 overridden to {override.override_status}："
                                      f"{override.override_reason}"[:REASON_MAX]
                                      if overridden and override else None)}


def _all_rows(session: Session, run_id: int, pids: list[int]) -> dict[int, list[CompactRow]]:
    """Every stored decision of these applicants (a rebuild checks all of them)."""
    out: dict[int, list[CompactRow]] = {pid: [] for pid in pids}
    for pid, *values in session.execute(
            select(DecisionRow.profile_id, DecisionRow.id, DecisionRow.item, DecisionRow.status,
                   DecisionRow.amount, DecisionRow.amount_is_ceiling, DecisionRow.receivable,
                   DecisionRow.outcomes)
            .where(DecisionRow.run_id == run_id, DecisionRow.profile_id.in_(pids))
            .order_by(DecisionRow.profile_id, DecisionRow.item)):
        out[pid].append(CompactRow(*values))
    return out


def screen_for_push_list(make_session: sessionmaker[Session], as_of: dt.date, by: str, *,
                         district: str | None = None, items: list[str] | None = None,
                         confirm_by: dt.date | None = None, workers: int | None = None) -> int:
    """Screen every stored firm (its latest version, as `subsidy screen --all`) on the round's
    date, then make the draft list from that run; commits both. Returns the list's id."""
    with make_session() as session:
        catalog = load_catalog()
        check_items(catalog, items)
        run = start_run(session, catalog, select_all(session, as_of), as_of, items, by, "all")
        session.commit()
        run_id = run.id
    process_run(make_session, run_id, workers=workers)
    with make_session() as session:
        push = create_push_list(session, run_id, by, district, items, confirm_by)
        session.commit()
        return push.id


def _draft_entry(session: Session, list_id: int, entry_id: int) -> PushEntry:
    push = get_push_list(session, list_id)
    if push.status != "draft":
        raise PushListError(f"推送名单{list_id}已发布 push list {list_id} is published", list=list_id)
    entry = session.get(PushEntry, entry_id)
    if entry is None or entry.list_id != list_id:
        raise PushListError(f"名单{list_id}中没有条目{entry_id} no entry {entry_id} in push list "
                            f"{list_id}", list=list_id, entry=entry_id)
    return entry


def exclude_entry(session: Session, list_id: int, entry_id: int, by: str, reason: str) -> PushEntry:
    """Take an entry off the draft list; the reason is required and audited."""
    reason = (reason or "").strip()
    if not reason:
        raise PushListError("请填写移出名单的理由 give the reason for taking it off the list",
                            field="reason")
    entry = _draft_entry(session, list_id, entry_id)
    entry.excluded, entry.exclude_reason = True, reason[:REASON_MAX]
    audit.record(session, by, "push_exclude", f"push list {list_id}", entry=entry_id,
                 company=entry.company_code, item=entry.item_id, reason=reason)
    return entry


def restore_entry(session: Session, list_id: int, entry_id: int, by: str) -> PushEntry:
    entry = _draft_entry(session, list_id, entry_id)
    entry.excluded, entry.exclude_reason = False, None
    audit.record(session, by, "push_restore", f"push list {list_id}", entry=entry_id,
                 company=entry.company_code, item=entry.item_id)
    return entry


def publish_push_list(session: Session, list_id: int, by: str) -> int:
    """Publish a reviewed draft: one notice per listed firm, in the caller's transaction.

    Returns:
        The number of firms notified.

    Raises:
        PushListError: already published, or nothing listed.
    """
    push = get_push_list(session, list_id)
    if push.status != "draft":
        raise PushListError(f"推送名单{list_id}已发布 push list {list_id} is already published",
                            list=list_id)
    per_firm: dict[str, list[dict[str, Any]]] = {}
    for entry in session.scalars(select(PushEntry).where(PushEntry.list_id == list_id,
                                                         ~PushEntry.excluded)
                                 .order_by(PushEntry.company_code, PushEntry.item_id)):
        if entry.payable is None:  # never listed so; a guard, not a case
            continue
        per_firm.setdefault(entry.company_code, []).append(
            {"item_id": entry.item_id, "title": entry.title, "amount": format(entry.payable, "f"),
             "overridden": entry.override_amount is not None})
    if not per_firm:
        raise PushListError(f"推送名单{list_id}没有可发布的企业 push list {list_id} lists no firm",
                            list=list_id)
    now = utcnow()
    session.execute(insert(FirmNotice), [
        {"company_code": code, "list_id": list_id, "items": items, "confirm_by": push.confirm_by,
         "message": notice_message(items, push.confirm_by), "created_at": now}
        for code, items in per_firm.items()])
    push.status, push.published_by, push.published_at = "published", by, now
    audit.record(session, by, "push_publish", f"push list {list_id}", run=push.run_id,
                 firms=len(per_firm), entries=sum(len(v) for v in per_firm.values()))
    return len(per_firm)


def push_entries(session: Session, list_id: int) -> Iterator[dict[str, Any]]:
    """The list's entries with their companies, by company and item: what exports write."""
    get_push_list(session, list_id)
    query = (select(PushEntry, Company.name, Company.district, ProfileVersion.fiscal_year,
                    ProfileVersion.version)
             .join(Company, Company.credit_code == PushEntry.company_code)
             .join(ProfileVersion, ProfileVersion.id == PushEntry.profile_id)
             .where(PushEntry.list_id == list_id)
             .order_by(PushEntry.company_code, PushEntry.item_id))
    for entry, name, district, year, version in session.execute(
            query.execution_options(yield_per=500)):
        yield {"id": entry.id, "credit_code": entry.company_code, "name": name,
               "district": district, "fiscal_year": year, "profile_version": version,
               "item_id": entry.item_id, "title": entry.title, "amount": entry.amount,
               "facts": entry.facts, "excluded": entry.excluded,
               "exclude_reason": entry.exclude_reason, "engine_status": entry.engine_status,
               "override_status": entry.override_status,
               "override_amount": entry.override_amount,
               "override_reason": entry.override_reason, "override_by": entry.override_by,
               "payable": entry.payable}


def list_meta(session: Session, list_id: int) -> dict[str, Any]:
    """What every export of the list states: list, run, date, rules, status, who published."""
    push = get_push_list(session, list_id)
    run = get_run(session, push.run_id)
    return {"list_id": push.id, "run_id": run.id, "as_of": run.as_of,
            "rules_version": run.catalog_hash, "status": push.status,
            "district": push.district, "confirm_by": push.confirm_by,
            "published_by": push.published_by, "published_at": push.published_at}
