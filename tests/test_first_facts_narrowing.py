"""The kind-of-firm answers narrow step 2 (engine.narrow_by_first_facts): the items the engine
decides ineligible on the step-1 facts alone are ruled out with their criteria, and their
questions are not asked. Checked against the engine itself on random fillings of every other
question: a ruled-out item stays ineligible, and the questions left out change no open item."""

from __future__ import annotations

import datetime as dt
import enum
import json
import random
import typing
from decimal import Decimal
from typing import Any

import pytest

from engine import (
    FACT_FIELDS,
    FIRST_FACTS,
    SEEDS_DIR,
    Engine,
    ProfileError,
    fields_for_region,
    narrow_by_first_facts,
    parse_profile,
)
from engine.decide.examples import example_profile

# (city, district, date, step-1 kind answers): each rules something out in the rules as they are
CASES = [
    ("shenzhen", "futian", "2020-06-01", {"above_scale": False, "registered_in_mainland": False}),
    ("shenzhen", "futian", "2022-06-01", {"registered_in_mainland": False}),
    ("shanghai", "huangpu", "2023-06-01", {"registered_in_mainland": False, "listed_company": True}),
    ("huizhou", None, "2023-06-01", {"small_micro_enterprise": False, "registered_in_mainland": False}),
]
MONEY = [0, 1, 300_000, 500_000, 2_000_000, 20_000_000, 50_000_000, 200_000_000, 2_000_000_000]


def _first(city: str, district: str | None, kind: dict[str, bool]) -> dict[str, Any]:
    return {"city": city, **({"registered_district": district} if district else {}), **kind}


def _seed(name: str) -> dict[str, Any]:
    data = json.loads((SEEDS_DIR / "profiles" / f"{name}.json").read_text(encoding="utf-8"))
    data.pop("provenance", None)
    return data


def _value(rng: random.Random, name: str) -> Any:
    """A random answer of the field's type, near the rules' thresholds for money."""
    kind = [a for a in typing.get_args(FACT_FIELDS[name].annotation) if a is not type(None)][0]
    base = typing.get_args(kind)[0] if typing.get_origin(kind) is typing.Annotated else kind
    if base is bool:
        return rng.random() < 0.5
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return rng.choice(list(base)).value
    if base is int:
        return rng.choice([0, 1, 5, 12, 36, 80, 300])
    if base is Decimal:
        unit = (FACT_FIELDS[name].json_schema_extra or {}).get("unit")
        return str(rng.choice(MONEY)) if unit == "yuan" else str(rng.randint(0, 100))
    if base is dt.date:
        return (dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 5000))).isoformat()
    return rng.choice(["", "项目甲", "project b"]) or "x"


def _filling(rng: random.Random, first: dict[str, Any]) -> dict[str, Any]:
    """Every other question answered at random (some left blank), kept valid for the profile's
    cross-field checks by dropping the answers a check names."""
    data = {n: _value(rng, n) for n in FACT_FIELDS
            if n not in FIRST_FACTS and n not in ("credit_code", "fiscal_year") and rng.random() < 0.85}
    for _ in range(20):
        try:
            parse_profile({**data, **first})
            return data
        except ProfileError as exc:
            for name in exc.fields:
                data.pop(name, None)
    raise AssertionError("no valid filling")


def _fillings(first: dict[str, Any], n: int, seed: int) -> list[dict[str, Any]]:
    """n random fillings, and the seed firms (real answers that are eligible for many items)."""
    rng = random.Random(seed)
    seeds = [{k: v for k, v in _seed(s).items() if k not in FIRST_FACTS}
             for s in ("futian_rd_firm", "shanghai_huangpu_hnte", "futian_newcomer")]
    return [_filling(rng, first) for _ in range(n)] + seeds


def _outcome(decision: Any) -> tuple[str, Any]:
    return decision.status, decision.amount and decision.amount.value


def _eligible_examples(engine: Engine, item_ids: list[str], day: dt.date) -> list[dict[str, Any]]:
    """The answers of the rule files' own examples that make these items eligible: the
    fillings most likely to make them eligible again."""
    catalog = engine.catalog
    return [example_profile(example, catalog.example_profiles)
            for item_id in item_ids for version in catalog.versions[item_id]
            if version.in_force(day) for example in version.examples
            if example.expect.status == "eligible"]


@pytest.mark.parametrize(("city", "district", "day", "kind"), CASES)
def test_the_kind_of_firm_rules_items_out_with_their_criteria(
        engine: Engine, city: str, district: str | None, day: str, kind: dict[str, bool]) -> None:
    on = dt.date.fromisoformat(day)
    narrowed = narrow_by_first_facts(engine, parse_profile(_first(city, district, kind)), on)
    unknown = narrow_by_first_facts(engine, parse_profile(_first(city, district, {})), on)
    assert narrowed.ruled_out and not unknown.ruled_out
    assert unknown.fields == fields_for_region(engine.compiled, city, district, on)
    asked = narrowed.fields - set(FIRST_FACTS)
    assert asked < unknown.fields - set(FIRST_FACTS)  # fewer questions on step 2
    for item in narrowed.ruled_out:
        assert item.because, item.item_id  # named with what rules it out
        assert all(c.status in ("fail", "pass") for c in item.because)  # decided, not unknown
        assert item.item_id not in narrowed.open_items


