"""The lean decision path (issue 12) decides exactly as the tree walk it replaced: the same
decisions and the same JSON, byte for byte, with and without explanations, for every item or a
few, on the real catalog (edge-value and plausible profiles, several dates) and on a generated
one with nested any / not. Its parts are checked against what they stand for: the bit sets
against durable_rules' fired rules, the fact encoder against encode_facts, the fast read of a
profile's known facts against Profile.known()."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.decide.compact import outcome_code
from engine.decide.encoding import encode_facts
from engine.decide.engine import Engine, known_facts
from engine.errors import EngineError
from engine.explain.decision_json import assessment_to_dict
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog
from tests.generated import random_profile_data, write_catalog
from tests.test_differential import DATES, _catalog_literals, profiles
from tests.tree_walk import tree_walk_assess


def _json(assessment: Any) -> str:
    return json.dumps(assessment_to_dict(assessment), ensure_ascii=False, sort_keys=True)


def _same(engine: Engine, data: dict[str, Any], day: dt.date, items: list[str] | None = None) -> None:
    profile = parse_profile(data)
    for explain in (False, True):
        lean = engine.assess(profile, day, items, explain=explain)
        walked = tree_walk_assess(engine, profile, day, items, explain=explain)
        assert lean.decisions == walked.decisions, (day, explain, items)
        assert _json(lean) == _json(walked), (day, explain, items)


@pytest.fixture(scope="module")
def real_literals(engine: Engine) -> dict[str, list[Any]]:
    return _catalog_literals(engine)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_edge_value_profiles_decide_as_the_tree_walk(engine: Engine, real_literals: dict,
                                                     data: st.DataObject) -> None:
    profile = data.draw(profiles(real_literals))
    for day in DATES:
        _same(engine, profile, day)


@pytest.mark.parametrize("presence", [0.0, 0.3, 0.8, 1.0])
def test_plausible_profiles_decide_as_the_tree_walk(engine: Engine, presence: float) -> None:
    rng = random.Random(int(presence * 10))
    for _ in range(40):
        _same(engine, random_profile_data(rng, presence), rng.choice(DATES))


def test_a_few_items_decide_as_the_tree_walk(engine: Engine) -> None:
    """Asked for some items, the lean path decides those and what they reach, no more."""
    rng = random.Random(7)
    ids = list(engine.catalog.versions)
    for _ in range(60):
        items = rng.sample(ids, rng.randint(1, 4))
        _same(engine, random_profile_data(rng, 0.7), rng.choice(DATES), items)


def test_a_generated_catalog_with_nested_any_and_not(tmp_path: Path) -> None:
    engine = Engine(load_catalog(write_catalog(tmp_path / "rules", items=30, leaves=9, seed=3)))
    rng = random.Random(3)
    for _ in range(80):
        _same(engine, random_profile_data(rng, rng.choice([0.2, 0.6, 0.9])), dt.date(2021, 1, 1))


def test_passed_bits_are_the_rules_durable_rules_fired(engine: Engine) -> None:
    rng = random.Random(11)
    bits = {t.rule: 1 << i for i, t in enumerate(engine.compiled.tests.values())}
    for _ in range(40):
        facts = engine.facts_for(parse_profile(random_profile_data(rng, 0.7)), DATES[0])
        passed, unknown = engine.outcomes(facts)
        fired = engine.runtime.fired(encode_facts(facts))
        assert {rule for rule, bit in bits.items() if passed & bit} == fired
        assert passed & unknown == 0
        for test in engine.compiled.tests.values():
            reads_missing = test.op != "exists" and any(
                facts.get(n) is None for n in (test.fact, test.ref) if n)
            assert bool(unknown & bits[test.rule]) == (test.rule not in fired and reads_missing)


def test_the_messages_are_what_encode_facts_gives_each_ruleset(engine: Engine) -> None:
    """Each ruleset's message holds exactly the properties it reads with the values encode_facts
    gives them (ratios over zero, huge and fractional values included: the edge profiles)."""
    rng = random.Random(5)
    reads = engine.runtime.ruleset_reads
    samples = [random_profile_data(rng, p) for p in (0.8, 1.0, 0.4) for _ in range(40)]
    samples += [{"employees_total": 0, "st_staff": 0}, {"employees_total": 3, "st_staff": 1},
                {"total_revenue_y1": "10000000000000", "sales_revenue_y1": "0.01"}]
    for data in samples:
        facts = engine.facts_for(parse_profile(data), DATES[1])
        encoded = encode_facts(facts)
        parts = engine._encoder.encode(facts)  # noqa: SLF001 - the part under test
        for keys, mine in zip(reads, parts, strict=True):
            assert json.loads("{" + ",".join(mine) + "}") == {
                k: encoded[k] for k in keys if k in encoded}


def test_known_facts_are_profile_known(engine: Engine) -> None:
    rng = random.Random(9)
    for presence in (0.0, 0.5, 1.0):
        profile = parse_profile(random_profile_data(rng, presence))
        assert known_facts(profile) == profile.known()
        assert list(known_facts(profile)) == list(profile.known())


def test_outcome_codes_without_a_trace_are_those_of_the_explanation(engine: Engine) -> None:
    """What screening stores (Engine.assess_outcomes) is what rebuild.py finds in the full
    explanation later, and the decisions are those of decisions-only mode."""
    rng = random.Random(13)
    ids = list(engine.catalog.versions)
    for n in range(80):
        profile = parse_profile(random_profile_data(rng, rng.choice([0.3, 0.7, 1.0])))
        day = DATES[n % len(DATES)]
        items = rng.sample(ids, 3) if n % 4 == 0 else None
        quick, codes = engine.assess_outcomes(profile, day, items)
        full = engine.assess(profile, day, items)
        assert quick.decisions == engine.assess(profile, day, items, explain=False).decisions
        assert {d.item_id: outcome_code(d) for d in full.decisions} == codes
        assert [d.status for d in quick.decisions] == [d.status for d in full.decisions]


def test_outcome_codes_name_their_criteria_or_refuse_to_guess() -> None:
    from engine import outcomes_by_id

    assert outcomes_by_id(["a", "b", "c"], "pfu") == {"a": "pass", "b": "fail", "c": "unknown"}
    assert outcomes_by_id([], "") == {}
    assert outcomes_by_id(["a", "b"], "p") is None  # misaligned: the caller explains in full
    assert outcomes_by_id(["a"], "pp") is None


def _fired_in(engine: Engine, ruleset: int, message: dict[str, Any]) -> set[str]:
    handle, _reads, name = engine.runtime._rulesets[ruleset]  # noqa: SLF001 - the part under test
    fired: list[str] = []
    engine.runtime._run_one(handle, name, json.dumps(message), fired.append)  # noqa: SLF001
    return set(fired)


def test_a_message_leaves_out_only_properties_no_rule_reads(engine: Engine) -> None:
    """Each ruleset is sent only the properties its conditions name (compiler.condition_keys:
    `x > N` reads only the rounded-up units). Sent every encoded property instead, each ruleset
    fires the very same rules, so nothing a rule compares was left out."""
    rng = random.Random(13)
    samples = [random_profile_data(rng, p) for p in (1.0, 0.6) for _ in range(30)]
    samples += [{"employees_total": 0, "st_staff": 0}, {"employees_total": 3, "st_staff": 1}]
    left_out = 0
    for number, data in enumerate(samples):
        encoded = encode_facts(engine.facts_for(parse_profile(data), DATES[1]))
        for index, ruleset in enumerate(engine.compiled.rulesets):
            mine = {k: v for k, v in encoded.items() if k in ruleset.reads}
            left_out += len(encoded) - len(mine)
            whole = _fired_in(engine, index, {**encoded, "sid": "0", "id": f"whole-{number}"})
            if mine:
                assert whole == _fired_in(engine, index, {**mine, "sid": "0", "id": f"m-{number}"})
            else:
                assert whole == set()
    assert left_out > 0  # the messages really are smaller than the whole fact


def test_timed_reading_fires_the_same_rules_and_counts_durable_rules_time(engine: Engine) -> None:
    """The benchmark's timed pass (durable_rules' share of decision time) reads the same bits."""
    rng = random.Random(17)
    runtime = engine.runtime
    for _ in range(20):
        facts = engine.facts_for(parse_profile(random_profile_data(rng, 0.8)), DATES[0])
        parts = engine._encoder.encode(facts)  # noqa: SLF001 - the part under test
        plain = runtime.fired_parts(parts, engine._bits)  # noqa: SLF001
        runtime.timed, runtime.durable_seconds = True, 0.0
        try:
            timed = runtime.fired_parts(parts, engine._bits)  # noqa: SLF001
            assert runtime.durable_seconds > 0
        finally:
            runtime.timed = False
        assert timed == plain


def test_a_message_durable_rules_refuses_names_its_facts_and_leaves_the_engine_working(
        engine: Engine) -> None:
    """durable_rules cannot parse a whole mantissa in exponent form (error 204). Were such a
    number ever written, the error names the ruleset and the facts sent, and the next profile
    is decided as if nothing had happened (the lock is released, nothing is left asserted)."""
    runtime = engine.runtime
    facts = engine.facts_for(parse_profile(random_profile_data(random.Random(3), 1.0)), DATES[0])
    parts = engine._encoder.encode(facts)  # noqa: SLF001 - the part under test
    before = runtime.fired_parts(parts, engine._bits)  # noqa: SLF001
    broken = [list(mine) for mine in parts]
    broken[0].append('"not_a_fact":1e+16')
    with pytest.raises(EngineError) as raised:
        runtime.fired_parts(broken, engine._bits)  # noqa: SLF001
    first = next(r for r in engine.compiled.rulesets if not r.by_value)  # parts[0]'s ruleset
    assert raised.value.details["ruleset"].startswith(first.name + "_")
    assert raised.value.details["facts"]["not_a_fact"] == 1e16
    assert runtime.fired_parts(parts, engine._bits) == before  # noqa: SLF001


def test_decisions_without_an_explanation_leave_only_the_amount_steps_unworded(
        engine: Engine) -> None:
    """explain=False gives the same figure, ceiling flag and citation as the explanation, without
    the worded steps; asked first, it leaves nothing unworded for the explanation after it (the
    amounts memo keeps the two apart)."""
    rng = random.Random(23)
    amounts = 0
    for _ in range(80):
        profile = parse_profile(random_profile_data(rng, 0.9))
        fast = engine.assess(profile, DATES[0], explain=False)
        full = engine.assess(profile, DATES[0])
        for quick, explained in zip(fast.decisions, full.decisions, strict=True):
            assert (quick.amount is None) == (explained.amount is None)
            if quick.amount is None:
                continue
            amounts += 1
            assert quick.amount.steps == ()
            assert explained.amount.steps  # every amount is worded in an explanation
            assert (quick.amount.value, quick.amount.ceiling, quick.amount.citation) == (
                explained.amount.value, explained.amount.ceiling, explained.amount.citation)
    assert amounts > 50
