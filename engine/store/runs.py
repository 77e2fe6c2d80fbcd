"""Reading runs back: their list, their records for exports, their decisions for diffs and
budgets, all streamed (yield_per) so that a run of any size fits in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.export.budget import budget_impact

from .catalogs import budget_lines
from .diff import Change, Key, diff_streams, with_criteria
from .models import CatalogVersion, Company, DecisionRow, ProfileVersion, Run, RunErrorRow
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


def _record_query(run_id: int, company: str | None = None) -> Any:
    query = (
        select(Company.credit_code, Company.name, Company.district, ProfileVersion.fiscal_year,
               ProfileVersion.version, ProfileVersion.data, DecisionRow.explanation)
        .join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id)
        .join(Company, Company.credit_code == ProfileVersion.company_code)
        .where(DecisionRow.run_id == run_id)
        .order_by(Company.credit_code, ProfileVersion.fiscal_year, DecisionRow.id)
    )
    if company is not None:
        query = query.where(Company.credit_code == company.strip().upper())
    return query.execution_options(yield_per=STREAM)


def iter_run_records(session: Session, run_id: int,
                     company: str | None = None) -> Iterator[dict[str, Any]]:
    """The run's decisions as export records, by company then item, streamed.

    Each record is {"company": {credit_code, name, district}, "profile_version", "decision"}; the
    name and district are the ones in the profile version screened (what the decision read),
    falling back to the company's current ones.

    Raises:
        RunError: no such run.
    """
    get_run(session, run_id)
    for code, name, district, _year, version, data, explanation in session.execute(
            _record_query(run_id, company)):
        yield {"company": {"credit_code": code, "name": data.get("name") or name,
                           "district": data.get("registered_district") or district},
               "profile_version": version, "decision": explanation}


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
    runs without reading every explanation."""
    get_run(session, run_id)
    # Byte order, as Python compares strings; PostgreSQL's default collation may differ.
    binary = "C" if session.get_bind().dialect.name == "postgresql" else "BINARY"
    query = (
        select(ProfileVersion.company_code, ProfileVersion.fiscal_year, DecisionRow.item_id,
               DecisionRow.id, DecisionRow.status, DecisionRow.amount, DecisionRow.amount_is_ceiling)
        .join(ProfileVersion, ProfileVersion.id == DecisionRow.profile_id)
        .where(DecisionRow.run_id == run_id)
        .order_by(ProfileVersion.company_code.collate(binary), ProfileVersion.fiscal_year,
                  DecisionRow.item_id.collate(binary))
        .execution_options(yield_per=STREAM)
    )
    for code, year, item, row_id, status, amount, ceiling in session.execute(query):
        yield (code, year, item), {"id": row_id, "status": status, "amount": amount,
                                   "amount_is_ceiling": ceiling}


def run_changes(make_session: sessionmaker[Session], run_a: int, run_b: int) -> Iterator[Change]:
    """Decisions that differ from run A to run B, with the criteria that changed.

    Raises:
        RunError: either run does not exist.
    """
    with make_session() as left, make_session() as right, make_session() as reader:
        for change in diff_streams(iter_summaries(left, run_a), iter_summaries(right, run_b)):
            yield with_criteria(change, _explanation(reader, change.before),
                                _explanation(reader, change.after))


def _explanation(session: Session, summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return session.scalar(select(DecisionRow.explanation).where(DecisionRow.id == summary["id"]))


def iter_explanations(session: Session, run_id: int,
                      statuses: tuple[str, ...] | None = None) -> Iterator[dict[str, Any]]:
    """The run's decision dicts (those with the given statuses), streamed."""
    get_run(session, run_id)
    query = select(DecisionRow.explanation).where(DecisionRow.run_id == run_id)
    if statuses:
        query = query.where(DecisionRow.status.in_(statuses))
    query = query.order_by(DecisionRow.id).execution_options(yield_per=STREAM)
    yield from session.scalars(query)


def run_budget(session: Session, run_id: int) -> Any:
    """The run's budget impact (engine.export.budget.BudgetImpact): eligible applicants and estimated
    payout per item and per budget line of the rules version the run used."""

    run = get_run(session, run_id)
    catalog = session.get(CatalogVersion, run.catalog_hash)
    lines = budget_lines(catalog.content, run.as_of) if catalog else {}
    return budget_impact(iter_explanations(session, run_id,
                                           ("eligible", "may_apply", "undetermined")), lines)
