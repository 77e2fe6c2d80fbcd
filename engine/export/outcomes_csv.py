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
from collections.abc import Callable, Iterable, Iterator
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
    """The CSV as text, BOM and header first, then the data lines in chunks of up to BATCH rows.

    A district's export is millions of rows that repeat the same few values: an applicant's
    company cells for each of its items, an item's title, one of a handful of outcome patterns
    per item. Each is formatted once and reused, and the rows are written in batches; the text
    is the same as formatting every cell of every row."""
    lang = meta.lang
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([en if lang == "en" else zh for _key, zh, en in OUTCOME_COLUMNS])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    tail = [meta.rules_version, meta.as_of.isoformat(), str(meta.run_id)]
    no_review = [""] * len(REVIEW_KEYS)
    statuses: dict[str, str] = {}
    districts: dict[str, str] = {}
    titles: dict[str, str] = {}
    criteria: dict[tuple[str, str], str] = {}
    amounts: dict[Decimal, tuple[str, str]] = {}
    company: Any = None
    who: list[Any] = []
    ceiling = {True: yes_no(True, lang), False: yes_no(False, lang)}
    pending = 0
    for row in rows:
        if row.company is not company:  # the next applicant (its items come together)
            company = row.company
            district = company.get("district")
            if district and district not in districts:
                districts[district] = labels.enum(district, lang)
            who = [_text(company.get("credit_code")), _text(company.get("name")),
                   districts[district] if district else ""]
        if row.status == ERROR_STATUS:  # an applicant the run could not decide: its reason
            status, title = ERROR_TEXT["en" if lang == "en" else "zh"]
            writer.writerow([who[0], who[1], _text(district), row.profile_version, ERROR_ITEM,
                             title, status, "", "", "", _text(row.outcomes), *no_review, *tail])
        else:
            status = statuses.get(row.status)
            if status is None:
                status = statuses[row.status] = labels.status(row.status, lang)
            title = titles.get(row.item_id)
            if title is None:
                title = titles[row.item_id] = _text(row.title.get(lang) or row.title.get("zh"))
            key = (row.item_id, row.outcomes)
            outcomes = criteria.get(key)
            if outcomes is None:
                outcomes = criteria[key] = _criteria_text(row)
            amount = row.amount
            if amount is None:
                money = ("", "")
            else:
                money = amounts.get(amount)  # type: ignore[assignment]
                if money is None:
                    if len(amounts) > 65536:
                        amounts.clear()
                    money = amounts[amount] = (_text(amount), _text(to_wan(amount)))
            writer.writerow([*who, row.profile_version, row.item_id, title, status, *money,
                             ceiling[row.ceiling], outcomes,
                             *(no_review if row.review is None else _review_cells(row, lang)),
                             *tail])
        pending += 1
        if pending == BATCH:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


BATCH = 1000  # data rows per chunk of text


def _review_cells(row: OutcomeRow, lang: str) -> list[str]:
    values = review_values(row.review, lang)
    return [_text(values[key]) for key in REVIEW_KEYS]


def write_outcomes_csv(rows: Iterable[OutcomeRow], meta: ExportMeta, stream: IO[bytes]) -> int:
    """Write the outcomes CSV to a binary stream; returns the data rows written."""
    return write_text(outcome_lines, rows, meta, stream)


def write_text(text_of: Callable[[Iterable[OutcomeRow], ExportMeta], Iterable[str]],
               rows: Iterable[OutcomeRow], meta: ExportMeta, stream: IO[bytes]) -> int:
    """Write what `text_of` makes of the rows, as UTF-8, to a binary stream; returns the rows
    (counted as they are read: the text comes in chunks of many rows)."""
    count = 0

    def counted(source: Iterable[OutcomeRow]) -> Iterator[OutcomeRow]:
        nonlocal count
        for row in source:
            count += 1
            yield row

    for text in text_of(counted(rows), meta):
        stream.write(text.encode("utf-8"))
    return count
