"""A policy-draft impact job's page: its progress while the job runs (progress.js polls the JSON,
like the exports' pages), then the result: per item the flips (from which outcome to which, and
the criteria that changed, with counts) and the budget effect in 万元; the first flips whole; the
flips of every firm as CSV (UTF-8 with a BOM) and XLSX downloads, each download audited."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import abort, current_app, jsonify, render_template, send_file

from engine import format_value, namespace
from engine.store import DraftJob, draft_job, draft_progress, record_audit

from ..db import get_session
from ..i18n import current_lang
from .base import actor, bp
from .draft_examples import example_lines
from .launch import draft_died, export_folder

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _job(job_id: int) -> DraftJob:
    db = get_session()
    job = draft_job(db, job_id)
    if job is None:
        abort(404)
    if draft_died(current_app, job):
        db.refresh(job)
        if job.status == "running":
            job.status, job.error = "failed", "the draft process stopped without finishing"
            db.commit()
    return job


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def shown(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored summary (amounts as decimal strings in yuan) with Decimals for the filters."""
    if summary is None:
        return None
    out = {**summary, "budget_delta": _decimal(summary["budget_delta"])}
    out["items"] = [{**i, **{k: _decimal(i.get(k)) for k in ("total_before", "total_after", "delta")}}
                    for i in summary["items"]]
    out["sample"] = [{**f, "amount_before": _decimal(f["amount_before"]),
                      "amount_after": _decimal(f["amount_after"])} for f in summary["sample"]]
    out["example_lines"] = example_lines(summary)
    return out


def _fact_value(name: str, value: Any) -> str:
    """A fact a criterion read, as a person reads it (the summary keeps it as JSON)."""
    try:
        return format_value(name, value, current_lang())
    except (ArithmeticError, KeyError, TypeError, ValueError):
        return str(value)


@bp.get("/drafts/<int:job_id>")
def draft_job_page(job_id: int) -> Any:
    job = _job(job_id)
    return render_template("official/draft_job.html", job=job, p=draft_progress(job),
                           report=shown(job.summary), draft_name=Path(job.draft_path).name,
                           fact_value=_fact_value,
                           fact_label=lambda name: namespace.label(name or "", current_lang()))


@bp.get("/drafts/<int:job_id>.json")
def draft_job_json(job_id: int) -> Any:
    return jsonify(draft_progress(_job(job_id)))


@bp.get("/drafts/<int:job_id>/flips.<fmt>")
def draft_flips(job_id: int, fmt: str) -> Any:
    """The flips of every firm the job read, as the job wrote them; audited as an export."""
    if fmt not in MIMETYPES:
        abort(404)
    job = _job(job_id)
    if job.status != "complete" or not job.files or fmt not in job.files:
        abort(409, description="the draft impact is not ready")
    path = export_folder(current_app) / job.files[fmt]
    if not path.is_file():
        abort(410, description="the file is gone; assess the draft again")
    db = get_session()
    record_audit(db, actor(), "export", f"draft job {job.id}", format=f"draft_flips_{fmt}",
                 flips=(job.summary or {}).get("flips"))
    db.commit()
    return send_file(path, mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"draft-{job.id}-{job.as_of.isoformat()}-flips.{fmt}")
