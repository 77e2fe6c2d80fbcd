"""The engine's decision path before the lean one (issue 12): a walk of each item's criteria tree
over the set of fired rules, per profile. Kept in tests as the oracle the lean path must equal,
decision for decision and byte for byte in the JSON form (tests/test_lean_path.py).

A leaf passes when durable_rules fired its rule, is unknown when a fact it reads is missing, and
fails otherwise; items combine their leaves with engine.decide.logic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from engine.decide.amounts import ITEM_KEY, WHEN_KEY, applied_cites, evaluate_amount
from engine.decide.citations import amount_ref, citation_ref, zero_denominator_citation
from engine.decide.compiler import CompiledItem, Test, when_tests
from engine.decide.decision import AmountResult, Assessment, CriterionResult, Decision, FactRead
from engine.decide.gaps import gap_for
from engine.decide.logic import (
    FAIL,
    ITEM_STATUS,
    PASS,
    UNKNOWN,
    combine_all,
    combine_any,
    item_outcome,
    negate,
)
from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.kinds import UNDEFINED
from engine.facts.profile import Profile
from engine.rules.model import AllOf, Item, ItemRef, Leaf, NotOf, Source, Text
from engine.rules.tree import item_refs

if TYPE_CHECKING:
    from engine.decide.engine import Engine


class LeafOutcome:
    """A leaf's outcome without its trace (decisions-only mode): what `_missing` needs."""

    __slots__ = ("id", "status", "fact", "ref", "role", "group")

    def __init__(self, id: str, status: str, fact: str, ref: str | None, role: str,
                 group: str | None) -> None:
        self.id, self.status, self.fact, self.ref = id, status, fact, ref
        self.role, self.group = role, group


