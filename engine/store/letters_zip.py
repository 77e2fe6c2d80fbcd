"""Batch decision letters: one PDF per applicant of a run (or of those a results filter keeps),
in one zip, written as the console's background export ("letters") with its progress. Each
letter holds every decision of its applicant, whatever the filter: the filter chooses the firms,
not what a firm is told."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from engine.export import ExportMeta, letter_pdf

from . import audit
from .results import ResultFilter
from .run_export import audit_target
from .runs import applicant_keys, iter_run_records_of, run_metadata

CHUNK = 50  # applicants rebuilt at a time
PROGRESS_EVERY = 20  # letters


def _chunks(keys: Iterator[int], size: int) -> Iterator[list[int]]:
    while chunk := list(itertools.islice(keys, size)):
        yield chunk


def export_letters_zip(session: Session, run_id: int, out: Path, *, actor: str, lang: str = "zh",
                       filters: ResultFilter | None = None,
                       progress: Callable[[int], None] | None = None) -> int:
    """Write the zip (`{credit code}.pdf` per applicant, by code); returns the letters written.
    Audited as an export of the run in the caller's transaction."""
    meta = ExportMeta(**run_metadata(session, run_id), lang=lang)
    f = filters if filters is not None and (filters.item or filters.status or filters.district) else None
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for chunk in _chunks(applicant_keys(session, run_id, f), CHUNK):
            records = iter_run_records_of(session, run_id, chunk)
            for code, letter in itertools.groupby(records, key=lambda r: r["company"]["credit_code"]):
                archive.writestr(f"{code or 'unknown'}.pdf", letter_pdf(list(letter), meta))
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
    if progress is not None:
        progress(count)
    audit.record(session, actor, "export", audit_target(run_id), format="letters_zip",
                 letters=count, filters={k: v for k, v in (("item", f and f.item),
                                                           ("status", f and f.status),
                                                           ("district", f and f.district)) if v})
    return count
