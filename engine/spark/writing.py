"""Write a result table as Parquet and as CSV that Excel opens with the Chinese intact.

Every output is written with mode overwrite through Spark's commit protocol: a retried task's
files replace the failed attempt's, and re-running a job replaces its previous output, so neither
leaves duplicate decisions. The CSV is Spark's own writer (no Python round trip): amounts as exact
decimal strings, criterion outcomes as a JSON object, quotes doubled as Excel expects. Spark has
no byte-order-mark option, so the first header is written with one in front: every part file then
starts with the BOM that makes Excel read it as UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from pyspark.sql import functions as F
from pyspark.sql.types import MapType

BOM = "\ufeff"


def join(base: str, *parts: str) -> str:
    """A path under the output, for local paths and URIs (hdfs://, s3a://) alike."""
    return "/".join([base.rstrip("/"), *parts])


def csv_frame(frame: Any) -> Any:
    """The table as text cells, its first header prefixed with the BOM."""
    cells = []
    for index, field in enumerate(frame.schema.fields):
        column = F.col(field.name)
        text = F.to_json(column) if isinstance(field.dataType, MapType) else column.cast("string")
        cells.append(text.alias((BOM if index == 0 else "") + field.name))
    return frame.select(*cells)


def write_table(frame: Any, output: str, name: str, single_file: bool = False) -> None:
    """`output/parquet/name` and `output/csv/name` (one file per partition, or one file)."""
    frame = frame.coalesce(1) if single_file else frame
    frame.write.mode("overwrite").parquet(join(output, "parquet", name))
    (csv_frame(frame).write.mode("overwrite").option("header", True).option("escape", '"')
     .option("encoding", "UTF-8").csv(join(output, "csv", name)))


def write_run(spark: Any, output: str, run: dict[str, Any]) -> None:
    """`output/run`: the run's parameters and totals as one JSON line (no timestamps, so the same
    input gives the same bytes)."""
    line = json.dumps(run, ensure_ascii=False, sort_keys=True)
    frame = spark.createDataFrame([(line,)], "value string").coalesce(1)
    frame.write.mode("overwrite").text(join(output, "run"))
