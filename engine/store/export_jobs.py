"""Exports made in the background: the console records a job, a separate process (`subsidy
export-job`) writes the file into the export folder and reports its progress in the job's row,
and the console offers the download when it is complete. A large run's export never holds a
web worker, and a failure is recorded with its reason instead of being lost."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import SubsidyError

from .base import utcnow
from .letters_zip import export_letters_zip
from .models import REASON_MAX, ExportJob, RunItem
from .results import ResultFilter
from .run_export import TABLE_FORMATS, export_table
from .runs import get_run

# "letters": a zip of every applicant's PDF letter (store.letters_zip); its rows are letters.
JOB_FORMATS = (*TABLE_FORMATS, "letters")


class ExportJobError(SubsidyError):
    code = "export_job_error"


def start_export(session: Session, run_id: int, fmt: str, lang: str, filters: ResultFilter,
                 requested_by: str) -> ExportJob:
    """Record a job for exporting the run (filtered like the results page); the caller commits
    and then launches `subsidy export-job JOB`."""
    if fmt not in JOB_FORMATS:
        raise ExportJobError(f"unknown export format `{fmt}`", format=fmt)
    run = get_run(session, run_id)
    items = 1 if fmt == "letters" else session.scalar(select(func.count()).select_from(
        RunItem).where(RunItem.run_id == run.id)) or 0
    job = ExportJob(run_id=run.id, fmt=fmt, lang=lang, status="running", requested_by=requested_by,
                    filters={k: v for k, v in (("item", filters.item), ("status", filters.status),
                                               ("district", filters.district)) if v},
                    rows_total=(run.rows_done - run.errors) * items
                    + (0 if fmt == "letters" else run.errors))
    session.add(job)
    session.flush()
    return job


SUFFIXES = {"outcomes": "outcomes.csv", "outcomes_jsonl": "outcomes.jsonl", "letters": "letters.zip"}


def file_name(job: ExportJob) -> str:
    return f"export-{job.id}-run-{job.run_id}.{SUFFIXES.get(job.fmt, job.fmt)}"


def run_export_job(make_session: sessionmaker[Session], job_id: int, folder: Path,
                   workers: int | None = None) -> ExportJob:
    """Write the job's file into `folder`, reporting progress; on failure the job says why.
    CSV and JSON lines use `workers` processes (default: one per CPU).

    Raises:
        ExportJobError: no such job.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with make_session() as session:
        job = session.get(ExportJob, job_id)
        if job is None:
            raise ExportJobError(f"no export job {job_id}", job=job_id)
        name, partial = file_name(job), folder / f".{file_name(job)}.part"

        def progress(rows: int) -> None:
            with make_session() as reporter:
                reporter.execute(update(ExportJob).where(ExportJob.id == job_id)
                                 .values(rows_done=rows, updated_at=utcnow()))
                reporter.commit()

        try:
            filters = ResultFilter(**job.filters)
            if job.fmt == "letters":
                rows = export_letters_zip(session, job.run_id, partial, actor=job.requested_by,
                                          lang=job.lang, filters=filters, progress=progress)
            else:
                rows = export_table(session, job.run_id, job.fmt, partial, actor=job.requested_by,
                                    lang=job.lang, filters=filters, progress=progress,
                                    workers=workers if workers is not None else os.cpu_count() or 1)
            partial.replace(folder / name)
            job.status, job.file, job.rows_done, job.rows_total = "complete", name, rows, rows
        except Exception as exc:  # noqa: BLE001 - whatever stops it, the job must say so
            session.rollback()
            partial.unlink(missing_ok=True)
            job = session.get(ExportJob, job_id)  # type: ignore[assignment]
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            job.status, job.error = "failed", f"{type(exc).__name__}: {message}"[:REASON_MAX]
        job.finished_at = job.updated_at = utcnow()
        session.commit()
        return job


def export_job(session: Session, job_id: int) -> ExportJob | None:
    return session.get(ExportJob, job_id)


def job_progress(job: ExportJob, now: dt.datetime | None = None) -> dict[str, Any]:
    """What the console's progress bar shows."""
    total = max(job.rows_total, job.rows_done, 1)
    percent = 100 if job.status == "complete" else min(99, int(100 * job.rows_done / total))
    return {"id": job.id, "run_id": job.run_id, "format": job.fmt, "status": job.status,
            "rows_done": job.rows_done, "rows_total": job.rows_total, "percent": percent,
            "error": job.error, "filters": job.filters}
