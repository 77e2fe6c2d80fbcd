"""Criteria that can never pass: contradictory tests of one fact inside one `all`.

`> 10` with `< 5`, `== a` with `== b`, `in [a, b]` with `not_in [a, b]`: such an `all` fails for
every profile, which is always a mistake in a rule file. Only literal tests are compared (a `ref`
test depends on another fact); nested `all` nodes are one conjunction with their parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.facts import namespace

from .literals import parse_literal
from .model import AllOf, AnyOf, Leaf, NotOf


def conjunctions(node: Any) -> Iterator[list[Leaf]]:
    """Every maximal conjunction of leaves in a tree: the leaves joined by `all` nodes."""
    if isinstance(node, AllOf):
        yield _flat(node)
        for branch in _branches(node):
            yield from conjunctions(branch)
    elif isinstance(node, AnyOf):
        for child in node.any:
            yield from conjunctions(child)
    elif isinstance(node, NotOf):
        yield from conjunctions(node.not_)


def _branches(node: AllOf) -> Iterator[Any]:
    """The `any` and `not` nodes reached from an `all` through `all` nodes only."""
    for child in node.all:
        if isinstance(child, AllOf):
            yield from _branches(child)
        elif not isinstance(child, Leaf):
            yield child


def _flat(node: AllOf) -> list[Leaf]:
    out: list[Leaf] = []
    for child in node.all:
        if isinstance(child, Leaf):
            out.append(child)
        elif isinstance(child, AllOf):
            out += _flat(child)
    return out


def contradiction(conj: list[Leaf]) -> list[Leaf] | None:
    """The leaves of one fact that together can never pass, or None."""
    by_fact: dict[str, list[Leaf]] = {}
    for leaf in conj:
        if leaf.ref is None and leaf.op != "exists":
            by_fact.setdefault(leaf.fact, []).append(leaf)
    for fact, group in by_fact.items():
        if len(group) > 1 and not _satisfiable(fact, group):
            return group
    return None


def _satisfiable(fact: str, group: list[Leaf]) -> bool:
    kind = namespace.kind(fact)
    values = [(leaf.op, _values(kind, leaf)) for leaf in group]
    if kind.numeric:
        return _numeric_ok(values)
    universe: set[Any] | None = {True, False} if kind.name == "bool" else (
        set(kind.members) if kind.name == "enum" else None)
    allowed = universe
    banned: set[Any] = set()
    for op, vals in values:
        if op in ("==", "in"):
            allowed = set(vals) if allowed is None else allowed & set(vals)
        elif op in ("!=", "not_in"):
            banned |= set(vals)
    return allowed is None or bool(allowed - banned)


def _values(kind: Any, leaf: Leaf) -> list[Any]:
    raw = leaf.value if leaf.op in ("in", "not_in", "between") else [leaf.value]
    return [parse_literal(kind, v, leaf.id) for v in raw]


def _numeric_ok(values: list[tuple[str, list[Any]]]) -> bool:
    low: tuple[Any, bool] | None = None  # (bound, strict)
    high: tuple[Any, bool] | None = None
    points: set[Any] | None = None
    banned: set[Any] = set()
    for op, vals in values:
        if op in (">", ">="):
            low = _tighter(low, (vals[0], op == ">"), max)
        elif op in ("<", "<="):
            high = _tighter(high, (vals[0], op == "<"), min)
        elif op == "between":
            low = _tighter(low, (vals[0], False), max)
            high = _tighter(high, (vals[1], False), min)
        elif op in ("==", "in"):
            points = set(vals) if points is None else points & set(vals)
        else:
            banned |= set(vals)
    if points is not None:
        return any(_inside(p, low, high) for p in points - banned)
    if low is None or high is None:
        return True
    if low[0] < high[0]:
        return True
    return low[0] == high[0] and not (low[1] or high[1]) and low[0] not in banned


def _tighter(current: tuple[Any, bool] | None, new: tuple[Any, bool], pick: Any) -> tuple[Any, bool]:
    if current is None:
        return new
    if current[0] == new[0]:
        return (current[0], current[1] or new[1])
    return current if pick(current[0], new[0]) == current[0] else new


def _inside(point: Any, low: tuple[Any, bool] | None, high: tuple[Any, bool] | None) -> bool:
    if low is not None and (point < low[0] or (low[1] and point == low[0])):
        return False
    return not (high is not None and (point > high[0] or (high[1] and point == high[0])))

