"""Exports of a stored screening run, shared by `subsidy export RUN` and the officials' console:
the records streamed from the database, written by engine.export, and the export audit-logged."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from engine.export import ExportMeta, write_csv, write_jsonl, write_letter, write_xlsx
from engine.export.columns import ERROR_ITEM
from engine.export.outcomes_csv import ERROR_STATUS, OutcomeRow, write_outcomes_csv
from engine.export.outcomes_jsonl import write_outcomes_jsonl

from . import audit
from .parallel_export import write_parallel, write_parallel_xlsx
from .results import ResultFilter
from .runs import iter_outcome_rows, iter_run_errors, iter_run_records, run_budget, run_metadata

# "outcomes" and "outcomes_jsonl": the stored outcomes without explanation text, as CSV
# (engine.export.outcomes_csv) or JSON lines (engine.export.outcomes_jsonl).
TABLE_FORMATS = ("xlsx", "csv", "jsonl", "outcomes", "outcomes_jsonl")
OUTCOME_WRITERS = {"outcomes": write_outcomes_csv, "outcomes_jsonl": write_outcomes_jsonl}


def audit_target(run_id: int) -> str:
    """How the audit log names a run."""
    return f"run {run_id}"


def budget_rows(impact: Any, lang: str) -> list[dict[str, Any]]:
    """A run's budget impact per budget line, as the rows of the XLSX summary's table."""
    zh = lang == "zh"
    return [{
        ("预算科目" if zh else "Budget line"):
            f"{line.program} {line.line or '—'} {(line.title or {}).get(lang, '')}".strip(),
        ("项目" if zh else "Items"): ", ".join(line.items),
        ("符合条件（家）" if zh else "Eligible"): line.eligible,
        ("预计支出（元，仅计金额确定的项目）" if zh else "Estimated payout (yuan, computed amounts only)"):
            line.total,
        ("仅知上限（家，不计入）" if zh else "Known only by a ceiling (not summed)"): line.at_ceiling,
        ("可申报、条件未全部公开（家，不计入）" if zh else "May apply, conditions unpublished (not summed)"):
            line.may_apply,
        ("预算（元）" if zh else "Budget (yuan)"): line.budget_yuan,
        ("预算年度" if zh else "Budget year"): line.budget_year,
        ("超出预算（元，用完即止）" if zh else "Over budget (yuan; first come, first served)"):
            line.excess,
    } for line in impact.lines]


def export_table(session: Session, run_id: int, fmt: str, out: str | Path | IO[bytes], *,
                 actor: str, lang: str = "zh", company: str | None = None,
                 filters: ResultFilter | None = None,
                 progress: Callable[[int], None] | None = None, workers: int = 1) -> int:
    """Write the run as XLSX (with the budget impact), CSV (UTF-8 with BOM) or JSON lines.

    Args:
        filters: keep only the decisions the results page's filter keeps (item, status,
            district); the run's errors are then left out unless unfiltered.
        progress: called with the rows written so far, every PROGRESS_EVERY rows.
        workers: processes for CSV, JSON lines and XLSX of a whole run
            (store.parallel_export); the file is the same as one process writes (XLSX: the
            same cells).

    Returns:
        The number of decision rows written.
    """
    meta = ExportMeta(**run_metadata(session, run_id), lang=lang)
    f = filters if filters is not None and (filters.item or filters.status or filters.district) else None
    if fmt == "xlsx":
        target = str(out) if isinstance(out, Path) else out
        budget = budget_rows(run_budget(session, run_id), lang)
        if workers > 1 and company is None:
            count = write_parallel_xlsx(session, run_id, meta, target, workers, f, progress,
                                        budget)
        else:
            count = write_xlsx(_records(session, run_id, company, f, progress), meta, target,
                               budget_impact=budget)
    elif isinstance(out, str | Path):
        with Path(out).open("wb") as stream:
            count = _write_stream(session, run_id, fmt, meta, stream, company, f, progress, workers)
    else:
        count = _write_stream(session, run_id, fmt, meta, out, company, f, progress, workers)
    audit.record(session, actor, "export", audit_target(run_id), format=fmt, company=company,
                 rows=count, filters=_filter_dict(f))
    return count


def _records(session: Session, run_id: int, company: str | None, f: ResultFilter | None,
             progress: Callable[[int], None] | None) -> Iterable[Any]:
    records: Iterable[Any] = iter_run_records(session, run_id, company, f)
    if f is None:
        # Applicants the run could not decide come last, each with its reason: an unfiltered
        # export never hides them.
        records = itertools.chain(records, iter_run_errors(session, run_id, company))
    return _counted(records, progress) if progress is not None else records


def _write_stream(session: Session, run_id: int, fmt: str, meta: ExportMeta, stream: IO[bytes],
                  company: str | None, f: ResultFilter | None,
                  progress: Callable[[int], None] | None, workers: int) -> int:
    """CSV, JSON lines or the outcomes (CSV or JSON lines) to a binary stream; the rows written."""
    if fmt in OUTCOME_WRITERS:
        rows: Iterable[Any] = iter_outcome_rows(session, run_id, company, f)
        if f is None:
            rows = itertools.chain(rows, (
                OutcomeRow(e["company"], e["profile_version"], ERROR_ITEM, {}, ERROR_STATUS, None,
                           False, e["error"], []) for e in iter_run_errors(session, run_id, company)))
        return OUTCOME_WRITERS[fmt](_counted(rows, progress) if progress else rows, meta, stream)
    if workers > 1 and company is None:
        return write_parallel(session, run_id, fmt, meta, stream, workers, f, progress)
    writer = write_csv if fmt == "csv" else write_jsonl
    return writer(_records(session, run_id, company, f, progress), meta, stream)


PROGRESS_EVERY = 5000


def _counted(records: Iterable[Any], progress: Callable[[int], None]) -> Iterator[Any]:
    count = 0
    for record in records:
        yield record
        count += 1
        if count % PROGRESS_EVERY == 0:
            progress(count)
    progress(count)


def _filter_dict(f: ResultFilter | None) -> dict[str, str] | None:
    if f is None:
        return None
    return {k: v for k, v in (("item", f.item), ("status", f.status), ("district", f.district)) if v}


def export_letters(session: Session, run_id: int, out: Path, *, actor: str, lang: str = "zh",
                   company: str | None = None) -> int:
    """PDF decision letters: one file for `company`, or one per applicant in the directory `out`.

    Returns:
        The number of letters written (0 when the company is not in the run).
    """
    meta = ExportMeta(**run_metadata(session, run_id), lang=lang)
    groups = itertools.groupby(iter_run_records(session, run_id, company),
                               key=lambda r: r["company"]["credit_code"])
    count = 0
    if company is None:
        out.mkdir(parents=True, exist_ok=True)
    for code, records in groups:
        write_letter(list(records), meta, out if company else out / f"{code or 'unknown'}.pdf")
        count += 1
    if count:
        audit.record(session, actor, "export", audit_target(run_id), format="letter",
                     company=company, letters=count)
    return count
