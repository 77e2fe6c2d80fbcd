"""Reading runs back: their list, their records for exports, their decisions for diffs and
budgets, all streamed (yield_per) so that a run of any size fits in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.decide.decision import Decision
from engine.decide.static import STATIC_STATUSES
from engine.explain.decision_json import decision_to_dict
from engine.export.budget import BudgetGroup, budget_impact_of_groups
from engine.export.outcomes_csv import OutcomeRow

from .catalogs import budget_lines
from .diff import Change, Key, diff_streams, with_criteria
from .models import (
    CatalogVersion,
    Company,
    DecisionRow,
    ProfileVersion,
    Run,
    RunErrorRow,
    RunItem,
    RunProfile,
)
from .rebuild import CompactRow, RunExplainer
from .results import ResultFilter
from .reviews import ReviewSummary, review_summaries
from .screening import RunError

STREAM = 500  # rows fetched at a time


def get_run(session: Session, run_id: int) -> Run:
    run = session.get(Run, run_id)
    if run is None:
        raise RunError(f"no run {run_id}", run=run_id)
    return run


def list_runs(session: Session, limit: int = 50) -> list[Run]:
    return list(session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)))


def run_metadata(session: Session, run_id: int) -> dict[str, Any]:
    """What every export of the run must state: rules version, as-of date, run id."""
    run = get_run(session, run_id)
    return {"rules_version": run.catalog_hash, "as_of": run.as_of, "run_id": run.id}


APPLICANTS = 200  # applicants rebuilt at a time for exports


def _compact_columns() -> tuple[Any, ...]:
    return (DecisionRow.profile_id, DecisionRow.id, DecisionRow.item, DecisionRow.status,
            DecisionRow.amount, DecisionRow.amount_is_ceiling, DecisionRow.receivable,
            DecisionRow.outcomes)


def _compact_rows(session: Session, run_id: int,
                  profile_ids: list[int]) -> dict[int, list[CompactRow]]:
    rows: dict[int, list[CompactRow]] = {pid: [] for pid in profile_ids}
    query = (select(*_compact_columns())
             .where(DecisionRow.run_id == run_id, DecisionRow.profile_id.in_(profile_ids))
             .order_by(DecisionRow.profile_id, DecisionRow.item))
    for pid, *values in session.execute(query):
        rows[pid].append(CompactRow(*values))
    return rows


def _decided_applicants(run_id: int, company: str | None, f: ResultFilter | None = None,
                        codes: dict[str, int] | None = None, static: set[str] | None = None) -> Any:
    """The run's decided applicants (not its errors) by company, with what exports show; with a
    filter, those with at least one decision it keeps."""
    failed = exists().where(RunErrorRow.run_id == run_id,
                            RunErrorRow.profile_id == RunProfile.profile_id)
    query = (
        select(Company.credit_code, ProfileVersion.fiscal_year, ProfileVersion.id, Company.name,
               Company.district, ProfileVersion.version, ProfileVersion.data)
        .select_from(RunProfile)
        .join(ProfileVersion, ProfileVersion.id == RunProfile.profile_id)
        .join(Company, Company.credit_code == ProfileVersion.company_code)
        .where(RunProfile.run_id == run_id, RunProfile.done, ~failed)
    )
    if company is not None:
        query = query.where(Company.credit_code == company.strip().upper())
    if f is not None and f.district:
        query = query.where(Company.district == f.district)
    if f is not None and (f.item or f.status) and not (f.item in (static or ()) or
                                                       f.status in STATIC_STATUSES):
        # Only a decision row can keep the applicant: ask the database which have one.
        kept = exists().where(DecisionRow.run_id == run_id,
                              DecisionRow.profile_id == RunProfile.profile_id)
        if f.item:
            kept = kept.where(DecisionRow.item == (codes or {}).get(f.item, -1))
        if f.status:
            kept = kept.where(DecisionRow.status == f.status)
        query = query.where(kept)
    return query


def _applicant_pages(session: Session, run_id: int, company: str | None,
                     f: ResultFilter | None) -> tuple[RunExplainer, set[str], Iterator[list[Any]]]:
    """The run's explainer, its static item ids, and its decided applicants in pages of
    APPLICANTS rows (by company, fiscal year, profile): memory stays flat in the run's size.

    Raises:
        RunError: no such run.
    """
    run = get_run(session, run_id)
    explainer = RunExplainer(session, run)
    static = {explainer.item_ids[code] for code in explainer.static}
    base = _decided_applicants(run_id, company, f, explainer.codes, static)
    return explainer, static, _ordered_pages(session, base, APPLICANTS)


def _ordered_pages(session: Session, query: Any, size: int) -> Iterator[list[Any]]:
    """The query's rows in the exports' order, `size` at a time, from one streamed query.

    One query sorted once, not a keyset page query per page: the order spans two tables (company
    code, fiscal year, profile id), so no index serves it and each page query sorted the whole
    run again (at 100,000 applicants 0.3 s a page, most of an outcomes export's time). The other
    queries of a page (its decisions, reviews) run on the same connection while the cursor is
    open, which SQLite and PostgreSQL's server-side cursors both allow within a transaction."""
    result = session.execute(query.order_by(*_ORDER).execution_options(yield_per=size))
    for page in result.partitions(size):
        yield list(page)


def iter_applicant_decisions(session: Session, run_id: int, company: str | None = None,
                             f: ResultFilter | None = None,
                             ) -> Iterator[tuple[dict[str, Any], int, list[Decision]]]:
    """(company, profile version, decisions rebuilt with their explanations) per applicant, by
    company, streamed a few hundred applicants at a time (memory stays flat in the run's size).
    A filter keeps the applicants with a decision it keeps, and those decisions.

    Raises:
        RunError: no such run. ReproductionError: a decision cannot be rebuilt as it was made.
    """
    explainer, _static, chunks = _applicant_pages(session, run_id, company, f)
    for chunk in chunks:
        yield from _decide_chunk(session, explainer, chunk, f)


_ORDER = (Company.credit_code, ProfileVersion.fiscal_year, ProfileVersion.id)


def _decide_chunk(session: Session, explainer: RunExplainer, chunk: list[Any],
                  f: ResultFilter | None) -> Iterator[tuple[dict[str, Any], int, list[Decision]]]:
    for _pid, who, version, decisions in _decide_chunk_ids(session, explainer, chunk, f):
        yield who, version, decisions


def _decide_chunk_ids(session: Session, explainer: RunExplainer, chunk: list[Any],
                      f: ResultFilter | None,
                      ) -> Iterator[tuple[int, dict[str, Any], int, list[Decision]]]:
    rows = _compact_rows(session, explainer.run.id, [pid for _, _, pid, *_ in chunk])
    for code, _year, pid, name, district, version, data in chunk:
        who = {"credit_code": code, "name": data.get("name") or name,
               "district": data.get("registered_district") or district}
        decisions = explainer.decisions(pid, data, rows[pid])
        if f is not None:
            decisions = [d for d in decisions if (not f.item or d.item_id == f.item)
                         and (not f.status or d.status == f.status)]
        if decisions:
            yield pid, who, version, decisions


def _chunk_records(session: Session, explainer: RunExplainer, chunk: list[Any],
                   f: ResultFilter | None, static: set[str]) -> Iterator[dict[str, Any]]:
    """Export records of these applicants, each decision with its reviewers' actions (if any)."""
    reviews = review_summaries(session, explainer.run.id, [row[2] for row in chunk])
    for pid, who, version, decisions in _decide_chunk_ids(session, explainer, chunk, f):
        for decision in decisions:
            record = {"company": who, "profile_version": version, "decision": decision,
                      "shared": decision.item_id in static}
            review = reviews.get((pid, decision.item_id))
            if review is not None:
                record["review"] = review_record(review)
            yield record


def review_record(review: ReviewSummary) -> dict[str, Any]:
    """A review summary as export records carry it (engine.export.columns.review_values)."""
    return {"state": review.state, "override_status": review.override_status,
            "override_amount": review.override_amount, "override_reason": review.override_reason,
            "note": review.note, "by": review.by, "at": review.at}


def applicant_keys(session: Session, run_id: int, f: ResultFilter | None = None) -> Iterator[int]:
    """The profile ids an export of the run covers, in its order, streamed."""
    run = get_run(session, run_id)
    items = session.execute(select(RunItem.item_id, RunItem.code, RunItem.static).where(
        RunItem.run_id == run.id)).all()
    codes = {item_id: code for item_id, code, _ in items}
    static = {item_id for item_id, _, is_static in items if is_static}
    query = _decided_applicants(run_id, None, f, codes, static).with_only_columns(
        *_ORDER).order_by(*_ORDER)
    for _code, _year, pid in session.execute(query.execution_options(yield_per=STREAM)):
        yield pid


def iter_run_records_of(session: Session, run_id: int, profile_ids: list[int],
                        f: ResultFilter | None = None) -> Iterator[dict[str, Any]]:
    """iter_run_records for these applicants of the run, in the order given."""
    run = get_run(session, run_id)
    explainer = RunExplainer(session, run)
    static = {explainer.item_ids[code] for code in explainer.static}
    found = {row[2]: row for row in session.execute(
        _decided_applicants(run_id, None).where(ProfileVersion.id.in_(profile_ids)))}
    chunk = [found[pid] for pid in profile_ids if pid in found]
    yield from _chunk_records(session, explainer, chunk, f, static)


def iter_outcome_rows(session: Session, run_id: int, company: str | None = None,
                      f: ResultFilter | None = None) -> Iterator[OutcomeRow]:
    """The run's decisions as stored (no explanation rebuilt), in the exports' order, with each
    item's criterion ids in the order of its outcomes: what the outcomes CSV writes."""
    run = get_run(session, run_id)
    items = session.execute(select(RunItem.code, RunItem.item_id, RunItem.static,
                                   RunItem.decision).where(RunItem.run_id == run.id)).all()
    ids = {code: item_id for code, item_id, _, _ in items}
    codes = {item_id: code for code, item_id in ids.items()}
    titles = {code: decision["title"] for code, _, _, decision in items}
    static = {code: decision["status"] for code, _, is_static, decision in items if is_static}
    order = _criteria_ids(session, run)
    base = _decided_applicants(run_id, company, f, codes, {ids[c] for c in static})
    for chunk in _ordered_pages(session, base, STREAM):
        rows = _compact_rows(session, run_id, [pid for _, _, pid, *_ in chunk])
        reviews = review_summaries(session, run_id, [pid for _, _, pid, *_ in chunk])
        for code, _year, pid, name, district, version, data in chunk:
            who = {"credit_code": code, "name": data.get("name") or name,
                   "district": data.get("registered_district") or district}
            decided = {r.code: r for r in rows[pid]}
            for item in sorted(set(decided) | set(static)):
                row = decided.get(item)
                status = row.status if row is not None else static[item]
                if (f is not None and ((f.item and ids[item] != f.item)
                                       or (f.status and status != f.status))):
                    continue
                review = reviews.get((pid, ids[item]))
                yield OutcomeRow(who, version, ids[item], titles[item], status,
                                 row.amount if row is not None else None,
                                 bool(row and row.amount_is_ceiling),
                                 row.outcomes if row is not None else "",
                                 order.get(ids[item], []),
                                 None if review is None else review_record(review))


def _criteria_ids(session: Session, run: Run) -> dict[str, list[str]]:
    """Each item's criterion ids in the order decisions list them (the same for every applicant
    on one date), from one applicant's rebuilt decisions."""
    first = session.execute(
        _decided_applicants(run.id, None).where(exists().where(
            DecisionRow.run_id == run.id, DecisionRow.profile_id == RunProfile.profile_id))
        .order_by(*_ORDER).limit(1)).first()
    if first is None:
        return {}
    explainer = RunExplainer(session, run)
    pid, data = first[2], first[6]
    rows = _compact_rows(session, run.id, [pid])[pid]
    return {d.item_id: [c.id for c in d.criteria] for d in explainer.decisions(pid, data, rows)}


def iter_run_records(session: Session, run_id: int, company: str | None = None,
                     f: ResultFilter | None = None) -> Iterator[dict[str, Any]]:
    """The run's decisions as export records, by company then item, streamed; `f` keeps only
    the decisions the results filter (item, status, district) keeps.

    Each record is {"company": {credit_code, name, district}, "profile_version", "decision",
    "shared"} and, when a reviewer acted on the decision, "review" (review_record): the decision
    with its explanation, rebuilt (a Decision; exporters also take its dict form), and whether it
    is the same for every applicant. The name and district are the
    ones in the profile version screened (what the decision read), falling back to the company's
    current ones.

    Raises:
        RunError: no such run.
    """
    explainer, static, chunks = _applicant_pages(session, run_id, company, f)
    for chunk in chunks:
        yield from _chunk_records(session, explainer, chunk, f, static)


def iter_run_errors(session: Session, run_id: int, company: str | None = None,
                    limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The applicants the run could not decide, as export records with an `error` (the reason)
    instead of a `decision`, by company; also what the run page lists."""
    query = (
        select(Company.credit_code, Company.name, Company.district, ProfileVersion.version,
               ProfileVersion.data, RunErrorRow.reason)
        .join(ProfileVersion, ProfileVersion.id == RunErrorRow.profile_id)
        .join(Company, Company.credit_code == ProfileVersion.company_code)
        .where(RunErrorRow.run_id == run_id)
        .order_by(Company.credit_code, ProfileVersion.fiscal_year).limit(limit)
    )
    if company is not None:
        query = query.where(Company.credit_code == company.strip().upper())
    for code, name, district, version, data, reason in session.execute(
            query.execution_options(yield_per=STREAM)):
        yield {"company": {"credit_code": code, "name": data.get("name") or name,
                           "district": data.get("registered_district") or district},
               "profile_version": version, "error": reason}


def iter_summaries(session: Session, run_id: int) -> Iterator[tuple[Key, dict[str, Any]]]:
    """(key, {id, status, amount, amount_is_ceiling}) in the key's Python order, for merging two
    runs without rebuilding explanations; static decisions (the same for every applicant, stored
    once) are given to every decided applicant, with no id."""
    run = get_run(session, run_id)
    items = dict(session.execute(select(RunItem.code, RunItem.item_id).where(
        RunItem.run_id == run_id)).all())
    static = [(item_id, {"id": None, "status": status, "amount": None,
                         "amount_is_ceiling": False})
              for item_id, status in session.execute(
                  select(RunItem.item_id, RunItem.decision["status"].as_string())
                  .where(RunItem.run_id == run_id, RunItem.static))]
    # Byte order, as Python compares strings; PostgreSQL's default collation may differ.
    binary = "C" if session.get_bind().dialect.name == "postgresql" else "BINARY"
    applicants = (select(ProfileVersion.company_code, ProfileVersion.fiscal_year, ProfileVersion.id)
                  .select_from(RunProfile)
                  .join(ProfileVersion, ProfileVersion.id == RunProfile.profile_id)
                  .where(RunProfile.run_id == run.id, RunProfile.done,
                         ~exists().where(RunErrorRow.run_id == run_id,
                                         RunErrorRow.profile_id == RunProfile.profile_id))
                  .order_by(ProfileVersion.company_code.collate(binary),
                            ProfileVersion.fiscal_year, ProfileVersion.id))
    decided = (select(*_compact_columns()[:6])
               .where(DecisionRow.run_id == run_id)
               .order_by(DecisionRow.profile_id))
    for chunk in _chunks(session.execute(applicants.execution_options(yield_per=STREAM)), STREAM):
        rows: dict[int, list[Any]] = {pid: [] for _, _, pid in chunk}
        for pid, row_id, code, status, amount, ceiling in session.execute(
                decided.where(DecisionRow.profile_id.in_(list(rows)))):
            rows[pid].append((items[code], {"id": row_id, "status": status, "amount": amount,
                                            "amount_is_ceiling": ceiling}))
        for code, year, pid in chunk:
            for item_id, summary in sorted(rows[pid] + static, key=lambda pair: pair[0]):
                yield (code, year, item_id), summary


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_changes(make_session: sessionmaker[Session], run_a: int, run_b: int) -> Iterator[Change]:
    """Decisions that differ from run A to run B, with the criteria that changed (the changed
    decisions' explanations are rebuilt; unchanged ones are never read).

    Raises:
        RunError: either run does not exist.
    """
    with make_session() as left, make_session() as right, make_session() as reader:
        explain = {run_a: DecisionReader(reader, run_a), run_b: DecisionReader(reader, run_b)}
        for change in diff_streams(iter_summaries(left, run_a), iter_summaries(right, run_b)):
            yield with_criteria(change, explain[run_a].explanation(change.key, change.before),
                                explain[run_b].explanation(change.key, change.after))


class DecisionReader:
    """One decision of a run with its explanation, rebuilt (for diffs, pages and the API)."""

    def __init__(self, session: Session, run_id: int) -> None:
        self.session = session
        self.run = get_run(session, run_id)
        self.explainer = RunExplainer(session, self.run)

    def applicant(self, profile_id: int) -> list[Decision]:
        """Every decision of one applicant of the run, rebuilt."""
        data = self.session.scalar(select(ProfileVersion.data).where(
            ProfileVersion.id == profile_id))
        rows = _compact_rows(self.session, self.run.id, [profile_id])[profile_id]
        return self.explainer.decisions(profile_id, data or {}, rows)

    def explanation(self, key: Key, summary: dict[str, Any] | None) -> dict[str, Any] | None:
        """The decision dict behind a diff summary (None for a decision absent from the run)."""
        if summary is None:
            return None
        code, year, item_id = key
        profile_id = self.session.scalar(
            select(ProfileVersion.id).join(RunProfile, RunProfile.profile_id == ProfileVersion.id)
            .where(RunProfile.run_id == self.run.id, ProfileVersion.company_code == code,
                   ProfileVersion.fiscal_year == year))
        if profile_id is None:
            return None
        decision = next(d for d in self.applicant(profile_id) if d.item_id == item_id)
        return decision_to_dict(decision)


def run_budget(session: Session, run_id: int) -> Any:
    """The run's budget impact (engine.export.budget.BudgetImpact): eligible applicants and estimated
    payout per item and per budget line of the rules version the run used, summed in the database
    over the compact decisions (no explanation is read)."""
    run = get_run(session, run_id)
    catalog = session.get(CatalogVersion, run.catalog_hash)
    lines = budget_lines(catalog.content, run.as_of) if catalog else {}
    items = dict(session.execute(select(RunItem.code, RunItem.decision).where(
        RunItem.run_id == run_id, ~RunItem.static)).all())
    groups = session.execute(
        select(DecisionRow.item, DecisionRow.status, DecisionRow.amount_is_ceiling,
               DecisionRow.receivable, DecisionRow.amount.is_(None), func.count(),
               func.sum(DecisionRow.amount))
        .where(DecisionRow.run_id == run_id,
               DecisionRow.status.in_(("eligible", "may_apply", "undetermined")))
        .group_by(DecisionRow.item, DecisionRow.status, DecisionRow.amount_is_ceiling,
                  DecisionRow.receivable, DecisionRow.amount.is_(None))).all()
    return budget_impact_of_groups(
        [BudgetGroup(items[code], status, bool(ceiling), receivable, bool(unpriced), count,
                     Decimal(total) if total is not None else Decimal(0))
         for code, status, ceiling, receivable, unpriced, count, total in groups
         if code in items], lines)
