"""What a run means for the budget (engine.export.budget) and how two runs differ (store.runs.run_changes)."""

from __future__ import annotations

from itertools import islice
from typing import Any

from flask import render_template, request

from engine.store import list_runs, run_budget, run_changes

from ..db import get_session, sessions
from ..params import positive_int
from .base import bp, load_run

MAX_CHANGES_SHOWN = 500  # the CLI's `subsidy runs diff` lists them all


@bp.get("/runs/<int:run_id>/budget")
def budget(run_id: int) -> Any:
    run = load_run(run_id)
    db = get_session()
    return render_template("official/budget.html", run=run, impact=run_budget(db, run.id))


def _run_arg(name: str) -> int | None:
    return positive_int(request.args.get(name))


@bp.get("/diff")
def diff() -> Any:
    a, b = _run_arg("a"), _run_arg("b")
    runs = list_runs(get_session(), 100)
    changes: list[Any] = []
    more = False
    if a is not None and b is not None:
        load_run(a), load_run(b)  # 404 for an unknown run
        stream = run_changes(sessions(), a, b)
        changes = list(islice(stream, MAX_CHANGES_SHOWN + 1))
        more = len(changes) > MAX_CHANGES_SHOWN
        changes = changes[:MAX_CHANGES_SHOWN]
        stream.close()
    return render_template("official/diff.html", runs=runs, a=a, b=b, changes=changes, more=more,
                           limit=MAX_CHANGES_SHOWN)
