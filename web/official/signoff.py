"""Sign-off of a complete run, in two steps: a page that says what is being signed (counts,
firms, reviews) with a comment field and a box to tick, then the POST that records it.

The confirmation is a required checkbox checked on the server too, so it works without
JavaScript and a stray POST signs nothing. engine.store.sign_off keeps the comment and audits
it; the run page then shows who signed and when in Beijing time, and the run is read-only.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import func, select

from engine.store import DecisionReview, RunError, firm_counts, sign_off

from ..db import get_session
from .base import actor, bp, is_signed, load_run, store_text

COMMENT_MAX = 2000  # the store's column


def _signable(run_id: int) -> Any:
    run = load_run(run_id)
    if run.status != "complete" or is_signed(run):
        abort(409)
    return run


@bp.get("/runs/<int:run_id>/signoff")
def confirm_signoff(run_id: int, error: str | None = None, detail: str = "", comment: str = "",
                    status: int = 200) -> Any:
    run = _signable(run_id)
    db = get_session()
    reviews = dict(db.execute(select(DecisionReview.action, func.count())
                              .where(DecisionReview.run_id == run.id)
                              .group_by(DecisionReview.action)).all())
    return render_template("official/signoff.html", run=run, firms=firm_counts(db, run),
                           reviews=reviews, error=error, detail=detail, comment=comment,
                           comment_max=COMMENT_MAX), status


@bp.post("/runs/<int:run_id>/signoff")
def signoff(run_id: int) -> Any:
    run = _signable(run_id)
    comment = (request.form.get("comment") or "")[:COMMENT_MAX + 1]
    if request.form.get("confirm") != "yes":
        return confirm_signoff(run_id, "signoff.error.confirm", comment=comment, status=422)
    if len(comment.strip()) > COMMENT_MAX:
        return confirm_signoff(run_id, "signoff.error.too_long", comment=comment, status=422)
    db = get_session()
    try:
        sign_off(db, run, actor(), comment)
    except RunError as exc:
        db.rollback()
        return confirm_signoff(run_id, "signoff.error.store", store_text(exc), comment, 422)
    db.commit()
    return redirect(url_for("official.run", run_id=run.id) + "#signed-off")
