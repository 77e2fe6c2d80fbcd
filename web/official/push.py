"""免申即享 push lists in the console: a round's screening of every stored firm (or a district's)
started here, then the list made from a complete run (optionally one district's firms
and some items, with a date to confirm by), reviewed entry by entry (taken off with a reason, or
put back), published after a confirmation, and exported as CSV or XLSX.

The list itself is the store's (engine.store.create_push_list and the functions beside it): only
eligible decisions with a computed amount that are paid are listed, a decision a reviewer
overrode is listed as excluded, and each entry carries the facts its decision used with their
provenance. Publishing sends each listed firm a notice in its account (web/account.py). Every
step is audited by the store; a published list is read-only (409).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from sqlalchemy import func, select

from engine import District, format_value, labels, namespace
from engine.store import (
    PUSH_FORMATS,
    Company,
    ProfileVersion,
    PushEntry,
    PushList,
    PushListError,
    Run,
    RunError,
    create_push_list,
    exclude_entry,
    export_push_list,
    notice_counts,
    publish_push_list,
    restore_entry,
    select_all,
    start_run,
)

from .. import answers as ans
from ..db import get_session
from ..engine_ext import get_engine
from ..i18n import current_lang, t
from ..params import positive_int
from .base import actor, bp, chosen_items, item_groups, load_run, store_text
from .launch import launch, mark_running, may_launch

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
REASON_MAX = 2000
SHOWS = ("all", "listed", "excluded")
FILE_NAMES = {"zh": "免申即享名单", "en": "push-list"}


def _districts() -> dict[str, str]:
    return {d.value: labels.enum(d.value, current_lang()) for d in District}


def load_list(list_id: int) -> PushList:
    push = get_session().get(PushList, list_id)
    if push is None:
        abort(404)
    return push


@bp.get("/push")
def push_lists(error: str | None = None, detail: str = "", form: dict[str, Any] | None = None,
               status: int = 200) -> Any:
    """The lists made so far, newest first, and the form to make one from a complete run."""
    db = get_session()
    lists = list(db.scalars(select(PushList).order_by(PushList.id.desc()).limit(50)))
    runs = list(db.scalars(select(Run).where(Run.status == "complete").order_by(Run.id.desc())
                           .limit(50)))
    chosen = (form or {}).get("run_id") or request.args.get("run", "")
    return render_template("official/push_lists.html", lists=lists, runs=runs, chosen=chosen,
                           districts=_districts(), groups=item_groups(), error=error,
                           detail=detail, form=form or {}), status


@bp.post("/push/screen")
def screen_round() -> Any:
    """Screen every stored firm (or one district's), each on its latest profile version as
    `subsidy screen --all` picks them, on the round's date, in the background like any run; the
    run page then offers to make the push list from it."""
    form = {k: request.form.get(k, "") for k in ("as_of", "district")}
    as_of, _error = ans.parse_as_of(form["as_of"]) if form["as_of"].strip() else (None, None)
    if as_of is None:
        return push_lists("push.error.as_of", form=form, status=422)
    district = form["district"] or None
    if district is not None and district not in _districts():
        return push_lists("push.error.district", form=form, status=422)
    db = get_session()
    ids = select_all(db, as_of)
    if district is not None and ids:
        ids = list(db.scalars(select(ProfileVersion.id)
                              .join(Company, Company.credit_code == ProfileVersion.company_code)
                              .where(ProfileVersion.id.in_(ids), Company.district == district)
                              .order_by(ProfileVersion.id)))
    if not ids:
        return push_lists("push.error.no_firms", form=form, status=422)
    if not may_launch(current_app, db, actor()):
        return push_lists("official.too_many_runs", form=form, status=429)
    run = start_run(db, get_engine().catalog, ids, as_of, chosen_items(request.form), actor(),
                    f"district:{district}" if district else "all")
    mark_running(run)
    db.commit()
    launch(current_app._get_current_object(), run.id)  # type: ignore[attr-defined]
    return redirect(url_for("official.run", run_id=run.id))


@bp.post("/push")
def create_list() -> Any:
    form = {k: request.form.get(k, "") for k in ("run_id", "district", "confirm_by")}
    run_id = positive_int(form["run_id"])
    if run_id is None:
        return push_lists("push.error.run", form=form, status=422)
    run = load_run(run_id)
    district = form["district"] or None
    if district is not None and district not in _districts():
        return push_lists("push.error.district", form=form, status=422)
    confirm_by = None
    if form["confirm_by"]:
        confirm_by, _error = ans.parse_as_of(form["confirm_by"])
        if confirm_by is None:
            return push_lists("push.error.confirm_by", form=form, status=422)
    db = get_session()
    try:
        push = create_push_list(db, run.id, actor(), district, chosen_items(request.form),
                                confirm_by)
    except (PushListError, RunError) as exc:
        db.rollback()
        return push_lists("push.error.store", store_text(exc), form, 422)
    db.commit()
    return redirect(url_for("official.push_list", list_id=push.id))


def _counts(list_id: int) -> dict[str, int]:
    db = get_session()
    by_flag = dict(db.execute(select(PushEntry.excluded, func.count()).where(
        PushEntry.list_id == list_id).group_by(PushEntry.excluded)).all())
    firms = db.scalar(select(func.count(func.distinct(PushEntry.company_code))).where(
        PushEntry.list_id == list_id, ~PushEntry.excluded)) or 0
    payable = func.coalesce(PushEntry.override_amount, PushEntry.amount)
    total = db.scalar(select(func.coalesce(func.sum(payable), 0)).where(
        PushEntry.list_id == list_id, ~PushEntry.excluded))
    overridden = db.scalar(select(func.count()).where(
        PushEntry.list_id == list_id, PushEntry.override_status.is_not(None))) or 0
    return {"listed": by_flag.get(False, 0), "excluded": by_flag.get(True, 0), "firms": firms,
            "total": total, "overridden": overridden, **notice_counts(db, list_id)}


def facts_shown(facts: list[dict[str, Any]]) -> list[dict[str, str]]:
    """An entry's facts as the page shows them: label, value, where from and as of when."""
    lang = current_lang()
    out = []
    for fact in facts:
        name = fact.get("name") or ""
        out.append({"label": namespace.label(name, lang),
                    "value": format_value(name, fact.get("value"), lang),
                    "source": fact.get("source") or "", "date": fact.get("date") or "",
                    "origin": _origin(fact.get("origin")), "derived": "derived_from" in fact})
    return out


ENTERED = " 录入 entered"  # store.provenance: who entered a version not imported from a list


def _origin(origin: str | None) -> str:
    """Where a fact's profile version came from: the imported list's file, or who entered it
    (stored in both languages, shown in the page's)."""
    if origin in (None, "", "profile"):
        return ""
    text = str(origin)
    if text.endswith(ENTERED):
        return t("push.entered_by", who=text.removesuffix(ENTERED))
    return text


@bp.get("/push/<int:list_id>")
def push_list(list_id: int, error: str | None = None, detail: str = "", status: int = 200) -> Any:
    push = load_list(list_id)
    show = request.args.get("show") if request.args.get("show") in SHOWS else "all"
    page_no = positive_int(request.args.get("page")) or 1
    per_page = current_app.config.get("PUSH_PER_PAGE", 50)
    db = get_session()
    query = (select(PushEntry, Company.name, Company.district)
             .join(Company, Company.credit_code == PushEntry.company_code)
             .where(PushEntry.list_id == push.id))
    if show != "all":
        query = query.where(PushEntry.excluded == (show == "excluded"))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page_no = min(page_no, pages)
    rows = db.execute(query.order_by(PushEntry.company_code, PushEntry.item_id)
                      .limit(per_page).offset((page_no - 1) * per_page)).all()
    return render_template("official/push_list.html", push=push, run=load_run(push.run_id),
                           rows=rows, facts_shown=facts_shown, counts=_counts(push.id),
                           show=show, shows=SHOWS, page=page_no, pages=pages, total=total,
                           error=error, detail=detail, formats=PUSH_FORMATS), status


def _back(list_id: int) -> str:
    """Back to the page and filter the reviewer was on."""
    show = request.form.get("show") if request.form.get("show") in SHOWS else None
    page = positive_int(request.form.get("page"))
    return url_for("official.push_list", list_id=list_id, show=show, page=page)


@bp.post("/push/<int:list_id>/entries/<int:entry_id>/exclude")
def exclude(list_id: int, entry_id: int) -> Any:
    push = load_list(list_id)
    if push.status != "draft":
        abort(409)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return push_list(list_id, "push.error.reason", status=422)
    if len(reason) > REASON_MAX:
        return push_list(list_id, "push.error.reason_long", status=422)
    db = get_session()
    try:
        exclude_entry(db, push.id, entry_id, actor(), reason)
    except PushListError:
        db.rollback()
        abort(404)
    db.commit()
    return redirect(_back(list_id) + f"#entry-{entry_id}")


@bp.post("/push/<int:list_id>/entries/<int:entry_id>/restore")
def restore(list_id: int, entry_id: int) -> Any:
    push = load_list(list_id)
    if push.status != "draft":
        abort(409)
    db = get_session()
    try:
        restore_entry(db, push.id, entry_id, actor())
    except PushListError:
        db.rollback()
        abort(404)
    db.commit()
    return redirect(_back(list_id) + f"#entry-{entry_id}")


@bp.get("/push/<int:list_id>/publish")
def confirm_publish(list_id: int, error: str | None = None, detail: str = "",
                    status: int = 200) -> Any:
    push = load_list(list_id)
    if push.status != "draft":
        abort(409)
    return render_template("official/push_publish.html", push=push, run=load_run(push.run_id),
                           counts=_counts(push.id), error=error, detail=detail), status


@bp.post("/push/<int:list_id>/publish")
def publish(list_id: int) -> Any:
    push = load_list(list_id)
    if push.status != "draft":
        abort(409)
    if request.form.get("confirm") != "yes":
        return confirm_publish(list_id, "push.error.confirm", status=422)
    db = get_session()
    try:
        publish_push_list(db, push.id, actor())
    except PushListError as exc:
        db.rollback()
        return confirm_publish(list_id, "push.error.store", store_text(exc), 422)
    db.commit()
    return redirect(url_for("official.push_list", list_id=push.id))


@bp.get("/push/<int:list_id>/export.<fmt>")
def export_list(list_id: int, fmt: str) -> Any:
    """The list as CSV (UTF-8 with BOM, for Excel) or XLSX, in the page's language; audited."""
    if fmt not in MIMETYPES:
        abort(404)
    push = load_list(list_id)
    db = get_session()
    out = io.BytesIO()  # a list is one row per firm and item: thousands, not millions
    export_push_list(db, push.id, fmt, out, actor=actor(), lang=current_lang())
    db.commit()
    out.seek(0)
    return send_file(out, mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"{FILE_NAMES[current_lang()]}-{push.id}-"
                                   f"{dt.date.today().isoformat()}.{fmt}")
