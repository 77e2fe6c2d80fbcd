"""The region-first self-check (issue 14): step 1 asks where the firm is registered, what kind of
firm it is and the date; step 2 asks only what the items for that region read on that date.

Which fields those are is the engine's answer (engine.narrow_by_first_facts: the fields the
region's items in force read, less those only the items the kind-of-firm answers already decide
ineligible read; those items are listed with their criteria); this module only sorts the form's
fields into the two steps. A firm whose city is not known (it skipped step 1) is asked
everything, as the one-step form did; an answer already given (an example, an uploaded file, the
answers sent back to edit) is always shown, so that nothing the firm gave is dropped unseen.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from engine import (
    EngineError,
    FactUse,
    Narrowed,
    Profile,
    ProfileError,
    RuledOut,
    catalog_rounds,
    date_message,
    default_round,
    fields_for_region,
    firm_location,
    items_for_region,
    location_conflict,
    narrow_by_first_facts,
    parse_profile,
    program_for,
    round_text,
    rounds_on,
)

from . import answers as ans
from .engine_ext import get_engine, get_read_by_any
from .fields import FieldSpec, by_topic
from .i18n import current_lang

BLANK = ("", "unknown")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepTwo:
    """What step 2 shows: the topics and fields asked, and the step-1 answers it carries."""

    groups: list[tuple[str, list[FieldSpec]]]
    first: list[FieldSpec]  # carried as hidden fields, shown with a "change" button
    region_known: bool  # False: the firm skipped step 1, every field is asked and editable
    as_of: str
    default_round: str | None  # the round in words when the date was left to the region's latest
    items: frozenset[str] | None = None  # the region's items in force on the date (None: all)
    date_notes: tuple[str, ...] = ()  # the region's programs with no round on the date, in words
    ruled_out: tuple[RuledOut, ...] = ()  # items the kind-of-firm answers decide ineligible

    @property
    def asked(self) -> int:
        return sum(len(specs) for _topic, specs in self.groups)


def first_profile(specs: list[FieldSpec], answers: ans.Answers) -> Profile | None:
    """The step-1 answers as typed, as a profile; None when they do not parse."""
    first = ans.read_form(answers.raw, [s for s in specs if s.first])
    try:
        return parse_profile(first.data)
    except ProfileError:
        return None


def location(specs: list[FieldSpec], answers: ans.Answers) -> tuple[str | None, str | None]:
    """(city, district) from the step-1 answers as typed; (None, None) when they do not parse."""
    profile = first_profile(specs, answers)
    return (None, None) if profile is None else firm_location(profile)


def check_first(answers: ans.Answers) -> None:
    """Step 1's own mistake beside its field: a district of another city than the one chosen."""
    if location_conflict(answers.data.get("city"), answers.data.get("registered_district")):
        answers.fail("registered_district", "step.err.district_city")


def first_only(answers: ans.Answers, specs: list[FieldSpec]) -> ans.Answers:
    """The answers with only step 1's errors: the rest are checked when step 2 is submitted."""
    names = {s.name for s in specs if s.first}
    kept = ans.Answers(answers.raw)
    kept.data = answers.data
    for name, key in answers.errors.items():
        if name in names:
            kept.fail(name, key, **answers.error_args.get(name, {}))
    return kept


def step_two(specs: list[FieldSpec], answers: ans.Answers, as_of: str, bad_date: bool = False,
             today: dt.date | None = None) -> StepTwo:
    """The fields of step 2 for these answers; a blank date becomes the latest round held for
    the firm's region (never silently a date with nothing in force). A mistake in a step-1
    answer or the date (a posted form altered by hand) shows every field, so it can be seen."""
    city, district = location(specs, answers)
    first_bad = bad_date or any(s.first and s.name in answers.errors for s in specs)
    if city is None or first_bad:
        return StepTwo(by_topic(specs), [], False, as_of or (today or dt.date.today()).isoformat(),
                       None)
    engine = get_engine()
    chosen, label = as_of, None
    if not as_of.strip():
        held = default_round(engine.catalog, city, district, today or dt.date.today())
        if held is not None:
            chosen, label = held.as_of.isoformat(), round_text(held, current_lang())
        else:
            chosen = (today or dt.date.today()).isoformat()
    day, _error = ans.parse_as_of(chosen)
    profile = first_profile(specs, answers)
    narrowed = _narrowed(profile, day) if profile is not None and day is not None else None
    if narrowed is None:  # every field the region's items read; nothing ruled out
        versions = engine.catalog.versions
        narrowed = Narrowed(tuple(i for i in items_for_region(engine.catalog, city, district)
                                  if day is not None and any(v.in_force(day) for v in versions[i])),
                            (), fields_for_region(engine.compiled, city, district, day))
    read_by_any = get_read_by_any()
    shown = [s for s in specs if not s.first and (
        s.name in narrowed.fields or s.name not in read_by_any
        or answers.raw.get(s.name, "").strip() not in BLANK)]
    return StepTwo(by_topic(shown), [s for s in specs if s.first], True, chosen, label,
                   frozenset(narrowed.open_items), _date_notes(city, district, day),
                   narrowed.ruled_out)


def _narrowed(profile: Profile, day: dt.date) -> Narrowed | None:
    """The engine's split of the region's items by the step-1 answers (the questions only the
    items they rule out read are not asked); None if it cannot decide them, which is logged."""
    try:
        return narrow_by_first_facts(get_engine(), profile, day)
    except (EngineError, ArithmeticError):
        log.exception("step 2: could not narrow by the step-1 answers")
        return None


def _date_notes(city: str, district: str | None, day: dt.date | None) -> tuple[str, ...]:
    """The clear message for each local program of the firm's region with no round on the date
    (its questions are then not asked), naming the nearest rounds."""
    catalog = get_engine().catalog
    if day is None:
        return ()
    local = [p for p, program in catalog.programs.items() if program.region is not None
             and program_for(catalog, p, city, district) is not False and catalog_rounds(catalog, p)]
    found = [rounds_on(catalog, day, p) for p in local]
    return tuple(date_message(on, current_lang()) or "" for on in found if on.nothing_in_force)


def why_for(usage: dict[str, tuple[FactUse, ...]], step: StepTwo) -> dict[str, tuple[FactUse, ...]]:
    """"Why we ask" on step 2 names the items of the firm's region in force on the date only:
    a Shanghai firm is not told that a Futian item reads a field."""
    if step.items is None:
        return usage
    return {field: tuple(u for u in uses if u.item_id in step.items) for field, uses in usage.items()}

