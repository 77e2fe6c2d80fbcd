"""The path to eligibility: the smallest sets of fact changes that make an item eligible.

For an item that is not eligible (or cannot be decided), the criteria it failed or could not
decide propose candidate changes: a threshold's bound (or the decision's gap, for a ratio in
its numerator), a boolean's required value, the value a missing fact needs. Sets of candidates are
tried smallest first, and a set counts only when `Engine.assess` on the changed profile finds the
item eligible: the engine confirms every path, no second evaluator. Every smaller set of the same
candidates was tried and failed, so each path found is minimal.

Each change says whether the firm can make it (S&T staff, R&D spend, a certificate) or not
(where and when it registered, its history): `engine.facts.profile.field_changeable`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.profile import FACT_FIELDS, Profile, field_changeable
from engine.rules.literals import parse_literal
from engine.rules.model import Text

from .decision import Assessment, CriterionResult, Decision

if TYPE_CHECKING:
    from .engine import Engine

SEARCHED = ("ineligible", "undetermined")
TARGET = {"eligible", "may_apply"}
MAX_CHANGES = 3
MAX_CANDIDATES = 10
_STEP = {"money": Decimal("0.01"), "count": Decimal(1), "number": Decimal("0.01")}


@dataclass(frozen=True)
class Change:
    """One fact set to a new value: `before` None when the profile did not give it (then the
    firm is asked to supply it, and the path holds if the fact has this value)."""

    fact: str
    before: Any
    after: Any
    changeable: bool
    # The criterion that proposed it, in words: a supplied fact is asked for with what it must
    # meet, not with the bound value the search tried.
    criterion: Text | None = field(default=None, compare=False)

    @property
    def supplied(self) -> bool:
        return self.before is None

    @property
    def within_reach(self) -> bool:
        return self.changeable or self.supplied


@dataclass(frozen=True)
class EligibilityPath:
    """A confirmed, minimal set of changes and what the item's decision then is."""

    item_id: str
    title: Text
    changes: tuple[Change, ...]
    status: str  # eligible or may_apply, as Engine.assess found it
    amount: Decimal | None  # None as well when a supplied value would decide it (see _confirm)
    ceiling: bool

    @property
    def within_reach(self) -> bool:
        return all(c.within_reach for c in self.changes)

    @property
    def supplies_only(self) -> bool:
        """Every change only gives a fact the profile left out: answer, not act."""
        return all(c.supplied for c in self.changes)


@dataclass(frozen=True)
class ItemPaths:
    """The paths found for one item; none within reach means no change the firm can make
    helps (within `MAX_CHANGES` changes of the candidates its criteria propose)."""

    item_id: str
    title: Text
    status: str
    paths: tuple[EligibilityPath, ...]

    @property
    def reachable(self) -> tuple[EligibilityPath, ...]:
        return tuple(p for p in self.paths if p.within_reach)


def paths_to_eligibility(engine: Engine, assessment: Assessment, items: list[str] | None = None,
                         max_changes: int = MAX_CHANGES) -> list[ItemPaths]:
    """Search the paths of every ineligible or undetermined item (or of the listed ones).

    Args:
        engine: the engine that made the assessment; it confirms each path.
        assessment: a profile's assessment (with its trace: `explain=True`).
        items: the item ids to search; default every ineligible or undetermined item.
        max_changes: the largest set of changes tried.

    Returns:
        One ItemPaths per searched item, in the assessment's order.
    """
    wanted = set(items) if items is not None else None
    out = []
    for decision in assessment.decisions:
        if decision.status not in SEARCHED or (wanted is not None and decision.item_id not in wanted):
            continue
        found = _search(engine, assessment, decision, max_changes)
        out.append(ItemPaths(decision.item_id, decision.title, decision.status, tuple(found)))
    return out


def ranked_paths(found: list[ItemPaths]) -> list[EligibilityPath]:
    """The paths within reach across items, the one bringing most first: computed amounts by
    size, then ceilings (never counted as money due), then those without an amount; fewer
    changes first among equals."""
    paths = [p for item in found for p in item.reachable]
    return sorted(paths, key=_rank)


def _rank(path: EligibilityPath) -> tuple[int, Decimal, int]:
    if path.amount is None:
        tier = 2
    else:
        tier = 1 if path.ceiling else 0
    return tier, -(path.amount or Decimal(0)), len(path.changes)


def _search(engine: Engine, assessment: Assessment, decision: Decision,
            max_changes: int) -> list[EligibilityPath]:
    candidates = _candidates(assessment, decision)[:MAX_CANDIDATES]
    for size in range(1, min(max_changes, len(candidates)) + 1):
        found = []
        for subset in itertools.combinations(candidates, size):
            if len({c.fact for c in subset}) < size:
                continue  # two values for one fact
            path = _confirm(engine, assessment, decision, subset)
            if path is not None:
                found.append(path)
        if found:
            return found
    return []


