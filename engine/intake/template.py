"""The downloadable import template: one header row of zh labels, in the profile's field order.

CSV is UTF-8 with a BOM so that Excel opens it with the Chinese intact; XLSX adds a second sheet
(填写说明) saying what each column takes.
"""

from __future__ import annotations

import csv
from pathlib import Path

from engine.explain import labels

from .columns import REQUIRED, Column, columns

KIND_ZH = {"text": "文字", "int": "整数", "decimal": "数字", "bool": "是/否",
           "date": "日期 YYYY-MM-DD", "enum": "选项"}


def _takes(column: Column) -> str:
    if column.kind == "enum":
        return "、".join(f"{labels.enum(c)}({c})" for c in column.choices)
    unit = {"yuan": "元"}.get(column.unit or "", column.unit or "")
    return KIND_ZH[column.kind] + (f"，单位：{unit}" if unit else "")


def write_template(path: Path, fmt: str) -> None:
    """Write the template as `csv` or `xlsx` to `path`."""
    cols = columns()
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            csv.writer(stream).writerow([c.zh for c in cols])
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "申报企业"
    sheet.append([c.zh for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("填写说明")
    guide.append(["列名", "字段 field", "English", "填写内容", "必填"])
    for c in cols:
        guide.append([c.zh, c.name, c.en, _takes(c), "是" if c.name in REQUIRED else ""])
    book.save(path)
