"""Each item version's criteria compiled once into a plan that reads the fired rules as bit sets.

durable_rules decides every leaf test; what is left per profile is reading its answer. A profile's
outcome over all tests is two integers (engine.decide.outcomes): `passed`, the tests whose rule
fired, and `unknown`, the tests that did not fire and read a missing fact. A leaf is one bit of
them, and a group of leaves under one `all` or `any` is one mask, so an item's status is a few
integer operations instead of a walk over objects. Three-valued logic is the same as
engine.decide.logic's (tests/test_lean_path.py checks the plans against the old tree walk).

What an explanation needs (criterion templates in the order the trace lists them, the tree by
criterion id) is laid out here too, once, and read only when an explanation is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.facts import namespace
from engine.rules.model import AllOf, Citation, Item, ItemRef, Leaf, NotOf, Source, Text
from engine.rules.tree import item_refs

from .citations import zero_denominator_citation
from .compiler import CompiledCatalog, CompiledItem, Test, when_tests
from .decision import CitationRef
from .gaps import may_have_gap
from .logic import FAIL, PASS, UNKNOWN
from .usage import amount_facts

# A compiled (sub)tree: (passed bits, unknown bits, item-ref outcomes) -> pass / fail / unknown.
Status = Callable[[int, int, dict[str, str]], str]
NEGATE = {PASS: FAIL, FAIL: PASS, UNKNOWN: UNKNOWN}


def test_bits(compiled: CompiledCatalog) -> dict[str, int]:
    """Each test's rule name -> its bit (1 << its position among the catalog's tests)."""
    return {test.rule: 1 << index for index, test in enumerate(compiled.tests.values())}


@dataclass(frozen=True, slots=True)
class LeafTemplate:
    """A leaf criterion as the trace shows it; only status, reads and gap vary by profile.

    What the trace copies from the leaf for every profile is laid out here once (reading a
    pydantic model's attributes is the slower way to the same values)."""

    leaf: Leaf
    bit: int
    test: Test
    role: str
    group: str | None
    citation: CitationRef
    cleared: Text | None  # the exclusion's `cleared` text
    id: str
    text: Text
    fact: str
    op: str
    value: Any
    ref: str | None
    reads: tuple[str, ...]  # the facts the test reads, in the trace's order
    gaps: bool  # whether a failure can have a gap at all (engine.decide.gaps.may_have_gap)
    # The citation when the fact is a ratio over zero, decided as the leaf's rule says (or None
    # when the leaf has no such rule).
    zero_citation: CitationRef | None


@dataclass(frozen=True, slots=True)
class RefTemplate:
    """An `item:` criterion (role requirement), in a tree or an exclusion."""

    node: ItemRef
    citation: CitationRef
    cleared: Text | None


@dataclass(frozen=True, slots=True)
class ItemPlan:
    """One item version, ready to be decided from bit sets."""

    item_id: str
    item: Item
    compiled: CompiledItem
    mask: int  # every test bit the criteria and exclusions read
    refs: tuple[str, ...]  # items decided first: `item:` criteria (tree, exclusions) and requires
    tree: Status
    exclusions: tuple[Status, ...]
    exclusion_hits: tuple[tuple[str, int], ...]  # (condition, its leaves' bits): for the reason
    requires: tuple[str, ...]
    amount_refs: tuple[str, ...]  # items the amount reads (decided only when it is computed)
    amount_facts: tuple[str, ...]  # facts the amount's arithmetic reads
    amount_whens: tuple[tuple[str, int], ...]  # (WHEN_KEY name, test bit) of its fact cases
    templates: tuple[LeafTemplate | RefTemplate, ...]  # criteria, then exclusions, in trace order
    logic: Any  # the criteria tree by criterion id (shared: read only)
    leaf_bits: dict[int, int]  # id() of each leaf of the trees -> its test bit


def compile_status(node: Any, bit_of: Callable[[Leaf], int]) -> Status:
    """A closure deciding a criteria (sub)tree from bit sets, in Kleene logic."""
    if isinstance(node, Leaf):
        return _leaf_status(bit_of(node))
    if isinstance(node, ItemRef):
        item = node.item
        return lambda passed, unknown, refs: refs[item]
    if isinstance(node, NotOf):
        inner = compile_status(node.not_, bit_of)
        return lambda passed, unknown, refs: NEGATE[inner(passed, unknown, refs)]
    children = node.all if isinstance(node, AllOf) else node.any
    mask = 0
    others: list[Status] = []
    for child in children:
        if isinstance(child, Leaf):
            mask |= bit_of(child)
        else:
            others.append(compile_status(child, bit_of))
    if isinstance(node, AllOf):
        return _all_status(mask, tuple(others))
    return _any_status(mask, tuple(others))


def _leaf_status(bit: int) -> Status:
    def status(passed: int, unknown: int, refs: dict[str, str]) -> str:
        if passed & bit:
            return PASS
        return UNKNOWN if unknown & bit else FAIL
    return status


def _all_status(mask: int, others: tuple[Status, ...]) -> Status:
    """`all`: fails on any failure, else unknown on any unknown, else passes. The ref outcomes
    are decided before, so stopping at the first failure changes nothing."""
    def status(passed: int, unknown: int, refs: dict[str, str]) -> str:
        if mask & ~(passed | unknown):
            return FAIL
        open_ = mask & unknown
        for other in others:
            result = other(passed, unknown, refs)
            if result == FAIL:
                return FAIL
            if result == UNKNOWN:
                open_ = 1
        return UNKNOWN if open_ else PASS
    return status


def _any_status(mask: int, others: tuple[Status, ...]) -> Status:
    def status(passed: int, unknown: int, refs: dict[str, str]) -> str:
        if mask & passed:
            return PASS
        open_ = mask & unknown
        for other in others:
            result = other(passed, unknown, refs)
            if result == PASS:
                return PASS
            if result == UNKNOWN:
                open_ = 1
        return UNKNOWN if open_ else FAIL
    return status


def logic_of(node: Any) -> Any:
    """The criteria tree by criterion id, as a decision shows it: {"all": [...]}, {"not": ...}."""
    if isinstance(node, Leaf | ItemRef):
        return node.id
    if isinstance(node, NotOf):
        return {"not": logic_of(node.not_)}
    key = "all" if isinstance(node, AllOf) else "any"
    return {key: [logic_of(n) for n in getattr(node, key)]}


def _walk(node: Any) -> list[Any]:
    """Leaves and `item:` criteria in the order the trace lists them (depth first, in order)."""
    if isinstance(node, Leaf | ItemRef):
        return [node]
    if isinstance(node, NotOf):
        return _walk(node.not_)
    key = "all" if isinstance(node, AllOf) else "any"
    return [found for child in getattr(node, key) for found in _walk(child)]


def build_plan(item_id: str, compiled_item: CompiledItem, compiled: CompiledCatalog,
               bits: dict[str, int], condition_source: Callable[[str], Source],
               citation: Callable[[Citation | None, Source], CitationRef]) -> ItemPlan:
    """The plan of one item version whose criteria are published (compiled_item.tree set).

    Args:
        condition_source, citation: the engine's memoised sources and citations, so that the
            trace holds the very objects the tree walk did.
    """
    item = compiled_item.item

    def bit_of(leaf: Leaf) -> int:
        return bits[compiled.test_for(leaf).rule]

    templates: list[LeafTemplate | RefTemplate] = []
    refs: list[str] = []
    trees = [(compiled_item.tree, "criterion", None, item.source, None)]
    trees += [(tree, "exclusion", name, condition_source(name),
               compiled.catalog.conditions[name].cleared)
              for name, tree in compiled_item.exclusions]
    mask = 0
    hits = []
    for tree, role, group, source, cleared in trees:
        leaf_bits = 0
        for node in _walk(tree):
            if isinstance(node, ItemRef):
                refs.append(node.item)
                templates.append(RefTemplate(node, citation(node.cite, source), cleared))
            else:
                test = compiled.test_for(node)
                leaf_bits |= bits[test.rule]
                templates.append(_leaf_template(node, bits[test.rule], test, role, group,
                                                citation(node.cite, source), cleared))
        mask |= leaf_bits
        if role == "exclusion":
            hits.append((group, leaf_bits))
    refs += item.requires
    whens = tuple((f"when:{id(w)}", bits[compiled.by_leaf[id(w)].rule])
                  for w in when_tests(item.amount))
    return ItemPlan(
        item_id=item_id, item=item, compiled=compiled_item, mask=mask,
        refs=tuple(dict.fromkeys(refs)),
        tree=compile_status(compiled_item.tree, bit_of),
        exclusions=tuple(compile_status(t, bit_of) for _, t in compiled_item.exclusions),
        exclusion_hits=tuple(hits), requires=tuple(item.requires),
        amount_refs=tuple(dict.fromkeys(item_refs(item.amount))) if item.amount else (),
        amount_facts=tuple(dict.fromkeys(_amount_facts(item.amount))),
        amount_whens=whens, templates=tuple(templates), logic=logic_of(compiled_item.tree),
        leaf_bits={id(t.leaf): t.bit for t in templates if isinstance(t, LeafTemplate)},
    )


def _leaf_template(leaf: Leaf, bit: int, test: Test, role: str, group: str | None,
                   cite: CitationRef, cleared: Text | None) -> LeafTemplate:
    zero = leaf.zero_denominator
    return LeafTemplate(
        leaf, bit, test, role, group, cite, cleared, leaf.id, leaf.text, leaf.fact, leaf.op,
        leaf.value, leaf.ref, tuple(test.reads), may_have_gap(leaf),
        None if zero is None else zero_denominator_citation(cite, zero))


def _amount_facts(amount: Any) -> list[str]:
    return [n for n in amount_facts(amount) if n] if amount is not None else []


def open_fields(plan: ItemPlan, passed: int, unknown: int,
                refs: dict[str, str]) -> list[tuple[str, ...] | str]:
    """What leaves an unknown item undecided, in the order the trace finds it: a leaf's profile
    inputs (a tuple of field names) or a required item (its id, whose own missing facts count).

    Mirrors the tree walk: an `all`/`any` passes on the open parts of its unknown children only
    when it is unknown itself; a `not` passes its child's on.
    """
    out: list[tuple[str, ...] | str] = []
    bits = plan.leaf_bits
    out += _open(plan.compiled.tree, bits, passed, unknown, refs)[1]
    for _name, tree in plan.compiled.exclusions:
        out += _open(tree, bits, passed, unknown, refs)[1]
    out += [required for required in plan.requires if refs[required] == UNKNOWN]
    return out


def _open(node: Any, bits: dict[int, int], passed: int, unknown: int,
          refs: dict[str, str]) -> tuple[str, list[Any]]:
    if isinstance(node, Leaf):
        bit = bits[id(node)]
        status = PASS if passed & bit else UNKNOWN if unknown & bit else FAIL
        return status, [_inputs(node)] if status == UNKNOWN else []
    if isinstance(node, ItemRef):
        status = refs[node.item]
        return status, [node.item] if status == UNKNOWN else []
    if isinstance(node, NotOf):
        status, found = _open(node.not_, bits, passed, unknown, refs)
        return NEGATE[status], found
    is_all = isinstance(node, AllOf)
    parts = [_open(n, bits, passed, unknown, refs) for n in (node.all if is_all else node.any)]
    statuses = [s for s, _ in parts]
    if is_all:
        status = FAIL if FAIL in statuses else UNKNOWN if UNKNOWN in statuses else PASS
    else:
        status = PASS if PASS in statuses else UNKNOWN if UNKNOWN in statuses else FAIL
    if status != UNKNOWN:
        return status, []
    return status, [f for s, found in parts if s == UNKNOWN for f in found]


def _inputs(leaf: Leaf) -> tuple[str, ...]:
    return tuple(f for n in (leaf.fact, leaf.ref) if n for f in namespace.inputs(n))
