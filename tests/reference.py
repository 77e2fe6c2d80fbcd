"""A plain-Python evaluator of leaf tests: the reference for differential tests and benchmarks.

It is never used to decide anything a user sees. durable_rules decides; this loop over leaves is
what a competent engineer would write without a rules engine, and tests prove that the engine's
outcomes equal it over many random profiles.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.decide.amounts import WHEN_KEY, evaluate_amount
from engine.decide.gaps import gap_for
from engine.decide.logic import combine_all, combine_any, negate
from engine.facts import namespace
from engine.facts.derived import compute_all
from engine.facts.kinds import UNDEFINED
from engine.rules.literals import parse_literal
from engine.rules.model import AllOf, Leaf, NotOf, When, amount_whens


def _literal(name: str, value: Any) -> Any:
    return parse_literal(namespace.kind(name), value)


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, Decimal) else value


def leaf_status(leaf: Leaf, facts: dict[str, Any]) -> str:
    """pass / fail / unknown for one leaf over Python-valued facts."""
    actual = facts.get(leaf.fact)
    if leaf.op == "exists":
        return "pass" if actual is not None else "fail"
    if actual is None:
        return "unknown"
    if actual is UNDEFINED:  # a ratio over zero: the rule says what it means
        return leaf.zero_denominator.status  # type: ignore[union-attr]
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


def _tree_status(node: Any, facts: dict[str, Any], out: list[tuple[Leaf, str]] | None) -> str:
    if isinstance(node, Leaf):
        status = leaf_status(node, facts)
        if out is not None:
            out.append((node, status))
        return status
    if isinstance(node, NotOf):
        return negate(_tree_status(node.not_, facts, out))
    children = node.all if isinstance(node, AllOf) else node.any  # type: ignore[union-attr]
    statuses = [_tree_status(n, facts, out) for n in children]
    return combine_all(statuses) if isinstance(node, AllOf) else combine_any(statuses)


def _when_status(when: When, facts: dict[str, Any]) -> str:
    """A fact test of an amount's `cases`, compared in Python (the engine asks durable_rules)."""
    actual = facts.get(when.fact)  # type: ignore[arg-type]
    if actual is None:
        return "unknown"
    actual = _plain(actual)
    if isinstance(actual, int) and not isinstance(actual, bool):
        actual = Decimal(actual)
    if when.op in ("in", "not_in"):
        right: Any = [_literal(when.fact, v) for v in when.value]  # type: ignore[arg-type]
    else:
        right = _literal(when.fact, when.value)  # type: ignore[arg-type]
    return "pass" if _compare(when.op, actual, right) else "fail"  # type: ignore[arg-type]


def _when_outcomes(amount: Any, facts: dict[str, Any]) -> dict[str, str]:
    return {WHEN_KEY + str(id(w)): _when_status(w, facts) for w in amount_whens(amount)
            if w.fact is not None}


def reference_assess(compiled: Any, profile: Any, day: dt.date, explain: bool) -> list[dict]:
    """Decide every item in force with a plain loop (benchmark reference, not used by users).

    With `explain`, each criterion is reported with the facts it read, its threshold and its gap,
    as the engine's trace does.
    """
    facts: dict[str, Any] = profile.known()
    facts.update(compute_all(profile, day, set(compiled.derived_needed)))
    out = []
    for (item_id, _index), item in compiled.items.items():
        if not item.item.in_force(day) or item.tree is None:
            continue
        trace: list[tuple[Leaf, str]] | None = [] if explain else None
        statuses = [_tree_status(item.tree, facts, trace)]
        for _name, tree in item.exclusions:
            statuses.append(negate(_tree_status(tree, facts, trace)))
        status = combine_all(statuses)
        amount = None
        if status != "fail" and item.item.amount is not None:
            decided = {**facts, **_when_outcomes(item.item.amount, facts)}
            amount = evaluate_amount(item.item.amount, decided)[0]
        decision: dict[str, Any] = {"item_id": item_id, "status": status, "amount": amount}
        if trace is not None:
            decision["criteria"] = [
                {"id": leaf.id, "status": s, "facts": {n: facts.get(n) for n in (leaf.fact, leaf.ref) if n},
                 "threshold": (leaf.op, leaf.value, leaf.ref),
                 "gap": gap_for(leaf, facts, profile, day) if s == "fail" else None,
                 "citation": (leaf.cite or item.item.source).clause}
                for leaf, s in trace
            ]
        out.append(decision)
    return out
