"""A compact run's explanations, rebuilt on demand from what the run stored: the profile version
it screened, the rule files of its rules version (catalogs.sources) and its as-of date.

A rebuilt decision is checked against the compact row written at screening time (status, amount,
ceiling flag, stacking, every criterion's outcome): an explanation that would differ from the
decision it explains is refused (ReproductionError), never shown. Runs stored before runs were
compact keep their explanations (decision_explanations), which are read instead.

Engines are compiled once per rules version and kept (a few): durable_rules cannot free a
ruleset, so a process holds one compiled copy per rules version it has rebuilt.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.decide.compact import outcome_code
from engine.decide.decision import Decision
from engine.decide.engine import Engine
from engine.errors import SubsidyError
from engine.explain.decision_json import decision_from_dict, decision_to_dict
from engine.facts.parse import parse_profile
from engine.rules.loader import catalog_from_sources, load_catalog

from .models import CatalogVersion, LegacyExplanation, Run, RunItem

MAX_ENGINES = 4
_ENGINES: OrderedDict[str, Engine] = OrderedDict()
_ENGINES_LOCK = threading.Lock()


class ReproductionError(SubsidyError):
    """A stored decision cannot be explained: its rules are not stored, or the engine now decides
    it differently (the engine code changed in a way that changes decisions)."""

    code = "not_reproducible"


@dataclass(frozen=True, slots=True)
class CompactRow:
    """What a run stored of one decision (store.models.DecisionRow)."""

    id: int
    code: int
    status: str
    amount: Decimal | None
    amount_is_ceiling: bool
    receivable: bool | None
    outcomes: str


def engine_for(session: Session, catalog_hash: str) -> Engine | None:
    """The engine of a stored rules version: compiled from its stored rule files, or the current
    rules if they are that version; None when neither exists (a run from before 0004)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(catalog_hash)
        if engine is not None:
            _ENGINES.move_to_end(catalog_hash)
            return engine
    row = session.get(CatalogVersion, catalog_hash)
    if row is not None and row.sources:
        engine = Engine(catalog_from_sources(row.sources))
    else:
        current = load_catalog()
        if current.version != catalog_hash:
            return None
        engine = Engine(current)
    with _ENGINES_LOCK:
        _ENGINES[catalog_hash] = engine
        while len(_ENGINES) > MAX_ENGINES:
            _ENGINES.popitem(last=False)
    return engine


class RunExplainer:
    """Rebuilds one run's decisions, applicant by applicant, in the run's item order."""

    def __init__(self, session: Session, run: Run) -> None:
        self.session = session
        self.run = run
        items = session.execute(select(RunItem.code, RunItem.item_id, RunItem.static,
                                       RunItem.decision).where(RunItem.run_id == run.id)
                                .order_by(RunItem.code)).all()
        self.item_ids = {code: item_id for code, item_id, _, _ in items}
        self.codes = {item_id: code for code, item_id in self.item_ids.items()}
        # The decisions every applicant gets: built once per run, shared by every record.
        self.static = {code: decision_from_dict(decision) for code, _, static, decision in items
                       if static}
        self.shells = {code: decision for code, _, static, decision in items if not static}
        self._engine: Engine | None = None
        self._engine_loaded = False
        self._stored_rules: bool | None = None

    @property
    def engine(self) -> Engine | None:
        if not self._engine_loaded:
            self._engine = engine_for(self.session, self.run.catalog_hash)
            self._engine_loaded = True
        return self._engine

    def decisions(self, profile_id: int, data: dict[str, Any],
                  rows: Iterable[CompactRow]) -> list[Decision]:
        """Every decision of one applicant in the run (static ones included), in item order.

        Raises:
            ReproductionError: a rebuilt decision differs from what was stored.
        """
        rows = list(rows)
        legacy = self._legacy(rows)
        if legacy is not None:
            decided = legacy
        elif rows:
            decided = self._rebuild(profile_id, data, rows)
        else:
            decided = {}
        out = {**self.static, **decided}
        return [out[code] for code in sorted(out)]

    def _legacy(self, rows: list[CompactRow]) -> dict[int, Decision] | None:
        if not rows or self._has_stored_rules():
            return None
        stored = dict(self.session.execute(select(
            LegacyExplanation.decision_id, LegacyExplanation.explanation).where(
            LegacyExplanation.decision_id.in_([r.id for r in rows]))).all())
        if len(stored) < len(rows):
            return None
        return {r.code: decision_from_dict(stored[r.id]) for r in rows}

    def _has_stored_rules(self) -> bool:
        """Runs with stored rules (every run since 0004) have no kept explanations to look up."""
        if self._stored_rules is None:
            row = self.session.get(CatalogVersion, self.run.catalog_hash)
            self._stored_rules = bool(row is not None and row.sources)
        return self._stored_rules

    def _rebuild(self, profile_id: int, data: dict[str, Any],
                 rows: list[CompactRow]) -> dict[int, Decision]:
        engine = self.engine
        if engine is None:
            raise ReproductionError(
                f"run {self.run.id}: the rules version {self.run.catalog_hash} is not stored, so "
                "its explanations cannot be rebuilt", run=self.run.id)
        profile = parse_profile(data, source=f"profile {profile_id}")
        assessment = engine.assess(profile, self.run.as_of, self.run.items)
        by_item = {d.item_id: d for d in assessment.decisions}
        decided = {}
        for row in rows:
            decision = by_item.get(self.item_ids[row.code])
            if decision is None or not _same(decision, row):
                raise ReproductionError(
                    f"run {self.run.id}, profile {profile_id}, item {self.item_ids[row.code]}: "
                    "the engine no longer decides this as it was decided at screening time",
                    run=self.run.id, profile=profile_id, item=self.item_ids[row.code])
            decided[row.code] = decision
        return decided


def _same(decision: Decision, row: CompactRow) -> bool:
    amount = decision.amount
    value = amount.value if amount is not None else None
    stacking = decision.stacking
    return (decision.status == row.status
            and (value is None) == (row.amount is None)
            and (value is None or Decimal(value) == Decimal(row.amount))  # type: ignore[arg-type]
            and bool(amount and amount.ceiling) == bool(row.amount_is_ceiling)
            and (None if stacking is None else stacking.receivable) == row.receivable
            and outcome_code(decision) == row.outcomes)


def rebuild_for_downgrade(sources: dict[str, str], as_of: dt.date | str, items: list[str] | None,
                          profiles: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Profile id -> item id -> decision dict, for migration 0004's downgrade (which gives every
    decision its full explanation back)."""
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    engine = Engine(catalog_from_sources(sources))
    out = {}
    for pid, data in profiles.items():
        assessment = engine.assess(parse_profile(data, source=f"profile {pid}"), day, items)
        out[pid] = {d.item_id: decision_to_dict(d) for d in assessment.decisions}
    return out
