"""Screening runs: fix the profile versions to screen, then decide them in batches across worker
processes, committing each batch's decisions with the run's counts in one transaction.

A run killed at any point keeps every committed batch and nothing of the others; `resume_run`
carries on with the rows that have no decisions yet. The unique (run, profile, item) constraint
makes a duplicate impossible even if two processes were to resume the same run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing
import os
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.decide.engine import Engine
from engine.decide.static import STATIC_STATUSES, decided_items, static_decision
from engine.errors import SubsidyError
from engine.explain.decision_json import decision_to_dict
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog

from . import audit
from .base import utcnow
from .bulk import insert_rows
from .catalogs import item_codes, record_catalog
from .firms import firm_counts
from .models import REASON_MAX, DecisionRow, ProfileVersion, Run, RunErrorRow, RunItem, RunProfile
from .worker import ProfileRow, WorkerStartError, assess_batch, decide, init_worker

Progress = Callable[[int, int], None]  # (rows done, rows total)


class RunError(SubsidyError):
    """A run cannot start or go on: unknown item, unknown run, or the rules changed under it."""

    code = "run_error"


def select_all(session: Session, as_of: dt.date) -> list[int]:
    """The latest version of each company's most recent fiscal year not after the as-of year."""
    ranked = select(
        ProfileVersion.id,
        func.row_number().over(
            partition_by=ProfileVersion.company_code,
            order_by=(ProfileVersion.fiscal_year.desc(), ProfileVersion.version.desc()),
        ).label("rank"),
    ).where(ProfileVersion.fiscal_year <= as_of.year).subquery()
    return list(session.scalars(select(ranked.c.id).where(ranked.c.rank == 1).order_by(ranked.c.id)))


def check_items(catalog: Catalog, items: list[str] | None) -> None:
    for item in items or []:
        if item not in catalog.versions:
            hint = difflib.get_close_matches(item, list(catalog.versions), n=1)
            raise RunError(f"unknown item `{item}`" + (f" (did you mean `{hint[0]}`?)" if hint else ""),
                           item=item)


def start_run(session: Session, catalog: Catalog, profile_ids: list[int], as_of: dt.date,
              items: list[str] | None, started_by: str, selection: str) -> Run:
    """Record a new run over `profile_ids` (in that order); the caller commits, then processes."""
    check_items(catalog, items)
    record_catalog(session, catalog)
    run = Run(started_by=started_by, as_of=as_of, catalog_hash=catalog.version, items=items,
              selection=selection[:300], status="incomplete", counts={},
              rows_total=len(profile_ids), rows_done=0)
    session.add(run)
    session.flush()
    add_run_items(session, run, catalog)
    for start in range(0, len(profile_ids), 1000):
        insert_rows(session, RunProfile.__table__, [
            {"run_id": run.id, "position": start + i, "profile_id": pid, "done": False}
            for i, pid in enumerate(profile_ids[start:start + 1000])])
    audit.record(session, started_by, "screen", f"run {run.id}", as_of=as_of.isoformat(),
                 rules_version=catalog.version, rows=len(profile_ids), selection=selection)
    return run


def add_run_items(session: Session, run: Run, catalog: Catalog) -> None:
    """The items the run decides, numbered, each with what is the same for every applicant on
    the run's date: for an item not in force or not assessable, its whole decision."""
    codes = item_codes(catalog)
    session.execute(insert(RunItem), [
        {"run_id": run.id, "code": codes[item_id], "item_id": item_id,
         "static": decision.status in STATIC_STATUSES, "decision": decision_to_dict(decision)}
        for item_id in decided_items(catalog, run.items, run.as_of)
        for decision in [static_decision(catalog, item_id, run.as_of)]])


def _pending_chunks(session: Session, run_id: int, size: int) -> Iterator[list[ProfileRow]]:
    """Rows not done yet, in run order, `size` at a time (memory stays flat)."""
    last = -1
    while True:
        chunk = session.execute(
            select(RunProfile.position, ProfileVersion.id, ProfileVersion.data)
            .join(ProfileVersion, ProfileVersion.id == RunProfile.profile_id)
            .where(RunProfile.run_id == run_id, RunProfile.position > last, ~RunProfile.done)
            .order_by(RunProfile.position).limit(size)
        ).all()
        if not chunk:
            return
        last = chunk[-1][0]
        yield [(pid, data) for _, pid, data in chunk]


