"""The Engine: the catalog compiled into durable_rules, assessing one profile at a time.

What does not depend on the profile is built once: each item version's criteria as a plan over
bit sets (engine.decide.plan), and per date the version in force with its not-in-force or
not-assessable decision. Per profile, durable_rules decides every test (those of a categorical
fact once per value, engine.decide.value_tests), its answer becomes two integers (tests passed,
tests unknown), and engine.decide.context decides the items from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.errors import SubsidyError
from engine.facts.derived import REGISTRY
from engine.facts.profile import Profile
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog
from engine.rules.model import Citation, Source, Text

from .citations import citation_ref
from .compiler import CompiledCatalog, compile_catalog
from .context import AssessmentContext, DayPlan
from .decision import AmountResult, Assessment, CitationRef, Decision
from .encoding import MessageEncoder, encode_facts, fact_of
from .figures import FiguresCheck
from .plan import ItemPlan, build_plan, open_fields, test_bits
from .runtime import DurableRuntime
from .stacking import apply_stacking
from .static import static_decision
from .value_tests import ValueTests

# A day's static decisions in catalog order, (position, item id) of the items decided from
# criteria, and those positions (Engine._day_order).
DayOrder = tuple[tuple[Decision, ...], tuple[tuple[int, str], ...], tuple[int, ...]]
_MEMO_LIMIT = 50_000  # entries per memo before it starts again (memory stays bounded)


def known_facts(profile: Profile) -> dict[str, Any]:
    """profile.known(), read from the model's fields directly (its pydantic iteration is the
    slower way to the same dict, tests/test_lean_path.py)."""
    if type(profile) is not Profile:
        return profile.known()
    return {name: value for name, value in profile.__dict__.items()
            if value is not None and name != "provenance"}


class Engine:
    """The compiled catalog in durable_rules, ready to assess profiles (thread-safe)."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.compiled: CompiledCatalog = compile_catalog(self.catalog)
        self.runtime = DurableRuntime(self.compiled)

        self._citations: dict[tuple[int, int], CitationRef] = {}
        self._static: dict[tuple[str, dt.date], Decision] = {}
        self._condition_sources: dict[str, Source] = {}

        self._quantities = tuple((name, REGISTRY[name].compute)
                                 for name in sorted(self.compiled.derived_needed))
        self._bits = test_bits(self.compiled)
        self._test_by_rule = {test.rule: test for test in self.compiled.tests.values()}
        self._plans: dict[tuple[str, int], ItemPlan] = {
            key: build_plan(key[0], item, self.compiled, self._bits, self.condition_source,
                            self.citation)
            for key, item in self.compiled.items.items() if item.tree is not None}
        masks = self._missing_masks()
        self._by_value = ValueTests(self.compiled, self.runtime, self._bits, masks)
        self._encoder = MessageEncoder(self.runtime.ruleset_reads, {
            name: mask for name, mask in masks.items() if name not in self._by_value.facts},
            self._learnable())
        self._figures = FiguresCheck(self.compiled)
        self._stacked = frozenset(i for i, versions in self.catalog.versions.items()
                                  if any(v.stacking for v in versions))
        self._days: dict[dt.date, DayPlan] = {}
        self._orders: dict[dt.date, DayOrder] = {}
        self._reasons: dict[tuple[str, ...], Text | None] = {(): None}
        self._open: dict[tuple[Any, ...], list[Any]] = {}
        self.shared_decisions: dict[tuple[Any, ...], Decision] = {}
        self.amounts: dict[tuple[Any, ...], AmountResult] = {}

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
            decision = self._static[key] = static_decision(self.catalog, item_id, day)
        return decision

    def _learnable(self) -> dict[str, int]:
        """Per fact of the profile's message whose every test reads that fact alone, the bits of
        those tests: what durable_rules fires for one of its values is then the same whatever
        else the profile says, so the encoder may remember it (encode_learning). A fact compared
        with another fact is not learnable."""
        learn: dict[str, int] = {}
        shared: set[str] = set()
        for ruleset in self.compiled.rulesets:
            if ruleset.by_value:
                continue
            for rule in ruleset.definition:
                test = self._test_by_rule[rule]
                names = {fact_of(key) for key in test.keys}
                if len(names) == 1:
                    (name,) = names
                    learn[name] = learn.get(name, 0) | self._bits[rule]
                else:
                    shared |= names
        return {name: bits for name, bits in learn.items() if name not in shared}

    def _missing_masks(self) -> dict[str, int]:
        """Per fact, the tests it leaves unknown when it is missing: every test but `exists`
        reading it as its fact or its right-hand side."""
        masks: dict[str, int] = {}
        for test in self.compiled.tests.values():
            if test.op == "exists":
                continue
            for name in (test.fact, test.ref):
                if name:
                    masks[name] = masks.get(name, 0) | self._bits[test.rule]
        return masks

    def day_plan(self, day: dt.date) -> DayPlan:
        """Per item: its static decision on `day` and, when it is in force and assessable, the
        plan of the version in force."""
        plan = self._days.get(day)
        if plan is None:
            if len(self._days) > 1000:
                self._days.clear()
            plan = {}  # filled before it is shared: other threads may assess the same day
            for item_id in self.catalog.versions:
                static = self.static_decision(item_id, day)
                version = None
                if static.status not in ("not_in_force", "not_assessable"):
                    item = self.catalog.version_for(item_id, day)
                    index = self.catalog.versions[item_id].index(item)  # type: ignore[arg-type]
                    version = self._plans.get((item_id, index))
                plan[item_id] = (static, version)
            self._days[day] = plan
        return plan

    def _day_order(self, day: dt.date, plans: DayPlan) -> DayOrder:
        """Every item's static decision in catalog order, (position, item id) of those decided
        from criteria on `day`, and their positions: a whole-catalog assessment visits only
        those."""
        order = self._orders.get(day)
        if order is None:
            if len(self._orders) > 1000:
                self._orders.clear()
            assessed = tuple((index, item_id) for index, (item_id, (_static, plan))
                             in enumerate(plans.items()) if plan is not None)
            order = self._orders[day] = (tuple(static for static, _plan in plans.values()),
                                         assessed, tuple(index for index, _ in assessed))
        return order

    def outcomes(self, facts: dict[str, Any]) -> tuple[int, int]:
        """(tests passed, tests unknown) as bit sets: durable_rules decides every test, those of
        a categorical fact once per value (engine.decide.value_tests), the others on the profile's
        encoded facts; a test that did not fire is unknown when a fact it reads is missing."""
        parts, missing, learned, pending = self._encoder.encode_learning(facts)
        fired = self.runtime.fired_parts(parts, self._bits)
        if pending:
            self._encoder.learn(pending, fired)
        passed, missing_here = self._by_value.passed_missing(facts)
        passed |= fired | learned
        return passed, (missing | missing_here) & ~passed

    def open_entries(self, plan: ItemPlan, passed: int, unknown: int,
                     refs: dict[str, str]) -> list[Any]:
        """engine.decide.plan.open_fields, memoised on the item's own bits and ref outcomes."""
        key = (id(plan), passed & plan.mask, unknown & plan.mask, tuple(refs.values()))
        found = self._open.get(key)
        if found is None:
            if len(self._open) > _MEMO_LIMIT:
                self._open.clear()
            found = self._open[key] = open_fields(plan, passed, unknown, refs)
        return found

    def exclusion_reason(self, names: tuple[str, ...]) -> Text | None:
        """'排除：…' naming the exclusion conditions that hold (None for none), built once."""
        reason = self._reasons.get(names)
        if reason is None and names:
            titles = [self.catalog.conditions[n].title for n in names]
            reason = self._reasons[names] = Text(
                zh="排除：" + "；".join(t.zh for t in titles),
                en="Excluded: " + "; ".join(t.en for t in titles))
        return reason

    def share_decision(self, key: tuple[Any, ...], decision: Decision) -> None:
        if len(self.shared_decisions) > _MEMO_LIMIT:
            self.shared_decisions.clear()
        self.shared_decisions[key] = decision

    def share_amount(self, key: tuple[Any, ...], amount: AmountResult) -> None:
        if len(self.amounts) > _MEMO_LIMIT:
            self.amounts.clear()
        self.amounts[key] = amount

    @property
    def rules_version(self) -> str:
        return self.catalog.version

    def facts_for(self, profile: Profile, as_of: dt.date) -> dict[str, Any]:
        """Profile facts plus the derived quantities the rules read (None when unknown)."""
        facts: dict[str, Any] = known_facts(profile)
        for name, compute in self._quantities:  # compute_all's work, without its dict
            facts[name] = compute(profile, as_of)
        return facts

    def fired_rules(self, facts: dict[str, Any]) -> set[str]:
        return self.runtime.fired(encode_facts(facts))

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
            explain: False leaves out the per-criterion trace and the worded steps of an
                amount (statuses, missing facts, amounts, ceiling flags and their citations are
                still decided), for fast batch screening.

        Returns:
            An Assessment with one Decision per item, stacking applied.
        """
        return self._assess(profile, as_of, items, explain)[0]

    def assess_outcomes(self, profile: Profile, as_of: dt.date | None = None,
                        items: list[str] | None = None) -> tuple[Assessment, dict[str, str]]:
        """Decisions without a trace (as `assess(..., explain=False)`), and per decided item its
        criterion outcomes as engine.decide.compact.outcome_code writes them from the full
        explanation: what a screening run stores, without building the explanation."""
        assessment, ctx = self._assess(profile, as_of, items, explain=False)
        codes = ctx.outcome_codes()
        for decision in assessment.decisions:  # the static ones: no criteria
            codes.setdefault(decision.item_id, "")
        return assessment, codes

    def _assess(self, profile: Profile, as_of: dt.date | None, items: list[str] | None,
                explain: bool) -> tuple[Assessment, AssessmentContext]:
        day = as_of or dt.date.today()
        facts = self.facts_for(profile, day)
        passed, unknown = self.outcomes(facts)
        plans = self.day_plan(day)
        ctx = AssessmentContext(self, profile, day, facts, passed, unknown, plans, explain)
        decided = ctx.decided
        if items is None:  # every item: the static ones as they are, the others decided
            statics, assessed, positions = self._day_order(day, plans)
            decisions = list(statics)
            for index, item_id in assessed:
                decisions[index] = decided.get(item_id) or ctx.decide(item_id)
        else:
            for item_id in items:
                if item_id not in self.catalog.versions:
                    raise SubsidyError(f"unknown item `{item_id}`", item=item_id)
                ctx.decide(item_id)
            decisions = [decided[i] for i in self.catalog.versions if i in decided]
        # Only members of a stacking group that are eligible or undetermined get a note, and
        # those are all decided here (a static decision is neither).
        if any(decided[i].status in ("eligible", "undetermined")
               for i in self._stacked if i in decided):
            decisions = apply_stacking(decisions, self.catalog, facts)
        decisions = self._figures.flag(decisions, profile, day, facts,
                                       positions if items is None else None)
        return Assessment(self.catalog.version, day, profile, tuple(decisions)), ctx
