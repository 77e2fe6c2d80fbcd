"""Two screenings at once on one SQLite file both finish (WAL set once, a long busy timeout), and a
run whose process died is recognised by its stale heartbeat."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from engine import Engine
from engine.store.db import make_engine, make_sessionmaker
from engine.store.importing import import_file
from engine.store.leases import is_stale, live_runs, may_start
from engine.store.migrate import upgrade
from engine.store.models import Run
from engine.store.screening import start_run
from tests.synthetic import synthetic_profile, write_applicants

ROOT = Path(__file__).resolve().parents[2]


def test_two_runs_at_once_on_sqlite_both_complete(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'both.db'}"
    db = make_engine(url)
    upgrade(db)
    sessions = make_sessionmaker(db)
    path = tmp_path / "list.csv"
    write_applicants(path, [synthetic_profile(i) for i in range(120)])
    with sessions() as session:
        ids = import_file(session, path, "test").profile_ids
        runs = [start_run(session, engine.catalog, ids, dt.date(2020, 6, 1), None, "t", "f").id
                for _ in range(2)]
        session.commit()
    env = {**os.environ, "DATABASE_URL": url}
    procs = [subprocess.Popen([sys.executable, "-m", "engine.cli", "screen", "--resume", str(r),  # noqa: S603
                               "--workers", "0", "--batch-size", "5"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for r in runs]
    outputs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with sessions() as session:
        assert [session.get(Run, r).status for r in runs] == ["complete", "complete"]
        assert db.connect().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_a_silent_running_run_is_stale_and_frees_its_slot(tmp_path: Path, engine: Engine) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'lease.db'}")
    upgrade(db)
    sessions = make_sessionmaker(db)
    path = tmp_path / "list.csv"
    write_applicants(path, [synthetic_profile(0)])
    with sessions() as session:
        ids = import_file(session, path, "test").profile_ids
        run = start_run(session, engine.catalog, ids, dt.date(2020, 6, 1), None, "amy", "f")
        run.status = "running"
        session.commit()
        assert not is_stale(run) and live_runs(session, "amy") == 1
        assert not may_start(session, "amy", per_user=1, per_server=5)
        assert may_start(session, "bob", per_user=1, per_server=5)
        session.execute(update(Run).where(Run.id == run.id).values(
            updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)))
        session.commit()
        session.refresh(run)
        assert is_stale(run) and live_runs(session) == 0
        assert may_start(session, "amy", per_user=1, per_server=5)
    db.dispose()
