"""Assess a profile against the catalog: durable_rules decides each test, this module combines.

A leaf passes when durable_rules fired its rule, is unknown when a fact it reads is missing, and
fails otherwise. Items combine their leaves with three-valued (Kleene) logic: `all` fails on any
failure, `any` passes on any pass, and unknowns decide only what the known outcomes leave open.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from decimal import Decimal
from typing import Any

from . import namespace
from .amounts import ITEM_KEY, WHEN_KEY, evaluate_amount, item_refs
from .catalog import AllOf, Citation, Item, ItemRef, Leaf, NotOf, Source, Text
from .catalog_model import Catalog
from .compiler import CompiledCatalog, CompiledItem, Test, compile_catalog, when_tests
from .decision import (
    AmountResult,
    Assessment,
    CitationRef,
    CriterionResult,
    Decision,
    FactRead,
)
from .derived import REGISTRY, compute_all
from .errors import SubsidyError
from .facts import encode
from .gaps import gap_for
from .loader import load_catalog
from .profile import Profile
from .runtime import DurableRuntime
from .stacking import apply_stacking

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


def combine_all(statuses: list[str]) -> str:
    if FAIL in statuses:
        return FAIL
    return UNKNOWN if UNKNOWN in statuses else PASS


def combine_any(statuses: list[str]) -> str:
    if PASS in statuses:
        return PASS
    return UNKNOWN if UNKNOWN in statuses else FAIL


def negate(status: str) -> str:
    return {PASS: FAIL, FAIL: PASS}.get(status, UNKNOWN)


class Engine:
    """The compiled catalog in durable_rules, ready to assess profiles (thread-safe)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.compiled: CompiledCatalog = compile_catalog(self.catalog)
        self.runtime = DurableRuntime(self.compiled)

        self._citations: dict[tuple[int, int], CitationRef] = {}
        self._static: dict[tuple[str, dt.date], Decision] = {}
        self._condition_sources: dict[str, Source] = {}

    def condition_source(self, name: str) -> Source:
        """A shared condition as a source, built once: citations are memoised by the identity of
        rule objects, so they must outlive the assessment."""
        source = self._condition_sources.get(name)
        if source is None:
            condition = self.catalog.conditions[name]
            source = self._condition_sources[name] = Source(
                document=condition.document, clause=condition.cite.clause, url=condition.cite.url,
                evidence="secondary", basis=condition.cite.basis or "verbatim",
                assumption=condition.cite.assumption)
        return source

    def citation(self, cite: Citation | None, source: Source) -> CitationRef:
        """A criterion's resolved citation, memoised by the identity of the rule objects."""
        key = (id(cite), id(source))
        ref = self._citations.get(key)
        if ref is None:
            ref = self._citations[key] = citation_ref(cite, source)
        return ref

    def static_decision(self, item_id: str, day: dt.date) -> Decision:
        """What does not depend on the profile: the version in force and its description, or the
        finished not-in-force / not-assessable decision. Memoised per (item, date)."""
        key = (item_id, day)
        decision = self._static.get(key)
        if decision is None:
            if len(self._static) > 50_000:
                self._static.clear()
            decision = self._static[key] = self._make_static(item_id, day)
        return decision

    def _make_static(self, item_id: str, day: dt.date) -> Decision:
        item = self.catalog.version_for(item_id, day)
        if item is None:
            return self._not_in_force(item_id, day)
        if item.not_assessable is not None:
            return replace(self._shell(item_id, item), status="not_assessable",
                           reason=item.not_assessable)
        return self._shell(item_id, item)

    def _shell(self, item_id: str, item: Item) -> Decision:
        return Decision(
            item_id=item_id,
            program=self.catalog.program_of[item_id],
            title=item.title,
            version=item.version,
            valid_from=item.valid_from,
            valid_to=item.valid_to,
            status="undetermined",
            source=source_ref(item.source),
            evidence=item.source.evidence,
            budget_line_wan=self.catalog.budget_line_wan(item_id, item),
        )

    def _not_in_force(self, item_id: str, day: dt.date) -> Decision:
        item = self.catalog.nearest_version(item_id, day)
        end = item.valid_to.isoformat() if item.valid_to else "—"
        period = f"{item.valid_from.isoformat()} – {end}"
        reason = Text(
            zh=f"评估日期 {day.isoformat()} 不在该项目的有效期内（{period}）",
            en=f"The assessment date {day.isoformat()} is outside this item's period "
               f"of validity ({period})",
        )
        return replace(self._shell(item_id, item), status="not_in_force", reason=reason)

    @property
    def rules_version(self) -> str:
        return self.catalog.version

    def facts_for(self, profile: Profile, as_of: dt.date) -> dict[str, Any]:
        """Profile facts plus the derived quantities the rules read (None when unknown)."""
        facts: dict[str, Any] = profile.known()
        facts.update(compute_all(profile, as_of, set(self.compiled.derived_needed)))
        return facts

    def fired_rules(self, facts: dict[str, Any]) -> set[str]:
        encoded = {k: encode(v) for k, v in facts.items() if v is not None}
        return self.runtime.fired(encoded)

    def assess(
        self,
        profile: Profile,
        as_of: dt.date | None = None,
        items: list[str] | None = None,
        explain: bool = True,
    ) -> Assessment:
        """Decide every item (or the listed ones) for one profile on one date.

        Args:
            profile: the company's facts.
            as_of: the assessment date; selects the item versions in force (default today).
            items: item ids to decide; items they `require` are decided too.
            explain: False leaves out the per-criterion trace (statuses, missing facts and
                amounts are still decided), for fast batch screening.

        Returns:
            An Assessment with one Decision per item, stacking applied.
        """
        day = as_of or dt.date.today()
        facts = self.facts_for(profile, day)
        fired = self.fired_rules(facts)
        ctx = _Context(self, profile, day, facts, fired, explain)
        wanted = items if items is not None else list(self.catalog.versions)
        for item_id in wanted:
            if item_id not in self.catalog.versions:
                raise SubsidyError(f"unknown item `{item_id}`", item=item_id)
            ctx.decide(item_id)
        decisions = [ctx.decided[i] for i in self.catalog.versions if i in ctx.decided]
        decisions = apply_stacking(decisions, self.catalog)
        return Assessment(self.catalog.version, day, profile, tuple(decisions))


