"""A decision's stable JSON form (docs/output.md), both ways.

`decision_to_dict` writes what the CLI, the API and the store keep. Records come back as JSON (from
the database or an API); `decision_from_dict` rebuilds the dataclasses so that every format prints
the very explanation the CLI and the pages print, instead of a second formatter drifting from the
first. Nothing is re-evaluated: this is deserialisation of what the engine produced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.decide.decision import (
    AmountResult,
    Assessment,
    CitationRef,
    CriterionResult,
    Decision,
    FactRead,
    FiguresNote,
    Gap,
    StackingNote,
)
from engine.facts.kinds import UNDEFINED, UNDEFINED_TEXT
from engine.rules.model import Text

_PLAIN = (str, int, bool, type(None))  # written as they are


def _json_value(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # the common case first (this runs for every fact of every criterion)
        return value
    if kind is Decimal:
        return format(value, "f")
    if value is UNDEFINED:
        return UNDEFINED_TEXT
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, FactRead):  # enums
        return value.value
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _text_dict(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


_CITATIONS: dict[int, tuple[CitationRef, dict[str, Any]]] = {}  # id -> (citation, its dict)


def _citation_dict(c: CitationRef) -> dict[str, Any]:
    """A citation's dict, a fresh copy each time; the engine shares citation objects between
    criteria and profiles, so each one's dict is built once (by identity, kept alive here)."""
    known = _CITATIONS.get(id(c))
    if known is None or known[0] is not c:
        if len(_CITATIONS) > 8192:
            _CITATIONS.clear()
        known = _CITATIONS[id(c)] = (c, {
            "document": c.document, "clause": c.clause, "url": c.url, "basis": c.basis,
            "assumption": _text_dict(c.assumption)})
    out = dict(known[1])
    if out["assumption"] is not None:
        out["assumption"] = dict(out["assumption"])
    return out


def _read_dict(r: FactRead) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.name, "value": _json_value(r.value)}
    if r.source:
        out["source"] = r.source
        out["source_date"] = _json_value(r.source_date)
    if r.derived_from:
        out["inputs"] = [_read_dict(i) for i in r.derived_from]
    return out


def criterion_to_dict(c: CriterionResult) -> dict[str, Any]:
    threshold = {"op": c.op, "value": _json_value(c.value), "ref": c.ref}
    gap = None
    if c.gap:
        gap = {"shortfall": _json_value(c.gap.shortfall), "unit": c.gap.unit, "of": c.gap.of,
               "direction": c.gap.direction,
               "from_date": c.gap.from_date.isoformat() if c.gap.from_date else None}
    text, cleared = c.text, c.cleared
    return {"id": c.id, "role": c.role, "group": c.group, "text": _text_dict(text),
            "status": c.status, "fact": c.fact, "facts": [_read_dict(r) for r in c.reads],
            "threshold": threshold, "gap": gap, "citation": _citation_dict(c.citation),
            "cleared": {"zh": cleared.zh, "en": cleared.en} if cleared else None}


def decision_to_dict(d: Decision) -> dict[str, Any]:
    amount = d.amount
    return {
        "item_id": d.item_id,
        "program": d.program,
        "title": _text_dict(d.title),
        "version": _text_dict(d.version),
        "valid_from": _json_value(d.valid_from),
        "valid_to": _json_value(d.valid_to),
        "status": d.status,
        "amount": None if amount is None or amount.value is None else _json_value(amount.value),
        "amount_is_ceiling": bool(amount and amount.ceiling),
        "amount_steps": [_text_dict(s) for s in amount.steps] if amount else [],
        "amount_citation": _citation_dict(amount.citation) if amount else None,
        "missing": list(d.missing),
        "reason": _text_dict(d.reason),
        "source": _citation_dict(d.source),
        "evidence": d.evidence,
        "budget_line_wan": _json_value(d.budget_line_wan),
        "criteria": [criterion_to_dict(c) for c in d.criteria],
        "logic": d.logic,
        "stacking": None if d.stacking is None else {
            "group": d.stacking.group, "title": _text_dict(d.stacking.title),
            "receivable": d.stacking.receivable, "reason": _text_dict(d.stacking.reason),
            "citation": _citation_dict(d.stacking.citation)},
        "notes": _text_dict(d.notes),
        "figures": None if d.figures is None else {
            "expected_fiscal_year": d.figures.expected_year,
            "profile_fiscal_year": d.figures.profile_year,
            "facts": list(d.figures.facts), "note": _text_dict(d.figures.text)},
    }


def assessment_to_dict(a: Assessment) -> dict[str, Any]:
    """The documented, stable JSON form of an assessment (see docs/output.md)."""
    return {
        "rules_version": a.rules_version,
        "as_of": a.as_of.isoformat(),
        "company": {"credit_code": a.profile.credit_code, "name": a.profile.name,
                    "fiscal_year": a.profile.fiscal_year},
        "decisions": [decision_to_dict(d) for d in a.decisions],
    }


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
               direction=data["direction"], from_date=_date(data.get("from_date")))


def criterion_from_dict(data: dict[str, Any]) -> CriterionResult:
    threshold = data["threshold"]
    return CriterionResult(
        id=data["id"], text=_text(data["text"]), status=data["status"], fact=data["fact"],
        op=threshold["op"], value=threshold["value"], ref=threshold.get("ref"),
        reads=tuple(_read(r) for r in data["facts"]), citation=citation_from_dict(data["citation"]),
        gap=_gap(data.get("gap")), role=data.get("role", "criterion"), group=data.get("group"),
        cleared=_text(data["cleared"]) if data.get("cleared") else None)


def _amount(data: dict[str, Any], source: CitationRef) -> AmountResult | None:
    steps = tuple(_text(s) for s in data.get("amount_steps", ()))
    if data.get("amount") is None and not steps:
        return None
    cited = data.get("amount_citation")  # absent in documents written before it was added
    return AmountResult(value=_decimal(data.get("amount")), ceiling=bool(data.get("amount_is_ceiling")),
                        steps=steps, citation=citation_from_dict(cited) if cited else source)


def _stacking(data: dict[str, Any] | None) -> StackingNote | None:
    if data is None:
        return None
    return StackingNote(group=data["group"], title=_text(data["title"]),
                        receivable=data["receivable"], reason=_text(data["reason"]),
                        citation=citation_from_dict(data["citation"]))


def _figures(data: dict[str, Any] | None) -> FiguresNote | None:
    if data is None:  # also documents written before the field was added
        return None
    return FiguresNote(expected_year=data["expected_fiscal_year"],
                       profile_year=data.get("profile_fiscal_year"),
                       facts=tuple(data.get("facts", ())), text=_text(data["note"]))


def decision_from_dict(data: dict[str, Any]) -> Decision:
    """The inverse of decision_to_dict above, for rendering."""
    source = citation_from_dict(data["source"])
    return Decision(
        item_id=data["item_id"], program=data["program"], title=_text(data["title"]),
        version=_text(data.get("version")), valid_from=_date(data["valid_from"]),
        valid_to=_date(data.get("valid_to")), status=data["status"], source=source,
        evidence=data["evidence"], budget_line_wan=_decimal(data.get("budget_line_wan")),
        criteria=tuple(criterion_from_dict(c) for c in data.get("criteria", ())),
        logic=data.get("logic"), missing=tuple(data.get("missing", ())),
        amount=_amount(data, source), reason=_text(data.get("reason")),
        stacking=_stacking(data.get("stacking")),
        notes=_text(data["notes"]) if data.get("notes") else None,
        figures=_figures(data.get("figures")))
