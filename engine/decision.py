"""What an assessment produces: decisions with their full trace, and their stable JSON form.

The API, the pages, the exports and the CLI all render these same objects; nothing re-derives an
explanation. JSON money is a decimal string in yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .catalog import Text

CRITERION_STATUSES = ("pass", "fail", "unknown")
ITEM_STATUSES = ("eligible", "ineligible", "undetermined", "not_assessable", "not_in_force")


@dataclass(frozen=True, slots=True)
class FactRead:
    """One fact a criterion read, with where it came from."""

    name: str
    value: Any
    source: str | None = None  # provenance source, when the profile gives one
    source_date: dt.date | None = None
    derived_from: tuple[FactRead, ...] = ()


@dataclass(frozen=True, slots=True)
class Gap:
    """How far a failed numeric criterion is from passing, in the unit of what must change."""

    shortfall: Decimal
    unit: str  # yuan, persons, days, points, ratio, ...
    of: str  # the fact that must change
    direction: str  # "more" or "less"


@dataclass(frozen=True, slots=True)
class CitationRef:
    document: str
    clause: str
    url: str | None
    basis: str
    assumption: Text | None = None


@dataclass(slots=True)  # not frozen: it is built for every criterion of every profile (hot path)
class CriterionResult:
    id: str
    text: Text
    status: str
    fact: str
    op: str
    value: Any
    ref: str | None
    reads: tuple[FactRead, ...]
    citation: CitationRef
    gap: Gap | None = None
    role: str = "criterion"  # criterion | exclusion | requirement
    group: str | None = None  # the exclusion condition or required item


@dataclass(frozen=True, slots=True)
class AmountResult:
    value: Decimal | None
    ceiling: bool  # the source gives only a maximum: "up to value"
    steps: tuple[Text, ...]
    citation: CitationRef


@dataclass(frozen=True, slots=True)
class StackingNote:
    group: str
    title: Text
    receivable: bool
    reason: Text
    citation: CitationRef


@dataclass(frozen=True, slots=True)
class Decision:
    item_id: str
    program: str
    title: Text
    version: Text | None
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    source: CitationRef
    evidence: str
    budget_line_wan: Decimal | None
    criteria: tuple[CriterionResult, ...] = ()
    logic: Any = None  # the criteria tree by criterion id: {"all": [...]}, {"any": [...]}, ...
    missing: tuple[str, ...] = ()
    amount: AmountResult | None = None
    reason: Text | None = None  # why not assessable / not in force / excluded
    stacking: StackingNote | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    rules_version: str
    as_of: dt.date
    profile: Any  # engine.profile.Profile
    decisions: tuple[Decision, ...] = field(default_factory=tuple)

    def decision(self, item_id: str) -> Decision:
        return next(d for d in self.decisions if d.item_id == item_id)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, FactRead):  # enums
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def _citation(c: CitationRef) -> dict[str, Any]:
    return {"document": c.document, "clause": c.clause, "url": c.url, "basis": c.basis,
            "assumption": _text(c.assumption)}


def _read(r: FactRead) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.name, "value": _plain(r.value)}
    if r.source:
        out["source"] = r.source
        out["source_date"] = _plain(r.source_date)
    if r.derived_from:
        out["inputs"] = [_read(i) for i in r.derived_from]
    return out


def criterion_to_dict(c: CriterionResult) -> dict[str, Any]:
    threshold = {"op": c.op, "value": _plain(c.value), "ref": c.ref}
    gap = None
    if c.gap:
        gap = {"shortfall": _plain(c.gap.shortfall), "unit": c.gap.unit, "of": c.gap.of,
               "direction": c.gap.direction}
    return {"id": c.id, "role": c.role, "group": c.group, "text": _text(c.text),
            "status": c.status, "fact": c.fact, "facts": [_read(r) for r in c.reads],
            "threshold": threshold, "gap": gap, "citation": _citation(c.citation)}


def decision_to_dict(d: Decision) -> dict[str, Any]:
    amount = d.amount
    return {
        "item_id": d.item_id,
        "program": d.program,
        "title": _text(d.title),
        "version": _text(d.version),
        "valid_from": _plain(d.valid_from),
        "valid_to": _plain(d.valid_to),
        "status": d.status,
        "amount": None if amount is None or amount.value is None else _plain(amount.value),
        "amount_is_ceiling": bool(amount and amount.ceiling),
        "amount_steps": [_text(s) for s in amount.steps] if amount else [],
        "missing": list(d.missing),
        "reason": _text(d.reason),
        "source": _citation(d.source),
        "evidence": d.evidence,
        "budget_line_wan": _plain(d.budget_line_wan),
        "criteria": [criterion_to_dict(c) for c in d.criteria],
        "logic": d.logic,
        "stacking": None if d.stacking is None else {
            "group": d.stacking.group, "title": _text(d.stacking.title),
            "receivable": d.stacking.receivable, "reason": _text(d.stacking.reason),
            "citation": _citation(d.stacking.citation)},
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
