"""What an assessment produces: decisions with their full trace, and their stable JSON form.

The API, the pages, the exports and the CLI all render these same objects; nothing re-derives an
explanation. JSON money is a decimal string in yuan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.rules.model import Text

CRITERION_STATUSES = ("pass", "fail", "unknown")
# may_apply: every published condition is met, but the source publishes only some of them (a
# ceiling and a date trigger), so the firm may apply; it is never counted as eligible or summed.
ITEM_STATUSES = ("eligible", "may_apply", "ineligible", "undetermined", "not_assessable",
                 "not_in_force")


@dataclass(frozen=True, slots=True)
class FactRead:
    """One fact a criterion read, with where it came from."""

    name: str
    value: Any
    source: str | None = None  # provenance source, when the profile gives one
    source_date: dt.date | None = None
    derived_from: tuple[FactRead, ...] = ()


@dataclass(frozen=True, slots=True)
class Gap:
    """How far a failed numeric criterion is from passing, in the unit of what must change."""

    shortfall: Decimal
    unit: str  # yuan, persons, days, points, ratio, ...
    of: str  # the fact that must change
    direction: str  # "more" or "less"
    # For time that must pass (years since registration): the date from which the firm
    # qualifies; the shortfall is then not something the firm can change, only wait for.
    from_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CitationRef:
    document: str
    clause: str
    url: str | None
    basis: str
    assumption: Text | None = None


@dataclass(slots=True)  # not frozen: it is built for every criterion of every profile (hot path)
class CriterionResult:
    id: str
    text: Text
    status: str
    fact: str
    op: str
    value: Any
    ref: str | None
    reads: tuple[FactRead, ...]
    citation: CitationRef
    gap: Gap | None = None
    role: str = "criterion"  # criterion | exclusion | requirement
    group: str | None = None  # the exclusion condition or required item
    cleared: Text | None = None  # an exclusion that does not hold, in words: "未列入…名单"


@dataclass(frozen=True, slots=True)
class AmountResult:
    value: Decimal | None
    ceiling: bool  # the source gives only a maximum: "up to value"
    steps: tuple[Text, ...]
    citation: CitationRef


@dataclass(frozen=True, slots=True)
class StackingNote:
    group: str
    title: Text
    receivable: bool
    reason: Text
    citation: CitationRef


@dataclass(frozen=True, slots=True)
class FiguresNote:
    """The decision read figures of another fiscal year than the round reviews (or of no stated
    year): which year was expected, which the profile gives, and the yearly facts read."""

    expected_year: int
    profile_year: int | None
    facts: tuple[str, ...]
    text: Text


@dataclass(frozen=True, slots=True)
class Decision:
    item_id: str
    program: str
    title: Text
    version: Text | None
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    source: CitationRef
    evidence: str
    budget_line_wan: Decimal | None
    criteria: tuple[CriterionResult, ...] = ()
    logic: Any = None  # the criteria tree by criterion id: {"all": [...]}, {"any": [...]}, ...
    missing: tuple[str, ...] = ()
    amount: AmountResult | None = None
    reason: Text | None = None  # why not assessable / not in force / excluded
    stacking: StackingNote | None = None
    notes: Text | None = None  # the item's notes (undertakings checked on review, what is assumed)
    figures: FiguresNote | None = None  # stale or undated fiscal-year figures, flagged


@dataclass(frozen=True, slots=True)
class Assessment:
    rules_version: str
    as_of: dt.date
    profile: Any  # engine.facts.profile.Profile
    decisions: tuple[Decision, ...] = field(default_factory=tuple)

    def decision(self, item_id: str) -> Decision:
        return next(d for d in self.decisions if d.item_id == item_id)


