"""Policy-draft impact in the background, like the console's exports (store.export_jobs): the
console records a job naming the draft file and the firms to read (every stored firm's latest
version, one district's, or a run's applicants), a process of its own (`subsidy draft-job JOB`)
compiles the draft, decides every firm twice, streams the flips to a CSV and an XLSX file and
keeps the page's summary in the job's row, with progress in firms.

Why a process: compiling a draft registers durable_rules rulesets that are never freed, which the
long-lived web process must not accumulate, and a district of 100,000 firms takes minutes. The
draft is never recorded as a catalog: no screening, self-check or rebuilt explanation can use it
until its file is adopted into the rules directory.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import RuleError, SubsidyError
from engine.export.draft_files import FlipFiles, FlipTally, summary_of
from engine.rules.loader import load_catalog

from . import audit
from .base import utcnow
from .drafts import DraftError, draft_impact, load_draft
from .leases import LEASE
from .models import DRAFT_SCOPES, REASON_MAX, DraftJob
from .runs import get_run


def start_draft_job(session: Session, draft: Path, *, scope: str, by: str, lang: str = "zh",
                    as_of: dt.date | None = None, district: str | None = None,
                    run_id: int | None = None, replaces: str | None = None) -> DraftJob:
    """Record a job; the caller commits and then launches `subsidy draft-job JOB`.

    Raises:
        DraftError: an unknown scope, a district scope without a district, no date for the
            stored firms, or a run that is not complete. RunError: no such run.
    """
    if scope not in DRAFT_SCOPES:
        raise DraftError(f"未知范围 unknown scope `{scope}`", scope=scope)
    if scope == "run":
        run = get_run(session, run_id or 0)
        if run.status != "complete":
            raise DraftError(f"批次{run.id}尚未完成 run {run.id} is {run.status}", run=run.id)
        as_of, district = run.as_of, None
    elif as_of is None:
        raise DraftError("请填写评估日期 give the as-of date", field="as_of")
    if scope == "district" and not district:
        raise DraftError("请选择所在区 choose the district", field="district")
    job = DraftJob(draft_path=str(draft), replaces=replaces, scope=scope,
                   district=district if scope == "district" else None,
                   run_id=run_id if scope == "run" else None, as_of=as_of, lang=lang,
                   status="running", requested_by=by)
    session.add(job)
    session.flush()
    return job


def live_draft_jobs(session: Session, by: str, lease: dt.timedelta = LEASE) -> int:
    """`by`'s draft jobs still running with a fresh heartbeat (progress is written every 500
    firms): what the console counts before starting one more. A job whose process died stops
    counting once its heartbeat is older than the lease, as a screening run does (store.leases)."""
    return session.scalar(select(func.count()).select_from(DraftJob).where(
        DraftJob.requested_by == by, DraftJob.status == "running",
        DraftJob.updated_at >= utcnow() - lease)) or 0


def draft_job(session: Session, job_id: int) -> DraftJob | None:
    return session.get(DraftJob, job_id)


def file_stem(job: DraftJob) -> str:
    return f"draft-{job.id}-flips"


def _progress(make_session: sessionmaker[Session], job_id: int) -> Any:
    def report(done: int, total: int) -> None:
        with make_session() as reporter:
            reporter.execute(update(DraftJob).where(DraftJob.id == job_id)
                             .values(rows_done=done, rows_total=total, updated_at=utcnow()))
            reporter.commit()
    return report


def run_draft_job(make_session: sessionmaker[Session], job_id: int, folder: Path,
                  rules_dir: Path | None = None) -> DraftJob:
    """Run the job, writing its flips into `folder`; audited as `draft_impact` when complete.
    On failure (a draft that does not load, say) the job says why and no file is left.

    Raises:
        DraftError: no such job.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with make_session() as session:
        job = session.get(DraftJob, job_id)
        if job is None:
            raise DraftError(f"没有草案任务 {job_id} no draft job {job_id}", job=job_id)
        files: FlipFiles | None = None
        try:
            catalog = load_draft(Path(job.draft_path), rules_dir, job.replaces)
            files, tally = FlipFiles(folder, file_stem(job), job.lang), FlipTally()

            def take(flip: Any) -> None:
                files.add(flip)  # type: ignore[union-attr]
                tally.add(flip)

            examples: list[dict[str, Any]] = []  # the failing examples as data, for the page
            report = draft_impact(session, catalog, run_id=job.run_id, as_of=job.as_of,
                                  district=job.district, current=load_catalog(rules_dir),
                                  on_flip=take, progress=_progress(make_session, job_id),
                                  on_example=lambda r: examples.append(r.as_dict()))
            session.refresh(job)
            job.files = files.finish(report)
            job.summary = {**summary_of(report, tally), "example_checks": examples}
            job.status, job.rows_done = "complete", report.applicants + report.error_count
            job.rows_total = job.rows_done
            audit.record(session, job.requested_by, "draft_impact", job.draft_path[:300],
                         job=job.id, draft_version=report.draft_version,
                         rules_version=report.current_version, as_of=report.as_of.isoformat(),
                         selection=report.selection, flips=report.flip_count,
                         budget_delta=format(report.budget_delta, "f"))
        except Exception as exc:  # noqa: BLE001 - whatever stops it, the job must say so
            session.rollback()
            if files is not None:
                files.discard()
            job = session.get(DraftJob, job_id)  # type: ignore[assignment]
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            prefix = "" if isinstance(exc, RuleError | SubsidyError) else f"{type(exc).__name__}: "
            job.status, job.error = "failed", f"{prefix}{message}"[:REASON_MAX]
        job.finished_at = job.updated_at = utcnow()
        session.commit()
        return job


def draft_progress(job: DraftJob) -> dict[str, Any]:
    """What the console's progress bar shows (the shape of store.export_jobs.job_progress)."""
    total = max(job.rows_total, job.rows_done, 1)
    percent = 100 if job.status == "complete" else min(99, int(100 * job.rows_done / total))
    return {"id": job.id, "status": job.status, "rows_done": job.rows_done,
            "rows_total": job.rows_total, "percent": percent, "error": job.error}
