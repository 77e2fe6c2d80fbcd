"""Turn a decision's stable JSON form back into a Decision, so exports reuse engine.explain.

Records arrive as JSON (from the database or an API); rebuilding the dataclasses lets every format
print the very explanation the CLI and the pages print, instead of a second formatter drifting
from the first. Nothing is re-evaluated: this is deserialisation of what the engine produced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..catalog import Text
from ..decision import (
    AmountResult,
    CitationRef,
    CriterionResult,
    Decision,
    FactRead,
    Gap,
    StackingNote,
)


def _text(data: dict[str, str] | None) -> Text | None:
    return None if data is None else Text(zh=data["zh"], en=data["en"])


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def citation_from_dict(data: dict[str, Any]) -> CitationRef:
    return CitationRef(document=data["document"], clause=data["clause"], url=data.get("url"),
                       basis=data["basis"], assumption=_text(data.get("assumption")))


def _read(data: dict[str, Any]) -> FactRead:
    return FactRead(name=data["name"], value=data["value"], source=data.get("source"),
                    source_date=_date(data.get("source_date")),
                    derived_from=tuple(_read(i) for i in data.get("inputs", ())))


def _gap(data: dict[str, Any] | None) -> Gap | None:
    if data is None:
        return None
    return Gap(shortfall=Decimal(data["shortfall"]), unit=data["unit"], of=data["of"],
               direction=data["direction"])


def criterion_from_dict(data: dict[str, Any]) -> CriterionResult:
    threshold = data["threshold"]
    return CriterionResult(
        id=data["id"], text=_text(data["text"]), status=data["status"], fact=data["fact"],
        op=threshold["op"], value=threshold["value"], ref=threshold.get("ref"),
        reads=tuple(_read(r) for r in data["facts"]), citation=citation_from_dict(data["citation"]),
        gap=_gap(data.get("gap")), role=data.get("role", "criterion"), group=data.get("group"))


def _amount(data: dict[str, Any], source: CitationRef) -> AmountResult | None:
    steps = tuple(_text(s) for s in data.get("amount_steps", ()))
    if data.get("amount") is None and not steps:
        return None
    # The JSON form does not carry the amount's own citation; the item's source stands in.
    return AmountResult(value=_decimal(data.get("amount")), ceiling=bool(data.get("amount_is_ceiling")),
                        steps=steps, citation=source)


def _stacking(data: dict[str, Any] | None) -> StackingNote | None:
    if data is None:
        return None
    return StackingNote(group=data["group"], title=_text(data["title"]),
                        receivable=data["receivable"], reason=_text(data["reason"]),
                        citation=citation_from_dict(data["citation"]))


def decision_from_dict(data: dict[str, Any]) -> Decision:
    """The inverse of engine.decision.decision_to_dict, for rendering."""
    source = citation_from_dict(data["source"])
    return Decision(
        item_id=data["item_id"], program=data["program"], title=_text(data["title"]),
        version=_text(data.get("version")), valid_from=_date(data["valid_from"]),
        valid_to=_date(data.get("valid_to")), status=data["status"], source=source,
        evidence=data["evidence"], budget_line_wan=_decimal(data.get("budget_line_wan")),
        criteria=tuple(criterion_from_dict(c) for c in data.get("criteria", ())),
        logic=data.get("logic"), missing=tuple(data.get("missing", ())),
        amount=_amount(data, source), reason=_text(data.get("reason")),
        stacking=_stacking(data.get("stacking")))
