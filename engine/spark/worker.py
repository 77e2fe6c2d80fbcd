"""What a Spark task runs in its Python worker: validate a partition's rows with the intake's own
row validation, decide the good ones with this process's Engine, yield compact records.

durable_rules keeps its compiled rulesets in process-global C memory, so an Engine never crosses a
process boundary: each Python worker builds one from the rules directory on its first task and
keeps it for the next tasks (Spark reuses Python workers). Only plain data reaches the worker: the
headers, the date, the item ids, the rules directory as a string and the rules version the driver
loaded, which the worker's engine must match (a node with other rule files must not decide).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import Engine, load_catalog, outcomes_by_id
from engine.intake import Table, validate_rows

from .records import decision_record, error_record, screened_record

_ENGINES: dict[str, Engine] = {}


@dataclass(frozen=True)
class Task:
    """Everything a partition needs, picklable and engine-free."""

    headers: tuple[str, ...]
    as_of: dt.date
    items: tuple[str, ...] | None
    rules_dir: str | None
    rules_version: str
    csv_lines: bool  # rows are raw CSV lines (parsed here) rather than lists of cell values
    static_items: tuple[str, ...] = ()  # decided alike for every firm: written once by the driver
    fail_after: int | None = None  # tests only: the first attempt of partition 0 dies after N records


class RulesMismatch(RuntimeError):
    """This worker's rule files are not the version the driver planned the run with."""


def resolve_rules_dir(rules_dir: str | None) -> Path | None:
    """The rules directory as given, or, when that path does not exist here, where Spark put a
    shipped copy (`--archives rules.zip#rules` or `--files`), under SparkFiles' root."""
    if rules_dir is None:
        return None
    path = Path(rules_dir)
    if path.is_dir():
        return path
    from pyspark import SparkFiles

    shipped = Path(SparkFiles.getRootDirectory()) / rules_dir
    return shipped if shipped.is_dir() else path


def engine_for(rules_dir: str | None) -> Engine:
    """This process's Engine for the rules directory, compiled on first use only."""
    key = rules_dir or ""
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = Engine(load_catalog(resolve_rules_dir(rules_dir)))
    return engine


def _cells(task: Task, numbered: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells), blank rows left out as the intake's reader leaves them out."""
    for number, values in numbered:
        if task.csv_lines:
            try:
                values = next(csv.reader([values], strict=True), [])
            except csv.Error as exc:
                values = [_Malformed(str(exc))]
        if not all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            yield number, list(values)


class _Malformed(str):
    """A CSV line the csv module refused (e.g. a quoted cell spanning lines): an error record."""


def decide_partition(task: Task, numbered: Iterable[tuple[int, Any]]) -> Iterator[tuple[Any, ...]]:
    """Records for (row number, CSV line or cell values) pairs, in the order given."""
    engine = engine_for(task.rules_dir)
    if engine.rules_version != task.rules_version:
        raise RulesMismatch(f"worker rules {engine.rules_version} != driver rules {task.rules_version}"
                            f" (rules directory {task.rules_dir!r})")
    items = list(task.items) if task.items is not None else None
    seen: dict[int, list[Any]] = {}

    def remembered() -> Iterator[tuple[int, list[Any]]]:
        for number, values in _cells(task, numbered):
            seen.clear()  # validate_rows is lazy: it asks for one row, then reports on it
            seen[number] = values
            yield number, values

    validated = validate_rows(Table(list(task.headers), remembered()))
    keys = {c.name: i for i, c in enumerate(validated.columns) if c is not None}
    emitted = 0
    for checked in validated.rows:
        values = seen.get(checked.row, [])
        code, year = _raw(values, keys.get("credit_code")), _raw(values, keys.get("fiscal_year"))
        if values and isinstance(values[0], _Malformed):
            out = [error_record(checked.row, None, None, "validation", f"第{checked.row}行 row "
                                f"{checked.row}: CSV格式错误 malformed CSV: {values[0]}")]
        elif checked.profile is None:
            out = [error_record(checked.row, code, _year(year), "validation",
                                "; ".join(p.text() for p in checked.problems))]
        else:
            out = _decide(engine, task, items, checked.row, checked.profile)
        for record in out:
            _maybe_die(task, emitted)
            emitted += 1
            yield record


def _decide(engine: Engine, task: Task, items: list[str] | None, row: int,
            profile: Any) -> list[tuple[Any, ...]]:
    """One row's decisions (but the static ones), or one engine error record: never half of a
    row's decisions. The criterion outcomes come from the engine's bit sets (assess_outcomes), as
    a screening run stores them, named by the criterion ids a full explanation lists."""
    try:
        assessment, codes = engine.assess_outcomes(profile, task.as_of, items)
        ids = _criterion_ids(engine, task, items, profile)
        records = []
        for d in assessment.decisions:
            if d.item_id in task.static_items:
                continue
            criteria = outcomes_by_id(ids.get(d.item_id, []), codes[d.item_id])
            if criteria is None:  # not lined up: take the full explanation's (never a guess)
                full = engine.assess(profile, task.as_of, items)
                d = next(x for x in full.decisions if x.item_id == d.item_id)
            records.append(decision_record(row, profile.credit_code, profile.fiscal_year, d,
                                           criteria))
        return records or [screened_record(row, profile.credit_code, profile.fiscal_year)]
    except Exception as exc:  # a bad row never fails the job; the record names the error
        code = getattr(exc, "code", type(exc).__name__)
        return [error_record(row, profile.credit_code, profile.fiscal_year, "engine",
                             f"第{row}行 row {row}: 无法判定 could not be decided ({code}): {exc}")]


_CRITERION_IDS: dict[tuple[str, dt.date, tuple[str, ...] | None], dict[str, list[str]]] = {}


def _criterion_ids(engine: Engine, task: Task, items: list[str] | None,
                   profile: Any) -> dict[str, list[str]]:
    """Each item's criterion ids in trace order, the same for every profile: read once per worker
    (rules version, date, items) from one full explanation."""
    key = (engine.rules_version, task.as_of, task.items)
    ids = _CRITERION_IDS.get(key)
    if ids is None:
        full = engine.assess(profile, task.as_of, items)
        ids = _CRITERION_IDS[key] = {d.item_id: [c.id for c in d.criteria] for d in full.decisions}
    return ids


def _raw(values: list[Any], index: int | None) -> Any:
    if index is None or index >= len(values) or values[index] in (None, ""):
        return None
    return str(values[index]).strip()


def _year(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _maybe_die(task: Task, emitted: int) -> None:
    """Tests only: make the first attempt of partition 0 fail halfway, as a lost task would."""
    if task.fail_after is None or emitted != task.fail_after:
        return
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is not None and context.partitionId() == 0 and context.attemptNumber() == 0:
        raise RuntimeError("simulated task failure (first attempt)")
