"""JSON lines for machines: one self-describing object per record, metadata included in each.

Each line stands alone (rules version, as-of date, run), so a consumer can split, filter or
stream the file without losing what the decision was made with.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from engine.decide.decision import Decision
from engine.explain.clock import beijing
from engine.explain.decision_json import decision_to_dict

from .meta import ExportMeta
from .records import Record, decision_dict_of, decision_of
from .repeats import Bounded, decision_key


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# A decided item's JSON text by decision_key (engine.export.repeats): most repeat across firms.
_DECIDED: Bounded[tuple[Any, ...], str] = Bounded(2048)


def jsonl_lines(records: Iterable[Record], meta: ExportMeta) -> Iterator[str]:
    """One JSON document per record, each ending in a newline. What repeats is serialised once
    and its text reused: the opening of an applicant's lines (metadata, company, version: its
    records come together), a decision shared by every applicant (record["shared"]), and a decided
    item's decision that other applicants got too (by its exact key)."""
    head = meta.to_dict()
    shared: dict[str, str] = {}  # item id -> the shared decision's JSON text
    who: tuple[Any, ...] | None = None
    line = ""
    for record in records:
        company, version = record["company"], record.get("profile_version")
        # The company's items in order (their order is in the text), the version with its type.
        now = (tuple(company.items()), type(version), version)
        if now != who:
            who = now
            line = _dumps({**head, "company": company, "profile_version": version})[:-1]
        if "error" in record:
            yield f'{line},"error":{_dumps(record["error"])}}}\n'
            continue
        text = _decision_text(record, shared)
        review = record.get("review")
        if review:
            yield f'{line},"decision":{text},"review":{_dumps(review_json(review))}}}\n'
        else:
            yield f'{line},"decision":{text}}}\n'


def _decision_text(record: Record, shared: dict[str, str]) -> str:
    """The JSON text of the record's decision, from what was serialised before where it repeats."""
    decision = record["decision"]
    if record.get("shared"):
        item_id = decision_of(record).item_id
        text = shared.get(item_id)
        if text is None:
            text = shared[item_id] = _dumps(decision_dict_of(record))
        return text
    if not isinstance(decision, Decision):  # already in its JSON form
        return _dumps(decision)
    key = decision_key(decision)
    text = _DECIDED.get(key)
    if text is None:
        text = _DECIDED.put(key, _dumps(decision_to_dict(decision)))
    return text


def review_json(review: dict[str, Any]) -> dict[str, Any]:
    """A record's review for machines: the amount a decimal string, the time in Beijing time."""
    amount, at = review.get("override_amount"), review.get("at")
    return {**review, "override_amount": None if amount is None else format(amount, "f"),
            "at": None if at is None else beijing(at).isoformat()}


def write_jsonl(records: Iterable[Record], meta: ExportMeta, stream: IO[Any]) -> int:
    """Write JSON lines (UTF-8, no BOM) to a binary or text stream; returns the line count."""
    binary = not isinstance(stream, io.TextIOBase) and "b" in getattr(stream, "mode", "b")
    count = 0
    for line in jsonl_lines(records, meta):
        stream.write(line.encode("utf-8") if binary else line)
        count += 1
    return count
