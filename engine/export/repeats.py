"""Decisions that repeat from applicant to applicant, recognised exactly, so that a large export
words each of them once.

In a district's run most decided items come out the same for many firms (a Shanghai item fails
every Shenzhen firm on its city, with the same facts read), and the text of a decision (CSV cells,
JSON) depends on the decision alone. `decision_key` is a hashable image of everything a Decision
holds, made so that two decisions with the same key print the same in every format: values are
keyed with their type and, where equal values can print differently (Decimal("1.0") equals
Decimal("1.00"), True equals 1), by their exact text. KEYED_FIELDS names what the key covers; a
test checks it against the dataclasses, so a field added later cannot be silently left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Generic, TypeVar

from engine.decide.decision import AmountResult, CriterionResult, Decision, FactRead, Gap

# Every field of each class, as decision_key reads them (tests/export/test_repeats.py).
KEYED_FIELDS = {
    Decision: ("item_id", "program", "title", "version", "valid_from", "valid_to", "status",
               "source", "evidence", "budget_line_wan", "criteria", "logic", "missing", "amount",
               "reason", "stacking", "notes", "figures"),
    CriterionResult: ("id", "text", "status", "fact", "op", "value", "ref", "reads", "citation",
                      "gap", "role", "group", "cleared"),
    FactRead: ("name", "value", "source", "source_date", "derived_from"),
    Gap: ("shortfall", "unit", "of", "direction", "from_date"),
    AmountResult: ("value", "ceiling", "steps", "citation"),
}


def exact(value: Any) -> Any:
    """A hashable image of a value that equals another's only when both print alike: strings and
    None as they are, others with their type, Decimals, floats and datetimes by their text."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is Decimal or kind is float:
        return kind, str(value)
    if kind is list or kind is tuple:
        return kind, tuple([exact(v) for v in value])
    if kind is dict:
        return kind, tuple([(k, exact(v)) for k, v in value.items()])
    if kind is dt.datetime:
        return kind, value.isoformat()
    return kind, value  # int, bool, date, an enum member: equal values of one type print alike


def _read_key(r: FactRead) -> tuple[Any, ...]:
    """A fact read by name, exact value, provenance (a date: printed as its ISO text) and inputs;
    exact() is inlined for the common kinds, as this runs for every fact of every criterion."""
    value = r.value
    kind = type(value)
    if kind is Decimal or kind is float:
        value = str(value)
    elif kind is not str and kind is not int and kind is not bool and value is not None:
        value = exact(value)
    inputs = tuple([_read_key(i) for i in r.derived_from]) if r.derived_from else ()
    return r.name, kind, value, r.source, r.source_date, inputs


def _gap_key(g: Gap | None) -> tuple[Any, ...] | None:
    if g is None:
        return None
    return exact(g.shortfall), g.unit, g.of, g.direction, exact(g.from_date)


def _criterion_key(c: CriterionResult) -> tuple[Any, ...]:
    return (c.id, c.text, c.status, c.fact, c.op, exact(c.value), c.ref,
            tuple([_read_key(r) for r in c.reads]), c.citation, _gap_key(c.gap), c.role,
            c.group, c.cleared)


def _amount_key(a: AmountResult | None) -> tuple[Any, ...] | None:
    if a is None:
        return None
    return exact(a.value), exact(a.ceiling), a.steps, a.citation


_LOGIC: dict[int, tuple[Any, Any]] = {}  # id -> (the criteria tree, its exact image)


def _logic_key(logic: Any) -> Any:
    """An item's criteria tree (the same object for every applicant) keyed once, by identity; the
    tree is kept with its key, so its id cannot be taken by another object meanwhile."""
    known = _LOGIC.get(id(logic))
    if known is None or known[0] is not logic:
        if len(_LOGIC) >= 1024:
            _LOGIC.clear()
        known = _LOGIC[id(logic)] = (logic, exact(logic))
    return known[1]


def decision_key(d: Decision) -> tuple[Any, ...]:
    """The decision's key (see the module); Bounded leaves out one holding an unhashable value."""
    return (d.item_id, d.program, d.title, d.version, exact(d.valid_from), exact(d.valid_to),
           d.status, d.source, d.evidence, exact(d.budget_line_wan),
           tuple([_criterion_key(c) for c in d.criteria]), _logic_key(d.logic), d.missing,
           _amount_key(d.amount), d.reason, d.stacking, d.notes, d.figures)


K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A dict that forgets everything when it reaches `limit` entries: memory stays flat however
    many applicants pass through, and what repeats is soon worded again."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.entries: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """The value kept for `key`; None also for a key that cannot be hashed."""
        try:
            return self.entries.get(key)
        except TypeError:  # a fact whose value is unhashable: worded every time
            return None

    def put(self, key: K, value: V) -> V:
        """Keep `value` for `key` (unless the key cannot be hashed); returns the value."""
        if len(self.entries) >= self.limit:
            self.entries.clear()
        try:
            self.entries[key] = value
        except TypeError:
            pass
        return value
