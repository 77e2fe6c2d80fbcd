"""CSV export for Excel users: UTF-8 with a BOM, one row per company × item, written as it streams.

Excel opens a UTF-8 CSV as GBK unless it starts with a byte-order mark, so the BOM is not optional
for Chinese names. Rows are produced one at a time, so memory stays flat for a 100k-row run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from .columns import COLUMNS, headers, row_values
from .meta import ExportMeta
from .records import Record
from .safe import neutralise

BOM = "\ufeff"


def csv_cell(value: Any) -> str:
    """One value as CSV text: exact decimals, ISO dates, text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(neutralise(value))


def csv_rows(records: Iterable[Record], meta: ExportMeta) -> Iterator[list[str]]:
    """The header row, then one row of text cells per record."""
    yield [csv_cell(h) for h in headers(meta.lang)]
    for record in records:
        values = row_values(record, meta)
        yield [csv_cell(values[key]) for key, _zh, _en in COLUMNS]


def csv_header(meta: ExportMeta) -> str:
    """The header line (no BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(h) for h in headers(meta.lang)])
    return buffer.getvalue()


def csv_body(records: Iterable[Record], meta: ExportMeta) -> str:
    """The data lines of these records (no BOM, no header): a part of a larger CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in records:
        values = row_values(record, meta)
        writer.writerow([csv_cell(values[key]) for key, _zh, _en in COLUMNS])
    return buffer.getvalue()


def csv_chunks(records: Iterable[Record], meta: ExportMeta) -> Iterator[str]:
    """The CSV as text chunks, BOM first: suits a streamed HTTP response (encode as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield BOM
    for row in csv_rows(records, meta):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _encoding(stream: IO[Any]) -> str:
    return (getattr(stream, "encoding", None) or "").lower().replace("_", "-")


def write_csv(records: Iterable[Record], meta: ExportMeta, stream: IO[Any]) -> int:
    """Write the CSV to a binary stream, or a text stream opened with newline="".

    Returns:
        The number of data rows written (header excluded).
    """
    binary = not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", "b")
    rows = -1
    for chunk in csv_chunks(records, meta):
        if chunk == BOM and _encoding(stream) == "utf-8-sig":
            continue  # the stream writes its own BOM
        stream.write(chunk.encode("utf-8") if binary else chunk)
        rows += chunk != BOM
    return rows
