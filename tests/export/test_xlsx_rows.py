"""An item row's XML (xlsx_rows) reads back as the cell XlsxWriter's own per-cell path writes for
the same value: text that needs escaping, neutralising or whitespace kept, numbers, blanks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
from xlsxwriter import Workbook

from engine.export import ExportMeta
from engine.export.xlsx_export import ITEM_KEYS, _Styles, splice_rows, write_cell
from engine.export.xlsx_rows import RowXml

VALUES = ["普通文本", "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tTab", "a < b & c > d",
          "  leading and trailing  ", "line\r\nbreak\rold mac", "_x0000_ literal", "ctl\x01\x1f",
          'quote " here', "<r>not rich</r>", "emoji 😀", "", "x" * 40_000, Decimal("1234567.89"),
          Decimal("0.000001"), 42, 3.25, dt.date(2020, 6, 1), None, True]


def _cells(path: Path, sheet: str) -> list[tuple[object, str]]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [(c.value, c.number_format) for row in ws.iter_rows() for c in row]


def test_row_xml_reads_back_as_xlsxwriter_writes_each_cell(tmp_path: Path) -> None:
    meta = ExportMeta(rules_version="abc", as_of=dt.date(2020, 6, 1), run_id=1)
    path = tmp_path / "cells.xlsx"
    wb = Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                              "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(wb)
    rows = RowXml(ITEM_KEYS, styles.xf_indices(), meta)
    reference, fast = wb.add_worksheet("ref"), wb.add_worksheet("fast")
    formats = [styles.for_key(k) for k in ITEM_KEYS]
    spliced = []
    for r, value in enumerate(VALUES):
        for col in range(len(ITEM_KEYS)):  # every column: styled ones and plain ones
            write_cell(reference, r, col, value, formats[col])
        cells = "".join(rows.cell(col, value) for col in range(len(ITEM_KEYS)))
        spliced.append(f'<row r="\x00">{cells}</row>')
    splice_rows(fast, 0, spliced)
    wb.close()
    expected, got = _cells(path, "ref"), _cells(path, "fast")
    assert got == expected
    assert ("'=HYPERLINK(\"http://x\")", "General") in got  # neutralised, as text
    assert ("line\nbreak\nold mac", "General") in got
