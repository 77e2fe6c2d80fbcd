"""`subsidy letter` and `subsidy export` as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from click.testing import CliRunner
from pypdf import PdfReader

from engine.cli import main
from engine.intake.seeds import SEEDS_DIR
from engine.rules.loader import load_catalog

RD_FILE = str(SEEDS_DIR / "profiles" / "futian_rd_firm.json")
STARTUP_FILE = str(SEEDS_DIR / "profiles" / "shanghai_startup_incomplete.json")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def items() -> int:
    """How many items the catalog has: one decision each per company."""
    return len(load_catalog().versions)


def test_letter_writes_a_pdf(tmp_path):
    out = tmp_path / "letter.pdf"
    result = run("letter", RD_FILE, "--as-of", "2020-06-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"{items()} decisions" in result.output
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "深圳市福田启明智能科技有限公司" in text


def test_letter_in_english(tmp_path):
    out = tmp_path / "letter.pdf"
    assert run("letter", RD_FILE, "--as-of", "2020-06-01", "--lang", "en", "--out", str(out)).exit_code == 0
    assert "Automated pre-assessment" in PdfReader(out).pages[0].extract_text()


def test_letter_of_a_missing_file_says_so(tmp_path):
    result = run("letter", str(tmp_path / "nope.json"), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "nope.json: no such file" in result.output


def test_export_csv_of_two_profiles(tmp_path):
    out = tmp_path / "run.csv"
    result = run("export-profiles", RD_FILE, STARTUP_FILE, "--as-of", "2020-06-01", "--format", "csv",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"{2 * items()} decisions of 2 companies" in result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2 * items()
    assert {r["评估日期"] for r in rows} == {"2020-06-01"}


def test_export_xlsx_and_jsonl(tmp_path):
    xlsx, jsonl = tmp_path / "run.xlsx", tmp_path / "run.jsonl"
    assert run("export-profiles", RD_FILE, "--as-of", "2020-06-01", "--format", "xlsx", "--lang", "en",
               "--out", str(xlsx)).exit_code == 0
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Summary"
    assert run("export-profiles", RD_FILE, "--as-of", "2020-06-01", "--format", "jsonl",
               "--out", str(jsonl)).exit_code == 0
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == items() and lines[0]["as_of"] == "2020-06-01"


def test_export_of_an_invalid_profile_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"employees_total": "many"}', encoding="utf-8")
    result = run("export-profiles", str(bad), "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 1
    assert "bad.json" in result.output
