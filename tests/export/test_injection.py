"""Formula injection: an uploaded company name like `=HYPERLINK(...)` must stay text in Excel."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from engine.export import write_csv
from engine.export.safe import neutralise
from engine.export.xlsx_export import write_xlsx

from .conftest import with_name

ATTACKS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1",
           # XlsxWriter writes a string of this form as raw rich-text XML (unescaped).
           "<r><t>企业</t></r>", "<r></t></is></c></row></sheetData><t>x</r>"]


@pytest.mark.parametrize(("value", "shown"), [
    ("=1+1", "'=1+1"), ("+86 755", "'+86 755"), ("-5", "'-5"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("深圳市=公司", "深圳市=公司"), ("", ""), (320000, 320000),
    ("<r>x</r>", "'<r>x</r>"), ("<r>x", "<r>x"), ("a<r>x</r>", "a<r>x</r>"),
    (None, None),
])
def test_neutralise(value, shown):
    assert neutralise(value) == shown


@pytest.mark.parametrize("name", ATTACKS)
def test_csv_cells_from_uploads_are_text(run_records, run_meta, name):
    out = io.BytesIO()
    write_csv(with_name(run_records[:3], name), run_meta, out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
    assert [r[1] for r in rows[1:]] == ["'" + name] * 3


@pytest.mark.parametrize("name", ATTACKS)
def test_xlsx_cells_from_uploads_are_text(run_records, run_meta, name, tmp_path):
    path = tmp_path / "run.xlsx"
    write_xlsx(with_name(run_records[:1], name), run_meta, str(path),
               budget_impact=[{"备注": name}])
    wb = openpyxl.load_workbook(path)
    shown = ("'" + name).replace("\r", "\n")  # XML reads a carriage return back as a newline
    cell = wb[run_records[0]["decision"]["item_id"]]["B5"]
    assert (cell.value, cell.data_type) == (shown, "s")
    note = [c for row in wb["汇总"].iter_rows() for c in row if c.value == shown]
    assert note and note[0].data_type == "s"
