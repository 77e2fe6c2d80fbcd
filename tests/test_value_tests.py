"""Tests of one categorical fact are asked of durable_rules once per value (engine.decide
.value_tests): what is remembered equals what durable_rules fires when asked every time, also
when one fact's tests fill more than one ruleset and when the memo starts again."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from engine.decide import encoding, value_tests
from engine.decide.compiler import MAX_RULES_PER_RULESET
from engine.decide.encoding import encode_facts
from engine.decide.engine import Engine
from engine.facts.kinds import kind_of_field
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog
from tests.generated import random_profile_data, write_catalog

DAY = dt.date(2024, 6, 1)
DISTRICTS = kind_of_field("registered_district").members
OTHERS = [d for d in DISTRICTS if d != "futian"]


def _district_lists(rng: random.Random, prefix: str, size: int) -> dict[str, Any]:
    """`size` distinct `registered_district in [...]` tests, every list holding futian, so a
    Futian firm fires all of them: 10 items x 7 make 70 rules on one fact, more than one ruleset
    may hold (and more than durable_rules matches in one ruleset, error 303)."""
    first = int(prefix.removeprefix("c")) * size + 1
    leaves = []
    for number in range(first, first + size):
        chosen = ["futian"] + [d for bit, d in enumerate(OTHERS) if number >> bit & 1]
        leaves.append({"id": f"{prefix}_{number}", "text": {"zh": "区", "en": "district"},
                       "fact": "registered_district", "op": "in", "value": chosen})
    return {"all": leaves}


@pytest.fixture(scope="module")
def district_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    directory = write_catalog(tmp_path_factory.mktemp("districts") / "rules", items=10,
                              leaves=7, seed=3, tree=_district_lists)
    return Engine(load_catalog(directory))


def _asked_every_time(engine: Engine, facts: dict[str, Any]) -> int:
    """The bits of every rule durable_rules fires for these facts, each ruleset sent all the
    facts it reads at once (the general path, nothing remembered)."""
    bits = {t.rule: 1 << i for i, t in enumerate(engine.compiled.tests.values())}
    passed = 0
    for rule in engine.runtime.fired(encode_facts(facts)):
        passed |= bits[rule]
    return passed


def test_one_facts_tests_fill_several_rulesets_and_all_are_asked(district_engine: Engine) -> None:
    keyed = [r for r in district_engine.compiled.rulesets if r.by_value]
    assert len(keyed) >= 2 and all(r.reads == ("registered_district",) for r in keyed)
    assert max(len(r.definition) for r in keyed) <= MAX_RULES_PER_RULESET
    futian = parse_profile({"registered_district": "futian"})
    facts = district_engine.facts_for(futian, DAY)
    passed, unknown = district_engine.outcomes(facts)
    assert passed == (1 << len(district_engine.compiled.tests)) - 1 and unknown == 0
    assert all(d.status == "eligible" for d in district_engine.assess(futian, DAY).decisions)


def test_every_value_and_none_fire_what_durable_rules_fires_when_asked(
        district_engine: Engine) -> None:
    for district in [*DISTRICTS, None, *reversed(DISTRICTS)]:  # the second pass is remembered
        data = {} if district is None else {"registered_district": district}
        facts = district_engine.facts_for(parse_profile(data), DAY)
        passed, unknown = district_engine.outcomes(facts)
        assert passed == _asked_every_time(district_engine, facts), district
        assert (unknown != 0) == (district is None)


def test_a_memo_that_starts_again_still_answers_right(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded per fact: past the bound the memo is emptied and asks again, never wrongly."""
    monkeypatch.setattr(value_tests, "MAX_VALUES_PER_FACT", 2)
    engine = Engine(load_catalog(write_catalog(tmp_path / "rules", items=40, leaves=6, seed=9)))
    rng = random.Random(21)
    for _ in range(150):
        facts = engine.facts_for(parse_profile(random_profile_data(rng, 0.9)), DAY)
        assert engine.outcomes(facts)[0] == _asked_every_time(engine, facts)
    memos = [memo for *_rest, memo in engine._by_value._facts]  # noqa: SLF001 - the part under test
    assert memos and all(len(memo) <= 2 for memo in memos)


def test_the_real_catalog_asks_most_tests_by_value() -> None:
    """What makes the decision path lean: most of the catalog's tests read one bool or enum."""
    engine = Engine()
    keyed = sum(len(r.definition) for r in engine.compiled.rulesets if r.by_value)
    assert keyed > len(engine.compiled.tests) / 2
    rng = random.Random(4)
    for _ in range(60):
        facts = engine.facts_for(parse_profile(random_profile_data(rng, 0.7)), DAY)
        assert engine.outcomes(facts)[0] == _asked_every_time(engine, facts)


def _field(engine: Engine, name: str) -> tuple[Any, ...]:
    encoder = engine._encoder  # noqa: SLF001 - the part under test
    return next(f for f in encoder._numbers + encoder._pairs if f[0] == name)  # noqa: SLF001


def test_numbers_that_repeat_are_remembered_and_answer_as_durable_rules_fires() -> None:
    """A number read only by tests of its own (encode_learning) is sent once per value; later
    profiles with that value take the rules it fired then, which equal what durable_rules fires
    when asked every time."""
    engine = Engine()
    rng = random.Random(31)
    for _ in range(200):
        data = random_profile_data(rng, 0.9)
        data["employees_total"] = rng.choice([5, 50, 500])
        data["st_staff"] = min(data.get("st_staff", 0), data["employees_total"])
        facts = engine.facts_for(parse_profile(data), DAY)
        assert engine.outcomes(facts)[0] == _asked_every_time(engine, facts)
    memo = _field(engine, "employees_total")[-1]
    assert memo.get(encoding._HITS) > 150  # remembered, and read back  # noqa: SLF001


def test_a_number_whose_values_never_repeat_goes_cold_and_stays_right(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "COOL_AFTER", 8)
    engine = Engine()
    rng = random.Random(32)
    assert _field(engine, "sales_revenue_y1")[-2]  # learnable at first
    for number in range(40):
        data = random_profile_data(rng, 0.9)
        data["sales_revenue_y1"] = str(1_000_000 + number)  # a new value every time
        data["employees_total"] = 50  # the same every time
        data["st_staff"] = min(data.get("st_staff", 0), 50)
        facts = engine.facts_for(parse_profile(data), DAY)
        assert engine.outcomes(facts)[0] == _asked_every_time(engine, facts)
    assert _field(engine, "sales_revenue_y1")[-2] == 0  # no longer learnt
    assert _field(engine, "employees_total")[-2]  # the others still are
