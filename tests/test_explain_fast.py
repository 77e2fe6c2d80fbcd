"""Explanations made fast (issue 12) explain as before. The trace (criterion results, the facts
read, shared between profiles where frozen) equals the tree walk's on varied profiles: provenance,
zero denominators, stale fiscal years. The JSON writer (engine.explain.decision_json) writes what
the plain one wrote (tests/legacy_decision_json.py): the same keys in the same order with the
same values, over many random profiles on several dates (amounts, stacking, gaps, the decisions
the engine shares), with and without explanations. What it hands out is the caller's own:
changing every dict and list of one result changes no later result. And decision_from_dict
still reads back what it writes."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from bench.profiles import profile_data
from engine.decide.decision import Assessment
from engine.decide.engine import Engine
from engine.explain.decision_json import assessment_to_dict, decision_from_dict, decision_to_dict
from engine.facts.enums import FactSource
from engine.facts.kinds import UNDEFINED
from engine.facts.parse import parse_profile
from engine.facts.profile import FACT_FIELDS
from tests import legacy_decision_json as legacy
from tests.tree_walk import tree_walk_assess

DATES = (dt.date(2020, 6, 1), dt.date(2019, 3, 1), dt.date(2021, 7, 1), dt.date(2022, 11, 30))
# A ratio's denominator at zero, with the parts that must stay within it: "undefined" ratios.
_ZERO_DENOMINATORS = (("employees_total", "st_staff"), ("total_revenue_y1", "high_tech_revenue_y1"),
                      ("sales_revenue_y1", "sales_revenue_y2", "sales_revenue_y3"),
                      ("rd_expense_y1", "rd_expense_y2", "rd_expense_y3", "rd_expense_domestic_3y"))


def _varied_data(rng: random.Random, n: int) -> dict[str, Any]:
    """A bench profile, then some of: provenance on its facts, a zero denominator, another or
    no fiscal year, more or fewer facts."""
    data = profile_data(rng, n, presence=rng.choice((0.5, 0.85, 1.0)))
    if rng.random() < 0.4:
        named = [f for f in data if f in FACT_FIELDS and f not in ("credit_code", "name")]
        data["provenance"] = {
            f: {"source": rng.choice(list(FactSource)).value,
                **({"date": "2020-05-31"} if rng.random() < 0.5 else {})}
            for f in rng.sample(named, k=min(len(named), rng.randint(1, 12)))}
    if rng.random() < 0.25:
        for zeros in rng.sample(_ZERO_DENOMINATORS, k=2):
            data.update(dict.fromkeys(zeros, "0"))
    if rng.random() < 0.3:
        data["fiscal_year"] = rng.choice((2016, 2018, 2020, 2021))
    elif rng.random() < 0.1:
        data.pop("fiscal_year")
    return data


def _assessments(engine: Engine, count: int, seed: int) -> Iterator[Assessment]:
    rng = random.Random(seed)
    for n in range(count):
        profile = parse_profile(_varied_data(rng, n))
        day = DATES[n % len(DATES)]
        yield engine.assess(profile, day, explain=n % 5 != 4)


def _dump(document: Any) -> str:
    """The document as text, keys in their order: equal texts mean equal keys, order, values
    and JSON types (True and 1 print apart)."""
    return json.dumps(document, ensure_ascii=False)


def _features(assessment: Assessment) -> Counter[str]:
    seen: Counter[str] = Counter()
    for d in assessment.decisions:
        seen[d.status] += 1
        seen["amount"] += d.amount is not None
        seen["stacking"] += d.stacking is not None
        seen["figures"] += d.figures is not None
        for c in d.criteria:
            seen["gap"] += c.gap is not None
            seen["cleared"] += c.cleared is not None
            for r in c.reads:
                seen["undefined"] += r.value is UNDEFINED
                seen["provenance"] += r.source is not None
                seen["inputs"] += bool(r.derived_from)
    return seen


@pytest.fixture(scope="module")
def sample(engine: Engine) -> list[Assessment]:
    return list(_assessments(engine, 400, seed=12))


def test_the_sample_has_every_kind_of_part(sample: list[Assessment]) -> None:
    """Otherwise the comparisons below would prove less than they say."""
    seen = sum((_features(a) for a in sample), Counter())
    for part in ("amount", "stacking", "figures", "gap", "cleared", "undefined", "provenance",
                 "inputs", "not_in_force", "not_assessable", "eligible", "ineligible",
                 "undetermined"):
        assert seen[part] > 0, part


def test_the_trace_is_the_tree_walks_on_varied_profiles(engine: Engine) -> None:
    """Reads with provenance keep it (never the shared read of the same value), ratios over
    zero keep their reading's citation, and shared reads equal the ones built per profile."""
    rng = random.Random(7)
    for n in range(120):
        profile = parse_profile(_varied_data(rng, n))
        day = DATES[n % len(DATES)]
        for explain in (True, False):
            lean = engine.assess(profile, day, explain=explain)
            walked = tree_walk_assess(engine, profile, day, explain=explain)
            assert lean.decisions == walked.decisions, (n, day, explain)


def test_the_fast_json_is_the_plain_json(sample: list[Assessment]) -> None:
    for assessment in sample:
        fast, plain = assessment_to_dict(assessment), legacy.assessment_to_dict(assessment)
        assert fast == plain
        assert _dump(fast) == _dump(plain)


def test_a_decision_alone_and_twice_is_the_plain_json(sample: list[Assessment]) -> None:
    """The memoised parts (shared decisions, criteria) come out the same the second time."""
    for assessment in sample[:60]:
        for d in assessment.decisions:
            plain = _dump(legacy.decision_to_dict(d))
            assert _dump(decision_to_dict(d)) == plain
            assert _dump(decision_to_dict(d)) == plain


def _vandalise(value: Any) -> None:
    """Change every dict and list inside a document, depth first."""
    children = list(value.values()) if isinstance(value, dict) else list(value)
    for child in children:
        if isinstance(child, dict | list):
            _vandalise(child)
    if isinstance(value, dict):
        for key in list(value):
            value[key] = "changed"
        value["added"] = ["changed"]
    else:
        value[:] = ["changed"]


def test_a_result_is_the_callers_own(engine: Engine, sample: list[Assessment]) -> None:
    """Changing what one call returned changes neither a later result of the same decisions
    nor the results for other profiles (which share criteria, trees and static decisions)."""
    first, later = sample[:40], list(_assessments(engine, 40, seed=13))
    expected = [_dump(legacy.assessment_to_dict(a)) for a in first + later]  # before any change
    for assessment in first:
        _vandalise(assessment_to_dict(assessment))
        _vandalise([decision_to_dict(d) for d in assessment.decisions])
    assert [_dump(assessment_to_dict(a)) for a in first + later] == expected


def test_decisions_read_back_as_written(sample: list[Assessment]) -> None:
    for assessment in sample[:150]:
        for d in assessment.decisions:
            written = decision_to_dict(d)
            again = decision_to_dict(decision_from_dict(written))
            assert _dump(again) == _dump(written)
