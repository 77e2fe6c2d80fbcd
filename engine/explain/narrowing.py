"""What the first answers of a region-first form already decide: the items of the firm's region
that the engine finds ineligible on where the firm is and what kind of firm it is alone.

Those that fail on where the firm is (a Huangpu item of Shanghai's programme, for a Pudong
firm) are another district's items; the others are ruled out by the kind of firm.

The engine decides them (Engine.assess on a profile of only those facts), never a second
evaluator: an item comes out `ineligible` only when the known facts decide it (a failed
criterion or a holding exclusion under three-valued logic, where an unknown fact leaves the
outcome open), so no answer to any other question can make it eligible. Its questions need not be
asked, and the form lists it with the criteria that rule it out instead of dropping it unseen.

Two tests are decided without their fact, and would break that: `exists` fails on a missing fact,
and a derived quantity with optional inputs may be computed without them. So an item counts as
settled only when every criterion the engine decided reads facts the step-1 profile states, and
every requirement it decided names an item itself settled or the same on any profile (not in
force, not assessable); otherwise its questions are asked as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.decide.decision import CriterionResult, Decision
from engine.decide.engine import Engine
from engine.decide.usage import fields_read
from engine.facts.parse import parse_profile
from engine.facts.profile import FIRST_FACTS, Profile
from engine.rules.model import Text
from engine.rules.regions import firm_location, items_for_region

from .findings import decisive_failures, not_for_region


@dataclass(frozen=True)
class RuledOut:
    """An item the first answers decide ineligible, with the criteria that decide it."""

    item_id: str
    title: Text
    because: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class Narrowed:
    """The region's items in force on a date, split by what the first answers decide."""

    open_items: tuple[str, ...]  # still to decide, in catalog order
    ruled_out: tuple[RuledOut, ...]  # by what kind of firm it is
    fields: frozenset[str]  # what deciding the open items reads: the questions left to ask
    other_region: tuple[str, ...] = ()  # items of a city's program for another district


def first_facts_only(profile: Profile) -> Profile:
    """The profile with only its first facts (where, what kind of firm): whatever else a caller's
    profile holds, the narrowing must not depend on it."""
    return parse_profile(profile.model_dump(mode="json", include=set(FIRST_FACTS),
                                            exclude_none=True))


def narrow_by_first_facts(engine: Engine, profile: Profile, day: dt.date) -> Narrowed:
    """Split the items for the firm's region in force on `day` into those its first facts
    decide ineligible and those still open, and the fields the open ones read.

    Args:
        engine: the compiled rules.
        profile: the firm's answers; only its FIRST_FACTS are read.
        day: the assessment date.
    Returns:
        The open items, the ruled-out ones with their deciding criteria, and the fields to ask.
    """
    first = first_facts_only(profile)
    catalog = engine.catalog
    city, district = firm_location(first)
    in_force = [i for i in items_for_region(catalog, city, district)
                if any(v.in_force(day) for v in catalog.versions[i])]
    decided = {d.item_id: d for d in engine.assess(first, day, items=in_force).decisions}
    out = _settled(decided, [i for i in in_force if decided[i].status == "ineligible"], first)
    # A city's program can hold items for one district each: failing on where the firm is,
    # they are another region's items (set apart as on the result page), not the kind of firm.
    elsewhere = tuple(i for i in out if not_for_region(decided[i]))
    ruled = tuple(RuledOut(i, decided[i].title, tuple(decisive_failures(decided[i])))
                  for i in out if i not in elsewhere)
    open_items = tuple(i for i in in_force if i not in out)
    return Narrowed(open_items, ruled, fields_read(engine.compiled, open_items, day, settled=out),
                    elsewhere)


STATIC = ("not_in_force", "not_assessable")  # decided the same for every profile on the date


def _settled(decided: dict[str, Decision], candidates: list[str], first: Profile) -> list[str]:
    """The candidates whose `ineligible` no other answer can change (module docstring), in
    their order; requirements on each other are resolved to a fixed point."""
    known = {name for name in FIRST_FACTS if getattr(first, name) is not None}
    kept = set(candidates)
    changed = True
    while changed:
        changed = False
        for item_id in sorted(kept):
            if not _reads_only(decided[item_id], known, kept, decided):
                kept.discard(item_id)
                changed = True
    return [i for i in candidates if i in kept]


def _reads_only(decision: Decision, known: set[str], kept: set[str],
                decided: dict[str, Decision]) -> bool:
    for c in decision.criteria:
        if c.status == "unknown":
            continue
        if c.role == "requirement":
            other = decided.get(c.group or "")
            if c.status != "fail" or not (c.group in kept or (other and other.status in STATIC)):
                return False
        elif not {c.fact, *(r.name for r in c.reads), *([c.ref] if c.ref else [])} <= known:
            return False
    return True
