"""Policy-draft impact in the console: an official uploads one changed rule file (YAML), which
takes the place of its namesake in a copy of the rules in force, chooses the firms (every stored
firm's latest version on a date, one district's, or a complete run's applicants) and starts the
impact in the background; the job's page (draft_jobs.py) shows its progress, then who flips,
because of which criterion, and the budget effect per item, with the flips as CSV and XLSX.

The draft is loaded here with the ordinary loader and its checks, so that a bad draft is refused
at once with the file, item and key; loading compiles nothing. It is compiled and run only in
the job's process (`subsidy draft-job`, web/official/launch.py): durable_rules rulesets are never
freed, and the web process must not accumulate them. Nothing is written to rules/ or to the
catalogs table: the draft never affects a firm's self-check until its file is adopted. The file
is kept under instance/drafts/ so that the job and its audit entry name what was assessed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.utils import secure_filename

from engine import District, RuleError, labels
from engine.store import (
    PROJECT_ROOT,
    DraftError,
    DraftJob,
    Run,
    live_draft_jobs,
    load_draft,
    start_draft_job,
)

from .. import answers as ans
from ..db import get_session
from ..i18n import current_lang
from ..params import positive_int
from .base import actor, bp, load_run, store_text
from .launch import launch_draft

SUFFIXES = (".yaml", ".yml")
SCOPES = ("all", "district", "run")
FIELDS = ("scope", "as_of", "district", "run_id", "replaces")


def rules_root() -> Path:
    configured = current_app.config.get("RULES_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "rules"


def rule_files() -> list[str]:
    """The rule files in force, as paths under the rules directory (what a draft may replace)."""
    root = rules_root()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


def districts() -> dict[str, str]:
    return {d.value: labels.enum(d.value, current_lang()) for d in District}


def _page(error: str | None = None, args: dict[str, Any] | None = None, status: int = 200,
          form: dict[str, str] | None = None) -> Any:
    db = get_session()
    runs = list(db.scalars(select(Run).where(Run.status == "complete")
                           .order_by(Run.id.desc()).limit(50)))
    jobs = list(db.scalars(select(DraftJob).order_by(DraftJob.id.desc()).limit(20)))
    return render_template("official/drafts.html", runs=runs, jobs=jobs, files=rule_files(),
                           districts=districts(), error=error, args=args or {},
                           form=form or {}), status


@bp.get("/drafts")
def drafts() -> Any:
    run = request.args.get("run", "")
    return _page(form={"run_id": run, "scope": "run" if run else "all"})


def _scope(form: dict[str, str]) -> tuple[dict[str, Any] | None, Any]:
    """The job's scope from the form, or the refusal page."""
    scope = form["scope"] if form["scope"] in SCOPES else "all"
    if scope == "run":
        run_id = positive_int(form["run_id"])
        if run_id is None:
            return None, _page("draft.error.run", status=422, form=form)
        run = load_run(run_id)
        if run.status != "complete":
            return None, _page("draft.error.incomplete", {"id": run.id}, status=422, form=form)
        return {"scope": scope, "run_id": run.id}, None
    as_of, _error = ans.parse_as_of(form["as_of"]) if form["as_of"].strip() else (None, None)
    if as_of is None:
        return None, _page("draft.error.as_of", status=422, form=form)
    if scope == "district" and form["district"] not in districts():
        return None, _page("push.error.district", status=422, form=form)
    return {"scope": scope, "as_of": as_of,
            "district": form["district"] if scope == "district" else None}, None


def _keep(upload: Any, name: str) -> Path:
    folder = Path(current_app.instance_path) / "drafts" / (
        f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}")
    folder.mkdir(parents=True)
    draft = folder / (name[:-4] + ".yaml" if name.lower().endswith(".yml") else name)
    draft.write_bytes(upload)
    return draft


@bp.post("/drafts")
def run_draft() -> Any:
    form = {k: request.form.get(k, "") for k in FIELDS}
    scope, refusal = _scope(form)
    if scope is None:
        return refusal
    if live_draft_jobs(get_session(), actor()) >= current_app.config["DRAFTS_PER_USER"]:
        return _page("draft.error.busy", {"max": current_app.config["DRAFTS_PER_USER"]},
                     status=429, form=form)
    replaces = form["replaces"] or None
    if replaces is not None and replaces not in rule_files():
        return _page("draft.error.replaces", status=422, form=form)
    upload = request.files.get("draft")
    if upload is None or not upload.filename:
        return _page("draft.error.none", status=422, form=form)
    name = secure_filename(upload.filename)
    if not name.lower().endswith(SUFFIXES):
        return _page("draft.error.type", status=422, form=form)
    data = upload.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _page("draft.error.encoding", status=422, form=form)
    draft = _keep(data, name)
    try:
        load_draft(draft, rules_root(), replaces)
    except (RuleError, DraftError) as exc:
        return _page("draft.error.refused", {"detail": store_text(exc)}, status=422, form=form)
    db = get_session()
    job = start_draft_job(db, draft, by=actor(), lang=current_lang(), replaces=replaces, **scope)
    db.commit()
    launch_draft(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return redirect(url_for("official.draft_job_page", job_id=job.id))
