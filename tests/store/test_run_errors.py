"""One applicant that cannot be decided never stops a run: it is recorded with its reason, the run
completes, the error is counted, listed in the exports, and a resume does not die on it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from engine import Engine
from engine.store.importing import import_file
from engine.store.models import DecisionRow, ProfileVersion, Run, RunErrorRow
from engine.store.run_export import export_table
from engine.store.screening import process_run, start_run
from tests.synthetic import synthetic_profile

AS_OF = dt.date(2020, 6, 1)


def _stored_run(sessions: sessionmaker[Session], path: Path, engine: Engine) -> tuple[int, int]:
    """Import the list, then give row 3's stored version a date the old schema let through
    (9999-12-31: `year 10000 is out of range` in the firm's age); returns (run id, that profile)."""
    with sessions() as session:
        report = import_file(session, path, "test")
        bad = report.profile_ids[3]
        data = session.get(ProfileVersion, bad).data
        session.execute(update(ProfileVersion).where(ProfileVersion.id == bad).values(
            data={**data, "registration_date": "9999-12-31"}))
        run = start_run(session, engine.catalog, report.profile_ids, AS_OF, None, "test", "file")
        session.commit()
        return run.id, bad


@pytest.mark.parametrize("workers", [0, 1])
def test_a_bad_stored_profile_is_recorded_and_the_run_completes(
        sessions: sessionmaker[Session], applicants: Callable[..., Path], engine: Engine,
        workers: int) -> None:
    # Row 1 also holds the ratio durable_rules could not parse on main (5e-05, issue 9): it is
    # either decided or recorded with the fact named, never the end of the run.
    path = applicants(8, changes={1: {"employees_total": 20000, "st_staff": 1}})
    run_id, bad = _stored_run(sessions, path, engine)

    run = process_run(sessions, run_id, workers=workers, batch_size=3)

    assert (run.status, run.rows_done, run.rows_total) == ("complete", 8, 8)
    with sessions() as session:
        errors = dict(session.execute(select(RunErrorRow.profile_id, RunErrorRow.reason)
                                      .where(RunErrorRow.run_id == run_id)).all())
        decided = set(session.scalars(select(DecisionRow.profile_id).where(
            DecisionRow.run_id == run_id)))
    assert bad in errors and "registration_date" in errors[bad]
    for pid, reason in errors.items():
        assert pid == bad or "st_staff_share=5e-05" in reason
    assert run.errors == len(errors) and len(decided) == 8 - len(errors)
    assert decided.isdisjoint(errors)


def test_resume_skips_recorded_errors_and_exports_list_them(
        sessions: sessionmaker[Session], applicants: Callable[..., Path], engine: Engine,
        cli: Callable[..., Result]) -> None:
    run_id, bad = _stored_run(sessions, applicants(5), engine)
    process_run(sessions, run_id, workers=0, batch_size=2, max_batches=1)  # stops: incomplete

    resumed = cli("screen", "--resume", str(run_id), "--workers", "0")
    assert "could not be assessed 1" in resumed.output
    with sessions() as session:
        run = session.get(Run, run_id)
        assert (run.status, run.rows_done, run.errors) == ("complete", 5, 1)
        code = session.get(ProfileVersion, bad).company_code
        out = io.BytesIO()
        export_table(session, run_id, "csv", out, actor="test")
        jsonl = io.BytesIO()
        export_table(session, run_id, "jsonl", jsonl, actor="test")
        export_table(session, run_id, "xlsx", io.BytesIO(), actor="test")
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    error_rows = [r for r in rows if r[0] == code]
    assert len(error_rows) == 1 and "无法评估" in error_rows[0] and "registration_date" in " ".join(
        error_rows[0])
    lines = [json.loads(line) for line in jsonl.getvalue().decode().splitlines()]
    assert [line["error"] for line in lines if "error" in line][0].count("registration_date")
    assert synthetic_profile(0)["credit_code"] in {r[0] for r in rows}
