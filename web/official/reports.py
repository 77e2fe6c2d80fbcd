"""What a run means for the budget (engine.export.budget) and how two runs differ (store.runs.run_changes)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from flask import render_template, request
from sqlalchemy import select

from engine import fact_usage, format_value, namespace
from engine.store import Company, list_runs, run_budget, run_changes, run_profile_data

from ..db import get_session, sessions
from ..engine_ext import get_engine
from ..i18n import current_lang
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
    db = get_session()
    codes = sorted({ch.key[0] for ch in changes})
    names = dict(db.execute(
        select(Company.credit_code, Company.name).where(Company.credit_code.in_(codes))).all())
    facts: dict[Any, list[tuple[str, str, str]]] = {}
    if changes:
        keys = {ch.key[:2] for ch in changes}
        data_a, data_b = run_profile_data(db, a, keys), run_profile_data(db, b, keys)
        reads = _item_fields()
        facts = {ch.key: changed_facts(data_a.get(ch.key[:2]), data_b.get(ch.key[:2]),
                                       reads.get(ch.key[2], ())) for ch in changes}
    return render_template("official/diff.html", runs=runs, a=a, b=b, changes=changes, more=more,
                           limit=MAX_CHANGES_SHOWN, names=names, facts=facts)


def _item_fields() -> dict[str, list[str]]:
    """Item id -> the profile fields its criteria and amount read (engine.fact_usage)."""
    out: dict[str, list[str]] = {}
    for field, uses in fact_usage(get_engine().compiled).items():
        for use in uses:
            out.setdefault(use.item_id, []).append(field)
    return out


def changed_facts(before: dict[str, Any] | None, after: dict[str, Any] | None,
                  fields: Iterable[str]) -> list[tuple[str, str, str]]:
    """(fact label, value before, value after) for each field the item reads whose stored value
    differs between the two runs' profiles (a company absent from one run: nothing to compare)."""
    if before is None or after is None:
        return []
    lang = current_lang()
    return [(namespace.label(name, lang), format_value(name, before.get(name), lang),
             format_value(name, after.get(name), lang))
            for name in fields if before.get(name) != after.get(name)]
