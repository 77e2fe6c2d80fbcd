"""What a screening worker process does: build its own Engine once, then decide batches.

durable_rules keeps its state in process-global C memory, so each process compiles the catalog
itself and nothing engine-related crosses a process boundary; only profile JSON goes in and
decision rows come out.
"""

from __future__ import annotations

import datetime as dt
import gc
import signal
from pathlib import Path
from typing import Any

from engine.decide.compact import outcome_code
from engine.decide.decision import Decision
from engine.decide.engine import Engine
from engine.decide.static import STATIC_STATUSES
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog

from .catalogs import item_codes

_ENGINE: Engine | None = None

ProfileRow = tuple[int, dict[str, Any]]  # (profile version id, stored facts)
# (profile version id, rows for `decisions`, or the reason it could not be decided)
DecisionRows = tuple[int, list[dict[str, Any]] | str]


def settle_heap() -> None:
    """Once a worker's long-lived objects are built (the modules, the compiled engine), move them
    out of the garbage collector's sight: deciding allocates many short-lived objects, and each
    full collection would otherwise walk the ~100,000 objects of the imports and the catalog
    again (tens of milliseconds each, measured in bench/assess_bench.py)."""
    gc.collect()
    gc.freeze()


class WorkerStartError(Exception):
    """A worker could not load the rules: every batch it is given fails with this reason."""


_START_ERROR: str | None = None


def init_worker(rules_dir: str | None) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (it marks the run incomplete).

    A failure here is kept, not raised: multiprocessing.Pool replaces a worker whose initializer
    raises with a new one, which fails the same way, forever, and the batches given to the pool
    never finish (the run would hang, "running"). Kept, the reason reaches the parent with the
    first batch, which stops the run and marks it incomplete."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _ENGINE, _START_ERROR
    try:
        _ENGINE = Engine(load_catalog(Path(rules_dir) if rules_dir else None))
        settle_heap()
    except Exception as exc:  # noqa: BLE001 - whatever it is, the parent must hear of it
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        _START_ERROR = f"{type(exc).__name__}: {message}"


def decision_row(decision: Decision, code: int, outcomes: str | None = None) -> dict[str, Any]:
    """The compact row of one decision (store.models.DecisionRow), item `code` in the run;
    `outcomes` as Engine.assess_outcomes gives them, else read from the decision's criteria."""
    amount = decision.amount
    stacking = decision.stacking
    return {"item": code, "status": decision.status,
            "amount": amount.value if amount is not None else None,
            "amount_is_ceiling": bool(amount and amount.ceiling),
            "receivable": None if stacking is None else stacking.receivable,
            "outcomes": outcome_code(decision) if outcomes is None else outcomes}


def decide(engine: Engine, as_of: dt.date, items: list[str] | None,
           rows: list[ProfileRow]) -> list[DecisionRows]:
    """Every profile's decisions, in the order given; a profile that cannot be decided gets its
    reason instead (the text of the error), so that the others are still decided."""
    return [_decide_one(engine, as_of, items, profile_id, data) for profile_id, data in rows]


def _decide_one(engine: Engine, as_of: dt.date, items: list[str] | None, profile_id: int,
                data: dict[str, Any]) -> DecisionRows:
    try:
        # The criterion outcomes without the explanation (rebuild.py re-checks them against one).
        assessment, outcomes = engine.assess_outcomes(
            parse_profile(data, source=f"profile {profile_id}"), as_of, items)
        codes = item_codes(engine.catalog)
        # Not-in-force and not-assessable decisions are the run's (run_items), not the applicant's.
        return profile_id, [decision_row(d, codes[d.item_id], outcomes[d.item_id])
                            for d in assessment.decisions if d.status not in STATIC_STATUSES]
    except Exception as exc:  # noqa: BLE001 - one profile's failure, whatever it is, stays its own
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return profile_id, f"{type(exc).__name__}: {message}"


def assess_batch(as_of: dt.date, items: list[str] | None,
                 rows: list[ProfileRow]) -> tuple[str, list[DecisionRows]]:
    """Run in a worker: the rules version it used (the parent checks it), and the decisions."""
    if _ENGINE is None:
        raise WorkerStartError(_START_ERROR or "the worker's engine was not initialised")
    return _ENGINE.rules_version, decide(_ENGINE, as_of, items, rows)
