"""`subsidy export RUN` and `subsidy screen --out`: a stored run in every format, logged."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.store.models import AuditEntry
from engine.store.results import ResultFilter
from engine.store.run_export import export_table
from engine.store.runs import iter_run_records

from .test_screening import AS_OF, ITEMS, latest_run_id


def _screened(cli: Callable[..., Result], sessions: sessionmaker[Session],
              applicants: Callable[..., Path], n: int = 3) -> int:
    cli("screen", applicants(n), "--as-of", AS_OF, "--workers", "0")
    return latest_run_id(sessions)


def test_csv_and_jsonl_carry_every_decision_with_the_rules_version(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    run_id = _screened(cli, sessions, applicants)
    cli("export", run_id, "--format", "csv", "--out", tmp_path / "run.csv")
    data = (tmp_path / "run.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3 * ITEMS and {r["评估日期"] for r in rows} == {AS_OF}
    cli("export", run_id, "--format", "jsonl", "--out", tmp_path / "run.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "run.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 * ITEMS and lines[0]["run_id"] == run_id


def test_xlsx_has_the_budget_impact_and_the_export_is_audited(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    run_id = _screened(cli, sessions, applicants)
    cli("export", run_id, "--format", "xlsx", "--out", tmp_path / "run.xlsx")
    summary = openpyxl.load_workbook(tmp_path / "run.xlsx")["汇总"]
    cells = [c for row in summary.iter_rows(values_only=True) for c in row if c is not None]
    assert "预算科目" in cells and "超出预算（元，用完即止）" in cells and "按比例系数" not in cells
    assert "预算年度" in cells and 2018 in cells
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.target == f"run {run_id}" and entry.details["format"] == "xlsx"


def test_pdf_letters_one_per_applicant_or_one_company(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    run_id = _screened(cli, sessions, applicants, n=2)
    cli("export", run_id, "--format", "pdf", "--out", tmp_path / "letters")
    letters = sorted((tmp_path / "letters").glob("*.pdf"))
    assert len(letters) == 2
    code = letters[0].stem
    cli("export", run_id, "--format", "pdf", "--company", code, "--out", tmp_path / "one.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "one.pdf").pages)
    assert code in text
    result = cli("export", run_id, "--format", "pdf", "--company", "91440300MA5F3K7L04",
                 "--out", tmp_path / "none.pdf", code=1)
    assert "not in this run" in result.output


def test_screen_out_writes_the_export(cli: Callable[..., Result], applicants: Callable[..., Path],
                                      tmp_path: Path) -> None:
    cli("screen", applicants(2), "--as-of", AS_OF, "--workers", "0", "--out", tmp_path / "r.jsonl")
    assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 2 * ITEMS


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_over_several_processes_is_the_one_a_single_process_writes(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], fmt: str) -> None:
    cli("screen", applicants(30), "--as-of", "2020-06-01", "--workers", "0")
    for filters in (None, ResultFilter(status="eligible"), ResultFilter(item="futian.rd_input")):
        outputs = []
        for workers in (1, 2):
            out = io.BytesIO()
            with sessions() as session:
                export_table(session, 1, fmt, out, actor="test", filters=filters,
                             workers=workers)
            outputs.append(_without_times(out.getvalue(), fmt))
        assert outputs[0] == outputs[1] and outputs[0].count(b"\n") > 1


def _without_times(data: bytes, fmt: str) -> bytes:
    """The generation time differs between two exports; everything else must not."""
    if fmt == "csv":
        return data
    lines = [json.loads(line) for line in data.decode().splitlines()]
    for line in lines:
        line.pop("generated_at", None)
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()


def test_the_outcomes_csv_says_what_the_full_export_says_without_the_explanations(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(25), "--as-of", "2020-06-01", "--workers", "0")
    full, outcomes = io.BytesIO(), io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "csv", full, actor="test")
        rows = export_table(session, 1, "outcomes", outcomes, actor="test")
        decisions = [r["decision"] for r in iter_run_records(session, 1)]
    assert outcomes.getvalue().startswith(b"\xef\xbb\xbf")
    whole = list(csv.reader(io.StringIO(full.getvalue().decode("utf-8-sig"))))
    short = list(csv.reader(io.StringIO(outcomes.getvalue().decode("utf-8-sig"))))
    assert rows == len(short) - 1 == len(whole) - 1 == len(decisions) == 25 * ITEMS
    # The same companies, items, statuses and amounts, row for row (columns 0-9 of each).
    assert [r[:10] for r in short[1:]] == [r[:10] for r in whole[1:]]
    marks = {"pass": "✓", "fail": "✗", "unknown": "?"}
    for row, decision in zip(short[1:], decisions, strict=True):
        assert row[10] == "；".join(f"{c.id} {marks[c.status]}" for c in decision.criteria)
    assert any("✗" in r[10] for r in short[1:]) and any("✓" in r[10] for r in short[1:])


def test_the_outcomes_json_lines_say_what_the_full_json_lines_say_without_the_explanations(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(25), "--as-of", "2020-06-01", "--workers", "0")
    full, outcomes = io.BytesIO(), io.BytesIO()
    with sessions() as session:
        export_table(session, 1, "jsonl", full, actor="test")
        rows = export_table(session, 1, "outcomes_jsonl", outcomes, actor="test")
    whole = [json.loads(line) for line in full.getvalue().decode("utf-8").splitlines()]
    short = [json.loads(line) for line in outcomes.getvalue().decode("utf-8").splitlines()]
    assert not outcomes.getvalue().startswith(b"\xef\xbb\xbf")  # JSON lines carry no BOM
    assert rows == len(short) == len(whole) == 25 * ITEMS
    for line, complete in zip(short, whole, strict=True):
        decision = complete["decision"]
        for key in ("rules_version", "as_of", "run_id", "company", "profile_version"):
            assert line[key] == complete[key]
        assert (line["item_id"], line["status"]) == (decision["item_id"], decision["status"])
        assert line["amount"] == decision["amount"]
        assert line["amount_is_ceiling"] == decision["amount_is_ceiling"]
        assert line["criteria"] == {c["id"]: c["status"] for c in decision["criteria"]}
        assert "explanation" not in line and line["review"] is None
    statuses = {v for line in short for v in line["criteria"].values()}
    assert {"pass", "fail"} <= statuses
    assert any(line["amount"] for line in short)  # an amount, as an exact decimal string
