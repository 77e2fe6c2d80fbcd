"""A policy draft's flips written as they are found (a background job over every stored firm):
the CSV (UTF-8 with a BOM, the same layout as `subsidy draft-impact --format csv`) and an XLSX
(XlsxWriter, constant-memory), plus a tally per item for the result page. Nothing here grows
with the number of firms: each flip goes to both files and into a few counters, and only the
first SAMPLE flips are kept whole for the page. Pure over the flips and the report.

The CSV puts the budget table before the flips, but the budget is known only at the end: the
flips go to a side file first and are appended after the heading when the report is done.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook

from .csv_export import BOM
from .draft_report import (
    FLIP_HEADERS,
    ITEM_HEADERS,
    DraftImpact,
    Flip,
    flip_json,
    flip_row,
    heading_row,
    item_json,
    item_row,
    write_draft_head,
)
from .xlsx_export import write_cell

SAMPLE = 500  # flips kept whole for the result page; the files hold all of them
# Columns that hold amounts (万元 and yuan as decimal text): numbers in the workbook, so that a
# negative change is not mistaken for a formula and Excel can sum them.
FLIP_MONEY = (8, 9, 10, 11)
ITEM_MONEY = (4, 5, 6, 7)


def _numbers(row: list[Any], columns: tuple[int, ...]) -> list[Any]:
    return [Decimal(v) if i in columns and isinstance(v, str) and v else v
            for i, v in enumerate(row)]


class FlipTally:
    """Per item: how many flips, from which outcome to which, and which criteria changed."""

    def __init__(self) -> None:
        self.flips: Counter[str] = Counter()
        self.moves: Counter[tuple[str, str, str]] = Counter()  # item, before, after
        self.criteria: Counter[tuple[str, str, str | None, str | None]] = Counter()
        self.texts: dict[tuple[str, str], dict[str, str] | None] = {}
        self.titles: dict[str, dict[str, str]] = {}
        self.sample: list[dict[str, Any]] = []

    def add(self, flip: Flip) -> None:
        self.flips[flip.item_id] += 1
        self.titles.setdefault(flip.item_id, flip.title)
        self.moves[(flip.item_id, flip.before, flip.after)] += 1
        for c in flip.criteria:
            self.criteria[(flip.item_id, c.id, c.before, c.after)] += 1
            self.texts.setdefault((flip.item_id, c.id), c.text)
        if len(self.sample) < SAMPLE:
            self.sample.append(flip_json(flip))

    def per_item(self, item_id: str) -> dict[str, Any]:
        moves = [{"before": b, "after": a, "n": n}
                 for (i, b, a), n in self.moves.most_common() if i == item_id]
        criteria = [{"id": c, "text": self.texts.get((i, c)), "before": b, "after": a, "n": n}
                    for (i, c, b, a), n in self.criteria.most_common() if i == item_id]
        return {"flips": self.flips[item_id], "moves": moves, "criteria": criteria}


def summary_of(report: DraftImpact, tally: FlipTally) -> dict[str, Any]:
    """What the result page shows, as JSON (amounts as decimal strings in yuan): per item its
    budget effect and its flips (counts, moves, criteria), the first flips whole, the draft's
    failing examples and the firms it could not decide."""
    effects = {i.item_id: item_json(i) for i in report.items}
    items = []
    for item_id in sorted(set(effects) | set(tally.flips)):
        row = effects.get(item_id) or {"item_id": item_id, "title": tally.titles.get(item_id)}
        items.append({**row, "budget_changes": item_id in effects, **tally.per_item(item_id)})
    return {"current_version": report.current_version, "draft_version": report.draft_version,
            "as_of": report.as_of.isoformat(), "selection": report.selection,
            "applicants": report.applicants, "flips": report.flip_count,
            "budget_delta": format(report.budget_delta, "f"), "items": items,
            "sample": tally.sample, "example_failures": report.example_failures,
            "errors": [{"credit_code": c, "reason": r} for c, r in report.errors],
            "error_count": report.error_count}


class FlipFiles:
    """Writes the flips to `<stem>.csv` and `<stem>.xlsx` in `folder` as they come; finish()
    adds the heading and the budget table. Until then both are `.part` files."""

    def __init__(self, folder: Path, stem: str, lang: str) -> None:
        self.lang, self.folder, self.stem = lang, folder, stem
        self._rows_path = folder / f".{stem}.flips.part"
        self._rows = self._rows_path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._rows, lineterminator="\r\n")
        self._xlsx_part = folder / f".{stem}.xlsx.part"
        self._wb = Workbook(str(self._xlsx_part), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False})
        zh = lang == "zh"
        self._items = self._wb.add_worksheet("预算影响" if zh else "Budget effect")
        self._flips = self._wb.add_worksheet("变化明细" if zh else "Flips")
        self._bold = self._wb.add_format({"bold": True})
        for col, header in enumerate(FLIP_HEADERS[lang]):
            write_cell(self._flips, 0, col, header, self._bold)
        self.count = 0

    def add(self, flip: Flip) -> None:
        row = flip_row(flip, self.lang)
        self._csv.writerow(row)
        self.count += 1
        for col, value in enumerate(_numbers(row, FLIP_MONEY)):
            write_cell(self._flips, self.count, col, value, None)

    def finish(self, report: DraftImpact) -> dict[str, str]:
        """Complete both files; returns {"csv": name, "xlsx": name} in the folder."""
        self._rows.close()
        csv_name, xlsx_name = f"{self.stem}.csv", f"{self.stem}.xlsx"
        part = self.folder / f".{csv_name}.part"
        with part.open("wb") as out, self._rows_path.open("rb") as rows:
            out.write((BOM + write_draft_head(report, self.lang)).encode("utf-8"))
            shutil.copyfileobj(rows, out)
        part.replace(self.folder / csv_name)
        self._rows_path.unlink()
        sheet, lang = self._items, self.lang
        for col, value in enumerate(heading_row(report, lang)):
            write_cell(sheet, 0, col, value, None)
        for col, header in enumerate(ITEM_HEADERS[lang]):
            write_cell(sheet, 2, col, header, self._bold)
        for row, item in enumerate(report.items, start=3):
            for col, value in enumerate(_numbers(item_row(item, lang), ITEM_MONEY)):
                write_cell(sheet, row, col, value, None)
        self._flips.freeze_panes(1, 0)
        self._wb.close()
        self._xlsx_part.replace(self.folder / xlsx_name)
        return {"csv": csv_name, "xlsx": xlsx_name}

    def discard(self) -> None:
        """A failed job leaves no half-written file."""
        self._rows.close()
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001, S110 - the workbook is thrown away either way
            pass
        for path in (self._rows_path, self._xlsx_part, self.folder / f".{self.stem}.csv.part"):
            path.unlink(missing_ok=True)
