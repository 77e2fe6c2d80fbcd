"""The compact records a Spark run writes, as plain tuples (cheap to pickle out of a worker) and
as the Spark schemas they are written under.

A decision keeps what a screening run stores besides the explanation: status, amount, ceiling
flag and each criterion's outcome; the full explanation is rebuilt on demand from the profile, the
rules version and the date (DESIGN.md, "Scale"). Money is Decimal yuan to the cent, never float.
Decisions that are the same for every firm on the date (an item not in force, or one whose
criteria are unpublished) are written once, in the `static` table, as a screening run stores them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pyspark.sql.types import (
    BooleanType,
    DecimalType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
)

from engine import Decision

CENT = Decimal("0.01")
AMOUNT = DecimalType(20, 2)
# A `screened` record stands for a firm decided with nothing but static decisions (every item asked
# for is out of force, say), so that it still counts as screened.
DECISION, ERROR, SCREENED = "decision", "error", "screened"

# Every record a worker yields, decisions and errors alike, so that one pass decides each row.
RESULT = StructType([
    StructField("kind", StringType(), False),
    StructField("row", LongType(), False),
    StructField("credit_code", StringType(), True),
    StructField("fiscal_year", IntegerType(), True),
    StructField("item_id", StringType(), True),
    StructField("status", StringType(), True),
    StructField("amount", AMOUNT, True),
    StructField("amount_is_ceiling", BooleanType(), True),
    StructField("criteria", MapType(StringType(), StringType(), False), True),
    StructField("stacking_receivable", BooleanType(), True),
    StructField("stage", StringType(), True),
    StructField("reason", StringType(), True),
])

DECISION_COLUMNS = ("row", "credit_code", "fiscal_year", "item_id", "status", "amount",
                    "amount_is_ceiling", "criteria", "stacking_receivable")
ERROR_COLUMNS = ("row", "credit_code", "fiscal_year", "stage", "reason")

# The decisions every firm gets alike: one row per item, with the reason in both languages.
STATIC = StructType([
    StructField("item_id", StringType(), False),
    StructField("status", StringType(), False),
    StructField("reason_zh", StringType(), True),
    StructField("reason_en", StringType(), True),
])


def cents(value: Decimal) -> Decimal:
    """The amount as DecimalType(20, 2) holds it; refuses rather than rounds a finer amount."""
    exact = value.quantize(CENT)
    if exact != value:
        raise ValueError(f"amount {value} is finer than a cent; DecimalType(20, 2) would round it")
    return exact


def decision_record(row: int, credit_code: str, fiscal_year: int, d: Decision,
                    criteria: dict[str, str] | None = None) -> tuple[Any, ...]:
    """A decision's compact record; `criteria` (id -> outcome) when known without the decision's
    trace, else read from it."""
    amount = d.amount
    value = cents(amount.value) if amount is not None and amount.value is not None else None
    receivable = None if d.stacking is None else d.stacking.receivable
    return (DECISION, row, credit_code, fiscal_year, d.item_id, d.status, value,
            bool(amount and amount.ceiling),
            {c.id: c.status for c in d.criteria} if criteria is None else criteria, receivable,
            None, None)


def screened_record(row: int, credit_code: str, fiscal_year: int) -> tuple[Any, ...]:
    return (SCREENED, row, credit_code, fiscal_year, None, None, None, None, None, None, None, None)


def error_record(row: int, credit_code: str | None, fiscal_year: int | None, stage: str,
                 reason: str) -> tuple[Any, ...]:
    """A row that could not be decided: `validation` (the cells) or `engine` (deciding failed)."""
    return (ERROR, row, credit_code, fiscal_year, None, None, None, None, None, None, stage, reason)


def static_record(d: Decision) -> tuple[Any, ...]:
    reason = d.reason
    return (d.item_id, d.status, reason.zh if reason else None, reason.en if reason else None)
