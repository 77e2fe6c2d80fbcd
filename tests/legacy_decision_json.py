"""The JSON form of a decision as engine.explain.decision_json wrote it before it was made fast.

Kept verbatim (only the to-dict half) so that tests can compare the fast writer with the plain
one over many profiles: a straightforward reading of docs/output.md, one field after another.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.decide.decision import Assessment, CitationRef, CriterionResult, Decision, FactRead
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


def _citation_dict(c: CitationRef) -> dict[str, Any]:
    return {"document": c.document, "clause": c.clause, "url": c.url, "basis": c.basis,
            "assumption": _text_dict(c.assumption)}


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
