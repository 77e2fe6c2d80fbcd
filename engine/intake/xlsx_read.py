"""XLSX applicant lists, read strictly and within limits.

A .xlsx file is a zip of XML: a 400 KB file can hold 400 MB of shared strings or a million empty
rows, and its XML can carry entity tricks. So, before openpyxl parses anything, the zip's declared
sizes are checked and the first sheet's XML is scanned once, streaming, to count its rows and to
find formula cells saved without a computed value (openpyxl would read those as blank, i.e. as an
unknown fact, silently). Then openpyxl reads the values once, in read-only (streaming) mode, with
defusedxml guarding its XML. Any failure of the file itself is an ImportFileError: a refusal with a
reason, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml.ElementTree import iterparse

from .limits import CELL_MAX_CHARS, MAX_COLUMNS, UNCOMPRESSED_MAX, BadRow, ImportFileError, Row

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF_ROW = re.compile(r"[A-Z]+([0-9]+)")


def _refuse(name: str, why: str) -> ImportFileError:
    return ImportFileError(f"{name}: 不是有效的 xlsx 文件 not a valid .xlsx file ({why})", file=name)


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(name, str(exc)) from None
    declared = sum(info.file_size for info in infos)
    if declared > UNCOMPRESSED_MAX or len(infos) > 10_000:
        raise ImportFileError(
            f"{name}: 解压后过大 the file unpacks to {declared // (1024 * 1024)} MB, more than "
            f"{UNCOMPRESSED_MAX // (1024 * 1024)} MB", file=name)
    return archive


def _scan(archive: zipfile.ZipFile, sheet_path: str, max_rows: int, name: str,
          ) -> dict[int, list[str]]:
    """Rows of the sheet's XML counted (refused past `max_rows`); formula cells without a cached
    value, by row."""
    missing: dict[int, list[str]] = {}
    rows = 0
    with archive.open(sheet_path) as stream:
        for _event, element in iterparse(stream, events=("end",)):
            if element.tag == f"{_NS}row":
                rows += 1
                if rows > max_rows + 1:  # the header is row 1
                    raise ImportFileError(f"{name}: 行数超过 {max_rows} 行上限 more than {max_rows} "
                                          "rows", file=name, limit=max_rows)
                element.clear()
            elif element.tag == f"{_NS}c" and element.find(f"{_NS}f") is not None:
                if not (element.findtext(f"{_NS}v") or ""):
                    ref = element.get("r", "")
                    match = _REF_ROW.fullmatch(ref)
                    if match:
                        missing.setdefault(int(match.group(1)), []).append(ref)
    return missing


def xlsx_rows(data: bytes, name: str, max_rows: int) -> Iterator[Row]:
    """The first sheet's rows, numbered as Excel shows them; bad rows as BadRow."""
    from openpyxl import load_workbook

    archive = _check_zip(data, name)
    with warnings.catch_warnings():
        # Files written by WPS and other tools lack a default style; harmless for reading values.
        warnings.filterwarnings("ignore", message="Workbook contains no default style",
                                category=UserWarning)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            missing = _scan(archive, sheet._worksheet_path, max_rows, name)  # noqa: SLF001
        except ImportFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - zlib, XML, entity, zip errors: all the file's
            raise _refuse(name, f"{type(exc).__name__}: {exc}") from None
    try:
        yield from _rows(sheet, missing)
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, while streaming the rows
        raise _refuse(name, f"{type(exc).__name__}: {exc}") from None
    finally:
        book.close()


def _rows(sheet: Any, missing: dict[int, list[str]]) -> Iterator[Row]:
    # In read-only mode openpyxl yields a (possibly empty) tuple for every row from the first, so
    # the count is the row number Excel shows.
    for number, raw in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1):
        values = [_value(v) for v in raw]
        if number in missing:
            yield number, BadRow(f"公式单元格 {', '.join(missing[number])} 没有计算结果，请在 Excel 中"
                                 "打开并保存后再上传（formula cells without a computed value: open "
                                 "and save the file in Excel first）")
        elif len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
            yield number, BadRow(f"列数超过 {MAX_COLUMNS} 列（more than {MAX_COLUMNS} columns）")
        elif any(isinstance(v, str) and len(v) > CELL_MAX_CHARS for v in values):
            yield number, BadRow(f"单元格内容超过 {CELL_MAX_CHARS} 个字符（a cell holds more than "
                                 f"{CELL_MAX_CHARS} characters）")
        elif not all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            yield number, values[:MAX_COLUMNS]


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value
