"""Batch letters: a background export job writes one PDF letter per applicant (those a results
filter keeps) into a zip, reporting its progress, and the export is audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.store.export_jobs import job_progress, run_export_job, start_export
from engine.store.models import AuditEntry
from engine.store.results import ResultFilter
from tests.synthetic import synthetic_profile

from .test_screening import AS_OF

N = 6


def _codes(district: str | None = None) -> list[str]:
    return sorted(p["credit_code"] for p in map(synthetic_profile, range(N))
                  if district is None or p["registered_district"] == district)


def test_a_zip_of_letters_one_per_applicant_kept_by_the_filter(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    cli("screen", applicants(N), "--as-of", AS_OF, "--workers", "0")
    assert 0 < len(_codes("futian")) < N  # the filter below keeps some, not all
    with sessions() as session:
        every = start_export(session, 1, "letters", "zh", ResultFilter(), "王科员")
        futian = start_export(session, 1, "letters", "zh", ResultFilter(district="futian"), "王科员")
        session.commit()
        every_id, futian_id = every.id, futian.id
    done = run_export_job(sessions, every_id, tmp_path)
    assert done.status == "complete", done.error
    assert done.file == f"export-{every_id}-run-1.letters.zip"
    assert job_progress(done)["percent"] == 100 and done.rows_done == N
    with zipfile.ZipFile(tmp_path / done.file) as archive:
        names = archive.namelist()
        assert names == [f"{code}.pdf" for code in _codes()]
        first = archive.read(names[0])
    assert first.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(first)).pages)
    assert _codes()[0] in text
    kept = run_export_job(sessions, futian_id, tmp_path)
    with zipfile.ZipFile(tmp_path / kept.file) as archive:
        assert archive.namelist() == [f"{code}.pdf" for code in _codes("futian")]
    assert not list(tmp_path.glob(".*.part"))
    with sessions() as session:
        formats = [e.details.get("format") for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export"))]
        assert formats == ["letters_zip", "letters_zip"]
