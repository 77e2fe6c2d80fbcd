"""Exports of a run through engine.export: CSV (UTF-8 with BOM, for Excel), XLSX, JSON lines, and
a PDF decision letter per applicant. Each download is audit-logged with who took it."""

from __future__ import annotations

import io
import tempfile
from typing import Any

from flask import abort, send_file

from engine import ExportMeta, FontMissingError, letter_pdf
from engine.store import audit_target, export_table, iter_run_records, record_audit, run_metadata

from ..db import get_session
from ..i18n import current_lang
from .base import actor, bp, load_run

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "jsonl": "application/x-ndjson; charset=utf-8"}


def _meta(run_id: int) -> ExportMeta:
    return ExportMeta(**run_metadata(get_session(), run_id), lang=current_lang())


@bp.get("/runs/<int:run_id>/export.<fmt>")
def export(run_id: int, fmt: str) -> Any:
    if fmt not in MIMETYPES:
        abort(404)
    run = load_run(run_id)
    mimetype = MIMETYPES[fmt]
    db = get_session()
    # Spooled: small runs stay in memory, a 100,000-row run goes to a temporary file.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
    export_table(db, run.id, fmt, out, actor=actor(), lang=current_lang())
    db.commit()
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True,
                     download_name=f"run-{run.id}-{run.as_of.isoformat()}.{fmt}")


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
