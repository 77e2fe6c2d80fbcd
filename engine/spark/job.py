"""The batch job: read firms, decide them in the workers, write decisions, errors and summaries.

The driver loads the catalog only to check the item ids and to learn the rules version every
worker must match; it never compiles rules. Each row is decided once: the workers' records are
persisted and every output is derived from them.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass
from typing import Any

from pyspark import StorageLevel
from pyspark.sql import functions as F

from engine import SubsidyError, load_catalog, static_decisions
from engine.intake import map_headers

from .reading import read_rows
from .records import DECISION, DECISION_COLUMNS, ERROR, ERROR_COLUMNS, RESULT, STATIC, static_record
from .summary import item_summary, run_totals, static_summary
from .worker import Task, decide_partition, resolve_rules_dir
from .writing import write_run, write_table

OUTPUTS = ("decisions", "static", "errors", "summary")


@dataclass(frozen=True)
class JobResult:
    run: dict[str, Any]  # what output/run holds
    seconds: float


def run_job(spark: Any, source: str, output: str, as_of: dt.date, items: list[str] | None = None,
            rules_dir: str | None = None, partitions: int | None = None,
            fail_after: int | None = None) -> JobResult:
    """Screen every row of `source` on `as_of` and write the outputs under `output`.

    Raises:
        SubsidyError: unknown item ids, or headers no row can be read under (ImportFileError);
            whole-input problems refuse the run, bad rows never do.
    """
    start = time.monotonic()
    catalog = load_catalog(resolve_rules_dir(rules_dir))
    unknown = [i for i in items or [] if i not in catalog.versions]
    if unknown:
        raise SubsidyError(f"unknown item(s): {', '.join(unknown)}", items=unknown)
    headers, numbered, csv_lines = read_rows(spark, source, partitions)
    map_headers(list(headers))  # refuse a file whose headers cannot be mapped, as the intake does
    statics = [static_record(d) for d in static_decisions(catalog, items, as_of)]
    task = Task(headers=headers, as_of=as_of, items=tuple(items) if items else None,
                rules_dir=rules_dir, rules_version=catalog.version, csv_lines=csv_lines,
                static_items=tuple(item_id for item_id, *_ in statics), fail_after=fail_after)
    records = numbered.mapPartitions(functools.partial(decide_partition, task))
    results = spark.createDataFrame(records, RESULT, verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        decisions = results.where(F.col("kind") == DECISION).select(*DECISION_COLUMNS)
        errors = results.where(F.col("kind") == ERROR).select(*ERROR_COLUMNS)
        totals = run_totals(results)
        write_table(decisions, output, "decisions")
        write_table(spark.createDataFrame(statics, STATIC), output, "static", single_file=True)
        write_table(errors.orderBy("row"), output, "errors", single_file=True)
        summary = item_summary(decisions).unionByName(
            static_summary(spark, statics, totals["rows_screened"])).orderBy("item_id")
        write_table(summary, output, "summary", single_file=True)
        run = {"source": source, "as_of": as_of.isoformat(), "items": list(items) if items else None,
               "rules_version": catalog.version, "static_items": len(statics), **totals}
        write_run(spark, output, run)
    finally:
        results.unpersist()
    return JobResult(run, time.monotonic() - start)
