"""A decision's criterion outcomes as a short string, one letter per criterion in the order the
decision lists them (p pass, f fail, u unknown): what a screening run stores instead of the full
explanation, and what proves an explanation rebuilt later is the one decided at screening time."""

from __future__ import annotations

from .decision import Decision

LETTER = {"pass": "p", "fail": "f", "unknown": "u"}


def outcome_code(decision: Decision) -> str:
    return "".join(LETTER[c.status] for c in decision.criteria)
