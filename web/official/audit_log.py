"""The audit log, newest first, for admins: who uploaded, screened, exported and signed off what."""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request
from sqlalchemy import select

from engine.store import AuditEntry

from ..db import get_session
from ..i18n import has
from .base import bp

PER_PAGE = 100
ACTIONS = ("upload", "import", "screen", "export", "sign_off", "token", "token_revoke",
           "review_comment", "review_override", "review_request_materials", "push_create",
           "push_exclude", "push_restore", "push_publish", "notice_confirm", "draft_impact",
           "user_create", "user_disable", "user_enable", "user_password_reset", "user_role")


@bp.get("/audit")
def audit_log() -> Any:
    if g.user.role != "admin":
        abort(403)
    action = request.args.get("action") or None
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PER_PAGE)
    if action:
        query = query.where(AuditEntry.action == action)
    entries = list(get_session().scalars(query))
    # The actions the catalogs name; any other is shown as stored.
    known = {k for a in {*ACTIONS, *(e.action for e in entries)} if has(k := f"audit.action.{a}")}
    return render_template("official/audit.html", entries=entries, action=action, actions=ACTIONS,
                           known=known)
