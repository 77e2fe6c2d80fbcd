"""Finding a firm among thousands: search by a part of its name or a credit-code prefix
(engine.store.search_companies, index-backed), and one company's page across its profile
versions and every run that screened it (engine.store.company_history), linking to decisions.

Both are plain GETs, so a search result or a company page can be bookmarked and shared.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request
from sqlalchemy import select

from engine import labels, namespace
from engine.store import (
    DecisionReader,
    DecisionRow,
    SearchError,
    UnknownCompany,
    company_history,
    search_companies,
)

from ..db import get_session
from ..i18n import current_lang
from ..params import positive_int
from .base import bp, store_text

QUERY_MAX = 100  # the store's limit; a longer query is refused with its message


@bp.get("/search")
def search() -> Any:
    """A page of matching companies. An empty box shows the form; a bad query is a 422 that
    says why, never an error page."""
    query = request.args.get("q", "")
    page_no = positive_int(request.args.get("page")) or 1
    if not query.strip():
        return render_template("official/search.html", q="", result=None, error=None)
    per_page = current_app.config.get("SEARCH_PER_PAGE", 20)
    try:
        result = search_companies(get_session(), query, page_no, per_page)
    except SearchError as exc:
        return render_template("official/search.html", q=query[:QUERY_MAX], result=None,
                               error=store_text(exc)), 422
    return render_template("official/search.html", q=result.query, result=result, error=None)


@bp.get("/companies/<code>")
def company(code: str) -> Any:
    """One firm: its profile versions (newest first, what changed, who entered them, from where)
    and the runs that screened it with their decisions and reviews."""
    if len(code) > 18 or not code.isascii() or not code.isalnum():
        abort(404)
    db = get_session()
    try:
        history = company_history(db, code)
    except UnknownCompany:
        abort(404)
    # The decision rows' ids, to link each decision to its page: the rows of this firm's
    # versions in these runs, in one query, and each run's item numbering (one query a run).
    ids: dict[tuple[int, int, str], int] = {}
    if history.runs:
        run_ids = sorted({r.run_id for r in history.runs})
        profiles = sorted({r.profile_id for r in history.runs})
        numbering = {run_id: {code: item for item, code in
                              DecisionReader(db, run_id).explainer.codes.items()}
                     for run_id in run_ids}
        for row_id, run_id, profile_id, item in db.execute(
                select(DecisionRow.id, DecisionRow.run_id, DecisionRow.profile_id, DecisionRow.item)
                .where(DecisionRow.run_id.in_(run_ids), DecisionRow.profile_id.in_(profiles))):
            item_id = numbering[run_id].get(item)
            if item_id:
                ids[(run_id, profile_id, item_id)] = row_id
    lang = current_lang()
    return render_template("official/company.html", h=history, ids=ids,
                           label=lambda name: namespace.label(name, lang))


@bp.app_template_global("district_label")
def district_label(value: str | None) -> str:
    """A stored district ('futian') in the page's language; a dash for none."""
    return labels.enum(value, current_lang()) if value else "—"
