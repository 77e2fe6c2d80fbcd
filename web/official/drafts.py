"""Policy-draft impact in the console: an official uploads one changed rule file (YAML), which
takes the place of its namesake in a copy of the rules in force, and sees it run over a complete
run's applicants beside the rules in force: who flips, because of which criterion, and the
budget effect per item.

Why a subprocess: the draft is compiled into an Engine of its own (durable_rules rulesets are
registered per compilation and never freed), so the web process must not compile arbitrary
drafts. `subsidy draft-impact FILE --run N --format json` does it in a process that ends, with
the ordinary loader and its checks (a bad draft is refused with the file, item and key), and
audits it (`draft_impact`, by the official). Nothing is written to rules/ or to the catalogs
table: the draft never affects a firm's self-check until its file is adopted. The uploaded file
is kept under instance/drafts/ so that the audit entry names what was assessed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app, render_template, request
from sqlalchemy import select
from werkzeug.utils import secure_filename

from engine import format_value, namespace
from engine.store import PROJECT_ROOT, Run

from ..db import get_session
from ..i18n import current_lang
from ..params import positive_int
from .base import actor, bp, load_run

SUFFIXES = (".yaml", ".yml")
FLIPS_SHOWN = 500


def _rules_root() -> Path:
    configured = current_app.config.get("RULES_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "rules"


def rule_files() -> list[str]:
    """The rule files in force, as paths under the rules directory (what a draft may replace)."""
    root = _rules_root()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))


def _runs() -> list[Run]:
    return list(get_session().scalars(select(Run).where(Run.status == "complete")
                                      .order_by(Run.id.desc()).limit(50)))


def _fact_value(name: str, value: Any) -> str:
    """A fact a criterion read, as a person reads it (the report keeps it as JSON)."""
    try:
        return format_value(name, value, current_lang())
    except (ArithmeticError, KeyError, TypeError, ValueError):
        return str(value)


def _page(error: str | None = None, args: dict[str, Any] | None = None, report: Any = None,
          status: int = 200, form: dict[str, str] | None = None) -> Any:
    return render_template("official/drafts.html", runs=_runs(), files=rule_files(),
                           error=error, args=args or {}, report=report, form=form or {},
                           flips_shown=FLIPS_SHOWN, fact_value=_fact_value,
                           fact_label=lambda name: namespace.label(name or "", current_lang()),
                           max_applicants=current_app.config["DRAFT_MAX_APPLICANTS"]), status


@bp.get("/drafts")
def drafts() -> Any:
    return _page(form={"run_id": request.args.get("run", "")})


def _decimals(report: dict[str, Any]) -> dict[str, Any]:
    """The JSON report's amounts (decimal strings in yuan) as Decimal, for the money filters."""
    def dec(value: Any) -> Decimal | None:
        return None if value in (None, "") else Decimal(value)

    report["budget_delta"] = dec(report["budget_delta"])
    for item in report["items"]:
        for key in ("total_before", "total_after", "delta"):
            item[key] = dec(item[key])
    for flip in report["flips"]:
        for key in ("amount_before", "amount_after"):
            flip[key] = dec(flip[key])
    return report


@bp.post("/drafts")
def run_draft() -> Any:
    form = {k: request.form.get(k, "") for k in ("run_id", "replaces")}
    run_id = positive_int(form["run_id"])
    if run_id is None:
        return _page("draft.error.run", status=422, form=form)
    run = load_run(run_id)
    if run.status != "complete":
        return _page("draft.error.incomplete", {"id": run.id}, status=422, form=form)
    limit = current_app.config["DRAFT_MAX_APPLICANTS"]
    if run.rows_done > limit:
        return _page("draft.error.too_many", {"n": run.rows_done, "max": limit}, status=409,
                     form=form)
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
    folder = Path(current_app.instance_path) / "drafts" / (
        f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}")
    folder.mkdir(parents=True)
    draft = folder / (name[:-4] + ".yaml" if name.lower().endswith(".yml") else name)
    draft.write_bytes(data)
    out = folder / "impact.json"
    cmd = [sys.executable, "-m", "engine.cli", "draft-impact", str(draft), "--run", str(run.id),
           "--format", "json", "--out", str(out), "--by", actor()]
    if replaces:
        cmd += ["--replaces", replaces]
    if current_app.config["RULES_DIR"]:
        cmd += ["--rules-dir", str(current_app.config["RULES_DIR"])]
    env = {**os.environ, "DATABASE_URL": str(current_app.config["DATABASE_URL"])}
    try:
        done = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True,  # noqa: S603 - our own CLI, fixed arguments
                              timeout=current_app.config["DRAFT_TIMEOUT_SECONDS"], check=False)
    except subprocess.TimeoutExpired:
        return _page("draft.error.timeout", status=503, form=form)
    if done.returncode != 0 or not out.is_file():
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return _page("draft.error.refused", {"detail": message[-1] if message else ""},
                     status=422, form=form)
    report = _decimals(json.loads(out.read_text(encoding="utf-8")))
    return _page(report=report, form=form)
