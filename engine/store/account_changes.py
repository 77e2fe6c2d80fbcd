"""What the firm's account lists of the changes re-checks found (store.rechecks), and marking
them seen, so that the list shows each change until someone of the company has read it, not
forever. Marking is audited like the firm's other actions (confirming a notice)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .audit import record as record_audit
from .base import utcnow
from .models import ProfileChange, ProfileVersion


def unseen_changes(session: Session, company_code: str) -> dict[int, list[ProfileChange]]:
    """Profile version id -> its changes not yet marked seen, oldest first (new, lost, amount
    in the order the re-checks found them)."""
    rows = session.scalars(
        select(ProfileChange)
        .join(ProfileVersion, ProfileVersion.id == ProfileChange.profile_id)
        .where(ProfileVersion.company_code == company_code, ProfileChange.seen_at.is_(None))
        .order_by(ProfileChange.id))
    out: dict[int, list[ProfileChange]] = defaultdict(list)
    for change in rows:
        out[change.profile_id].append(change)
    return dict(out)


def mark_changes_seen(session: Session, company_code: str, by: str,
                      profile_id: int | None = None) -> int:
    """Mark the company's unseen changes (or one version's) as seen by `by`, and audit it.
    A version of another company is simply not matched. The caller commits.

    Returns:
        How many changes were marked.
    """
    own = select(ProfileVersion.id).where(ProfileVersion.company_code == company_code)
    if profile_id is not None:
        own = own.where(ProfileVersion.id == profile_id)
    marked = session.execute(
        update(ProfileChange)
        .where(ProfileChange.profile_id.in_(own), ProfileChange.seen_at.is_(None))
        .values(seen_at=utcnow(), seen_by=by)
        .execution_options(synchronize_session=False)).rowcount
    if marked:
        record_audit(session, by, "changes_seen", company_code, profile=profile_id, count=marked)
    return marked
