"""A firm's optional account: its saved profile versions (append-only, one per save that changes
something) and their results, what changed for them since the last check when the rules changed
(re-checked on opening the account; store.rechecks), and the 免申即享 notices published lists
sent its company (with a button to confirm). A firm user sees only its own company's data
(web.owners)."""

from __future__ import annotations

import json
from itertools import groupby
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from engine import ProfileError, SubsidyError, parse_profile
from engine.store import (
    Company,
    NoticeError,
    ProfileChange,
    ProfileVersion,
    SaveConflict,
    confirm_notice,
    default_as_of,
    mark_changes_seen,
    mark_notices_seen,
    notices_for,
    recheck_company,
    record_check,
    save_profile,
    unseen_changes,
)

from . import answers as ans
from . import present
from .auth import role_required
from .db import get_session
from .engine_ext import get_engine
from .i18n import current_lang
from .owners import get_profile

bp = Blueprint("account", __name__)


CHECK_FAILURES = (SubsidyError, ArithmeticError, ValueError, SQLAlchemyError)


def _recheck(code: str | None) -> bool:
    """Re-check the company's saved versions if the rules in force are another version than
    their last check's (one query when they are not); False if that failed, and the page then
    shows the changes known so far rather than an error."""
    if not code:
        return True
    db = get_session()
    try:
        recheck_company(db, get_engine(), code)
        db.commit()
    except CHECK_FAILURES:
        db.rollback()
        current_app.logger.exception("re-check of %s failed", code)
        return False
    return True


def _compared(change: ProfileChange) -> tuple[str, str, Any]:
    return change.catalog_before, change.catalog_after, change.as_of


def _groups(changes: list[ProfileChange]) -> list[dict[str, Any]]:
    """One version's changes by the re-check that found them (the rules versions compared)."""
    return [{"before": before, "after": after, "as_of": as_of, "changes": list(found)}
            for (before, after, as_of), found in groupby(changes, _compared)]


@bp.get("/")
@role_required("firm")
def index() -> Any:
    checked = _recheck(g.user.company_code)
    db = get_session()
    code = g.user.company_code
    versions = list(db.scalars(select(ProfileVersion)
                               .where(ProfileVersion.company_code == code)
                               .order_by(ProfileVersion.fiscal_year.desc(),
                                         ProfileVersion.version.desc())))
    unseen = unseen_changes(db, code) if code else {}
    changed = [(v, _groups(unseen[v.id])) for v in versions if v.id in unseen]
    # Showing the page is the firm seeing its notices: recorded (who, when) apart from confirming.
    fresh = mark_notices_seen(db, code, g.user.username) if code else []
    notices = notices_for(db, code) if code else []
    db.commit()
    return render_template("account/index.html", company=db.get(Company, code),
                           versions=versions, changed=changed, checked=checked,
                           seen=request.args.get("seen", type=int), notices=notices,
                           fresh=set(fresh))


@bp.post("/changes/seen")
@role_required("firm")
def changes_seen() -> Any:
    """Mark one version's listed changes (or all the company's) as seen, so the list does not
    repeat them; the store only touches the firm's own versions, and audits it."""
    db = get_session()
    profile_id = request.form.get("profile_id", type=int)
    marked = mark_changes_seen(db, g.user.company_code, g.user.username, profile_id)
    db.commit()
    return redirect(url_for("account.index", seen=marked) + "#changes")


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
    default = default_as_of(version.fiscal_year)  # the date its checks use too
    as_of, _error = ans.parse_as_of(request.args.get("as_of") or default.isoformat())
    as_of = as_of or default
    engine = get_engine()
    assessment = engine.assess(parse_profile(version.data), as_of)
    lang = current_lang()
    titles = {pid: p.title.get(lang) for pid, p in engine.catalog.programs.items()}
    assessed, elsewhere, others = present.cards(assessment, titles, lang, engine.catalog)
    return render_template("account/profile.html", v=version, a=assessment, assessed=assessed,
                           elsewhere=elsewhere, others=others,
                           counts=present.counts(assessment, engine.catalog),
                           as_of=as_of.isoformat(), saved=request.args.get("saved"))


def _save(profile: Any) -> int:
    """Store the next version (two saves at once are sorted out by the store, save_profile) and
    record its first check, the baseline later re-checks compare with; should that fail, the
    next opening of the account records it."""
    db = get_session()
    try:
        version_id, _added = save_profile(db, profile, g.user.username, "self_declared")
    except SaveConflict:
        abort(409)
    try:
        record_check(db, get_engine(), version_id)
        db.commit()
    except CHECK_FAILURES:
        db.rollback()
        current_app.logger.exception("first check of profile %s failed", version_id)
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
