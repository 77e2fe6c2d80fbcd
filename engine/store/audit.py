"""The audit log: officials' actions (import, screen, export, sign-off), appended, never edited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEntry


def record(session: Session, actor: str, action: str, target: str | None = None,
           **details: Any) -> AuditEntry:
    """Append one entry in the caller's transaction, so it commits (or not) with the action."""
    entry = AuditEntry(actor=actor, action=action, target=target, details=details)
    session.add(entry)
    return entry
