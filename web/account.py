"""A firm's optional account: its saved profile versions (append-only, one per save that changes
something) and their results, and the 免申即享 notices published lists sent its company (with a
button to confirm). A firm user sees only its own company's data (web.owners)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from sqlalchemy import select

from engine import ProfileError, parse_profile
from engine.store import (
    Company,
    NoticeError,
    ProfileVersion,
    SaveConflict,
    confirm_notice,
    mark_notices_seen,
    notices_for,
    save_profile,
)

from . import answers as ans
from . import present
from .auth import role_required
from .db import get_session
from .engine_ext import get_engine
from .i18n import current_lang
from .owners import get_profile

bp = Blueprint("account", __name__)


@bp.get("/")
@role_required("firm")
def index() -> Any:
    db = get_session()
    versions = db.scalars(select(ProfileVersion)
                          .where(ProfileVersion.company_code == g.user.company_code)
                          .order_by(ProfileVersion.fiscal_year.desc(), ProfileVersion.version.desc()))
    code = g.user.company_code
    # Showing the page is the firm seeing its notices: recorded (who, when) apart from confirming.
    fresh = mark_notices_seen(db, code, g.user.username) if code else []
    notices = notices_for(db, code) if code else []
    db.commit()
    return render_template("account/index.html", company=db.get(Company, code),
                           versions=list(versions), notices=notices, fresh=set(fresh))


@bp.post("/notices/<int:notice_id>/confirm")
@role_required("firm")
def confirm(notice_id: int) -> Any:
    """The firm confirms a 免申即享 notice (its own company's only: another's is a 404);
    the store records who and when, and audits it."""
    db = get_session()
    try:
        confirm_notice(db, notice_id, g.user.company_code, g.user.username)
    except NoticeError:
        db.rollback()
        abort(404)
    db.commit()
    return redirect(url_for("account.index") + f"#notice-{notice_id}")


@bp.get("/profiles/<int:profile_id>")
@role_required("firm")
def profile(profile_id: int) -> Any:
    version = get_profile(profile_id)
    # Default: mid-year after the fiscal year, when funding rounds assess that year's figures;
    # "today" would show most items of an older profile as no longer in force.
    default = min(dt.date(version.fiscal_year + 1, 6, 1), dt.date.today())
    as_of, _error = ans.parse_as_of(request.args.get("as_of") or default.isoformat())
    as_of = as_of or default
    engine = get_engine()
    assessment = engine.assess(parse_profile(version.data), as_of)
    lang = current_lang()
    titles = {pid: p.title.get(lang) for pid, p in engine.catalog.programs.items()}
    assessed, elsewhere, others = present.cards(assessment, titles, lang)
    return render_template("account/profile.html", v=version, a=assessment, assessed=assessed,
                           elsewhere=elsewhere, others=others, counts=present.counts(assessment),
                           as_of=as_of.isoformat(), saved=request.args.get("saved"))


def _save(profile: Any) -> int:
    """Store the next version; two saves at once are sorted out by the store (save_profile)."""
    try:
        version_id, _added = save_profile(get_session(), profile, g.user.username, "self_declared")
    except SaveConflict:
        abort(409)
    return version_id


@bp.post("/profiles")
@role_required("firm")
def save() -> Any:
    """Save the self-check's answers as the next version of the firm's profile for that year.
    The credit code is always the account's: a firm cannot file under another company."""
    try:
        data = json.loads(request.form.get("payload", ""))
    except ValueError:
        abort(400)
    if not isinstance(data, dict):
        abort(400)
    data["credit_code"] = g.user.company_code
    try:
        profile_in = parse_profile(data)
    except ProfileError:
        abort(400)
    if profile_in.fiscal_year is None:
        return render_template("account/need_year.html"), 422
    version_id = _save(profile_in)
    as_of = request.form.get("as_of", "")
    return redirect(url_for("account.profile", profile_id=version_id, as_of=as_of, saved=1))
