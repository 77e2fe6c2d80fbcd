"""Parallel requests against one database (issue 11, findings 9 and 10), on SQLite and PostgreSQL:
saves of one company at once all land as distinct versions, and the login limit holds when many
wrong passwords arrive together. Real threads, each with its own connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine import parse_profile
from engine.store import reserve_attempt, save_profile
from engine.store.models import Company, LoginFailure, ProfileVersion
from tests.synthetic import synthetic_profile

PARALLEL = 12


def _together(work: Callable[[int], Any], count: int = PARALLEL) -> list[Any]:
    """Run work(0..count-1) in threads released at the same moment; results (or errors) in order."""
    gate = threading.Barrier(count)
    results: list[Any] = [None] * count

    def one(index: int) -> None:
        gate.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - the test asserts that none occurred
            results[index] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_saves_of_one_new_company_at_once_all_become_versions(
        sessions: sessionmaker[Session]) -> None:
    base = synthetic_profile(7)

    def save(index: int) -> int:
        # Each save differs (a different staff count), so none is a duplicate of another.
        profile = parse_profile({**base, "employees_total": 100 + index})
        with sessions() as session:
            version_id, added = save_profile(session, profile, f"firm-{index}")
            assert added
            return version_id

    results = _together(save)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []  # once: IntegrityError from the second save of a new company
    with sessions() as session:
        versions = session.scalars(select(ProfileVersion.version).where(
            ProfileVersion.company_code == base["credit_code"])).all()
        companies = session.scalar(select(func.count()).select_from(Company))
    assert sorted(versions) == list(range(1, PARALLEL + 1))
    assert len(set(results)) == PARALLEL and companies == 1


def test_parallel_wrong_passwords_are_checked_at_most_limit_times(
        sessions: sessionmaker[Session]) -> None:
    limit, window = 5, dt.timedelta(minutes=15)

    def attempt(_index: int) -> bool:
        with sessions() as session:
            allowed = reserve_attempt(session, "official", "10.0.0.9", window, limit)
            session.commit()
            return allowed

    results = _together(attempt, 20)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert results.count(True) == limit and results.count(False) == 20 - limit
    with sessions() as session:
        counted = session.scalar(select(func.count()).select_from(LoginFailure))
        # another pair is counted on its own
        assert reserve_attempt(session, "official", "10.0.0.10", window, limit)
    assert counted == limit
