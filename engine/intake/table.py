"""Read an applicant list as a header and numbered rows, whatever Chinese Excel saved it as.

Row numbers are the ones a person sees in Excel: the header is row 1. CSV is decoded as UTF-8
(with or without BOM) and, failing that, as GB18030, the superset of the GBK that Chinese Excel
writes; XLSX is read with openpyxl from its first sheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .limits import CELL_MAX_CHARS, MAX_ROWS, BadRow, ImportFileError, Row
from .xlsx_read import xlsx_rows

__all__ = ["BadRow", "ImportFileError", "Row", "Table", "decode_csv", "read_table"]


@dataclass
class Table:
    headers: list[Any]
    rows: Iterator[Row]  # (row number as Excel shows it, cell values), blank rows left out


def read_table(path: Path, max_rows: int = MAX_ROWS) -> Table:
    """Open a .csv or .xlsx file; its rows stream, each a list of cells or a BadRow.

    Raises:
        ImportFileError: missing, empty, undecodable or corrupt file, an unknown extension, or
            (while the rows stream) more than `max_rows` rows.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(f"{path.name}: 只支持 .csv 和 .xlsx 文件 (only .csv and .xlsx are "
                              "supported)", file=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path.name}: 无法读取文件 cannot read: {exc.strerror}",
                              file=str(path)) from None
    rows = _csv_rows(data, path, max_rows) if suffix == ".csv" else xlsx_rows(data, path.name, max_rows)
    first = next(rows, None)
    if first is None:
        raise ImportFileError(f"{path.name}: 文件为空 the file is empty", file=str(path))
    if isinstance(first[1], BadRow):
        raise ImportFileError(f"{path.name}: 第{first[0]}行（表头）{first[1].reason}", file=str(path))
    return Table(first[1], rows)


def decode_csv(data: bytes, name: str = "file") -> str:
    """UTF-8 (a BOM is dropped), else GB18030; anything else is refused rather than garbled."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}: 无法识别的编码 not UTF-8 or GBK text", file=name)


_LINES = re.compile(r"\r\n|\n|\r")


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _csv_rows(data: bytes, path: Path, max_rows: int) -> Iterator[Row]:
    """One physical line is one row, split on its own: an unclosed quote is that row's problem and
    never swallows the rows after it (no field accepts a line break, so a quoted cell spanning
    lines is refused too, on the line where it starts)."""
    text = decode_csv(data, path.name)
    if "\x00" in text:
        raise ImportFileError(f"{path.name}: 不是文本文件 not a text file", file=str(path))
    for number, line in enumerate(_LINES.split(text.removesuffix("\n").removesuffix("\r")), 1):
        if number > max_rows + 1:  # the header is row 1
            raise ImportFileError(f"{path.name}: 行数超过 {max_rows} 行上限 more than {max_rows} rows",
                                  file=str(path), limit=max_rows)
        if len(line) > CELL_MAX_CHARS * 50:
            yield number, BadRow("此行过长（the line is too long）")
            continue
        try:
            values = next(csv.reader([line], strict=True), [])
        except csv.Error as exc:
            yield number, BadRow("引号未闭合或引号用法有误，此行无法拆分为单元格"
                                 f"（unbalanced quotes: {exc}）")
            continue
        if any(len(v) > CELL_MAX_CHARS for v in values):
            yield number, BadRow(f"单元格内容超过 {CELL_MAX_CHARS} 个字符（a cell holds more than "
                                 f"{CELL_MAX_CHARS} characters）")
        elif not _blank(values):
            yield number, values
