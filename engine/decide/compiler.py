"""Compile a Catalog into durable_rules ruleset definitions.

Every distinct leaf test (fact, operator, right-hand side) becomes one durable_rules rule that
fires when the test passes; leaves shared between items (through `use:` or identical tests) share
the rule. The evaluator reads which rules fired: a leaf passes when its rule fired, is unknown when
a fact it reads is missing, and fails otherwise. Item outcomes combine leaf outcomes with
three-valued logic.

Rules are packed into rulesets of at most MAX_RULES_PER_RULESET: durable_rules keeps a 64-entry
stack while matching one fact (MAX_STACK_SIZE in its events.c) and fails with error 303 when a fact
matches too many rules of one ruleset. Each ruleset is asserted a fact holding only the facts its
rules read, which keeps messages small (a fact may hold at most 255 properties).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.facts import namespace
from engine.rules.catalog import Catalog
from engine.rules.model import Item, Leaf, Text, amount_whens
from engine.rules.tree import expand, expand_condition, leaves

from .encoding import encode_literal, upper, zero_flag

MAX_RULES_PER_RULESET = 56
# A durable_rules fact holds at most 255 properties (MAX_OBJECT_PROPERTIES); two go to sid and id.
MAX_FACT_PROPERTIES = 253

_COMPARISON = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


@dataclass(frozen=True)
class Test:
    """One distinct leaf test, compiled to one durable_rules rule named `rule`."""

    rule: str
    fact: str
    op: str
    value: Any
    ref: str | None
    reads: tuple[str, ...]  # facts that must be known for the test to be decidable
    condition: dict[str, Any]
    keys: tuple[str, ...] = ()  # message properties the condition reads (encoding.upper too)


@dataclass(frozen=True)
class CompiledRuleset:
    name: str
    definition: dict[str, Any]
    reads: tuple[str, ...]  # facts the ruleset's fact must carry
    # Every rule reads one categorical fact (a bool or enum): the ruleset is asserted one fact at
    # a time, and what fires for a value holds for every profile (engine.decide.value_tests).
    by_value: bool = False


@dataclass(frozen=True)
class CompiledItem:
    """An item version with its criteria and exclusions expanded to leaf trees."""

    item: Item
    tree: Any | None
    exclusions: tuple[tuple[str, Any], ...]  # (condition name, expanded tree)


@dataclass(frozen=True)
class CompiledCatalog:
    catalog: Catalog
    tests: dict[str, Test]  # test key -> Test
    rulesets: tuple[CompiledRuleset, ...]
    items: dict[tuple[str, int], CompiledItem]  # (item id, version index) -> compiled item
    derived_needed: frozenset[str]
    by_leaf: dict[int, Test]  # id() of each leaf object in the compiled trees -> its Test

    def test_for(self, leaf: Leaf) -> Test:
        """The test of a leaf of a compiled tree (looked up by identity: this is the hot path)."""
        test = self.by_leaf.get(id(leaf))
        return test if test is not None else self.tests[test_key(leaf)]


def test_key(leaf: Leaf) -> str:
    """Identity of a leaf's test: leaves with the same test share one rule."""
    zero = leaf.zero_denominator.status if leaf.zero_denominator is not None else None
    return json.dumps([leaf.fact, leaf.op, leaf.value, leaf.ref, zero], default=str, sort_keys=True)


def condition_for(leaf: Leaf) -> dict[str, Any]:
    """The durable_rules expression that matches exactly when the leaf's test passes.

    Numbers are integer units rounded down under the fact's name and up under `upper(name)`
    (engine.decide.encoding): >= and < read the lower, > and <= the upper, == both. A test
    reads only those it compares (its presence check included): the encoder writes both or
    neither, and a property no rule reads is left out of the message (condition_keys).
    """
    name = leaf.fact
    kind = namespace.kind(name)
    present = {"$ex": {name: 1}}
    if leaf.op == "exists":
        return present
    if leaf.ref is not None:  # both facts whole units (checked at load): the lower is the value
        right: Any = {"$m": leaf.ref}
        compare = {name: right} if leaf.op == "==" else {_COMPARISON[leaf.op]: {name: right}}
        return {"$and": [present, {"$ex": {leaf.ref: 1}}, compare]}
    if leaf.op == "==" and not kind.numeric and leaf.zero_denominator is None:
        return _compare(kind, name, "==", leaf.value)  # a missing property equals nothing
    if leaf.op in ("in", "not_in"):
        tests = [_compare(kind, name, "==" if leaf.op == "in" else "!=", v) for v in leaf.value]
        combined = tests[0] if len(tests) == 1 else {"$or" if leaf.op == "in" else "$and": tests}
        return {"$and": [present, combined]}
    if leaf.op == "between":
        low, high = leaf.value
        tested = {"$and": [present, _compare(kind, name, ">=", low), _compare(kind, name, "<=", high)]}
        if leaf.zero_denominator is not None and leaf.zero_denominator.status == "pass":
            return {"$or": [tested, {zero_flag(name): True}]}
        return tested
    if kind.numeric and leaf.op in (">", "<="):  # reads only the rounded-up units: test those
        present = {"$ex": {upper(name): 1}}
    tested = {"$and": [present, _compare(kind, name, leaf.op, leaf.value)]}
    if leaf.zero_denominator is not None and leaf.zero_denominator.status == "pass":
        return {"$or": [tested, {zero_flag(name): True}]}
    return tested


