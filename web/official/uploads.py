"""Applicant lists in: upload (size and row limits), the row-level report, start a screening.

The report is kept as the upload's audit entry (file, counts, problems, the profile versions of
the good rows), so the report page is a plain GET after a redirect and screening starts from it.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from werkzeug.utils import secure_filename

from engine import ImportFileError, split_reason, write_bad_rows, write_template
from engine.store import AuditEntry, import_file, list_runs, record_audit, start_run

from .. import answers as ans
from ..db import get_session
from ..engine_ext import get_engine
from ..i18n import current_lang
from .base import actor, bp, chosen_items, item_groups
from .launch import launch, mark_running, may_launch

MAX_PROBLEMS_KEPT = 1000  # a report longer than this says so; the file needs fixing anyway


@bp.get("/")
def index(error: str | None = None, error_args: dict[str, Any] | None = None, status: int = 200) -> Any:
    db = get_session()
    uploads = db.scalars(select(AuditEntry).where(AuditEntry.action == "upload")
                         .order_by(AuditEntry.id.desc()).limit(10))
    return render_template("official/index.html", runs=list_runs(db, 20), uploads=list(uploads),
                           error=error, error_args=error_args or {},
                           max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                           max_rows=current_app.config["UPLOAD_MAX_ROWS"]), status


TEMPLATE_NAMES = {"zh": "申报企业名单模板", "en": "applicant-list-template"}
TEMPLATE_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/template.<fmt>")
def import_template(fmt: str) -> Any:
    """The empty applicant list an upload expects (the same as `subsidy import-template`): the
    XLSX with a sheet saying what each column takes, or the CSV with a BOM for Excel."""
    if fmt not in TEMPLATE_TYPES:
        abort(404)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"template.{fmt}"
        write_template(path, fmt)
        data = path.read_bytes()
    return send_file(io.BytesIO(data), mimetype=TEMPLATE_TYPES[fmt], as_attachment=True,
                     download_name=f"{TEMPLATE_NAMES[current_lang()]}.{fmt}")


@bp.post("/uploads")
def upload() -> Any:
    file = request.files.get("applicants")
    if file is None or not file.filename:
        return index("upload.official.none", status=422)
    name = secure_filename(file.filename) or "applicants"
    suffix = Path(file.filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return index("upload.official.type", status=422)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(name).stem + suffix)
        file.save(path)
        if path.stat().st_size > limit:
            return index("upload.official.too_big", {"mb": limit // (1024 * 1024)}, 413)
        max_rows = current_app.config["UPLOAD_MAX_ROWS"]
        try:
            # Read once, streaming: the header row counts too, hence max_rows + 1 lines.
            db = get_session()
            report = import_file(db, path, actor(), max_rows=max_rows)
        except ImportFileError as exc:
            get_session().rollback()
            if exc.details.get("limit") is not None:  # the row limit, not a broken file
                return index("upload.official.too_many", {"max": max_rows}, 422)
            return index("upload.official.unreadable", {"detail": exc.message}, 422)
        problems = [{"row": p.row, "company": p.company, "column": p.column, "reason": p.reason}
                    for p in report.problems[:MAX_PROBLEMS_KEPT]]
        entry = record_audit(db, actor(), "upload", file.filename[:300], rows=report.rows,
                             added=report.added, unchanged=report.unchanged,
                             rejected=report.bad_rows, problems=problems,
                             problems_total=len(report.problems), profile_ids=report.profile_ids)
        db.flush()
        if report.problems:
            entry.details = {**entry.details,
                             "bad_rows_file": _keep_bad_rows(path, report.problems, entry.id)}
    db.commit()
    return redirect(url_for("official.upload_report", entry_id=entry.id))


def _bad_rows_folder() -> Path:
    return Path(current_app.instance_path) / "bad-rows"


def _keep_bad_rows(source: Path, problems: list[Any], entry_id: int) -> str | None:
    """The refused rows written back under the list's own headers, cells unchanged, in its own
    format (the XLSX with the row report on a second sheet, in the uploader's language), kept
    for the report page's download: correct them and upload the file again. None when no row
    could be written (rows that could not be split into cells are in the report only)."""
    folder = _bad_rows_folder()
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"upload-{entry_id}{source.suffix.lower()}"
    try:
        written = write_bad_rows(source, problems, out, current_lang())
    except ImportFileError:
        return None
    if not written:
        out.unlink(missing_ok=True)
        return None
    return out.name


BAD_ROWS_NAMES = {"zh": "待更正", "en": "to-correct"}


@bp.get("/uploads/<int:entry_id>/bad-rows")
def bad_rows(entry_id: int) -> Any:
    """The refused rows of an upload, to correct and upload again."""
    entry = _load_upload(entry_id)
    name = entry.details.get("bad_rows_file")
    path = _bad_rows_folder() / name if name else None
    if path is None or not path.is_file():
        abort(404)
    suffix = path.suffix.lstrip(".")
    stem = Path(entry.target or "applicants").stem
    return send_file(path, mimetype=TEMPLATE_TYPES.get(suffix, "application/octet-stream"),
                     as_attachment=True,
                     download_name=f"{BAD_ROWS_NAMES[current_lang()]}-{stem}.{suffix}")


@bp.app_template_filter("reason")
def reason_filter(reason: str) -> str:
    """An intake reason, written "zh（en）", in the page's language."""
    zh, en = split_reason(reason or "")
    return en if current_lang() == "en" else zh


def _load_upload(entry_id: int) -> AuditEntry:
    entry = get_session().get(AuditEntry, entry_id)
    if entry is None or entry.action != "upload":
        abort(404)
    return entry


@bp.get("/uploads/<int:entry_id>")
def upload_report(entry_id: int, as_of_error: str | None = None, status: int = 200) -> Any:
    entry = _load_upload(entry_id)
    return render_template("official/upload.html", entry=entry, d=entry.details, groups=item_groups(),
                           today=dt.date.today().isoformat(), as_of_error=as_of_error), status


@bp.post("/uploads/<int:entry_id>/screen")
def start_screening(entry_id: int) -> Any:
    entry = _load_upload(entry_id)
    as_of, error = ans.parse_as_of(request.form.get("as_of"))
    ids = entry.details.get("profile_ids") or []
    if as_of is None:
        return upload_report(entry_id, error or "official.as_of_bad", 422)
    if not ids:
        return upload_report(entry_id, "official.nothing_to_screen", 422)
    catalog = get_engine().catalog
    items = chosen_items(request.form)
    db = get_session()
    if not may_launch(current_app, db, actor()):
        return upload_report(entry_id, "official.too_many_runs", 429)
    run = start_run(db, catalog, ids, as_of, items, actor(), f"file:{entry.target}")
    mark_running(run)
    db.commit()
    launch(current_app._get_current_object(), run.id)  # type: ignore[attr-defined]
    return redirect(url_for("official.run", run_id=run.id))
