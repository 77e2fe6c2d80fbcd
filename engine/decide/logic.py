"""Three-valued (Kleene) logic over criterion outcomes: pass, fail, unknown.

`all` fails on any failure, `any` passes on any pass, and unknowns decide only what the known
outcomes leave open. The one place these rules are written.
"""

from __future__ import annotations

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


def combine_all(statuses: list[str]) -> str:
    if FAIL in statuses:
        return FAIL
    return UNKNOWN if UNKNOWN in statuses else PASS


def combine_any(statuses: list[str]) -> str:
    if PASS in statuses:
        return PASS
    return UNKNOWN if UNKNOWN in statuses else FAIL


def negate(status: str) -> str:
    return {PASS: FAIL, FAIL: PASS}.get(status, UNKNOWN)


ITEM_STATUS = {PASS: "eligible", FAIL: "ineligible", UNKNOWN: "undetermined"}


def item_outcome(item_status: str) -> str:
    """An item's decision read as a criterion of another item: eligible passes, undetermined is
    unknown, anything else (ineligible, not in force, not assessable) fails."""
    return {"eligible": PASS, "undetermined": UNKNOWN}.get(item_status, FAIL)
