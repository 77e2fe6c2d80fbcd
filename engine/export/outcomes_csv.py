"""The outcomes CSV: one row per company × item like the full CSV, without the explanation text:
status, amount, ceiling flag and each criterion's outcome by id (✓ met, ✗ not met, ? unknown).

For an official sorting and filtering a whole district in a spreadsheet, where the full export's
1.4 KB of explanation per row is what makes it slow and large; any row's explanation is one click
away in the console, and the full CSV has it. It is written from what a run stores, without the
engine. UTF-8 with a BOM, like every CSV for Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from engine.explain import labels

from .columns import COLUMNS, ERROR_ITEM, ERROR_TEXT, REVIEW_KEYS, review_values, to_wan, yes_no
from .csv_export import BOM
from .meta import ExportMeta
from .safe import neutralise

# The full CSV's columns with the criterion outcomes in place of the explanation texts.
OUTCOME_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    column for c in COLUMNS if c[0] not in ("missing", "failed")
    for column in ([("criteria", "各项条件（✓满足 ✗不满足 ?待补充）",
                     "Criteria (✓ met, ✗ not met, ? unknown)")] if c[0] == "explanation" else [c]))
MARK = {"p": "✓", "f": "✗", "u": "?"}
ERROR_STATUS = "error"  # an OutcomeRow of an applicant that could not be decided; outcomes: why


class OutcomeRow:
    """One stored decision as the outcomes CSV needs it (store.runs.iter_outcome_rows)."""

    __slots__ = ("company", "profile_version", "item_id", "title", "status", "amount", "ceiling",
                 "outcomes", "criteria", "review")

    def __init__(self, company: dict[str, Any], profile_version: int, item_id: str,
                 title: dict[str, str], status: str, amount: Decimal | None, ceiling: bool,
                 outcomes: str, criteria: list[str], review: dict[str, Any] | None = None) -> None:
        self.company, self.profile_version, self.item_id = company, profile_version, item_id
        self.title, self.status, self.amount, self.ceiling = title, status, amount, ceiling
        self.outcomes, self.criteria, self.review = outcomes, criteria, review


def _criteria_text(row: OutcomeRow) -> str:
    return "；".join(f"{c} {MARK[o]}" for c, o in zip(row.criteria, row.outcomes, strict=False))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(neutralise(value))


def outcome_lines(rows: Iterable[OutcomeRow], meta: ExportMeta) -> Iterator[str]:
    """The CSV as text, BOM and header first."""
    lang = meta.lang
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([en if lang == "en" else zh for _key, zh, en in OUTCOME_COLUMNS])
    yield BOM + buffer.getvalue()
    tail = [meta.rules_version, meta.as_of.isoformat(), str(meta.run_id)]
    no_review = [""] * len(REVIEW_KEYS)
    statuses: dict[str, str] = {}
    districts: dict[str, str] = {}
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        district = row.company.get("district")
        if district and district not in districts:
            districts[district] = labels.enum(district, lang)
        if row.status == ERROR_STATUS:  # an applicant the run could not decide: its reason
            status, title = ERROR_TEXT["en" if lang == "en" else "zh"]
            writer.writerow([_text(row.company.get("credit_code")), _text(row.company.get("name")),
                             _text(district), row.profile_version, ERROR_ITEM, title, status,
                             "", "", "", _text(row.outcomes), *no_review, *tail])
            yield buffer.getvalue()
            continue
        status = statuses.get(row.status)
        if status is None:
            status = statuses[row.status] = labels.status(row.status, lang)
        amount = row.amount
        writer.writerow([
            _text(row.company.get("credit_code")), _text(row.company.get("name")),
            districts.get(district, "") if district else "", row.profile_version, row.item_id,
            _text(row.title.get(lang) or row.title.get("zh")), status,
            _text(amount), _text(None if amount is None else to_wan(amount)),
            yes_no(row.ceiling, lang), _criteria_text(row), *_review_cells(row, lang), *tail])
        yield buffer.getvalue()


def _review_cells(row: OutcomeRow, lang: str) -> list[str]:
    values = review_values(row.review, lang)
    return [_text(values[key]) for key in REVIEW_KEYS]


def write_outcomes_csv(rows: Iterable[OutcomeRow], meta: ExportMeta, stream: IO[bytes]) -> int:
    """Write the outcomes CSV to a binary stream; returns the data rows written."""
    count = -1
    for line in outcome_lines(rows, meta):
        stream.write(line.encode("utf-8"))
        count += 1
    return count
