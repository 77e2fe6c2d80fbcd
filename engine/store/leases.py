"""Runs that cannot wedge: how many may run at once, and when a `running` run is presumed dead.

A screening process writes its run's `updated_at` with every batch it commits (a heartbeat). A run
that reads `running` but has not beaten for LEASE has lost its process (killed, machine restarted,
never started): it is stale, does not count against the limits, and may be resumed. The limits
keep one user, or everyone together, from starting more screenings than the machine can run.

Why the heartbeat is per batch, not from a timer thread: a thread would keep beating while the
batch it waits for never comes back (a worker process killed by the OOM killer leaves its task
unanswered in the pool), so a wedged run would hold its slot for ever. Beating only when a batch
is committed means "alive" is "making progress"; a batch (100 applicants, about a second) is
hundreds of times shorter than the lease.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .base import utcnow
from .models import Run

LEASE = dt.timedelta(minutes=10)  # far longer than one batch, even on a busy machine


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def is_stale(run: Run, lease: dt.timedelta = LEASE) -> bool:
    """True for a `running` run whose process has not reported within the lease."""
    return run.status == "running" and _aware(run.updated_at) < utcnow() - lease


def live_runs(session: Session, started_by: str | None = None,
              lease: dt.timedelta = LEASE) -> int:
    """Runs running with a fresh heartbeat (of one user, or of everyone)."""
    query = select(func.count()).select_from(Run).where(
        Run.status == "running", Run.updated_at >= utcnow() - lease)
    if started_by is not None:
        query = query.where(Run.started_by == started_by)
    return session.scalar(query) or 0


def may_start(session: Session, started_by: str, per_user: int, per_server: int) -> bool:
    """Whether one more run may start now for `started_by`."""
    return (live_runs(session, started_by) < per_user
            and live_runs(session) < per_server)
