"""Sign-off of a screening run: an official confirms a complete run; from then on it is read-only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import audit
from .models import REASON_MAX, Run, RunSignoff
from .screening import RunError


def signoff_of(session: Session, run_id: int) -> RunSignoff | None:
    return session.get(RunSignoff, run_id)


def sign_off(session: Session, run: Run, by: str, comment: str | None = None) -> RunSignoff:
    """Record the sign-off, with the official's comment if any, and its audit entry in the
    caller's transaction. (The console asks for confirmation before it calls this; pages show
    who signed and when in Beijing time: engine.beijing_text(row.signed_at).)

    Raises:
        RunError: the run is not complete, is already signed off, or the comment is too long.
    """
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > REASON_MAX:
        raise RunError(f"签批意见最多{REASON_MAX}字 the sign-off comment is longer than "
                       f"{REASON_MAX} characters", run=run.id)
    if run.status != "complete":
        raise RunError(f"run {run.id} is {run.status}: only a complete run can be signed off",
                       run=run.id)
    if signoff_of(session, run.id) is not None:
        raise RunError(f"run {run.id} is already signed off", run=run.id)
    row = RunSignoff(run_id=run.id, signed_by=by, comment=comment)
    session.add(row)
    audit.record(session, by, "sign_off", f"run {run.id}", rules_version=run.catalog_hash,
                 counts=run.counts, comment=comment)
    session.flush()
    return row
