"""An official's API tokens: create (shown once), list, revoke. Only the hash is stored."""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for

from engine.store import create_token as issue_token
from engine.store import list_tokens, record_audit
from engine.store import revoke_token as withdraw_token

from ..db import get_session
from .base import actor, bp


@bp.get("/tokens")
def tokens(new_token: str | None = None) -> Any:
    return render_template("official/tokens.html", tokens=list_tokens(get_session(), g.user),
                           new_token=new_token)


@bp.post("/tokens")
def create_token() -> Any:
    label = request.form.get("label", "").strip() or "api"
    db = get_session()
    token = issue_token(db, g.user, label)
    record_audit(db, actor(), "token", label[:300])
    db.commit()
    return tokens(new_token=token)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> Any:
    db = get_session()
    if not withdraw_token(db, g.user, token_id):
        abort(404)
    record_audit(db, actor(), "token_revoke", str(token_id))
    db.commit()
    return redirect(url_for("official.tokens"))
