"""Applicant files read strictly: each problem reported on its own row, never guessed, never
swallowing other rows; broken or hostile XLSX refused with a reason (issue 11, findings 5-7, 11)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from engine.intake import ImportFileError, read_table, validate_rows
from engine.intake.columns import columns
from tests.synthetic import synthetic_profile, write_applicants


def _report(path: Path) -> tuple[dict[int, list[str]], list[int]]:
    """(reasons by bad row, good row numbers)."""
    bad: dict[int, list[str]] = {}
    good = []
    for row in validate_rows(read_table(path)).rows:
        if row.profile is None:
            bad[row.row] = [f"{p.column} {p.reason}" for p in row.problems]
        else:
            good.append(row.row)
    return bad, good


def test_an_unclosed_quote_is_its_own_rows_problem(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    write_applicants(path, [synthetic_profile(i) for i in range(6)])
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace("测试企业", '"测试企业', 1)  # row 4: a quote that never closes
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    bad, good = _report(path)

    assert list(bad) == [4] and "引号未闭合" in bad[4][0]
    assert good == [2, 3, 5, 6, 7]  # the rows after it are all read


@pytest.mark.parametrize(("field", "typed", "words"), [
    ("sales_revenue_y1", "1,5", "逗号只能作千位分隔符"),
    ("employees_total", "3,5", "逗号只能作千位分隔符"),
    ("registration_date", "0", "而不是数字"),
    ("registration_date", "20200101", "而不是数字"),
    ("employees_total", "๑๒", "应为整数"),
])
def test_ambiguous_numbers_and_numeric_dates_are_refused(tmp_path: Path, field: str, typed: str,
                                                        words: str) -> None:
    path = tmp_path / "list.csv"
    write_applicants(path, [synthetic_profile(0), {**synthetic_profile(1), field: typed},
                            synthetic_profile(2)])
    bad, good = _report(path)
    assert list(bad) == [3] and words in " ".join(bad[3]) and field in " ".join(bad[3])
    assert good == [2, 4]


def test_thousands_separators_still_read(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_applicants(path, [{**synthetic_profile(0), "sales_revenue_y1": "1,250,000.50"}])
    rows = list(validate_rows(read_table(path)).rows)
    assert rows[0].profile is not None and str(rows[0].profile.sales_revenue_y1) == "1250000.50"


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_formula_cells_without_a_value_are_reported_per_row(tmp_path: Path) -> None:
    cols = columns()
    header = [c.zh for c in cols]
    data = [[synthetic_profile(i).get(c.name) for c in cols] for i in range(3)]
    money = [c.name for c in cols].index("sales_revenue_y1")
    data[1][money] = "=SUM(1,2)"  # openpyxl writes the formula, no cached value (as many tools do)
    bad, good = _report(_xlsx(tmp_path / "f.xlsx", [header, *data]))
    assert list(bad) == [3] and "公式单元格" in bad[3][0] and good == [2, 4]


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def _sheet_book(tmp_path: Path, sheet_xml: str, strings: str | None = None) -> Path:
    """A minimal XLSX with the given sheet XML (as a hostile tool could write it)."""
    good = _xlsx(tmp_path / "base.xlsx", [["统一社会信用代码", "数据所属年度"]])
    with zipfile.ZipFile(good) as archive:
        members: dict[str, bytes | str] = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = sheet_xml
    if strings is not None:
        members["xl/sharedStrings.xml"] = strings
    return _zip(tmp_path / "hostile.xlsx", members)


SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')


@pytest.mark.parametrize("case", ["entities", "bad_xml", "million_rows", "zip_bomb", "bad_zlib"])
def test_corrupt_or_hostile_xlsx_is_refused_with_a_reason(tmp_path: Path, case: str) -> None:
    if case == "entities":
        path = _sheet_book(tmp_path, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet>&b;</worksheet>')
    elif case == "bad_xml":
        path = _sheet_book(tmp_path, SHEET.format(rows="<row><c><v>1</c></row>"))
    elif case == "million_rows":
        path = _sheet_book(tmp_path, SHEET.format(rows="<row/>" * 200_001))
    elif case == "zip_bomb":
        path = _sheet_book(tmp_path, SHEET.format(rows=""), strings=" " * (65 * 1024 * 1024))
    else:
        path = _sheet_book(tmp_path, SHEET.format(rows="<row/>"))
        data = bytearray(path.read_bytes())
        offset = data.index(b"xl/worksheets/sheet1.xml") + 30  # into the deflated member
        data[offset:offset + 40] = b"\xff" * 40
        path.write_bytes(bytes(data))
    with pytest.raises(ImportFileError) as raised:
        list(validate_rows(read_table(path)).rows)
    assert "xlsx" in raised.value.message or "上限" in raised.value.message \
        or "过大" in raised.value.message


def test_a_cell_too_long_is_its_rows_problem(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    write_applicants(path, [synthetic_profile(0), {**synthetic_profile(1), "name": "长" * 5000}])
    bad, good = _report(path)
    assert list(bad) == [3] and "1000" in bad[3][0] and good == [2]


def test_xlsx_values_are_read_once_with_dates_and_numbers(tmp_path: Path) -> None:
    cols = columns()
    rows = [[c.zh for c in cols]] + [[synthetic_profile(i).get(c.name) for c in cols]
                                      for i in range(4)]
    bad, good = _report(_xlsx(tmp_path / "ok.xlsx", rows))
    assert bad == {} and good == [2, 3, 4, 5]
