"""A decision's stable JSON form (docs/output.md), both ways.

`decision_to_dict` writes what the CLI, the API and the store keep. Records come back as JSON (from
the database or an API); `decision_from_dict` rebuilds the dataclasses so that every format prints
the very explanation the CLI and the pages print, instead of a second formatter drifting from the
first. Nothing is re-evaluated: this is deserialisation of what the engine produced.
"""

from __future__ import annotations

import datetime as dt
import enum
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
_CONTAINERS = (dict, list)
_MEMO_LIMIT = 8192  # trees kept per memo before it starts again (memory stays bounded)


def _json_value(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:  # the common case first (this runs for every fact of every criterion)
        return value
    if value is UNDEFINED:
        return UNDEFINED_TEXT
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _converter(kind)
        if convert is None:
            return _other_value(value)
    return convert(value)


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _enum_value(value: Any) -> Any:
    return value._value_  # what Enum.value returns, without its descriptor


_CONVERTERS: dict[type, Any] = {Decimal: _decimal_text, dt.date: dt.date.isoformat}


def _converter(kind: type) -> Any:
    """How every value of this type is written, when that follows from the type alone
    (decimals, dates, enums), learnt once per type; None for the others."""
    if issubclass(kind, Decimal):
        convert = _decimal_text
    elif issubclass(kind, dt.date):
        convert = kind.isoformat
    elif issubclass(kind, enum.Enum):
        convert = _enum_value
    else:
        return None
    _CONVERTERS[kind] = convert
    return convert


def _other_value(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, FactRead):  # enum-like
        return value.value
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _text_dict(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


# --- JSON built once, handed out as fresh copies -------------------------------------------
# The same frozen objects come back for every profile (the decisions of items not in force or
# not assessable on a date, the criteria trees); their JSON is built once and copied, because
# callers own what they are given and may change it. Copying shares the strings (immutable)
# and copies each dict and list, following a plan of where they are.
Plan = tuple[tuple[Any, "Plan | None"], ...]  # (key or index, the plan inside, None: scalars)
_TREES: dict[int, tuple[Any, Any, Plan]] = {}  # id(object) -> (object, its JSON, plan)


def _plan(tree: Any) -> Plan:
    """The keys (or indexes) of a JSON tree's dicts and lists, each with its own plan, or None
    for one that holds only scalars (copied as it is, without a call more)."""
    items = tree.items() if type(tree) is dict else enumerate(tree)
    return tuple((key, _plan(value) or None) for key, value in items
                 if type(value) in _CONTAINERS)


def _thaw(tree: Any, plan: Plan) -> Any:
    """A fresh copy of a JSON tree: every dict and list new, the scalars shared."""
    out = tree.copy()
    for key, inner in plan:
        out[key] = tree[key].copy() if inner is None else _thaw(tree[key], inner)
    return out


def _memoised(obj: Any, build: Any) -> Any:
    """A fresh copy of build(obj), built once per object: by identity, and the object is kept
    alive here so that its id is not reused. Only for objects nobody changes (frozen ones)."""
    known = _TREES.get(id(obj))
    if known is None or known[0] is not obj:
        if len(_TREES) > _MEMO_LIMIT:
            _TREES.clear()
        tree = build(obj)
        known = _TREES[id(obj)] = (obj, tree, _plan(tree))
    return _thaw(known[1], known[2])


def _as_it_is(tree: Any) -> Any:
    return tree


def _logic(tree: Any) -> Any:
    """The criteria tree by criterion id, a fresh copy (the plan's tree is shared, read only)."""
    if type(tree) in _CONTAINERS:
        return _memoised(tree, _as_it_is)
    return tree


# --- one field after another (docs/output.md) ------------------------------------------------
def _citation_dict(c: CitationRef) -> dict[str, Any]:
    a = c.assumption
    return {"document": c.document, "clause": c.clause, "url": c.url, "basis": c.basis,
            "assumption": None if a is None else {"zh": a.zh, "en": a.en}}


def _read_dict(r: FactRead) -> dict[str, Any]:
    value = r.value
    out: dict[str, Any] = {"name": r.name,
                           "value": value if type(value) in _PLAIN else _json_value(value)}
    if r.source:
        out["source"] = r.source
        out["source_date"] = _json_value(r.source_date)
    if r.derived_from:
        out["inputs"] = [_read_dict(i) for i in r.derived_from]
    return out


def _gap_dict(g: Gap) -> dict[str, Any]:
    return {"shortfall": _json_value(g.shortfall), "unit": g.unit, "of": g.of,
            "direction": g.direction,
            "from_date": g.from_date.isoformat() if g.from_date else None}


def criterion_to_dict(c: CriterionResult) -> dict[str, Any]:
    """One criterion's JSON, a fresh object; it runs for every criterion of every profile, so it
    is one literal with the common cases inline. It is built from the criterion's own objects,
    which the trace has just touched: copying a memoised constant part measured slower over whole
    assessments, its entries being cold in the cache by the time the next profile needs them."""
    text, value, gap, cite, cleared = c.text, c.value, c.gap, c.citation, c.cleared
    assumption = cite.assumption
    return {
        "id": c.id, "role": c.role, "group": c.group,
        "text": None if text is None else {"zh": text.zh, "en": text.en},
        "status": c.status, "fact": c.fact, "facts": [_read_dict(r) for r in c.reads],
        "threshold": {"op": c.op, "value": value if type(value) in _PLAIN else _json_value(value),
                      "ref": c.ref},
        "gap": _gap_dict(gap) if gap else None,
        "citation": {"document": cite.document, "clause": cite.clause, "url": cite.url,
                     "basis": cite.basis,
                     "assumption": None if assumption is None else {
                         "zh": assumption.zh, "en": assumption.en}},
        "cleared": {"zh": cleared.zh, "en": cleared.en} if cleared else None,
    }


def _is_shared(d: Decision) -> bool:
    """Decisions the engine hands out again and again (not in force or not assessable on a date,
    decided without a trace): no criteria, nothing profile-specific attached."""
    return not d.criteria and d.amount is None and d.stacking is None and d.figures is None


def decision_to_dict(d: Decision) -> dict[str, Any]:
    """A decision's documented JSON form (docs/output.md), a fresh object the caller owns."""
    if _is_shared(d):
        return _memoised(d, _decision_dict)
    return _decision_dict(d)


def _decision_dict(d: Decision) -> dict[str, Any]:
    amount, stacking, figures = d.amount, d.stacking, d.figures
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
        "logic": _logic(d.logic),
        "stacking": None if stacking is None else {
            "group": stacking.group, "title": _text_dict(stacking.title),
            "receivable": stacking.receivable, "reason": _text_dict(stacking.reason),
            "citation": _citation_dict(stacking.citation)},
        "notes": _text_dict(d.notes),
        "figures": None if figures is None else {
            "expected_fiscal_year": figures.expected_year,
            "profile_fiscal_year": figures.profile_year,
            "facts": list(figures.facts), "note": _text_dict(figures.text)},
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
    cited = data.get("amount_citation")  # absent in documents written before it was added
    # An amount was evaluated when it has a figure, steps or (since it was added) a citation: a
    # decision without an explanation has no steps, and its undecidable amount keeps its flag.
    if data.get("amount") is None and not steps and not cited:
        return None
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