def static_statuses(session: Session, run_id: int) -> Counter[str]:
    """How many of the run's items each decided applicant gets, per static status."""
    return Counter(session.scalars(select(RunItem.decision["status"].as_string()).where(
        RunItem.run_id == run_id, RunItem.static)))


def _refresh(session: Session, run: Run) -> None:
    """Counts and rows done as the committed batches say (after an interruption, say). Counts
    are decisions, static ones included (each decided applicant has one per item)."""
    rows = session.execute(select(DecisionRow.status, func.count()).where(
        DecisionRow.run_id == run.id).group_by(DecisionRow.status)).all()
    run.errors = session.scalar(select(func.count()).select_from(RunErrorRow).where(
        RunErrorRow.run_id == run.id)) or 0
    run.rows_done = session.scalar(select(func.count()).select_from(RunProfile).where(
        RunProfile.run_id == run.id, RunProfile.done)) or 0
    counts = Counter(dict(rows))
    decided = run.rows_done - run.errors
    for status, per_applicant in static_statuses(session, run.id).items():
        counts[status] += per_applicant * decided
    run.counts = {status: count for status, count in sorted(counts.items()) if count}


def _write(session: Session, run: Run, results: list[tuple[int, Any]]) -> None:
    """One batch: the decisions, the errors (a reason instead of decisions), the counts."""
    rows = [{"run_id": run.id, "profile_id": pid, **row} for pid, decided in results
            if not isinstance(decided, str) for row in decided]
    errors = [{"run_id": run.id, "profile_id": pid, "reason": decided[:REASON_MAX], "at": utcnow()}
              for pid, decided in results if isinstance(decided, str)]
    insert_rows(session, DecisionRow.__table__, rows)
    if errors:
        session.execute(insert(RunErrorRow), errors)
        run.errors += len(errors)
    done = [pid for pid, _ in results]
    for start in range(0, len(done), 500):
        session.execute(update(RunProfile).where(
            RunProfile.run_id == run.id, RunProfile.profile_id.in_(done[start:start + 500]))
            .values(done=True))
    counts = Counter(run.counts)
    counts.update(row["status"] for row in rows)
    decided = len(results) - len(errors)
    for status, per_applicant in static_statuses(session, run.id).items():
        counts[status] += per_applicant * decided
    run.counts = dict(sorted(counts.items()))
    run.rows_done += len(results)
    run.updated_at = utcnow()


class _Deciders:
    """Batches decided in worker processes (`workers` > 0) or, for small jobs, in this one."""

    def __init__(self, workers: int, rules_dir: Path | None) -> None:
        self.workers = workers
        self.rules_dir = str(rules_dir) if rules_dir else None
        self.pool: Any = None
        self.engine: Any = None
        self.drained = False  # no batch left in flight: the pool can close without terminate
        if workers > 0:
            # spawn, not fork: a forked child would share the parent's database connections.
            context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(workers, initializer=init_worker, initargs=(self.rules_dir,))
        else:
            self.engine = Engine(load_catalog(rules_dir))

    def results(self, as_of: dt.date, items: list[str] | None,
                chunks: Iterator[list[ProfileRow]]) -> Iterator[tuple[str, list[Any]]]:
        """Results in submission order, with at most two batches per worker in flight."""
        if self.pool is None:
            for chunk in chunks:
                yield self.engine.rules_version, decide(self.engine, as_of, items, chunk)
            return
        pending: deque[Any] = deque()
        try:
            for chunk in chunks:
                pending.append(self.pool.apply_async(assess_batch, (as_of, items, chunk)))
                if len(pending) >= 2 * self.workers:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            # Stopped early: let the batches in flight finish (a few at most) so that the pool
            # closes normally. Pool.terminate() while its task thread is feeding a worker can
            # deadlock (seen: the task handler stuck in SimpleQueue.put, terminate joining it).
            for result in pending:
                result.wait(60)  # bounded: a worker that died never finishes its batch
            self.drained = all(result.ready() for result in pending)

    def close(self, finished: bool) -> None:
        if self.pool is not None:
            if finished or self.drained:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()


