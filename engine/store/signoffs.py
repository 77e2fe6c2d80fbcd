"""Sign-off of a screening run: an official confirms a complete run; from then on it is read-only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import audit
from .models import Run, RunSignoff
from .screening import RunError


def signoff_of(session: Session, run_id: int) -> RunSignoff | None:
    return session.get(RunSignoff, run_id)


def sign_off(session: Session, run: Run, by: str) -> RunSignoff:
    """Record the sign-off and its audit entry in the caller's transaction.

    Raises:
        RunError: the run is not complete, or is already signed off.
    """
    if run.status != "complete":
        raise RunError(f"run {run.id} is {run.status}: only a complete run can be signed off",
                       run=run.id)
    if signoff_of(session, run.id) is not None:
        raise RunError(f"run {run.id} is already signed off", run=run.id)
    row = RunSignoff(run_id=run.id, signed_by=by)
    session.add(row)
    audit.record(session, by, "sign_off", f"run {run.id}", rules_version=run.catalog_hash,
                 counts=run.counts)
    session.flush()
    return row
