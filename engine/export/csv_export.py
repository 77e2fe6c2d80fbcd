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

from engine.decide.decision import Decision

from .columns import (
    COLUMNS,
    REVIEW_KEYS,
    company_values,
    decision_values,
    error_values,
    headers,
    record_decision_values,
    review_values,
    row_values,
    run_values,
    shared_key,
)
from .meta import ExportMeta
from .records import Counted, Record, decision_of
from .repeats import Bounded, decision_key
from .safe import neutralise

BOM = "\ufeff"
COLUMN_KEYS = tuple(key for key, _zh, _en in COLUMNS)
COMPANY_KEYS = COLUMN_KEYS[:COLUMN_KEYS.index("item_id")]
DECISION_KEYS = COLUMN_KEYS[len(COMPANY_KEYS):COLUMN_KEYS.index("review_state")]
RUN_KEYS = COLUMN_KEYS[COLUMN_KEYS.index("reviewed_at") + 1:]


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
    return "".join(csv_lines(records, meta))


BATCH = 100  # data lines per chunk of text: a streamed response sends about 150 KB at a time


def csv_lines(records: Iterable[Record], meta: ExportMeta) -> Iterator[str]:
    """The data lines of these records, in chunks of up to BATCH lines (see CsvLines)."""
    lines = CsvLines(meta)
    batch: list[str] = []
    for record in records:
        batch.append(lines.line(record))
        if len(batch) == BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_chunks(records: Iterable[Record], meta: ExportMeta) -> Iterator[str]:
    """The CSV as text chunks, BOM first, then the header: suits a streamed HTTP response
    (encode as UTF-8)."""
    yield BOM
    yield csv_header(meta)
    yield from csv_lines(records, meta)


# The cells of a decided item, as CSV text, by language and decision_key (engine.export.repeats).
_DECIDED: Bounded[tuple[Any, ...], str] = Bounded(4096)


class CsvLines:
    """Makes the CSV line of each record from four parts, each made once where it repeats: the
    applicant's cells (its rows come together), the decision's (a shared decision's once per item,
    a decided one's once per distinct decision), the review's (empty ones once) and the run's.

    csv.writer quotes each cell on its own, so the parts, each written by a writer of the same
    dialect and joined by commas, make the very line it writes for all the cells at once (every
    part has two cells or more: the writer writes a line of one empty cell as `""`)."""

    def __init__(self, meta: ExportMeta) -> None:
        self.meta = meta
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")
        self._who: tuple[Any, ...] | None = None
        self._head = ""
        self._shared: dict[tuple[Any, ...], str] = {}
        self._no_review = self.part(review_values(None, meta.lang), REVIEW_KEYS)
        self._tail = self.part(run_values(meta), RUN_KEYS)

    def line(self, record: Record) -> str:
        """The record's CSV line, line end included."""
        if "error" in record:
            return self.part(error_values(record, self.meta), COLUMN_KEYS) + "\r\n"
        company = record["company"]
        who = (company.get("credit_code"), company.get("name"), company.get("district"),
               record.get("profile_version"))
        if who != self._who:
            self._who = who
            self._head = self.part(company_values(record, self.meta.lang), COMPANY_KEYS)
        review = record.get("review")
        reviewed = (self.part(review_values(review, self.meta.lang), REVIEW_KEYS) if review
                    else self._no_review)
        return f"{self._head},{self.decision(record)},{reviewed},{self._tail}\r\n"

    def decision(self, record: Record) -> str:
        """The cells of the record's decision, from what was written before where it repeats."""
        key = shared_key(record, self.meta)
        if key is not None:
            text = self._shared.get(key)
            if text is None:
                text = self._shared[key] = self.part(record_decision_values(record, self.meta),
                                                     DECISION_KEYS)
            return text
        decision = record["decision"]
        if not isinstance(decision, Decision):
            return self.part(decision_values(decision_of(record), self.meta.lang), DECISION_KEYS)
        key = (self.meta.lang, decision_key(decision))
        text = _DECIDED.get(key)
        if text is None:
            text = _DECIDED.put(key, self.part(decision_values(decision, self.meta.lang),
                                               DECISION_KEYS))
        return text

    def part(self, values: dict[str, Any], keys: tuple[str, ...]) -> str:
        """These cells as csv.writer writes them, without the line end."""
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.writerow([csv_cell(values[key]) for key in keys])
        return buffer.getvalue()[:-2]


def _encoding(stream: IO[Any]) -> str:
    return (getattr(stream, "encoding", None) or "").lower().replace("_", "-")


def write_csv(records: Iterable[Record], meta: ExportMeta, stream: IO[Any]) -> int:
    """Write the CSV to a binary stream, or a text stream opened with newline="".

    Returns:
        The number of data rows written (header excluded).
    """
    binary = not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", "b")
    counted = Counted(records)
    for chunk in csv_chunks(counted, meta):
        if chunk == BOM and _encoding(stream) == "utf-8-sig":
            continue  # the stream writes its own BOM
        stream.write(chunk.encode("utf-8") if binary else chunk)
    return counted.count
