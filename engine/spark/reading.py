"""Read an applicant list into Spark as (row number, row) pairs with its headers.

Row numbers are the ones the intake reports and an official sees in Excel: the header is row 1.
A CSV file (UTF-8, BOM optional; one record per line) is read as text lines numbered with
zipWithIndex, so a row's number is its line, and each line is parsed in the worker by the same csv
module the intake uses. Parquet (columns named as in the applicant list: zh labels or field names)
is numbered the same way, its first record being row 2, as if the table had a header row.
Numbering depends only on the input's splits, so a retried task sees the same rows again.
"""

from __future__ import annotations

import csv
from typing import Any

from engine.intake import ImportFileError


def is_csv(path: str) -> bool:
    """CSV by the name (`.csv`, or compressed `.csv.gz`/`.csv.bz2`); anything else is Parquet."""
    name = path.lower().rstrip("/")
    return name.endswith(".csv") or ".csv." in name.rsplit("/", 1)[-1]


def read_rows(spark: Any, path: str, partitions: int | None = None) -> tuple[tuple[str, ...], Any, bool]:
    """(headers, RDD of (row number, CSV line or cell values), whether rows are CSV lines).

    Args:
        partitions: spread the rows over this many partitions, row number modulo N, each sorted
            by row number (deterministic, whatever order the shuffle delivers them in).

    Raises:
        ImportFileError: the input is empty.
    """
    if is_csv(path):
        lines = spark.sparkContext.textFile(path)
        try:
            first = lines.first()
        except ValueError:
            raise ImportFileError(f"{path}: 文件为空 the file is empty", file=path) from None
        headers = tuple(next(csv.reader([first.removeprefix("\ufeff")]), []))
        numbered = lines.zipWithIndex().filter(lambda pair: pair[1] > 0).map(
            lambda pair: (pair[1] + 1, pair[0]))
        csv_lines = True
    else:
        frame = spark.read.parquet(path)
        headers = tuple(frame.columns)
        numbered = frame.rdd.zipWithIndex().map(lambda pair: (pair[1] + 2, list(pair[0])))
        csv_lines = False
    if partitions is not None:
        numbered = numbered.repartitionAndSortWithinPartitions(partitions, lambda row: row)
    return headers, numbered, csv_lines
