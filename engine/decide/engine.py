"""The Engine: the catalog compiled into durable_rules, assessing one profile at a time.

What does not depend on the profile (the version in force, not-in-force and not-assessable
decisions) is built once per (item, date); the rest is decided in engine.decide.context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from engine.errors import SubsidyError
from engine.facts.derived import compute_all
from engine.facts.profile import Profile
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog
from engine.rules.model import Citation, Item, Source, Text

from .citations import citation_ref, source_ref
from .compiler import CompiledCatalog, compile_catalog
from .context import AssessmentContext
from .decision import Assessment, CitationRef, Decision
from .encoding import encode_facts
from .figures import flag_figures
from .runtime import DurableRuntime
from .stacking import apply_stacking


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
        if item is None and self._budget_line_only(item_id, day):
            return self._never_assessable(item_id, day)
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
            notes=item.notes,
        )

    def _budget_line_only(self, item_id: str, day: dt.date) -> bool:
        """No version of the item publishes criteria, and it is known from a budget line."""
        nearest = self.catalog.nearest_version(item_id, day)
        budget = self.catalog.programs[self.catalog.program_of[item_id]].budget
        return (budget is not None and nearest.budget_line is not None
                and all(v.not_assessable for v in self.catalog.versions[item_id]))

    def _never_assessable(self, item_id: str, day: dt.date) -> Decision:
        """A budget line whose criteria no known version publishes (the Futian lines known only
        from the 2018 budget) is not assessable on every date, not merely out of force: the
        honest reason is the missing criteria, with the budget year it is known from. (An
        expired plan without a budget line, e.g. Huizhou's 2017–2021 plan, is not in force.)"""
        item = self.catalog.nearest_version(item_id, day)
        budget = self.catalog.programs[self.catalog.program_of[item_id]].budget
        end = item.valid_to.isoformat() if item.valid_to else "…"
        period = f"{item.valid_from.isoformat()} – {end}"
        year = budget.year if budget else ""
        known = Text(zh=f"本项仅见于{year}年预算（{period}）",
                     en=f"this line is known only from the {year} budget ({period})")
        na = item.not_assessable
        assert na is not None  # every version is not assessable
        reason = Text(
            zh=f"{na.zh.rstrip('。')}。{known.zh}，评估日期 {day.isoformat()} 无公开条件可评估。",
            en=f"{na.en.rstrip('.')}. Not assessable on {day.isoformat()}: {known.en}, with no "
               "published criteria.")
        return replace(self._shell(item_id, item), status="not_assessable", reason=reason)

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
            explain: False leaves out the per-criterion trace (statuses, missing facts and
                amounts are still decided), for fast batch screening.

        Returns:
            An Assessment with one Decision per item, stacking applied.
        """
        day = as_of or dt.date.today()
        facts = self.facts_for(profile, day)
        fired = self.fired_rules(facts)
        ctx = AssessmentContext(self, profile, day, facts, fired, explain)
        wanted = items if items is not None else list(self.catalog.versions)
        for item_id in wanted:
            if item_id not in self.catalog.versions:
                raise SubsidyError(f"unknown item `{item_id}`", item=item_id)
            ctx.decide(item_id)
        decisions = [ctx.decided[i] for i in self.catalog.versions if i in ctx.decided]
        decisions = apply_stacking(decisions, self.catalog, facts)
        decisions = flag_figures(decisions, self.compiled, profile, day)
        return Assessment(self.catalog.version, day, profile, tuple(decisions))


