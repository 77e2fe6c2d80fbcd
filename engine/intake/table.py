"""Read an applicant list as a header and numbered rows, whatever Chinese Excel saved it as.

Row numbers are the ones a person sees in Excel: the header is row 1. CSV is decoded as UTF-8
(with or without BOM) and, failing that, as GB18030, the superset of the GBK that Chinese Excel
writes; XLSX is read with openpyxl from its first sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import SubsidyError

Row = tuple[int, list[Any]]


class ImportFileError(SubsidyError):
    """The file cannot be read as an applicant list at all; nothing from it is imported."""

    code = "import_file_error"


@dataclass
class Table:
    headers: list[Any]
    rows: Iterator[Row]  # (row number as Excel shows it, cell values), blank rows left out


def read_table(path: Path) -> Table:
    """Open a .csv or .xlsx file.

    Raises:
        ImportFileError: missing, empty, undecodable or corrupt file, or an unknown extension.
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
    rows = _csv_rows(data, path) if suffix == ".csv" else _xlsx_rows(data, path)
    first = next(rows, None)
    if first is None:
        raise ImportFileError(f"{path.name}: 文件为空 the file is empty", file=str(path))
    return Table(first[1], rows)


def decode_csv(data: bytes, name: str = "file") -> str:
    """UTF-8 (a BOM is dropped), else GB18030; anything else is refused rather than garbled."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}: 无法识别的编码 not UTF-8 or GBK text", file=name)


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _csv_rows(data: bytes, path: Path) -> Iterator[Row]:
    text = decode_csv(data, path.name)
    if "\x00" in text:
        raise ImportFileError(f"{path.name}: 不是文本文件 not a text file", file=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, values in enumerate(reader, start=1):
            if not _blank(values):
                yield number, values
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: 第{reader.line_num}行 CSV格式错误 malformed CSV: {exc}",
                              file=str(path)) from None


def _xlsx_rows(data: bytes, path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with warnings.catch_warnings():
        # Files written by WPS and other tools lack a default style; harmless for reading values.
        warnings.filterwarnings("ignore", message="Workbook contains no default style",
                                category=UserWarning)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise ImportFileError(f"{path.name}: 不是有效的 xlsx 文件 not a valid .xlsx file ({exc})",
                                  file=str(path)) from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_value(v) for v in values]
            if not _blank(cells):
                yield number, cells
    finally:
        book.close()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value
