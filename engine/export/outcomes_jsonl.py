"""Outcomes as JSON lines: the outcomes CSV's content for machines, one object per company × item
with the run's metadata, the status, the exact amount (`amount`, a decimal string in yuan, and
`amount_is_ceiling`, named as in the full JSON lines), each criterion's outcome by id (pass /
fail / unknown) and the latest review (or null), but no explanation text.

It is written from what a run stores, without the engine, like the outcomes CSV: the format for
a district's data pipeline, where the full JSON lines' 3 KB of explanation per decision is what
makes an export slow and large. Each line stands alone (rules version, as-of date, run).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from .jsonl_export import review_json
from .meta import ExportMeta
from .outcomes_csv import BATCH, ERROR_STATUS, OutcomeRow, write_text

OUTCOME = {"p": "pass", "f": "fail", "u": "unknown"}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def outcome_json_lines(rows: Iterable[OutcomeRow], meta: ExportMeta) -> Iterator[str]:
    """The lines as text in chunks of up to BATCH lines, each line ending in a newline.

    An applicant's company, an item's criterion outcomes and a repeated amount are serialised
    once and reused (the text is the same as serialising each line whole)."""
    head = _dumps(meta.to_dict())[:-1]
    criteria: dict[tuple[str, str], str] = {}
    amounts: dict[Decimal, str] = {}
    items: dict[str, str] = {}
    company: Any = None
    who = ""
    lines: list[str] = []
    for row in rows:
        if row.company is not company:
            company = row.company
            who = _dumps(company)
        start = f'{head},"company":{who},"profile_version":{_dumps(row.profile_version)}'
        if row.status == ERROR_STATUS:  # an applicant the run could not decide: its reason
            lines.append(f'{start},"error":{_dumps(row.outcomes)}}}\n')
        else:
            item = items.get(row.item_id)
            if item is None:
                item = items[row.item_id] = _dumps(row.item_id)
            key = (row.item_id, row.outcomes)
            outcomes = criteria.get(key)
            if outcomes is None:
                outcomes = criteria[key] = _dumps(
                    {c: OUTCOME[o] for c, o in zip(row.criteria, row.outcomes, strict=False)})
            amount = "null" if row.amount is None else amounts.get(row.amount)
            if amount is None:
                if len(amounts) > 65536:
                    amounts.clear()
                amount = amounts[row.amount] = _dumps(format(row.amount, "f"))  # type: ignore[index]
            review = "null" if row.review is None else _dumps(review_json(row.review))
            lines.append(f'{start},"item_id":{item},"status":"{row.status}","amount":{amount},'
                         f'"amount_is_ceiling":{"true" if row.ceiling else "false"},"criteria":{outcomes},'
                         f'"review":{review}}}\n')
        if len(lines) == BATCH:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def write_outcomes_jsonl(rows: Iterable[OutcomeRow], meta: ExportMeta, stream: IO[bytes]) -> int:
    """Write the outcomes JSON lines (UTF-8, no BOM) to a binary stream; returns the lines."""
    return write_text(outcome_json_lines, rows, meta, stream)
