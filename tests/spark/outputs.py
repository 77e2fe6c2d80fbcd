"""Reading a Spark run's outputs back for the tests: Parquet through Spark, CSV byte for byte."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

DecisionKey = tuple[str, str]  # (credit code, item id)


def parquet_rows(spark: Any, out: Path, name: str) -> list[dict[str, Any]]:
    return [row.asDict() for row in spark.read.parquet(str(out / "parquet" / name)).collect()]


def run_totals(out: Path) -> dict[str, Any]:
    (part,) = (out / "run").glob("part-*")
    return json.loads(part.read_text(encoding="utf-8"))


def csv_parts(out: Path, name: str) -> dict[int, bytes]:
    """Each CSV part file's bytes by partition number (the file names also hold a job id)."""
    parts = {}
    for path in (out / "csv" / name).glob("part-*.csv"):
        number = re.match(r"part-(\d+)-", path.name)
        assert number is not None
        parts[int(number.group(1))] = path.read_bytes()
    return parts


def csv_rows(out: Path, name: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for _, data in sorted(csv_parts(out, name).items()):
        assert data.startswith("\ufeff".encode()), "every CSV part starts with a BOM for Excel"
        rows += csv.DictReader(data.decode("utf-8-sig").splitlines())
    return rows


def expanded_decisions(spark: Any, out: Path) -> list[dict[str, Any]]:
    """Every decision of the run: the per-firm rows, and each static decision (written once)
    repeated for every firm those rows name, as a per-firm row would have held it."""
    rows = parquet_rows(spark, out, "decisions")
    firms = sorted({(r["row"], r["credit_code"], r["fiscal_year"]) for r in rows})
    for static in parquet_rows(spark, out, "static"):
        rows += [{"row": row, "credit_code": code, "fiscal_year": year,
                  "item_id": static["item_id"], "status": static["status"], "amount": None,
                  "amount_is_ceiling": False, "criteria": {}, "stacking_receivable": None}
                 for row, code, year in firms]
    return rows


def spark_decisions(spark: Any, out: Path) -> dict[DecisionKey, tuple[Any, ...]]:
    decided: dict[DecisionKey, tuple[Any, ...]] = {}
    for row in expanded_decisions(spark, out):
        key = (row["credit_code"], row["item_id"])
        assert key not in decided, f"duplicate decision {key}"
        amount = None if row["amount"] is None else format(row["amount"], "f")
        decided[key] = (row["status"], amount, row["amount_is_ceiling"], dict(row["criteria"]))
    return decided


def screen_decisions(jsonl: Path) -> dict[DecisionKey, tuple[Any, ...]]:
    """`subsidy screen --out x.jsonl` in the same compact form."""
    decided: dict[DecisionKey, tuple[Any, ...]] = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        d = record["decision"]
        key = (record["company"]["credit_code"], d["item_id"])
        assert key not in decided
        decided[key] = (d["status"], d["amount"], d["amount_is_ceiling"],
                        {c["id"]: c["status"] for c in d["criteria"]})
    return decided
