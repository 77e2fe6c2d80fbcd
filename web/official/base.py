"""The console's blueprint, its access rule and the helpers its views share."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

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


class ItemGroup(NamedTuple):
    """One program's items, for grouped item choices."""

    program_id: str
    title: str
    items: list[tuple[str, str]]  # (item id, item title)


def item_groups(only: list[str] | None = None) -> list[ItemGroup]:
    """The catalog's items grouped by program, in catalog order (optionally only `only`)."""
    catalog, lang = get_engine().catalog, current_lang()
    groups = []
    for program_id, program in catalog.programs.items():
        items = [(i, catalog.versions[i][-1].title.get(lang)) for i in catalog.item_ids(program_id)
                 if only is None or i in only]
        if items:
            groups.append(ItemGroup(program_id, program.title.get(lang), items))
    return groups


def chosen_items(form: Any) -> list[str] | None:
    """The items a screening form asks for: those ticked one by one, plus every item of each
    program ticked as a whole (the select-all that works without JavaScript); None for all."""
    catalog = get_engine().catalog
    programs = set(form.getlist("programs"))
    wanted = set(form.getlist("items"))
    wanted |= {i for p in programs if p in catalog.programs for i in catalog.item_ids(p)}
    return [i for i in catalog.versions if i in wanted] or None


def actor() -> str:
    return str(g.user.username)


def load_run(run_id: int) -> Run:
    run = get_session().get(Run, run_id)
    if run is None:
        abort(404)
    return run


def is_signed(run: Run) -> bool:
    return signoff_of(get_session(), run.id) is not None


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def store_text(exc: Exception) -> str:
    """The store's refusals say it twice, "中文 English" (its CLI shows both): the half in the
    page's language. A message without both halves is shown whole."""
    message = str(getattr(exc, "message", None) or exc)
    last = None
    for last in _CJK.finditer(message):  # noqa: B007 - the last match is the one wanted
        pass
    if last is None:
        return message
    zh, en = message[:last.end()].strip(), message[last.end():].strip()
    if not zh or not any(c.isascii() and c.isalpha() for c in en):
        return message
    return zh if current_lang() == "zh" else en
