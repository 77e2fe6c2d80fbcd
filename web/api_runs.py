"""API v1 for officials' screening runs: `Authorization: Bearer <token>` (tokens from the console,
stored hashed). Create a run, read it, page through its decisions. Same JSON error shape as the
rest of /api/v1; no cookie is read, so there is no CSRF to guard against."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound, TooManyRequests, Unauthorized

from engine import DATE_MAX, DATE_MIN, date_in_range, decision_to_dict
from engine.store import (
    DecisionReader,
    ProfileVersion,
    ResultFilter,
    Run,
    result_page,
    select_all,
    signoff_of,
    start_run,
    user_for_token,
)

from . import api_models as m
from .api import read_json
from .apidoc import BEARER, document, responses
from .db import get_session
from .engine_ext import get_engine
from .errors import RequestError
from .official.launch import launch, mark_running, may_launch
from .params import positive_int
from .present import ORDER

bp = Blueprint("api_runs", __name__)


@bp.before_request
def _bearer() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send `Authorization: Bearer <token>` (create a token in the console)")
    user = user_for_token(get_session(), token.strip())
    if user is None:
        raise Unauthorized("unknown or revoked token")
    if user.role not in ("official", "admin"):
        raise Forbidden("runs are for officials")
    g.api_user = user


def run_json(run: Run) -> dict[str, Any]:
    signed = signoff_of(get_session(), run.id)
    return {
        "id": run.id, "status": run.status, "as_of": run.as_of.isoformat(),
        "rules_version": run.catalog_hash, "items": run.items, "selection": run.selection,
        "rows_total": run.rows_total, "rows_done": run.rows_done, "counts": run.counts,
        "started_by": run.started_by, "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "signed_off": {"by": signed.signed_by, "at": signed.signed_at.isoformat()} if signed else None,
    }


def _load(run_id: int) -> Run:
    run = get_session().get(Run, run_id)
    if run is None:
        raise NotFound(f"no run {run_id}")
    return run


def _as_of(value: Any) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        day = None
    if day is None or not date_in_range(day):
        raise RequestError(f"`as_of` must be a date YYYY-MM-DD between {DATE_MIN} and {DATE_MAX}",
                           field="as_of")
    return day


def _profile_ids(session: Any, as_of: dt.date, codes: Any) -> list[int]:
    """The latest profile of every stored company, or of the companies named."""
    ids = select_all(session, as_of)
    if codes is None:
        return ids
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise RequestError("`credit_codes` must be a list of credit codes", field="credit_codes")
    wanted = {c.strip().upper() for c in codes}
    chosen = set(session.scalars(select(ProfileVersion.id).where(
        ProfileVersion.id.in_(ids), ProfileVersion.company_code.in_(wanted))))
    return [i for i in ids if i in chosen]


@bp.post("/runs")
@document("createRun", responses((202, m.Run, "Started; poll the run until it is complete"),
                                 400, 401, 403, 415, 429), "runs",
          json=m.RunRequest, security=BEARER)
def create_run() -> Any:
    """Start screening stored companies (officials)

    Each company is screened on its latest profile version not after the year of `as_of`;
    the run goes on in the background.
    """
    body = read_json({"as_of", "items", "credit_codes"})
    as_of = _as_of(body.get("as_of"))
    items = body.get("items")
    if items is not None and (not isinstance(items, list) or not all(isinstance(i, str) for i in items)):
        raise RequestError("`items` must be a list of item ids", field="items")
    session = get_session()
    ids = _profile_ids(session, as_of, body.get("credit_codes"))
    if not ids:
        raise RequestError("no stored profile to screen for that date and selection",
                           field="credit_codes")
    if not may_launch(current_app, session, g.api_user.username):
        raise TooManyRequests("too many screenings running; wait for one to finish")
    run = start_run(session, get_engine().catalog, ids, as_of, items or None, g.api_user.username,
                    "api:" + ("all" if body.get("credit_codes") is None else "companies"))
    mark_running(run)
    session.commit()
    launch(current_app._get_current_object(), run.id)  # type: ignore[attr-defined]
    response = jsonify(run_json(run))
    response.status_code = 202
    response.headers["Location"] = url_for("api_runs.get_run", run_id=run.id)
    return response


@bp.get("/runs/<int:run_id>")
@document("getRun", responses((200, m.Run, "The run"), 401, 403, 404), "runs", security=BEARER)
def get_run(run_id: int) -> Any:
    """A run: progress, counts, sign-off"""
    return jsonify(run_json(_load(run_id)))


def _explanations(session: Any, run_id: int, rows: list[Any]) -> dict[int, Any]:
    """Decision id -> its explanation (decision dict), rebuilt once per applicant on the page."""
    reader = DecisionReader(session, run_id)
    out = {}
    for profile_id in dict.fromkeys(r.profile_id for r in rows):
        by_item = {d.item_id: d for d in reader.applicant(profile_id)}
        for r in rows:
            if r.profile_id == profile_id:
                out[r.id] = decision_to_dict(by_item[r.item_id])
    return out


@bp.get("/runs/<int:run_id>/decisions")
@document("listRunDecisions", responses((200, m.DecisionPage, "50 decisions per page"),
                                        400, 401, 403, 404), "runs",
          query=m.DecisionsQuery, security=BEARER)
def decisions(run_id: int) -> Any:
    """A page of the run's decisions, filtered by outcome and item"""
    run = _load(run_id)
    status = request.args.get("status") or None
    if status is not None and status not in ORDER:
        raise RequestError(f"`status` must be one of {', '.join(ORDER)}", field="status")
    page_number = positive_int(request.args.get("page", "1"))
    if page_number is None:
        raise RequestError("`page` must be a positive whole number", field="page")
    session = get_session()
    page = result_page(session, run.id, ResultFilter(item=request.args.get("item") or None,
                                                     status=status), page_number,
                       current_app.config["RESULTS_PER_PAGE"])
    explanations = _explanations(session, run.id, page.rows)
    return jsonify({
        "run_id": run.id, "page": page.page, "pages": page.pages, "total": page.total,
        "decisions": [{
            "id": r.id, "credit_code": r.credit_code, "name": r.name, "district": r.district,
            "fiscal_year": r.fiscal_year, "profile_version": r.version, "item_id": r.item_id,
            "status": r.status, "amount": None if r.amount is None else format(r.amount, "f"),
            "amount_is_ceiling": r.amount_is_ceiling, "explanation": explanations[r.id],
        } for r in page.rows],
    })
