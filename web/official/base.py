"""The console's blueprint, its access rule and the helpers its views share."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, request, url_for

from engine.store import Run, signoff_of

from ..db import get_session
from ..engine_ext import get_engine
from ..i18n import current_lang

bp = Blueprint("official", __name__)
STAFF = ("official", "admin")


@bp.before_request
def _staff_only() -> Any:
    """Every console page: anonymous -> login page, firms -> 403. One rule for the whole blueprint,
    so that a new view cannot forget it."""
    if g.user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if g.user.role not in STAFF:
        abort(403)
    return None


def item_groups(only: list[str] | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(program title, [(item id, item title)])] in catalog order, for grouped item choices."""
    catalog, lang = get_engine().catalog, current_lang()
    groups = []
    for program_id, program in catalog.programs.items():
        items = [(i, catalog.versions[i][-1].title.get(lang)) for i in catalog.item_ids(program_id)
                 if only is None or i in only]
        if items:
            groups.append((program.title.get(lang), items))
    return groups


def actor() -> str:
    return str(g.user.username)


def load_run(run_id: int) -> Run:
    run = get_session().get(Run, run_id)
    if run is None:
        abort(404)
    return run


def is_signed(run: Run) -> bool:
    return signoff_of(get_session(), run.id) is not None