class _Outcome:
    """A leaf's outcome without its trace (decisions-only mode): what `_missing` needs."""

    __slots__ = ("id", "status", "fact", "ref", "role", "group")

    def __init__(self, id: str, status: str, fact: str, ref: str | None, role: str,
                 group: str | None) -> None:
        self.id, self.status, self.fact, self.ref = id, status, fact, ref
        self.role, self.group = role, group


class _Context:
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
        item_status = {PASS: "eligible", FAIL: "ineligible", UNKNOWN: "undetermined"}[status]
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
            return _Outcome(leaf.id, status, leaf.fact, leaf.ref, role, group)  # type: ignore[return-value]
        gap = gap_for(leaf, self.facts, self.profile, self.day) if status == FAIL else None
        return CriterionResult(
            id=leaf.id, text=leaf.text, status=status, fact=leaf.fact, op=leaf.op,
            value=leaf.value, ref=leaf.ref, reads=tuple(self._read(n) for n in test.reads),
            citation=self.engine.citation(leaf.cite, source), gap=gap, role=role,
            group=group,
        )

    def _item_ref(self, node: ItemRef, source: Source) -> CriterionResult:
        """An `item:` criterion: the other item's decision, shown as a requirement."""
        decision = self.decide(node.item)
        status = {"eligible": PASS, "undetermined": UNKNOWN}.get(decision.status, FAIL)
        if not self.explain:
            return _Outcome(node.id, status, node.item, None, "requirement", node.item)  # type: ignore[return-value]
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
            status, _, undecided = self._node(tree, source, out, "exclusion", name)
            statuses.append(negate(status))
            open_leaves += undecided
        return statuses

    def _requirements(self, item: Item, out: list[CriterionResult],
                      open_leaves: list[CriterionResult]) -> list[str]:
        statuses = []
        for required in item.requires:
            decision = self.decide(required)
            status = {"eligible": PASS, "undetermined": UNKNOWN}.get(decision.status, FAIL)
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
            facts[ITEM_KEY + required] = {"eligible": PASS, "undetermined": UNKNOWN}.get(status, FAIL)
        for when in when_tests(item.amount):
            test = self.engine.compiled.by_leaf[id(when)]
            facts[WHEN_KEY + str(id(when))] = self._test_status(test, test.op)
        value, ceiling, steps = evaluate_amount(item.amount, facts)
        return AmountResult(value, ceiling, tuple(steps),
                            citation_ref(item.amount.cite, item.source))


@functools.lru_cache(maxsize=4096)
def source_ref(source: Source) -> CitationRef:
    document = source.document + (f"（{source.number}）" if source.number else "")
    return CitationRef(document, source.clause, source.url, source.basis, source.assumption)


@functools.lru_cache(maxsize=8192)
def citation_ref(cite: Citation | None, source: Source) -> CitationRef:
    """A criterion's citation, with unset parts taken from the item's source."""
    base = source_ref(source)
    if cite is None:
        return base
    return CitationRef(
        document=cite.document or base.document,
        clause=cite.clause,
        url=cite.url or (base.url if cite.document is None else None),
        basis=cite.basis or base.basis,
        assumption=cite.assumption or (base.assumption if cite.basis is None else None),
    )


def total_amount(decisions: list[Decision]) -> Decimal:
    return sum((d.amount.value for d in decisions
                if d.status == "eligible" and d.amount and d.amount.value is not None),
               Decimal(0))
