"""A screening run: progress (page and JSON), the results table, one decision, resume."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from engine import District, labels, wan
from engine.store import (
    OVERRIDE_STATUSES,
    SORTS,
    DecisionReader,
    DecisionRow,
    ProfileVersion,
    ResultFilter,
    firm_counts,
    is_stale,
    iter_run_errors,
    result_page,
    review_summaries,
    reviews_of,
    signoff_of,
)

from .. import present
from ..db import get_session
from ..engine_ext import get_engine
from ..i18n import current_lang
from ..params import positive_int
from .base import actor, bp, is_signed, item_groups, load_run
from .launch import died, launch, mark_running, may_launch

STATUSES = present.ORDER
ERRORS_SHOWN = 100  # the exports list every one


def progress_of(run: Any) -> dict[str, Any]:
    """What the progress bar needs; the API's run object says the same."""
    percent = 100 if run.rows_total == 0 else int(100 * run.rows_done / run.rows_total)
    return {"id": run.id, "status": run.status, "rows_done": run.rows_done,
            "rows_total": run.rows_total, "percent": percent, "counts": run.counts,
            "errors": run.errors}


def _checked_run(run_id: int) -> Any:
    """The run; if its screening process died without saying so (this server saw it exit, or its
    heartbeat is older than the lease), marked incomplete first, so that it can be resumed."""
    run = load_run(run_id)
    if is_stale(run):
        run.status = "incomplete"
        get_session().commit()
    if died(current_app, run):
        get_session().refresh(run)  # the process may have finished between the two reads
        if died(current_app, run):
            run.status = "incomplete"
            get_session().commit()
    return run


@bp.get("/runs/<int:run_id>")
def run(run_id: int) -> Any:
    run = _checked_run(run_id)
    errors = list(iter_run_errors(get_session(), run.id, limit=ERRORS_SHOWN)) if run.errors else []
    firms = firm_counts(get_session(), run) if run.rows_done else None
    get_session().commit()  # a complete run keeps its counts
    return render_template("official/run.html", run=run, p=progress_of(run), errors=errors,
                           firms=firms, firms_total=wan(Decimal(firms["total_yuan"]), current_lang())
                           if firms else None,
                           errors_shown=ERRORS_SHOWN, signoff=signoff_of(get_session(), run.id))


@bp.get("/runs/<int:run_id>/progress.json")
def progress(run_id: int) -> Any:
    return jsonify(progress_of(_checked_run(run_id)))


def _filter() -> ResultFilter:
    args = request.args
    return ResultFilter(item=args.get("item") or None,
                        status=args.get("status") if args.get("status") in STATUSES else None,
                        district=args.get("district") or None,
                        sort=args.get("sort") if args.get("sort") in SORTS else "id")


def _page_number() -> int:
    return positive_int(request.args.get("page")) or 1


@bp.get("/runs/<int:run_id>/results")
def results(run_id: int) -> Any:
    run = load_run(run_id)
    f = _filter()
    page = result_page(get_session(), run.id, f, _page_number(),
                       current_app.config["RESULTS_PER_PAGE"])
    lang = current_lang()
    catalog = get_engine().catalog
    titles = {i: v[-1].title.get(lang) for i, v in catalog.versions.items()}
    districts = {d.value: labels.enum(d.value, lang) for d in District}
    return render_template("official/results.html", run=run, f=f, page=page, titles=titles,
                           groups=item_groups(run.items), districts=districts,
                           statuses=STATUSES, sorts=list(SORTS))


def page_url(run_id: int, f: ResultFilter, page: int) -> str:
    args = {k: v for k, v in (("item", f.item), ("status", f.status), ("district", f.district),
                              ("sort", f.sort if f.sort != "id" else None)) if v}
    return url_for("official.results", run_id=run_id, page=page, **args)


@bp.app_template_global("results_page_url")
def _results_page_url(run_id: int, f: ResultFilter, page: int) -> str:
    return page_url(run_id, f, page)


@bp.get("/decisions/<int:decision_id>")
def decision(decision_id: int) -> Any:
    """One decision with its explanation, rebuilt from the stored profile, rules and date."""
    return decision_page(decision_id)


def decision_row(decision_id: int) -> DecisionRow:
    row = get_session().get(DecisionRow, decision_id)
    if row is None:
        abort(404)
    return row


def decision_page(decision_id: int, review_error: str | None = None,
                  form: dict[str, str] | None = None, status: int = 200,
                  detail: str | None = None) -> Any:
    """The decision page; reviews.py renders it again with a refused review's reason and what
    the reviewer typed (422), so nothing typed is lost."""
    db = get_session()
    row = decision_row(decision_id)
    version = db.get(ProfileVersion, row.profile_id)
    lang = current_lang()
    reader = DecisionReader(db, row.run_id)
    decisions = reader.applicant(row.profile_id)
    item_id = reader.explainer.item_ids[row.item]
    d = next(d for d in decisions if d.item_id == item_id)
    catalog = get_engine().catalog
    program = catalog.programs.get(d.program)
    card = present.card(d, program.title.get(lang) if program else d.program, lang)
    ids = dict(db.execute(select(DecisionRow.item, DecisionRow.id).where(
        DecisionRow.run_id == row.run_id, DecisionRow.profile_id == row.profile_id)).all())
    codes = reader.explainer.codes
    # Static decisions (the same for every applicant) have no row of their own: no link.
    siblings = [(ids.get(codes[s.item_id]), s.item_id, s.status) for s in decisions]
    titles = {i: v[-1].title.get(lang) for i, v in catalog.versions.items()}
    history = reviews_of(db, row.run_id, row.profile_id, item_id)
    summary = review_summaries(db, row.run_id, [row.profile_id]).get((row.profile_id, item_id))
    return render_template("official/decision.html", row=row, c=card, v=version,
                           run=reader.run, siblings=siblings, titles=titles, item_id=item_id,
                           reviews=history, review=summary, signed=is_signed(reader.run),
                           override_statuses=OVERRIDE_STATUSES, review_error=review_error,
                           review_detail=detail, form=form or {}), status


@bp.post("/runs/<int:run_id>/resume")
def resume(run_id: int) -> Any:
    """Finish an interrupted run (a signed-off run is complete, hence read-only: nothing to do)."""
    run = _checked_run(run_id)
    if run.status != "incomplete" or is_signed(run):
        abort(409)
    if not may_launch(current_app, get_session(), actor()):
        abort(429)
    mark_running(run)
    get_session().commit()
    launch(current_app._get_current_object(), run.id)  # type: ignore[attr-defined]
    return redirect(url_for("official.run", run_id=run.id))
