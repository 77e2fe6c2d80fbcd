"""Exports of a run through engine.export: CSV (UTF-8 with BOM, for Excel), XLSX, JSON lines, a
PDF decision letter per applicant, and batch letters (a zip of them, built in the background with
progress). Each download is audit-logged with who took it."""

from __future__ import annotations

import io
import tempfile
from typing import Any

from flask import abort, current_app, jsonify, redirect, render_template, request, send_file, url_for

from engine import ExportMeta, FontMissingError, letter_pdf
from engine.store import (
    ResultFilter,
    audit_target,
    export_job,
    export_table,
    iter_run_records,
    job_progress,
    record_audit,
    run_metadata,
    start_export,
)

from .. import present
from ..db import get_session
from ..i18n import current_lang
from .base import actor, bp, load_run
from .launch import export_died, export_folder, launch_export

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "jsonl": "application/x-ndjson; charset=utf-8",
             "outcomes": "text/csv; charset=utf-8",
             "outcomes_jsonl": "application/x-ndjson; charset=utf-8"}
EXTENSIONS = {"outcomes": "outcomes.csv", "outcomes_jsonl": "outcomes.jsonl",
              "letters": "letters.zip"}
# Background jobs also write batch letters: a zip of one PDF letter per applicant the filter
# keeps (engine.store's "letters" job), too slow for a request at any size.
JOB_MIMETYPES = {**MIMETYPES, "letters": "application/zip"}


def _meta(run_id: int) -> ExportMeta:
    return ExportMeta(**run_metadata(get_session(), run_id), lang=current_lang())


@bp.get("/runs/<int:run_id>/export.<fmt>")
def export(run_id: int, fmt: str) -> Any:
    """The whole run at once, in this request: for small runs (scripts, the API's users). A run
    of more applicants than EXPORT_INLINE_MAX is exported in the background instead (409)."""
    if fmt not in MIMETYPES:
        abort(404)
    run = load_run(run_id)
    if run.rows_done > current_app.config["EXPORT_INLINE_MAX"]:
        abort(409, description="this run is large: export it in the background from its page")
    mimetype = MIMETYPES[fmt]
    db = get_session()
    # Spooled: small runs stay in memory, a 100,000-row run goes to a temporary file.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
    export_table(db, run.id, fmt, out, actor=actor(), lang=current_lang())
    db.commit()
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True,
                     download_name=f"run-{run.id}-{run.as_of.isoformat()}.{EXTENSIONS.get(fmt, fmt)}")


@bp.post("/runs/<int:run_id>/exports")
def start_background_export(run_id: int) -> Any:
    """Export the run (filtered like the results page) in a process of its own; the job's page
    shows its progress and offers the file when it is ready."""
    run = load_run(run_id)
    form = request.form
    fmt = form.get("fmt", "")
    if fmt not in JOB_MIMETYPES:
        abort(400)
    status = form.get("status") or None
    filters = ResultFilter(item=form.get("item") or None,
                           status=status if status in present.ORDER else None,
                           district=form.get("district") or None)
    db = get_session()
    job = start_export(db, run.id, fmt, current_lang(), filters, actor())
    db.commit()
    launch_export(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return redirect(url_for("official.export_job_page", job_id=job.id))


def _job(job_id: int) -> Any:
    db = get_session()
    job = export_job(db, job_id)
    if job is None:
        abort(404)
    if export_died(current_app, job):
        db.refresh(job)
        if job.status == "running":
            job.status, job.error = "failed", "the export process stopped without finishing"
            db.commit()
    return job


@bp.get("/exports/<int:job_id>")
def export_job_page(job_id: int) -> Any:
    job = _job(job_id)
    return render_template("official/export_job.html", job=job, p=job_progress(job),
                           run=load_run(job.run_id))


@bp.get("/exports/<int:job_id>.json")
def export_job_json(job_id: int) -> Any:
    return jsonify(job_progress(_job(job_id)))


@bp.get("/exports/<int:job_id>/download")
def export_job_download(job_id: int) -> Any:
    job = _job(job_id)
    if job.status != "complete" or not job.file:
        abort(409, description="the export is not ready")
    path = export_folder(current_app) / job.file
    if not path.is_file():
        abort(410, description="the export file is gone; export again")
    run = load_run(job.run_id)
    return send_file(path, mimetype=JOB_MIMETYPES[job.fmt], as_attachment=True,
                     download_name=f"run-{run.id}-{run.as_of.isoformat()}."
                                   f"{EXTENSIONS.get(job.fmt, job.fmt)}")


@bp.get("/runs/<int:run_id>/letters/<code>.pdf")
def letter(run_id: int, code: str) -> Any:
    run = load_run(run_id)
    db = get_session()
    records = list(iter_run_records(db, run.id, company=code))
    if not records:
        abort(404)
    try:
        pdf = letter_pdf(records, _meta(run.id))
    except FontMissingError:
        abort(503)
    record_audit(db, actor(), "export", audit_target(run.id), format="letter", company=code.upper())
    db.commit()
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"letter-{code.upper()}-run-{run.id}.pdf")
