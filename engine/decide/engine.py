"""The Engine: the catalog compiled into durable_rules, assessing one profile at a time.

What does not depend on the profile (the version in force, not-in-force and not-assessable
decisions) is built once per (item, date); the rest is decided in engine.decide.context.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.errors import SubsidyError
from engine.facts.derived import compute_all
from engine.facts.profile import Profile
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog
from engine.rules.model import Citation, Source

from .citations import citation_ref
from .compiler import CompiledCatalog, compile_catalog
from .context import AssessmentContext
from .decision import Assessment, CitationRef, Decision
from .encoding import encode_facts
from .figures import flag_figures
from .runtime import DurableRuntime
from .stacking import apply_stacking
from .static import static_decision


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
            decision = self._static[key] = static_decision(self.catalog, item_id, day)
        return decision

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


