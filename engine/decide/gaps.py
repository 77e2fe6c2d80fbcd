"""The gap to eligibility for a failed numeric criterion, in the unit of what must change.

For a ratio (S&T staff share, R&D intensity) the gap is stated in its numerator with the
denominator held fixed: "S&T staff 9 of 100 = 9%, needs 10%: 1 more person". A firm cannot change
a date (when it registered or moved in) nor make time run backwards, so those failures have no
gap; time that must still pass (registered for a year) gives the date from which it qualifies.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.kinds import UNDEFINED, FactKind
from engine.facts.profile import Profile
from engine.rules.literals import parse_literal
from engine.rules.model import Leaf

from .decision import Gap

_INTEGRAL_UNITS = {"persons", "days", "months"}
_TIME_UNITS = {"days", "years"}


def may_have_gap(leaf: Leaf) -> bool:
    """Whether a failure of this leaf can have a gap, whatever the profile: only a bound on a
    number the firm can change can be a distance. gap_for answers None for the others too; the
    engine asks this once per leaf and skips gap_for for them."""
    if leaf.ref is not None or leaf.op not in (">=", ">", "<=", "<", "between"):
        return False
    if leaf.op == ">" and str(leaf.value) in ("0", "0.0"):
        return False  # "has any" (bought premises, received a grant): yes or no, not a distance
    kind = namespace.kind(leaf.fact)
    return kind.numeric and kind.name != "date"  # a date already passed cannot be changed


def gap_for(leaf: Leaf, facts: dict[str, Any], profile: Profile, as_of: dt.date) -> Gap | None:
    """How much must change for this failed leaf to pass, or None when there is no measure."""
    if not may_have_gap(leaf):
        return None
    actual = facts.get(leaf.fact)
    kind = namespace.kind(leaf.fact)
    if actual is None or actual is UNDEFINED:
        return None
    target, direction, strict = _target(leaf, kind, actual)
    if target is None:
        return None
    if kind.name == "ratio":
        return _ratio_gap(leaf.fact, target, direction, strict, profile, as_of)
    unit = namespace.unit(leaf.fact) or "number"
    if unit in _TIME_UNITS and leaf.fact in REGISTRY:
        return _waiting_gap(leaf.fact, unit, target, direction, strict, facts, as_of)
    shortfall = abs(Decimal(target) - Decimal(actual))
    if strict:
        shortfall += 1 if unit in _INTEGRAL_UNITS or kind.name == "count" else Decimal("0.01")
    return Gap(shortfall, unit, leaf.fact, direction)


def _waiting_gap(name: str, unit: str, target: Any, direction: str, strict: bool,
                 facts: dict[str, Any], as_of: dt.date) -> Gap | None:
    """Time since a date (registration, a certificate) only grows: past a maximum there is no
    way back, below a minimum the firm qualifies on a known day."""
    start = facts.get(REGISTRY[name].inputs[0])
    if direction != "more" or not isinstance(start, dt.date):
        return None
    whole = int(Decimal(target))
    if unit == "days":
        day = start + dt.timedelta(days=whole)
    else:
        day = _add_years(start, whole)
    if strict or Decimal(target) != whole:
        day += dt.timedelta(days=1)
    return Gap(Decimal((day - as_of).days), "days", name, "more", from_date=day)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the anniversary is 1 March
        return dt.date(day.year + years, 3, 1)


def _target(leaf: Leaf, kind: FactKind, actual: Any) -> tuple[Any, str, bool]:
    """The bound the fact must reach, whether it must grow ('more') or shrink, and strictness."""
    value = leaf.value
    if leaf.op == "between":
        low, high = (parse_literal(kind, v) for v in value)
        return (low, "more", False) if actual < low else (high, "less", False)
    bound = parse_literal(kind, value)
    if leaf.op in (">=", ">"):
        return bound, "more", leaf.op == ">"
    return bound, "less", leaf.op == "<"


def _ratio_gap(name: str, target: Decimal, direction: str, strict: bool, profile: Profile,
               as_of: dt.date) -> Gap | None:
    quantity = REGISTRY.get(name)
    parts = quantity.parts(profile, as_of) if quantity and quantity.parts else None
    if parts is None:
        return None
    numerator, denominator = parts
    needed = target * denominator
    unit = quantity.numerator_unit or "number"  # type: ignore[union-attr]
    shortfall = needed - numerator if direction == "more" else numerator - needed
    if unit in _INTEGRAL_UNITS:
        shortfall = Decimal(math.floor(shortfall) + 1 if strict else math.ceil(shortfall))
    elif strict:
        shortfall += Decimal("0.01")
    return Gap(max(shortfall, Decimal(0)), unit, name, direction)
