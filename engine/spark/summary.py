"""What a run adds up to: per item, the decisions by status and the total computed amount of the
eligible ones; per run, the rows read, screened and refused.

Amounts known only as a ceiling ("up to") are counted apart and never summed into the total: a
ceiling is not money anyone will receive. Sums are Spark decimals, exact like Python's Decimal.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import functions as F
from pyspark.sql.types import DecimalType

from .records import DECISION, ERROR, SCREENED

STATUSES = ("eligible", "may_apply", "ineligible", "undetermined", "not_assessable", "not_in_force")
TOTAL = DecimalType(30, 2)


def _count(condition: Any) -> Any:
    return F.sum(F.when(condition, 1).otherwise(0)).cast("long")


def item_summary(decisions: Any) -> Any:
    """One row per item that has per-firm decisions (the job adds the static ones and orders)."""
    eligible = F.col("status") == "eligible"
    # A ceiling is counted apart whether the item is eligible or may-apply (conditions unpublished).
    ceiling = F.col("status").isin("eligible", "may_apply") & F.col("amount_is_ceiling")
    computed = eligible & ~F.col("amount_is_ceiling") & F.col("amount").isNotNull()
    counts = [_count(F.col("status") == s).alias(s) for s in STATUSES]
    total = F.coalesce(F.sum(F.when(computed, F.col("amount"))), F.lit(0)).cast(TOTAL)
    return (decisions.groupBy("item_id")
            .agg(F.count(F.lit(1)).alias("decisions"), *counts,
                 _count(computed).alias("eligible_computed"), _count(ceiling).alias("eligible_ceiling"),
                 total.alias("total_amount")))


def static_summary(spark: Any, statics: list[tuple[Any, ...]], firms: int) -> Any:
    """Summary rows, in item_summary's columns, for the static decisions: every screened firm has
    the item's one status, none is eligible, nothing is summed."""
    columns = ["item_id", "decisions", *STATUSES, "eligible_computed", "eligible_ceiling"]
    rows = [(item_id, firms, *(firms if s == status else 0 for s in STATUSES), 0, 0)
            for item_id, status, *_ in statics]
    schema = ", ".join([f"{columns[0]} string", *(f"{c} bigint" for c in columns[1:])])
    frame = spark.createDataFrame(rows, schema)
    return frame.withColumn("total_amount", F.lit(0).cast(TOTAL))


def run_totals(results: Any) -> dict[str, int]:
    """Rows read, screened (decided) and refused, by stage, and the decisions written."""
    kind = F.col("kind")
    row = results.agg(
        F.countDistinct(F.when(kind.isin(DECISION, SCREENED), F.col("row"))).alias("rows_screened"),
        _count(kind == ERROR).alias("rows_error"),
        _count((kind == ERROR) & (F.col("stage") == "validation")).alias("rows_error_validation"),
        _count((kind == ERROR) & (F.col("stage") == "engine")).alias("rows_error_engine"),
        _count(kind == DECISION).alias("decisions"),
    ).first()
    totals = {name: int(row[name] or 0) for name in row.asDict()}
    return {"rows_read": totals["rows_screened"] + totals["rows_error"], **totals}