def apply_changes(profile: Profile, changes: tuple[Change, ...] | list[Change]) -> Profile:
    """The profile with the changes made, validated like any input (raises ValidationError)."""
    data = {name: value for name, value in profile if value is not None}
    data.update({c.fact: c.after for c in changes})
    return Profile.model_validate(data)


def _confirm(engine: Engine, assessment: Assessment, decision: Decision,
             changes: tuple[Change, ...]) -> EligibilityPath | None:
    try:
        changed = apply_changes(assessment.profile, changes)
    except ValidationError:
        return None  # e.g. more S&T staff than employees: not a profile that can exist
    after = engine.assess(changed, assessment.as_of, [decision.item_id], explain=False)
    result = after.decision(decision.item_id)
    if result.status not in TARGET:
        return None
    amount = result.amount.value if result.amount else None
    if any(c.supplied for c in changes):
        amount = None  # it would follow from a value the search tried, not from the firm's figures
    return EligibilityPath(decision.item_id, decision.title, changes, result.status, amount,
                           bool(result.amount and result.amount.ceiling))


# --- candidates ---------------------------------------------------------------------------------

def _candidates(assessment: Assessment, decision: Decision, depth: int = 0) -> list[Change]:
    """The changes the item's open criteria propose, the firm's own first, without repeats."""
    proposed: list[Change] = []
    for result in decision.criteria:
        if result.role == "requirement":
            if result.status != "pass" and depth < 2 and result.group:
                required = next((d for d in assessment.decisions if d.item_id == result.group), None)
                if required is not None:
                    proposed += _candidates(assessment, required, depth + 1)
            continue
        needs_change = result.status == "pass" if result.role == "exclusion" else result.status != "pass"
        if needs_change:
            proposed += _proposals(result, assessment.profile, result.role == "exclusion")
    unique = list(dict.fromkeys(proposed))
    return sorted(unique, key=lambda c: not c.within_reach)


def _proposals(result: CriterionResult, profile: Profile, negate: bool) -> list[Change]:
    if result.ref is not None:
        return []
    if result.fact in REGISTRY:
        return _derived_proposal(result, profile)
    if result.fact not in FACT_FIELDS:
        return []
    kind = namespace.kind(result.fact)
    after = _needed(result, kind, negate)
    before = getattr(profile, result.fact)
    if after is None or _same(before, after):
        return []
    if before is not None and result.gap is not None and result.gap.of == result.fact:
        after = _by_gap(before, result)
    return [Change(result.fact, _plain(before), after, field_changeable(result.fact), result.text)]


def _needed(result: CriterionResult, kind: Any, negate: bool) -> Any:
    """The value that makes the test pass (or, for an exclusion, fail)."""
    op, value = result.op, result.value
    if kind.name == "bool" and isinstance(value, bool) and op in ("==", "!="):
        wanted = value if op == "==" else not value
        return not wanted if negate else wanted
    if negate:
        return None
    if kind.name in ("enum", "text"):
        if op == "==":
            return value
        if op == "in" and value:
            return value[0]
        return None
    if not kind.numeric or op in ("exists", "!=", "in", "not_in"):
        return None
    if op == "between":
        return _typed(kind, parse_literal(kind, value[0]))
    bound = parse_literal(kind, value)
    if op in ("==", ">=", "<="):
        return _typed(kind, bound)
    if kind.name == "date":
        return bound + dt.timedelta(days=1 if op == ">" else -1)
    step = _STEP.get(kind.name)
    if step is None:
        return None
    return _typed(kind, bound + step if op == ">" else bound - step)


def _by_gap(before: Any, result: CriterionResult) -> Any:
    gap = result.gap
    assert gap is not None
    delta = gap.shortfall if gap.direction == "more" else -gap.shortfall
    value = Decimal(before) + delta
    return int(value) if isinstance(before, int) else value


def _derived_proposal(result: CriterionResult, profile: Profile) -> list[Change]:
    """A failed ratio's gap is counted in its numerator (S&T staff, R&D spend): change that."""
    gap = result.gap
    quantity = REGISTRY[result.fact]
    if gap is None or gap.from_date is not None or gap.of != result.fact or not quantity.parts:
        return []
    numerator = quantity.inputs[0]
    before = getattr(profile, numerator, None)
    if before is None or numerator not in FACT_FIELDS:
        return []
    delta = gap.shortfall if gap.direction == "more" else -gap.shortfall
    after = before + int(delta) if isinstance(before, int) else Decimal(before) + delta
    return [Change(numerator, before, after, field_changeable(numerator), result.text)]


def _typed(kind: Any, value: Any) -> Any:
    if kind.name == "count" and isinstance(value, Decimal):
        return int(value)
    return value


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def _same(before: Any, after: Any) -> bool:
    return before is not None and _plain(before) == _plain(after)