def test_only_the_step_one_facts_are_read(engine: Engine) -> None:
    """Whatever else the profile holds, the narrowing reads only where and what kind of firm."""
    first = _first("shenzhen", "futian", {"above_scale": False})
    day = dt.date(2020, 6, 1)
    bare = narrow_by_first_facts(engine, parse_profile(first), day)
    full = narrow_by_first_facts(engine, parse_profile({**_seed("futian_rd_firm"), **first}), day)
    assert bare == full


@pytest.mark.parametrize(("city", "district", "day", "kind"), CASES)
def test_no_other_answer_makes_a_ruled_out_item_eligible(
        engine: Engine, city: str, district: str | None, day: str, kind: dict[str, bool]) -> None:
    """Random fillings, the seed firms, and the rule files' own eligible examples: with the
    step-1 answers given, every ruled-out item stays ineligible; with only the region given,
    the examples make some of them eligible, so the check has something to catch."""
    on, first = dt.date.fromisoformat(day), _first(city, district, kind)
    narrowed = narrow_by_first_facts(engine, parse_profile(first), on)
    out = [r.item_id for r in narrowed.ruled_out]
    examples = _eligible_examples(engine, out, on)
    region = _first(city, district, {})
    control = [engine.assess(parse_profile({**e, **region}), on, items=out) for e in examples]
    assert any(d.status == "eligible" for a in control for d in a.decisions if d.item_id in out)
    fillings = _fillings(first, 12, seed=len(out))
    for filling in fillings + [{k: v for k, v in e.items() if k not in FIRST_FACTS} for e in examples]:
        decisions = engine.assess(parse_profile({**filling, **first}), on, items=out)
        for item_id in out:
            assert decisions.decision(item_id).status == "ineligible", (item_id, filling)


@pytest.mark.parametrize(("city", "district", "day", "kind"), CASES)
def test_the_questions_left_out_change_no_open_item(
        engine: Engine, city: str, district: str | None, day: str, kind: dict[str, bool]) -> None:
    """Answering the questions not asked differently (or not at all) changes no decision of the
    items still open: they were left out because only ruled-out items read them."""
    on, first = dt.date.fromisoformat(day), _first(city, district, kind)
    narrowed = narrow_by_first_facts(engine, parse_profile(first), on)
    left_out = fields_for_region(engine.compiled, city, district, on) - narrowed.fields - set(FIRST_FACTS)
    assert left_out
    rng = random.Random(7)
    items = list(narrowed.open_items)
    for filling in _fillings(first, 6, seed=3):
        kept = {k: v for k, v in filling.items() if k not in left_out}
        other = {**kept, **{n: _value(rng, n) for n in left_out}}
        try:
            parse_profile({**other, **first})
        except ProfileError:
            other = kept
        a = engine.assess(parse_profile({**filling, **first}), on, items=items)
        b = engine.assess(parse_profile({**other, **first}), on, items=items)
        for item_id in items:
            assert _outcome(a.decision(item_id)) == _outcome(b.decision(item_id)), item_id


def test_another_districts_items_are_set_apart_not_ruled_out_by_kind(engine: Engine) -> None:
    """Shanghai's programme holds an item per district: for a Pudong firm the Huangpu items fail
    on where the firm is, so they are another region's items, never "ruled out by the kind"."""
    narrowed = narrow_by_first_facts(engine, parse_profile({"registered_district": "pudong"}),
                                     dt.date(2022, 6, 1))
    assert "shanghai.hnte_reward.huangpu.new" in narrowed.other_region
    assert not narrowed.ruled_out
    assert "hnte_first_certification" not in narrowed.fields


def test_a_test_decided_without_its_fact_never_rules_an_item_out(tmp_path: Any) -> None:
    """`exists` fails on a missing fact (the one test that does not wait for its fact): an item
    failing on it alone on the step-1 profile would become eligible once the fact is given, so
    it is not ruled out, and its questions are asked."""
    from engine.store.drafts import load_draft

    text = (SEEDS_DIR.parent / "rules" / "national" / "tech_sme.yaml").read_text(encoding="utf-8")
    old = 'fact: employees_total\n          op: "<="\n          value: 500\n'
    assert text.count(old) == 1
    draft = tmp_path / "tech_sme.yaml"
    draft.write_text(text.replace(old, "fact: employees_total\n          op: exists\n"),
                     encoding="utf-8")
    engine = Engine(load_draft(draft))
    first, day = _first("shenzhen", "futian", {}), dt.date(2022, 6, 1)
    alone = engine.assess(parse_profile(first), day, items=["national.tech_sme"])
    assert alone.decision("national.tech_sme").status == "ineligible"  # the engine's "no"...
    narrowed = narrow_by_first_facts(engine, parse_profile(first), day)
    assert "national.tech_sme" in narrowed.open_items  # ...is not taken as settled
    assert "employees_total" in narrowed.fields
