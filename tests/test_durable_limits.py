"""durable_rules' limits are handled: large generated catalogs compile and decide exactly as a
plain-Python reference does, over many random profiles, without error 303."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from engine.decide.compiler import MAX_RULES_PER_RULESET
from engine.decide.engine import Engine
from engine.decide.logic import combine_all, combine_any, negate
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog
from engine.rules.model import AllOf, AnyOf, Leaf, NotOf
from engine.rules.tree import leaves
from tests.generated import random_profile_data, write_catalog
from tests.reference import leaf_status

DAY = dt.date(2024, 6, 1)


def reference_status(node, facts) -> str:  # type: ignore[no-untyped-def]
    if isinstance(node, Leaf):
        return leaf_status(node, facts)
    if isinstance(node, NotOf):
        return negate(reference_status(node.not_, facts))
    if isinstance(node, AllOf):
        return combine_all([reference_status(n, facts) for n in node.all])
    assert isinstance(node, AnyOf)
    return combine_any([reference_status(n, facts) for n in node.any])


@pytest.fixture(scope="module")
def big_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    directory = write_catalog(tmp_path_factory.mktemp("gen") / "rules", items=100, leaves=8, seed=7)
    return Engine(load_catalog(directory))


def test_rulesets_are_bounded(big_engine: Engine) -> None:
    sizes = [len(r.definition) for r in big_engine.compiled.rulesets]
    assert sum(sizes) == len(big_engine.compiled.tests) > 400
    assert max(sizes) <= MAX_RULES_PER_RULESET


def test_generated_catalog_decides_like_the_reference(big_engine: Engine) -> None:
    """Every criterion's outcome and every item's status equal the plain-Python reference."""
    rng = random.Random(11)
    statuses = {"pass": 0, "fail": 0, "unknown": 0}
    for _ in range(300):
        profile = parse_profile(random_profile_data(rng))
        facts = big_engine.facts_for(profile, DAY)
        assessment = big_engine.assess(profile, DAY)
        for decision in assessment.decisions:
            compiled = big_engine.compiled.items[(decision.item_id, 0)]
            expected = {leaf.id: leaf_status(leaf, facts) for leaf in leaves(compiled.tree)}
            got = {c.id: c.status for c in decision.criteria}
            assert got == expected, decision.item_id
            item = reference_status(compiled.tree, facts)
            assert decision.status == {"pass": "eligible", "fail": "ineligible",
                                       "unknown": "undetermined"}[item]
            for status in got.values():
                statuses[status] += 1
    # the random data exercises every outcome, so the comparison is not vacuous
    assert min(statuses.values()) > 1000


def test_decisions_only_mode_gives_the_same_statuses(big_engine: Engine) -> None:
    """The fast batch mode (no per-criterion trace) decides exactly as the full mode."""
    rng = random.Random(12)
    for _ in range(300):
        profile = parse_profile(random_profile_data(rng))
        full = big_engine.assess(profile, DAY)
        fast = big_engine.assess(profile, DAY, explain=False)
        assert [(d.item_id, d.status, d.missing) for d in fast.decisions] == \
            [(d.item_id, d.status, d.missing) for d in full.decisions]
        assert all(d.criteria == () for d in fast.decisions)
        facts = big_engine.facts_for(profile, DAY)
        for decision in fast.decisions:
            tree = big_engine.compiled.items[(decision.item_id, 0)].tree
            item = reference_status(tree, facts)
            assert decision.status == {"pass": "eligible", "fail": "ineligible",
                                       "unknown": "undetermined"}[item]


def _everything_passes(rng: random.Random, prefix: str, size: int) -> dict:
    """Leaves that all pass for the profile below, each a distinct test (its own literal), so
    that one profile fires every rule of the catalog: far more than the 64 durable_rules can
    match in one ruleset (error 303) unless the compiler keeps rulesets small."""
    facts = ["sales_revenue_y1", "rd_expense_y1", "total_revenue_y1", "employees_total",
             "ip_loan_principal", "office_annual_rent"]
    base = int(prefix.removeprefix("c")) * size  # write_catalog names item n's leaves c<n>_*
    return {"all": [{"id": f"{prefix}_{i}", "text": {"zh": "真", "en": "true"},
                     "fact": facts[i % len(facts)], "op": ">=", "value": base + i}
                    for i in range(size)]}


def test_a_profile_matching_every_rule_does_not_overflow(tmp_path: Path) -> None:
    directory = write_catalog(tmp_path / "rules", items=150, leaves=8, seed=1,
                              tree=_everything_passes)
    engine = Engine(load_catalog(directory))
    assert len(engine.compiled.tests) >= 1000  # distinct rules, all matching the profile
    profile = parse_profile({"sales_revenue_y1": "1e9", "rd_expense_y1": "1e9",
                             "total_revenue_y1": "1e9", "employees_total": 10_000_000,
                             "ip_loan_principal": "1e9", "office_annual_rent": "1e9"})
    assert len(engine.fired_rules(engine.facts_for(profile, DAY))) == len(engine.compiled.tests)
    for _ in range(50):
        decisions = engine.assess(profile, DAY).decisions
        assert all(d.status == "eligible" for d in decisions)
        assert len(decisions) == 150
