"""Which criteria actually decide a 'no': the failures an applicant has to fix.

A leaf that fails inside an `any` whose other branch passes decides nothing (a firm in the
50–200 million revenue band fails the 'up to 50 million' test, and that is fine). Walking the
decision's criteria tree keeps only the failures on the path that made the item fail; when every
branch of an `any` fails, only the branch with the fewest failures (the one the firm is closest
to) is kept, so a firm in the ≤50 million band is not told to grow its sales past 200 million.
"""

from __future__ import annotations

from typing import Any

from engine.decide.decision import CriterionResult, Decision


def _status(node: Any, by_id: dict[str, CriterionResult]) -> str:
    if isinstance(node, str):
        return by_id[node].status if node in by_id else "unknown"
    if "all" in node:
        statuses = [_status(n, by_id) for n in node["all"]]
        return "fail" if "fail" in statuses else "unknown" if "unknown" in statuses else "pass"
    if "any" in node:
        statuses = [_status(n, by_id) for n in node["any"]]
        return "pass" if "pass" in statuses else "unknown" if "unknown" in statuses else "fail"
    inner = _status(node["not"], by_id)
    return {"pass": "fail", "fail": "pass"}.get(inner, "unknown")


def _failing_leaves(node: Any, by_id: dict[str, CriterionResult]) -> list[str]:
    """The leaves under a failing node that make it fail."""
    if isinstance(node, str):
        return [node] if node in by_id else []
    if "not" in node:  # a `not` fails because what it negates holds: show those leaves
        return [leaf for leaf in _leaves(node["not"]) if by_id.get(leaf) is not None
                and by_id[leaf].status == "pass"]
    if "any" in node:  # every branch fails: show only the branch the firm is closest to
        branches = [_failing_leaves(child, by_id) for child in node["any"]
                    if _status(child, by_id) == "fail"]
        return min(branches, key=len) if branches else []  # min keeps the first of equals
    out: list[str] = []
    for child in node["all"]:
        if _status(child, by_id) == "fail":
            out += _failing_leaves(child, by_id)
    return out


def _leaves(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if "not" in node:
        return _leaves(node["not"])
    return [leaf for child in node.get("all", node.get("any", [])) for leaf in _leaves(child)]


# Where a firm is: an item whose decisive failure is one of these tests is for another region.
REGION_FACTS = ("city", "registered_district")


def not_for_region(decision: Decision) -> bool:
    """An ineligible item that fails on where the firm is (a Huizhou item for a Shenzhen firm, a
    Futian item for a Shanghai firm): 'not for your region', not a list of failed criteria."""
    if decision.status != "ineligible":
        return False
    return any(c.role == "criterion" and c.fact in REGION_FACTS and c.ref is None
               for c in decisive_failures(decision))


def decisive_ids(decision: Decision) -> set[str]:
    """Ids of the criteria whose failure decides the item: the only ones whose gaps help."""
    return {c.id for c in decisive_failures(decision)}


def decisive_failures(decision: Decision) -> list[CriterionResult]:
    """Failed criteria that decide the item, exclusions that hold and requirements not met."""
    criteria = [c for c in decision.criteria if c.role == "criterion"]
    by_id = {c.id: c for c in criteria}
    if decision.logic and _status(decision.logic, by_id) == "fail":
        ids = set(_failing_leaves(decision.logic, by_id))
        chosen = [c for c in criteria if c.id in ids]
    elif decision.logic:
        chosen = []
    else:
        chosen = [c for c in criteria if c.status == "fail"]
    others = [c for c in decision.criteria if (c.role == "exclusion" and c.status == "pass")
              or (c.role == "requirement" and c.status == "fail")]
    return chosen + others
