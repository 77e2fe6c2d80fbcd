"""The rows an import refused come back as a file to correct and import again, and the row report
reads in one language with each row's company."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.intake import row_report_csv, write_bad_rows
from engine.store.importing import import_file
from engine.store.models import ProfileVersion

BAD = {2: {"employees_total": "很多"}, 4: {"registration_date": "20200101"},
       5: {"sales_revenue_y1": "-5"}}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_refused_rows_come_back_unchanged_and_import_once_corrected(
        sessions: sessionmaker[Session], applicants: Callable[..., Path], tmp_path: Path,
        suffix: str) -> None:
    source = applicants(7, name="名单" + suffix, changes=BAD)
    with sessions() as session:
        report = import_file(session, source, "李四")
        session.commit()
    assert {p.row for p in report.problems} == {r + 2 for r in BAD}  # header is row 1
    out = tmp_path / ("待更正" + suffix)
    assert write_bad_rows(source, report.problems, out) == len(BAD)
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        book = openpyxl.load_workbook(out)
        rows = [["" if c is None else str(c) for c in r] for r in book.worksheets[0].iter_rows(
            values_only=True)]
        problems = list(book.worksheets[1].iter_rows(values_only=True))
        assert problems[0] == ("原行号", "企业", "列", "问题")
        assert {p[0] for p in problems[1:]} == {r + 2 for r in BAD}
        assert any(p[1] == "测试企业00002有限公司" and "应为整数" in p[3] for p in problems[1:])
    header = rows[0]
    assert header[0] == "统一社会信用代码" and len(rows) == 1 + len(BAD)
    names = [r[header.index("企业名称")] for r in rows[1:]]
    assert names == [f"测试企业{i:05d}有限公司" for i in sorted(BAD)]
    assert rows[1][header.index("职工总数")] == "很多"
    assert rows[3][header.index("销售收入（最近一年）")] == "-5"  # a signed number is not quoted

    # Corrected, the same file imports: only its rows are added.
    corrected = applicants(7, name="更正" + suffix)
    with sessions() as session:
        again = import_file(session, corrected, "李四")
        session.commit()
        assert again.problems == [] and again.added == len(BAD)
        assert session.scalar(select(func.count()).select_from(ProfileVersion)) == 7


def test_the_row_report_in_one_language_names_the_company(
        sessions: sessionmaker[Session], applicants: Callable[..., Path]) -> None:
    with sessions() as session:
        report = import_file(session, applicants(4, changes={2: {"employees_total": "很多"}}), "李四")
    (problem,) = report.problems
    assert problem.company == "测试企业00002有限公司"
    zh, en = problem.text("zh"), problem.text("en")
    assert zh.startswith("第4行（测试企业00002有限公司），") and "应为整数" in zh
    assert not any("a" <= ch <= "z" for ch in zh.split("：", 1)[1].replace("“很多”", ""))
    assert en.startswith("Row 4 (测试企业00002有限公司), column") and "“很多”" in en
    assert "应为" not in en
    assert "企业 company: 测试企业00002有限公司" in problem.text()
    text = row_report_csv(report.problems, "en").decode("utf-8-sig")
    assert text.splitlines()[0] == "Row in the uploaded file,Company,Column,Problem"


def test_the_command_writes_the_bad_rows_file(
        cli: Callable[..., Result], applicants: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "bad.csv"
    result = cli("import", applicants(5, changes={1: {"employees_total": "很多"}}),
                 "--bad-rows", out)
    assert "1 行待更正" in result.output and out.exists()