class TreeWalkContext:
    """The state of one assessment: facts, fired rules and the decisions made so far."""

    def __init__(self, engine: Engine, profile: Profile, day: dt.date, facts: dict[str, Any],
                 fired: set[str], explain: bool = True) -> None:
        self.explain = explain
        self.engine = engine
        self.catalog = engine.catalog
        self.profile = profile
        self.day = day
        self.facts = facts
        self.fired = fired
        self.decided: dict[str, Decision] = {}
        self._reads: dict[str, FactRead] = {}

    # --- items -----------------------------------------------------------------------------
    def decide(self, item_id: str) -> Decision:
        if item_id not in self.decided:
            self.decided[item_id] = self._decide(item_id)
        return self.decided[item_id]

    def _decide(self, item_id: str) -> Decision:
        static = self.engine.static_decision(item_id, self.day)
        if static.status in ("not_in_force", "not_assessable"):
            return static  # the same for every profile on this date
        item = self.catalog.version_for(item_id, self.day)
        assert item is not None  # static_decision said it is in force
        compiled = self.engine.compiled.items[(item_id, self.catalog.versions[item_id].index(item))]
        base = static
        results: list[CriterionResult] = []
        open_leaves: list[CriterionResult] = []
        tree_status, logic, tree_open = self._node(compiled.tree, item.source, results,
                                                   "criterion", None)
        statuses = [tree_status]
        open_leaves += tree_open
        statuses += self._exclusions(compiled, item, results, open_leaves)
        statuses += self._requirements(item, results, open_leaves)
        status = combine_all(statuses)
        item_status = ITEM_STATUS[status]
        if item_status == "eligible" and item.conditions_published == "partial":
            item_status = "may_apply"
        missing = self._missing(open_leaves) if status == UNKNOWN else ()
        amount = self._amount(item) if status != FAIL else None
        if not self.explain:
            results, logic = [], None
        return replace(base, status=item_status, criteria=tuple(results), logic=logic,
                       missing=missing, amount=amount, reason=self._reason(results, status))

    # --- criteria ----------------------------------------------------------------------------
    def _node(self, node: Any, source: Source, out: list[CriterionResult], role: str,
              group: str | None) -> tuple[str, Any, list[CriterionResult]]:
        """Decide a criteria (sub)tree.

        Returns:
            (status, the tree by criterion id, the unknown leaves that leave it undecided).
        """
        if isinstance(node, Leaf):
            result = self._leaf(node, source, role, group)
            out.append(result)
            return result.status, node.id, [result] if result.status == UNKNOWN else []
        if isinstance(node, ItemRef):
            result = self._item_ref(node, source)
            out.append(result)
            return result.status, node.id, [result] if result.status == UNKNOWN else []
        if isinstance(node, NotOf):
            status, logic, open_leaves = self._node(node.not_, source, out, role, group)
            return negate(status), {"not": logic}, open_leaves
        key, combine = ("all", combine_all) if isinstance(node, AllOf) else ("any", combine_any)
        parts = [self._node(n, source, out, role, group) for n in getattr(node, key)]
        status = combine([s for s, _, _ in parts])
        open_leaves = [leaf for s, _, ls in parts if s == UNKNOWN for leaf in ls]
        return status, {key: [lg for _, lg, _ in parts]}, open_leaves if status == UNKNOWN else []

    def _leaf(self, leaf: Leaf, source: Source, role: str, group: str | None) -> CriterionResult:
        test = self.engine.compiled.test_for(leaf)
        status = self._test_status(test, leaf.op)
        if not self.explain:
            return LeafOutcome(leaf.id, status, leaf.fact, leaf.ref, role, group)  # type: ignore[return-value]
        gap = gap_for(leaf, self.facts, self.profile, self.day) if status == FAIL else None
        citation = self.engine.citation(leaf.cite, source)
        if leaf.zero_denominator is not None and self.facts.get(leaf.fact) is UNDEFINED:
            citation = zero_denominator_citation(citation, leaf.zero_denominator)
        return CriterionResult(
            id=leaf.id, text=leaf.text, status=status, fact=leaf.fact, op=leaf.op,
            value=leaf.value, ref=leaf.ref, reads=tuple(self._read(n) for n in test.reads),
            citation=citation, gap=gap, role=role, group=group,
        )

    def _item_ref(self, node: ItemRef, source: Source) -> CriterionResult:
        """An `item:` criterion: the other item's decision, shown as a requirement."""
        decision = self.decide(node.item)
        status = item_outcome(decision.status)
        if not self.explain:
            return LeafOutcome(node.id, status, node.item, None, "requirement", node.item)  # type: ignore[return-value]
        return CriterionResult(
            id=node.id, text=node.text, status=status, fact=node.item, op="==",
            value="eligible", ref=None, reads=(), citation=self.engine.citation(node.cite, source),
            role="requirement", group=node.item,
        )

    def _test_status(self, test: Test, op: str) -> str:
        """pass when durable_rules fired the test's rule, unknown when a fact it reads is
        missing, fail otherwise."""
        if test.rule in self.fired:
            return PASS
        if op != "exists" and (self.facts.get(test.fact) is None
                               or (test.ref is not None and self.facts.get(test.ref) is None)):
            return UNKNOWN
        return FAIL

    def _read(self, name: str) -> FactRead:
        """The fact as read, with its provenance (one object per fact per assessment)."""
        read = self._reads.get(name)
        if read is None:
            read = self._reads[name] = self._make_read(name)
        return read

    def _make_read(self, name: str) -> FactRead:
        inputs: tuple[FactRead, ...] = ()
        if name in REGISTRY:
            quantity = REGISTRY[name]
            inputs = tuple(self._read(n) for n in quantity.inputs + quantity.optional)
        prov = self.profile.provenance.get(name)
        return FactRead(name, self.facts.get(name), prov.source.value if prov else None,
                        prov.date if prov else None, inputs)

    def _exclusions(self, compiled: CompiledItem, item: Item, out: list[CriterionResult],
                    open_leaves: list[CriterionResult]) -> list[str]:
        statuses = []
        for name, tree in compiled.exclusions:
            source = self.engine.condition_source(name)
            first = len(out)
            status, _, undecided = self._node(tree, source, out, "exclusion", name)
            cleared = self.catalog.conditions[name].cleared
            if self.explain and cleared is not None:
                for result in out[first:]:
                    result.cleared = cleared
            statuses.append(negate(status))
            open_leaves += undecided
        return statuses

    def _requirements(self, item: Item, out: list[CriterionResult],
                      open_leaves: list[CriterionResult]) -> list[str]:
        statuses = []
        for required in item.requires:
            decision = self.decide(required)
            status = item_outcome(decision.status)
            statuses.append(status)
            result = CriterionResult(
                id=f"requires.{required}",
                text=Text(zh=f"须符合：{decision.title.zh}", en=f"Requires: {decision.title.en}"),
                status=status, fact=required, op="==", value="eligible", ref=None, reads=(),
                citation=citation_ref(None, item.source), role="requirement", group=required,
            )
            out.append(result)
            if status == UNKNOWN:
                open_leaves.append(result)
        return statuses

    def _missing(self, open_leaves: list[CriterionResult]) -> tuple[str, ...]:
        """The profile fields to supply: inputs of the unknown leaves that decide the item."""
        missing: list[str] = []
        for result in open_leaves:
            if result.role == "requirement":
                names = list(self.decided[result.group].missing)  # type: ignore[index]
            else:
                names = [f for n in (result.fact, result.ref) if n for f in namespace.inputs(n)]
            missing += [f for f in names
                        if getattr(self.profile, f, None) is None and f not in missing]
        return tuple(missing)

    def _reason(self, results: list[CriterionResult], status: str) -> Text | None:
        hits = [r for r in results if r.role == "exclusion" and r.status == PASS]
        if status != FAIL or not hits:
            return None
        names = sorted({r.group for r in hits if r.group})
        titles = [self.catalog.conditions[n].title for n in names]
        return Text(zh="排除：" + "；".join(t.zh for t in titles),
                    en="Excluded: " + "; ".join(t.en for t in titles))

    def _amount(self, item: Item) -> AmountResult | None:
        if item.amount is None:
            return None
        facts = dict(self.facts)
        for required in item_refs(item.amount):
            status = self.decide(required).status
            facts[ITEM_KEY + required] = item_outcome(status)
        for when in when_tests(item.amount):
            test = self.engine.compiled.by_leaf[id(when)]
            facts[WHEN_KEY + str(id(when))] = self._test_status(test, test.op)
        value, ceiling, steps = evaluate_amount(item.amount, facts, worded=self.explain)
        return AmountResult(value, ceiling, tuple(steps),
                            amount_ref(applied_cites(item.amount, facts), item.source))


def tree_walk_assess(engine: Engine, profile: Profile, as_of: dt.date,
                     items: list[str] | None = None, explain: bool = True) -> Assessment:
    """Engine.assess as it was before the lean path: the same facts and fired rules, each item's
    tree walked leaf by leaf, then stacking and stale figures as the engine applies them."""
    from engine.decide.encoding import encode_facts
    from engine.decide.figures import flag_figures
    from engine.decide.stacking import apply_stacking

    facts = engine.facts_for(profile, as_of)
    fired = engine.runtime.fired(encode_facts(facts))
    ctx = TreeWalkContext(engine, profile, as_of, facts, fired, explain)
    for item_id in items if items is not None else list(engine.catalog.versions):
        ctx.decide(item_id)
    decisions = [ctx.decided[i] for i in engine.catalog.versions if i in ctx.decided]
    decisions = apply_stacking(decisions, engine.catalog, facts)
    decisions = flag_figures(decisions, engine.compiled, profile, as_of)
    return Assessment(engine.catalog.version, as_of, profile, tuple(decisions))
