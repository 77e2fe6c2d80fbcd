"""A plain-Python evaluator of leaf tests: the reference for differential tests and benchmarks.

It is never used to decide anything a user sees. durable_rules decides; this loop over leaves is
what a competent engineer would write without a rules engine, and tests prove that the engine's
outcomes equal it over many random profiles.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import namespace
from .catalog import Leaf


def _literal(name: str, value: Any) -> Any:
    kind = namespace.kind(name)
    if kind.name == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if kind.numeric and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, Decimal) else value


def leaf_status(leaf: Leaf, facts: dict[str, Any]) -> str:
    """pass / fail / unknown for one leaf over Python-valued facts."""
    actual = facts.get(leaf.fact)
    if leaf.op == "exists":
        return "pass" if actual is not None else "fail"
    if actual is None:
        return "unknown"
    actual = _plain(actual)
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        actual = Decimal(actual)
    if leaf.ref is not None:
        other = facts.get(leaf.ref)
        if other is None:
            return "unknown"
        right = _plain(other)
        right = Decimal(right) if isinstance(right, int) and not isinstance(right, bool) else right
    elif leaf.op in ("in", "not_in", "between"):
        right = [_literal(leaf.fact, v) for v in leaf.value]
    else:
        right = _literal(leaf.fact, leaf.value)
    return "pass" if _compare(leaf.op, actual, right) else "fail"


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    if op == ">=":
        return bool(left >= right)
    if op == "in":
        return left in right
    if op == "not_in":
        return left not in right
    if op == "between":
        return bool(right[0] <= left <= right[1])
    raise ValueError(op)
