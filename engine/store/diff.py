"""Compare two runs: which applicants' decisions changed, and which criteria made the difference.

Pure over two streams of (key, decision summary) sorted by key, merged in one pass so that runs
of any size compare in flat memory. A summary needs `status`, `amount` and `amount_is_ceiling`
(a decision dict will do); the criteria are compared on the full decision dicts of the changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, int, str]  # (credit code, fiscal year, item id)


@dataclass(frozen=True)
class CriterionChange:
    id: str
    text: dict[str, str] | None
    before: str | None  # pass | fail | unknown, None when absent from that decision
    after: str | None
    facts_before: list[dict[str, Any]] = field(default_factory=list)
    facts_after: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    key: Key
    kind: str  # status | amount | only_before | only_after
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    criteria: tuple[CriterionChange, ...] = ()


def _criteria(decision: dict[str, Any] | None) -> dict[tuple[str, str | None, str], dict[str, Any]]:
    if decision is None:
        return {}
    return {(c.get("role", "criterion"), c.get("group"), c["id"]): c for c in decision["criteria"]}


def criterion_changes(before: dict[str, Any] | None,
                      after: dict[str, Any] | None) -> tuple[CriterionChange, ...]:
    """Criteria whose outcome differs, in the order the later decision lists them."""
    a, b = _criteria(before), _criteria(after)
    out = []
    for key in list(b) + [k for k in a if k not in b]:
        old, new = a.get(key), b.get(key)
        if (old and old["status"]) != (new and new["status"]):
            ref = new or old
            out.append(CriterionChange(
                ref["id"], ref.get("text"), old and old["status"], new and new["status"],
                old["facts"] if old else [], new["facts"] if new else []))
    return tuple(out)


def _compare(key: Key, before: dict[str, Any], after: dict[str, Any]) -> Change | None:
    if before["status"] != after["status"]:
        return Change(key, "status", before, after)
    if (before.get("amount"), before.get("amount_is_ceiling")) != (after.get("amount"),
                                                                   after.get("amount_is_ceiling")):
        return Change(key, "amount", before, after)
    return None


def diff_streams(before: Iterable[tuple[Key, dict[str, Any]]],
                 after: Iterable[tuple[Key, dict[str, Any]]]) -> Iterator[Change]:
    """Changes between two key-sorted streams, without criteria (see with_criteria); unchanged
    decisions are skipped."""
    left, right = iter(before), iter(after)
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            yield Change(a[0], "only_before", a[1], None)  # type: ignore[index]
            a = next(left, None)
        elif a is None or b[0] < a[0]:
            yield Change(b[0], "only_after", None, b[1])
            b = next(right, None)
        else:
            change = _compare(a[0], a[1], b[1])
            if change is not None:
                yield change
            a, b = next(left, None), next(right, None)


def with_criteria(change: Change, before: dict[str, Any] | None,
                  after: dict[str, Any] | None) -> Change:
    """The change carrying the full decision dicts and the criteria that differ between them."""
    return Change(change.key, change.kind, before, after, criterion_changes(before, after))
