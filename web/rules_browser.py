"""The public rule browser: programs, items, criteria with citations, periods, budget lines."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from engine import rule_amount_text

from . import rules_view
from .engine_ext import get_engine
from .i18n import current_lang

bp = Blueprint("rules", __name__)


@bp.get("/")
def index() -> Any:
    catalog = get_engine().catalog
    programs = [(p, [(i, catalog.versions[i]) for i in catalog.item_ids(pid)])
                for pid, p in catalog.programs.items()]
    return render_template("rules/index.html", programs=programs, catalog=catalog)


@bp.get("/<item_id>")
def item(item_id: str) -> Any:
    catalog = get_engine().catalog
    if item_id not in catalog.versions:
        abort(404)
    lang = current_lang()
    versions = [
        {"item": v,
         "tree": rules_view.tree(v.criteria, catalog, lang) if v.criteria is not None else None,
         "amount": rule_amount_text(v.amount, lang) if v.amount is not None else None,
         "budget_wan": catalog.budget_line_wan(item_id, v),
         "exclusions": [(catalog.conditions[name],
                         rules_view.tree(catalog.conditions[name].criteria, catalog, lang))
                        for name in v.exclusions],
         "budget_title": _budget_title(catalog, item_id, v.budget_line, lang)}
        for v in reversed(catalog.versions[item_id])
    ]
    program = catalog.programs[catalog.program_of[item_id]]
    return render_template("rules/item.html", item_id=item_id, versions=versions,
                           program=program, catalog=catalog)


def _budget_title(catalog: Any, item_id: str, line_id: str | None, lang: str) -> str | None:
    budget = catalog.programs[catalog.program_of[item_id]].budget
    if budget is None or line_id is None:
        return None
    return next((f"（{line.id}）{line.title.get(lang)}" for line in budget.lines if line.id == line_id),
                None)