def _compare(kind: Any, name: str, op: str, value: Any) -> dict[str, Any]:
    """One comparison of a fact with a literal, exact on integer units."""
    literal = encode_literal(kind, value)
    if not kind.numeric:
        return {name: literal} if op == "==" else {"$neq": {name: literal}}
    if op == "==":
        return {"$and": [{name: literal}, {upper(name): literal}]}
    if op == "!=":
        return {"$or": [{"$neq": {name: literal}}, {"$neq": {upper(name): literal}}]}
    key = name if op in (">=", "<") else upper(name)
    return {_COMPARISON[op]: {key: literal}}


def condition_keys(condition: Any) -> tuple[str, ...]:
    """The message properties a durable_rules expression reads, in the order it names them.

    Read from the expression itself, so a message carries exactly what some rule compares: a
    test `x >= N` reads only the rounded-down units of x, `x > N` only the rounded-up ones
    (condition_for), and each property left out is one less to write, parse and copy into the
    action of every rule that fires.
    """
    found: list[str] = []

    def walk(node: Any) -> None:
        for key, value in node.items():
            if key in ("$and", "$or"):
                for part in value:
                    walk(part)
            elif key.startswith("$"):  # $ex, $lt, $lte, $gt, $gte, $neq: {name: operand}
                walk(value)
            else:
                found.append(key)
                if isinstance(value, dict) and "$m" in value:  # compared with another fact
                    found.append(value["$m"])

    walk(condition)
    return tuple(dict.fromkeys(found))


def compile_catalog(catalog: Catalog, prefix: str = "subsidy") -> CompiledCatalog:
    """Compile every item version of the catalog.

    Args:
        catalog: a loaded, checked catalog.
        prefix: ruleset name prefix (the runtime makes names unique per process).

    Returns:
        The compiled catalog: tests, ruleset definitions and expanded item trees.
    """
    items: dict[tuple[str, int], CompiledItem] = {}
    tests: dict[str, Test] = {}
    by_leaf: dict[int, Test] = {}
    for item_id, versions in catalog.versions.items():
        for index, item in enumerate(versions):
            tree = expand(item.criteria, catalog) if item.criteria is not None else None
            exclusions = tuple(
                (name, expand_condition(name, catalog))
                for name in item.exclusions
            )
            items[(item_id, index)] = CompiledItem(item, tree, exclusions)
            trees = ([tree] if tree is not None else []) + [t for _, t in exclusions]
            all_leaves = [leaf for t in trees for leaf in leaves(t)]
            for when in when_tests(item.amount):
                leaf = Leaf(id="amount_case", text=Text(zh="金额情形", en="amount case"),
                            fact=when.fact, op=when.op, value=when.value)
                by_leaf[id(when)] = _register(leaf, tests)
            for leaf in all_leaves:
                by_leaf[id(leaf)] = _register(leaf, tests)
    rulesets = _pack(list(tests.values()), prefix)
    derived = frozenset(
        name for t in tests.values() for name in t.reads if namespace.is_derived(name)
    )
    return CompiledCatalog(catalog, tests, rulesets, items, derived, by_leaf)


def _register(leaf: Leaf, tests: dict[str, Test]) -> Test:
    """The Test for a leaf, created the first time its test is seen."""
    key = test_key(leaf)
    if key not in tests:
        reads = (leaf.fact,) + ((leaf.ref,) if leaf.ref else ())
        condition = condition_for(leaf)
        tests[key] = Test(f"t{len(tests)}", leaf.fact, leaf.op, leaf.value, leaf.ref, reads,
                          condition, condition_keys(condition))
    return tests[key]


def when_tests(node: Any) -> list[Any]:
    """The fact tests (`when: {fact, op, value}`) of an amount's cases: durable_rules decides them
    too, so that every test of a fact is the engine's."""
    return [when for when in amount_whens(node) if when.fact is not None]


def by_value(test: Test) -> bool:
    """A test that reads one categorical fact and nothing else: what fires for a value of that
    fact is the same whatever else the profile says (condition_keys is just the fact)."""
    return test.keys == (test.fact,) and not namespace.kind(test.fact).numeric


def _pack(tests: list[Test], prefix: str) -> tuple[CompiledRuleset, ...]:
    """Pack tests into rulesets of bounded size, keeping tests of one fact together; tests of
    one categorical fact go to rulesets of their own (by_value), the others together."""
    rulesets: list[CompiledRuleset] = []
    for keyed in (True, False):
        chosen = [t for t in tests if by_value(t) == keyed]
        for chunk in _chunks(sorted(chosen, key=lambda t: (t.fact, int(t.rule[1:])))):
            definition = {t.rule: {"all": [{"m": t.condition}]} for t in chunk}
            reads = tuple(sorted({name for t in chunk for name in t.keys}))
            rulesets.append(CompiledRuleset(f"{prefix}_{len(rulesets)}", definition, reads, keyed))
    return tuple(rulesets)


def _chunks(ordered: list[Test]) -> list[list[Test]]:
    """Consecutive runs of at most MAX_RULES_PER_RULESET tests whose messages stay within
    MAX_FACT_PROPERTIES."""
    chunks: list[list[Test]] = [[]]
    for test in ordered:
        reads = {name for t in chunks[-1] for name in t.keys} | set(test.keys)
        if len(chunks[-1]) == MAX_RULES_PER_RULESET or len(reads) > MAX_FACT_PROPERTIES:
            chunks.append([])
        chunks[-1].append(test)
    return [c for c in chunks if c]
