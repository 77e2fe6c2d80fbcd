"""A screening process killed mid-run: committed batches stay, nothing is half-written, and
`subsidy screen --resume` finishes it with the decisions an uninterrupted run gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.store.models import DecisionRow, Run

from .test_screening import AS_OF, IN_FORCE, ITEMS, decisions_of, get_run

ROOT = Path(__file__).resolve().parents[2]
ROWS = 600


def _start_screen(db_url: str, path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "screen", str(path), "--as-of", AS_OF, *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_progress(sessions: sessionmaker[Session], process: subprocess.Popen[str]) -> None:
    """Until the run has committed a batch; the deadline only guards against a hang."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with sessions() as session:
            if (session.scalar(select(func.max(Run.rows_done))) or 0) > 0:
                return
        if process.poll() is not None:
            pytest.fail(f"screen exited early ({process.returncode}): {process.stdout.read()}")  # type: ignore[union-attr]
        time.sleep(0.02)
    process.kill()
    pytest.fail("screen made no progress")


def _consistent(sessions: sessionmaker[Session], run_id: int) -> Run:
    """Only whole rows are stored, and the run's counters say exactly what is stored."""
    run = get_run(sessions, run_id)
    with sessions() as session:
        stored = session.scalar(select(func.count()).where(DecisionRow.run_id == run_id))
        rows = session.scalar(select(func.count(func.distinct(DecisionRow.profile_id)))
                              .where(DecisionRow.run_id == run_id))
    assert 0 < run.rows_done < ROWS
    assert (rows, stored, sum(run.counts.values())) == (run.rows_done, run.rows_done * IN_FORCE,
                                                        run.rows_done * ITEMS)
    return run


def test_a_killed_run_resumes_without_duplicates(db_url: str, sessions: sessionmaker[Session],
                                                 cli: Callable[..., Result],
                                                 applicants: Callable[..., Path]) -> None:
    path = applicants(ROWS)
    process = _start_screen(db_url, path, "--workers", "0", "--batch-size", "5")
    _wait_for_progress(sessions, process)
    process.send_signal(signal.SIGKILL)
    process.communicate()

    run = _consistent(sessions, 1)
    assert run.status == "running"  # nobody was left to say otherwise; --resume accepts it

    cli("screen", "--resume", "1", "--workers", "0")
    cli("screen", path, "--as-of", AS_OF, "--workers", "0")  # run 2, uninterrupted
    assert get_run(sessions, 1).status == "complete"
    assert decisions_of(sessions, 1) == decisions_of(sessions, 2)


def test_terminate_marks_the_run_incomplete(db_url: str, sessions: sessionmaker[Session],
                                            applicants: Callable[..., Path]) -> None:
    process = _start_screen(db_url, applicants(ROWS), "--workers", "1", "--batch-size", "5")
    _wait_for_progress(sessions, process)
    process.send_signal(signal.SIGTERM)  # what `kill` sends; Ctrl-C is handled the same way
    output, _ = process.communicate(timeout=120)

    assert process.returncode == 130, output
    assert "subsidy screen --resume 1" in output
    assert _consistent(sessions, 1).status == "incomplete"
