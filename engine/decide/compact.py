"""A decision's criterion outcomes as a short string, one letter per criterion in the order the
decision lists them (p pass, f fail, u unknown): what a screening run stores instead of the full
explanation, and what proves an explanation rebuilt later is the one decided at screening time."""

from __future__ import annotations

from .decision import Decision

LETTER = {"pass": "p", "fail": "f", "unknown": "u"}


def outcome_code(decision: Decision) -> str:
    return "".join(LETTER[c.status] for c in decision.criteria)


STATUS = {letter: status for status, letter in LETTER.items()}


def outcomes_by_id(ids: list[str], code: str) -> dict[str, str] | None:
    """Criterion id -> outcome from an outcome code and the ids of the item's criteria in trace
    order (as `{c.id: c.status for c in decision.criteria}` gives them); None when the two do not
    line up, so that the caller falls back to the full explanation rather than guess."""
    if len(ids) != len(code):
        return None
    return {criterion: STATUS[letter] for criterion, letter in zip(ids, code, strict=True)}
