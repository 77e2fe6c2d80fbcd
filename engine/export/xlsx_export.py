"""XLSX export for officials: a summary sheet, then one sheet per item with the explanations.

Written with XlsxWriter in constant-memory mode: each sheet streams its rows to a temporary file
as they come, so a run of 100k rows does not build a workbook in memory. The summary sheet comes
first but is filled last, from the tally: in constant-memory mode each sheet keeps its own row
order, not the workbook's. An item sheet's data rows are not written cell by cell: they come as
the XML XlsxWriter would write (xlsx_rows.RowXml, made here or in worker processes) and are
spliced into the sheet's row file (splice_rows), which made the writing process 5x faster than
XlsxWriter's per-cell path, the export's largest cost (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from engine.decide.decision import ITEM_STATUSES
from engine.explain import labels
from engine.explain.clock import beijing_text

from .columns import COLUMNS, to_wan
from .meta import ExportMeta
from .records import Record
from .summary import Tally
from .xlsx_rows import ROW, RowXml, cell_text

YUAN_FORMAT = '"¥"#,##0.00'
WAN_FORMAT = "#,##0.00####"
HEADER_ROW = 4  # title, rules version and as-of, a blank row, then the column headers
# An item's sheet: the shared columns less the item's own, plus the exact decimal-string amount.
_SHARED = [k for k, _zh, _en in COLUMNS if k not in ("item_id", "item_title")]
ITEM_KEYS = tuple(_SHARED[:_SHARED.index("amount_yuan") + 1] + ["amount_exact"]
                  + _SHARED[_SHARED.index("amount_yuan") + 1:])
WIDTHS = {"credit_code": 22, "name": 30, "status": 16, "amount_yuan": 16, "amount_wan": 14,
          "missing": 30, "failed": 50, "explanation": 90}
SUMMARY_WIDTHS = (26, 30, 10, 10, 14, 14, 14, 8, 22, 22, 22, 16)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class _Styles:
    """The workbook's few cell formats, made once (XlsxWriter formats belong to a workbook)."""

    def __init__(self, wb: Workbook) -> None:
        self.bold = wb.add_format({"bold": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.yuan = wb.add_format({"num_format": YUAN_FORMAT})
        self.wan = wb.add_format({"num_format": WAN_FORMAT})
        self.figure = wb.add_format({"num_format": "#,##0.00"})
        # Indices fixed now, in this order, not at first use: worker processes write the item
        # rows' XML with them before the writing process has used any format.
        for fmt in (self.bold, self.wrap, self.yuan, self.wan, self.figure):
            fmt._get_xf_index()

    def xf_indices(self) -> dict[str, int | None]:
        """Each item-sheet column's cell-format index (xlsx_rows.RowXml)."""
        return {key: (fmt._get_xf_index() if (fmt := self.for_key(key)) else None)
                for key in ITEM_KEYS}

    def for_key(self, key: str) -> Format | None:
        return {"amount_yuan": self.yuan, "amount_wan": self.wan, "explanation": self.wrap,
                "failed": self.wrap, "override_amount_yuan": self.yuan}.get(key)


class _Sheet:
    """One worksheet, written a row at a time."""

    def __init__(self, ws: Worksheet, styles: _Styles) -> None:
        self.ws, self.styles, self.row = ws, styles, 0

    def append(self, values: Sequence[Any], formats: Sequence[Format | None] = ()) -> None:
        ws, row = self.ws, self.row
        for col, value in enumerate(values):
            write_cell(ws, row, col, value, formats[col] if col < len(formats) else None)
        self.row += 1

    def bold(self, values: Sequence[Any]) -> None:
        self.append(values, [self.styles.bold] * len(values))


def write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
    """One cell by its type: numbers as numbers (an item sheet's decimal-string column keeps the
    exact figure), text neutralised against formula injection and never read as a formula or a
    link, line breaks as Excel keeps them, dates as ISO text."""
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.date):
        ws.write_string(row, col, value.isoformat(), fmt)
    else:
        ws.write_string(row, col, cell_text(value), fmt)


def _header(sheet: _Sheet, meta: ExportMeta, title: str) -> None:
    """Title, rules version and as-of date on top of every sheet."""
    lang = meta.lang
    sheet.bold([title])
    sheet.append([_t(lang, "规则版本", "Rules version"), meta.rules_version,
                  _t(lang, "评估日期", "As of"), meta.as_of.isoformat(),
                  _t(lang, "批次编号", "Run id"), meta.run_id,
                  _t(lang, "生成时间（北京时间）", "Generated at (Beijing time)"),
                  beijing_text(meta.generated_at, lang, "seconds", label=False)])
    sheet.append([])


def _sheet_name(item_id: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", item_id)[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class _ItemSheets:
    """Creates an item's sheet when its first row arrives and appends its rows."""

    def __init__(self, wb: Workbook, styles: _Styles, meta: ExportMeta) -> None:
        self.wb, self.styles, self.meta = wb, styles, meta
        self.sheets: dict[str, _Sheet] = {}
        self.taken = {_t(meta.lang, "汇总", "Summary").lower()}

    def add(self, item_id: str, title: str, rows: Sequence[str]) -> None:
        """Rows of one item's sheet, as xlsx_rows.RowXml made them, in order."""
        sheet = self.sheets.get(item_id) or self._open(item_id, title)
        splice_rows(sheet.ws, sheet.row, rows)
        sheet.row += len(rows)

    def add_filters(self) -> None:
        """Officials filter by status or district: a filter on every item sheet's table."""
        for sheet in self.sheets.values():
            sheet.ws.autofilter(HEADER_ROW - 1, 0, sheet.row - 1, len(ITEM_KEYS) - 1)

    def _open(self, item_id: str, title: str) -> _Sheet:
        ws = self.wb.add_worksheet(_sheet_name(item_id, self.taken))
        ws.freeze_panes(HEADER_ROW, 2)  # keep the header and the company visible
        for index, key in enumerate(ITEM_KEYS):
            ws.set_column(index, index, WIDTHS.get(key, 12))
        sheet = self.sheets[item_id] = _Sheet(ws, self.styles)
        _header(sheet, self.meta, f"{title}（{item_id}）")
        sheet.bold(_item_headers(self.meta.lang))
        return sheet


def splice_rows(ws: Worksheet, first: int, rows: Sequence[str]) -> None:
    """Append rows' XML to a constant-memory worksheet's row file, from row `first` (0-based).

    The one place that leans on XlsxWriter's internals (pinned in pyproject.toml): the row it
    still holds is flushed first, then the rows go straight to its file, and its dimensions move
    on as its own writes would move them (the sheet's <dimension> and the next row's number)."""
    if not rows:
        return
    assert ws.constant_memory, "rows are spliced into constant-memory sheets only"
    ws._write_single_row(first)  # the held row (a header) out; nothing held from here
    ws.fh.write("".join([xml.replace(ROW, str(n)) for n, xml in enumerate(rows, first + 1)]))
    last = first + len(rows) - 1
    ws._check_dimensions(last, len(ITEM_KEYS) - 1)
    ws.previous_row = last


def _plain_amount(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _item_headers(lang: str) -> list[str]:
    names = {k: (en if lang == "en" else zh) for k, zh, en in COLUMNS}
    names["amount_exact"] = _t(lang, "预计金额（元，精确值）", "Estimated amount (CNY, exact)")
    return [names[k] for k in ITEM_KEYS]


def _summary(sheet: _Sheet, tally: Tally, meta: ExportMeta,
             budget_impact: list[dict[str, Any]] | None) -> None:
    lang, styles = meta.lang, sheet.styles
    head = [_t(lang, "项目编号", "Item id"), _t(lang, "支持项目", "Support item")]
    head += [labels.status(s, lang) for s in ITEM_STATUSES]
    head += [_t(lang, "合计", "Total"),
             _t(lang, "符合条件企业预计金额（元）", "Estimated payout, eligible (CNY)"),
             _t(lang, "符合条件企业预计金额（万元）", "Estimated payout, eligible (CNY 10,000)"),
             _t(lang, "待定企业潜在金额（元）", "Potential payout, undetermined (CNY)"),
             _t(lang, "预算额度（万元）", "Budget line (CNY 10,000)")]
    sheet.bold(head)
    counted = 2 + len(ITEM_STATUSES) + 1
    formats = [None] * counted + [styles.yuan, styles.wan, styles.yuan, styles.wan]
    for item in tally.items.values():
        sheet.append([item.item_id, item.title["en" if lang == "en" else "zh"],
                      *(item.counts[s] for s in ITEM_STATUSES), item.total,
                      item.eligible_amount, to_wan(item.eligible_amount),
                      item.undetermined_amount, item.budget_line_wan], formats)
    if budget_impact:
        _table(sheet, _t(lang, "预算影响", "Budget impact"), budget_impact)
    if budget_impact or any(item.budget_line_wan is not None for item in tally.items.values()):
        sheet.append([])
        sheet.append([_budget_rule(meta, budget_impact or [])])


BUDGET_YEAR_KEYS = ("预算年度", "Budget year")


def _budget_rule(meta: ExportMeta, rows: list[dict[str, Any]]) -> str:
    """How the budget binds (用完即止, not pro rata) and which year's budget is compared against,
    saying so when it is not the year of the round."""
    lang, year = meta.lang, meta.as_of.year
    years = sorted({row[k] for row in rows for k in BUDGET_YEAR_KEYS if row.get(k)})
    text = _t(lang, "说明：资金受年度总额控制，用完即止（先到先得），不按比例分配；"
                    "超出部分为无法支付的金额。",
              "Note: funds are capped by the annual budget and paid until used up (first come, first "
              "served), not pro rata; the excess is what cannot be paid.")
    if years:
        shown = "、".join(map(str, years)) if lang != "en" else ", ".join(map(str, years))
        text += _t(lang, f"对照的是{shown}年预算", f" Compared against the {shown} budget")
        if any(y != year for y in years):
            text += _t(lang, f"，并非本轮评估年度（{year}年）的预算。",
                       f", not the budget of the round's own year ({year}).")
        else:
            text += _t(lang, "。", ".")
    return text


def _table(sheet: _Sheet, title: str, rows: list[dict[str, Any]]) -> None:
    """A free-form table given as dicts: the keys of all rows, in first-seen order, as headers."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    sheet.append([])
    sheet.bold([title])
    sheet.bold([str(k) for k in keys])
    for row in rows:
        values = [_typed(row.get(k)) for k in keys]
        sheet.append(values, [sheet.styles.figure if isinstance(v, Decimal | float) else None
                              for v in values])


def _typed(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class XlsxBook:
    """A workbook being written: item rows added in the export's order (records here, or rows a
    worker made from them), the summary written from the tally on close.

    Args:
        meta: rules version, as-of date, run, language.
        target: a file path or a writable binary stream.
    """

    def __init__(self, meta: ExportMeta, target: str | IO[bytes]) -> None:
        self.meta = meta
        self.wb = Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                    "strings_to_formulas": False, "strings_to_urls": False})
        self.styles = _Styles(self.wb)
        summary_ws = self.wb.add_worksheet(_t(meta.lang, "汇总", "Summary"))
        for index, width in enumerate(SUMMARY_WIDTHS):
            summary_ws.set_column(index, index, width)
        self.summary = _Sheet(summary_ws, self.styles)
        _header(self.summary, meta, _t(meta.lang, "资助项目预评估结果汇总",
                                       "Support items: pre-assessment summary"))
        self.sheets, self.tally = _ItemSheets(self.wb, self.styles, meta), Tally()
        self.xf = self.styles.xf_indices()
        self.rows = RowXml(ITEM_KEYS, self.xf, meta)

    def add_records(self, records: Iterable[Record]) -> int:
        """Records made into rows here; the number added."""
        chunk, count = ItemRows(self.rows), 0
        for record in records:
            chunk.add(record)
            count += 1
            if chunk.count >= 2000:  # a few thousand rows joined per write, memory stays flat
                self.add_rows(chunk)
                chunk = ItemRows(self.rows)
        self.add_rows(chunk)
        return count

    def add_rows(self, chunk: ItemRows) -> None:
        """A chunk of rows (made here or by a worker), in the export's order."""
        for item_id, (title, rows) in chunk.items.items():
            self.sheets.add(item_id, title, rows)
        self.tally.merge(chunk.tally)

    def close(self, budget_impact: list[dict[str, Any]] | None = None) -> None:
        _summary(self.summary, self.tally, self.meta, budget_impact)
        self.sheets.add_filters()
        self.wb.close()


class ItemRows:
    """Consecutive records' rows grouped by item (in first-seen order: the order sheets open) and
    tallied: what a worker process hands back (picklable: strings, a Tally)."""

    def __init__(self, rows: RowXml) -> None:
        self.rows: RowXml | None = rows
        self.items: dict[str, tuple[str, list[str]]] = {}
        self.tally, self.count = Tally(), 0

    def add(self, record: Record) -> None:
        assert self.rows is not None
        item, title, xml = self.rows.row(record)
        self.items.setdefault(item, (title, []))[1].append(xml)
        if "decision" in record:  # an error record has its own sheet and is not tallied
            self.tally.add(record["decision"])
        self.count += 1

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "rows": None}  # the row maker stays in its process


def write_xlsx(records: Iterable[Record], meta: ExportMeta, target: str | IO[bytes],
               budget_impact: list[dict[str, Any]] | None = None) -> int:
    """Write the workbook to a path or a binary stream.

    Args:
        records: the run's records, streamed.
        meta: rules version, as-of date, run, language.
        target: a file path or a writable binary stream.
        budget_impact: optional rows (dicts) shown under the summary, e.g. payout against budget.

    Returns:
        The number of records written.
    """
    book = XlsxBook(meta, target)
    count = book.add_records(records)
    book.close(budget_impact)
    return count