def _result(pending: Any) -> tuple[str, list[Any]]:
    """A batch's result from the pool; a worker that could not start stops the run."""
    try:
        return pending.get()  # type: ignore[no-any-return]
    except WorkerStartError as exc:
        raise RunError(f"筛查进程无法加载规则 the screening workers could not load the rules: {exc}"
                       ) from exc


def _mark_incomplete(session: Session, run_id: int) -> None:
    """After an interruption: drop the unfinished batch and say the run is incomplete, through a
    fresh connection if the session's own is unusable. If the database itself is gone this fails
    too; the run then still reads `running`, and resumes all the same."""
    mark = (update(Run).where(Run.id == run_id, Run.status == "running")
            .values(status="incomplete", updated_at=utcnow()))
    try:
        session.rollback()
        session.execute(mark)
        session.commit()
        return
    except Exception:  # noqa: BLE001 - the interruption is the error to report
        session.close()
    try:
        with session.get_bind().connect() as connection:
            connection.execute(mark)
            connection.commit()
    except Exception:  # noqa: BLE001,S110 - as above
        pass


def process_run(make_session: sessionmaker[Session], run_id: int, *, workers: int | None = None,
                batch_size: int = 100, rules_dir: Path | None = None,
                progress: Progress | None = None, max_batches: int | None = None) -> Run:
    """Decide every row of the run that has no decisions yet; mark it complete when none is left.

    Args:
        make_session: opens sessions; each batch commits on its own.
        workers: processes to use (default: one per CPU); 0 decides in this process.
        max_batches: stop after this many batches, leaving the run incomplete (as an
            interruption would).

    Raises:
        RunError: unknown run, or the rules are not the version the run started with.
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    with make_session() as session:
        run = _claim(session, run_id)
        if run.status == "complete":
            return run
        deciders = None
        try:
            deciders = _Deciders(workers, rules_dir)
            finished = _decide_pending(session, run, deciders, batch_size, progress, max_batches)
        except BaseException:
            try:
                _mark_incomplete(session, run.id)
            finally:
                if deciders is not None:
                    deciders.close(finished=False)
            raise
        deciders.close(finished)
        _refresh(session, run)
        if run.rows_done == run.rows_total:
            run.status, run.finished_at = "complete", utcnow()
            run.firms = None
            firm_counts(session, run)
        else:
            run.status = "incomplete"
        run.updated_at = utcnow()
        session.commit()
        return run


def _claim(session: Session, run_id: int) -> Run:
    """The run, its counters recomputed from what is stored, marked running (unless complete)."""
    run = session.get(Run, run_id)
    if run is None:
        raise RunError(f"no run {run_id}", run=run_id)
    if run.status != "complete":
        _refresh(session, run)
        run.status, run.updated_at = "running", utcnow()
        session.commit()
    return run


_STOP = threading.Event()


def request_stop() -> None:
    """Ask a running screening to stop after the batch it is writing (signal-handler safe)."""
    _STOP.set()


def stop_requested() -> bool:
    return _STOP.is_set()


def _decide_pending(session: Session, run: Run, deciders: _Deciders, batch_size: int,
                    progress: Progress | None, max_batches: int | None) -> bool:
    """Decide and commit batch after batch; True when no row was left undecided."""
    chunks = _pending_chunks(session, run.id, batch_size)
    with closing(deciders.results(run.as_of, run.items, chunks)) as decided:
        return _write_decided(session, run, decided, progress, max_batches)


def _write_decided(session: Session, run: Run, decided: Iterator[tuple[str, list[Any]]],
                   progress: Progress | None, max_batches: int | None) -> bool:
    """Write each decided batch; False when stopped (batch limit or a stop request) early."""
    for batches, (version, results) in enumerate(decided, 1):
        if version != run.catalog_hash:
            raise RunError(f"run {run.id} used rules {run.catalog_hash}, the rules are now "
                           f"{version}: it cannot be finished reproducibly", run=run.id)
        _write(session, run, results)
        session.commit()
        if progress:
            progress(run.rows_done, run.rows_total)
        if (max_batches is not None and batches >= max_batches) or stop_requested():
            return False
    return True
