"""A policy draft's impact as a background job: over every stored firm, one district's or a run's
applicants; the flips streamed to a CSV (with a BOM, the command's layout) and an XLSX; the page's
summary per item (flips, moves, criteria, budget in yuan); audited; a broken draft fails the job
with its reason and leaves no file; the draft is never stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine import parse_profile
from engine.export.draft_files import SAMPLE, FlipTally
from engine.export.draft_report import Flip
from engine.facts.uscc import make_code
from engine.store.draft_jobs import draft_progress, run_draft_job, start_draft_job
from engine.store.drafts import DraftError
from engine.store.models import AuditEntry, CatalogVersion, DraftJob
from engine.store.profiles import add_profiles

from .test_drafts import DAY, FLIPPING, _firm, draft_dir, stored  # noqa: F401 - fixtures reused

NANSHAN = {**_firm(2), "credit_code": make_code("91440300MA5N00009"), "name": "南山草案企业",
           "rd_expense_stats_verified": "750000", "registered_district": "nanshan",
           "tax_district": "nanshan", "statistics_district": "nanshan"}


def _run(sessions: sessionmaker[Session], folder: Path, draft: Path, **scope: object) -> int:
    with sessions() as session:
        job = start_draft_job(session, draft, by="政策科", lang="zh", **scope)  # type: ignore[arg-type]
        session.commit()
        job_id = job.id
    run_draft_job(sessions, job_id, folder)
    return job_id


@pytest.mark.parametrize(("scope", "district", "firms", "flips"), [
    ("all", None, 7, 3), ("district", "futian", 6, 3), ("district", "nanshan", 1, 0)])
def test_a_job_streams_the_flips_to_files_and_summarises_them_per_item(
        sessions: sessionmaker[Session], stored: list[str], draft_dir: Path,  # noqa: F811
        tmp_path: Path, scope: str, district: str | None, firms: int, flips: int) -> None:
    with sessions() as session:
        add_profiles(session, [parse_profile(NANSHAN)], "测试")  # not for Futian's items
        session.commit()
    job_id = _run(sessions, tmp_path, draft_dir, scope=scope, as_of=DAY, district=district)
    with sessions() as session:
        job = session.get(DraftJob, job_id)
        assert job.status == "complete", job.error
        assert draft_progress(job)["percent"] == 100 and job.rows_done == firms
        summary = job.summary
        assert (summary["applicants"], summary["flips"], len(summary["sample"])) == (firms, flips, flips)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "draft_impact")).one()
        assert entry.actor == "政策科" and entry.details["job"] == job_id
        assert session.get(CatalogVersion, summary["draft_version"]) is None
        files = job.files
    data = (tmp_path / files["csv"]).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    head = rows.index(next(r for r in rows if r and r[0] == "统一社会信用代码"))
    assert sorted(r[0] for r in rows[head + 1:]) == sorted(stored[i] for i in FLIPPING)[:flips]
    book = openpyxl.load_workbook(tmp_path / files["xlsx"])
    budget, sheet = book.worksheets
    assert sheet.max_row == flips + 1 and sheet.cell(1, 1).value == "统一社会信用代码"
    assert not list(tmp_path.glob(".*part"))
    if not flips:
        assert summary["items"] == [] and budget.cell(4, 1).value is None
        return
    (item,) = summary["items"]
    assert (item["item_id"], item["flips"], item["delta"]) == ("futian.rd_input", 3, "-225000.00")
    assert item["moves"] == [{"before": "eligible", "after": "ineligible", "n": 3}]
    (criterion,) = item["criteria"]
    assert (criterion["id"], criterion["before"], criterion["after"], criterion["n"]) == (
        "rd_verified_over_500k", "pass", "fail", 3)
    assert rows[3][0] == "futian.rd_input" and rows[3][6] == "-22.50"
    assert budget.cell(4, 1).value == "futian.rd_input" and budget.cell(4, 7).value == -22.5


def test_a_run_scope_reads_its_applicants_and_needs_a_complete_run(
        cli: Callable[..., Result], sessions: sessionmaker[Session], stored: list[str],  # noqa: F811
        draft_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    cli("screen", "--all", "--as-of", DAY.isoformat(), "--workers", "0")
    job_id = _run(sessions, tmp_path, draft_dir, scope="run", run_id=1)
    with sessions() as session:
        job = session.get(DraftJob, job_id)
        assert job.status == "complete" and job.summary["selection"] == "run 1"
        assert job.summary["flips"] == len(FLIPPING)
        with pytest.raises(DraftError, match="as-of"):
            start_draft_job(session, draft_dir, scope="all", by="x")
        with pytest.raises(DraftError, match="district"):
            start_draft_job(session, draft_dir, scope="district", by="x", as_of=DAY)


def test_a_broken_draft_fails_the_job_with_its_reason_and_no_file(
        sessions: sessionmaker[Session], stored: list[str], draft_dir: Path,  # noqa: F811
        tmp_path: Path) -> None:
    broken = tmp_path / "st_fund.yaml"
    broken.write_text((draft_dir / "futian" / "st_fund.yaml").read_text(encoding="utf-8").replace(
        "fact: rd_expense_stats_verified\n          op", "fact: rd_expense_stats_verifed\n          op"),
        encoding="utf-8")
    out = tmp_path / "out"
    job_id = _run(sessions, out, broken, scope="all", as_of=DAY)
    with sessions() as session:
        job = session.get(DraftJob, job_id)
        assert job.status == "failed" and "did you mean `rd_expense_stats_verified`" in job.error
        assert job.files is None and list(out.iterdir()) == []
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "draft_impact")).all() == []


def test_the_tally_keeps_a_bounded_sample_however_many_flips() -> None:
    tally = FlipTally()
    for i in range(SAMPLE + 50):
        tally.add(Flip(f"code{i}", None, 2019, i, "futian.rd_input", {"zh": "R&D", "en": "R&D"},
                       "status", "eligible", "ineligible", None, None, False, False, ()))
    assert len(tally.sample) == SAMPLE and tally.per_item("futian.rd_input")["flips"] == SAMPLE + 50
