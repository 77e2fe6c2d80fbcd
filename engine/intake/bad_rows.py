"""The rows an import refused, written back as a file the official corrects and uploads again:
the original headers and cells, unchanged, in the format the list came in (CSV in UTF-8 with a
BOM, or XLSX), so that a corrected file imports like the first. An XLSX carries the row report
on a second sheet (imports read only the first); a CSV's report goes beside it (row_report_csv).

Rows that could not even be split into cells (an unclosed quote, an overlong line) have no cells
to give back: they are in the report, not in the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from .limits import BadRow
from .rows import RowProblem, split_reason
from .table import read_table

BOM = "\ufeff"
REPORT_HEADERS = {
    "zh": ["原行号", "企业", "列", "问题"],
    "en": ["Row in the uploaded file", "Company", "Column", "Problem"],
}


def _safe(value: Any) -> Any:
    """A cell that Excel would run as a formula is written as text (CSV injection). A signed
    number ("-12") is left alone: the file goes back into an import, which must read it."""
    if not isinstance(value, str) or value[:1] not in ("=", "+", "-", "@", "\t", "\r"):
        return value
    try:
        float(value.replace(",", ""))
    except ValueError:
        return "'" + value
    return value


def _report_rows(problems: Iterable[RowProblem], lang: str) -> list[list[Any]]:
    rows = []
    for p in sorted(problems, key=lambda p: p.row):
        zh, en = split_reason(p.reason)
        rows.append([p.row, p.company or "", p.column, en if lang == "en" else zh])
    return rows


def write_bad_rows(source: Path, problems: list[RowProblem], out: Path, lang: str = "zh") -> int:
    """Write the refused rows of `source` (the uploaded list) to `out` (.csv or .xlsx).

    Returns:
        The number of rows written (rows with cells; see the module's note).

    Raises:
        ImportFileError: `source` cannot be read (it was read once already, so only if it changed).
    """
    table = read_table(source)
    bad = {p.row for p in problems}
    rows = [values for number, values in table.rows
            if number in bad and not isinstance(values, BadRow)]
    headers = [("" if h is None else h) for h in table.headers]
    if out.suffix.lower() == ".xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("待更正" if lang == "zh" else "To correct")
        sheet.append(headers)
        for values in rows:
            sheet.append([_safe(v) for v in values])
        report = book.create_sheet("问题说明" if lang == "zh" else "Problems")
        report.append(REPORT_HEADERS[lang])
        for line in _report_rows(problems, lang):
            report.append([_safe(v) for v in line])
        book.save(out)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([[_safe(v) for v in values] for values in rows])
        out.write_bytes((BOM + buffer.getvalue()).encode("utf-8"))
    return len(rows)


def row_report_csv(problems: list[RowProblem], lang: str = "zh") -> bytes:
    """The row report as CSV (UTF-8 with a BOM), in one language, with each row's company."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_HEADERS[lang])
    writer.writerows([[_safe(v) for v in line] for line in _report_rows(problems, lang)])
    return (BOM + buffer.getvalue()).encode("utf-8")
