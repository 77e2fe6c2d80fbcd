"""A Spark run's output (`subsidy spark-screen`, docs/scale.md) loaded as a console run: the input
list imported as profile versions, a run recorded over them with the Spark run's date and items,
and Spark's compact decisions stored as the run's rows, so officials filter, review, export and
sign off a district screened on a cluster like any other run.

Only the CSV outputs are read (no Spark or Parquet reader needed here). Every explanation is then
rebuilt by this machine's engine and checked against what Spark decided (store.rebuild): a
decision Spark made differently is refused when it is viewed, never shown wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from engine.decide.compact import LETTER
from engine.decide.engine import Engine
from engine.decide.static import STATIC_STATUSES, decided_items, static_decisions
from engine.errors import SubsidyError
from engine.facts.parse import parse_profile

from .base import utcnow
from .bulk import insert_rows
from .catalogs import item_codes
from .firms import firm_counts
from .importing import ImportReport, import_file
from .models import REASON_MAX, DecisionRow, ProfileVersion, Run, RunErrorRow, RunProfile
from .screening import _refresh, start_run

BATCH = 1000


class SparkLoadError(SubsidyError):
    code = "spark_load_error"


def spark_run_info(output: Path) -> dict[str, Any]:
    """The Spark run's parameters (output/run/part-*): as_of, items, rules_version, totals."""
    parts = sorted((output / "run").glob("part-*"))
    if not parts:
        raise SparkLoadError(f"{output} holds no Spark run (no run/part-* file)", output=str(output))
    return json.loads(parts[0].read_text(encoding="utf-8"))


def _csv_rows(output: Path, name: str) -> Iterator[dict[str, str]]:
    for path in sorted((output / "csv" / name).glob("part-*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as stream:
            yield from csv.DictReader(stream)


def load_spark_run(session: Session, engine: Engine, source: Path, output: Path,
                   loaded_by: str) -> tuple[Run, ImportReport]:
    """Import `source` (the list Spark screened) and store Spark's decisions as a run; the caller
    commits.

    Raises:
        SparkLoadError: not a Spark output, or made with other rules than `engine`'s.
    """
    info = spark_run_info(output)
    if info.get("rules_version") != engine.rules_version:
        raise SparkLoadError(
            f"the Spark run used rules {info.get('rules_version')}, these are "
            f"{engine.rules_version}: load it with the rules it was made with", output=str(output))
    as_of = dt.date.fromisoformat(info["as_of"])
    report = import_file(session, source, entered_by=loaded_by)
    profiles = _profiles_by_key(session, report.profile_ids)
    run = start_run(session, engine.catalog, list(profiles.values()), as_of, info.get("items"),
                    loaded_by, f"spark:{output}")
    session.flush()
    codes = item_codes(engine.catalog)
    order = _criteria_order(session, engine, as_of, info.get("items"), profiles)
    rows, done = [], set()
    for record in _csv_rows(output, "decisions"):
        pid = profiles.get((record["credit_code"], int(record["fiscal_year"])))
        if pid is None or record["status"] in STATIC_STATUSES:
            done.add(pid)
            continue
        rows.append(_decision_row(run.id, pid, codes[record["item_id"]], record,
                                  order[record["item_id"]]))
        done.add(pid)
        if len(rows) >= BATCH:
            insert_rows(session, DecisionRow.__table__, rows)
            rows = []
    if rows:
        insert_rows(session, DecisionRow.__table__, rows)
    errors = [{"run_id": run.id, "profile_id": pid, "reason": e["reason"][:REASON_MAX],
               "at": utcnow()}
              for e in _csv_rows(output, "errors") if e.get("stage") == "engine"
              for pid in [profiles.get((e["credit_code"], int(e["fiscal_year"])))] if pid]
    if errors:
        session.execute(insert(RunErrorRow), errors)
    if not _per_firm_items(engine, as_of, info.get("items")):
        done |= set(profiles.values())  # every item static: Spark wrote no per-firm decision
    finished = [pid for pid in done | {e["profile_id"] for e in errors} if pid is not None]
    for start in range(0, len(finished), 500):
        session.execute(update(RunProfile).where(
            RunProfile.run_id == run.id, RunProfile.profile_id.in_(finished[start:start + 500]))
            .values(done=True))
    _refresh(session, run)
    run.status = "complete" if run.rows_done == run.rows_total else "incomplete"
    run.finished_at = run.updated_at = utcnow()
    firm_counts(session, run)
    return run, report


def _per_firm_items(engine: Engine, as_of: dt.date, items: list[str] | None) -> list[str]:
    """The items Spark wrote a decision for per firm (the others are in its `static` table)."""
    static = {d.item_id for d in static_decisions(engine.catalog, items, as_of)}
    return [i for i in decided_items(engine.catalog, items, as_of) if i not in static]


def _profiles_by_key(session: Session, ids: list[int]) -> dict[tuple[str, int], int]:
    """(credit code, fiscal year) -> the profile version the import holds for it, in list order."""
    out: dict[tuple[str, int], int] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found = dict(session.execute(select(ProfileVersion.id, ProfileVersion).where(
            ProfileVersion.id.in_(chunk))).all())
        for pid in chunk:
            version = found[pid]
            out.setdefault((version.company_code, version.fiscal_year), pid)
    return out


def _criteria_order(session: Session, engine: Engine, as_of: dt.date, items: list[str] | None,
                    profiles: dict[tuple[str, int], int]) -> dict[str, list[str]]:
    """Each item's criterion ids in the order decisions list them (the same for every profile):
    Spark stores outcomes by id, a run stores them as a string in this order."""
    if not profiles:
        return {}
    first = next(iter(profiles.values()))
    data = session.scalar(select(ProfileVersion.data).where(ProfileVersion.id == first))
    assessment = engine.assess(parse_profile(data, source=f"profile {first}"), as_of, items)
    return {d.item_id: [c.id for c in d.criteria] for d in assessment.decisions}


def _decision_row(run_id: int, pid: int, code: int, record: dict[str, str],
                  order: list[str]) -> dict[str, Any]:
    criteria = json.loads(record["criteria"]) if record.get("criteria") else {}
    receivable = record.get("stacking_receivable")
    return {"run_id": run_id, "profile_id": pid, "item": code, "status": record["status"],
            "amount": Decimal(record["amount"]) if record.get("amount") else None,
            "amount_is_ceiling": record.get("amount_is_ceiling") == "true",
            "receivable": None if not receivable else receivable == "true",
            "outcomes": "".join(LETTER[criteria[c]] for c in order if c in criteria)}
