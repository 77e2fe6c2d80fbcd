"""XLSX export for officials: a summary sheet, then one sheet per item with the explanations.

openpyxl's write-only mode streams each sheet to a temporary file, so a run of 100k rows does not
build a workbook in memory. The summary sheet comes first but is filled last, from the tally.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from engine.decide.decision import ITEM_STATUSES
from engine.explain import labels
from engine.explain.clock import beijing_text

from .columns import COLUMNS, row_values, to_wan
from .meta import ExportMeta
from .records import Record
from .safe import neutralise
from .summary import Tally

if TYPE_CHECKING:  # a private openpyxl module, needed for annotations only
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

YUAN_FORMAT = '"¥"#,##0.00'
WAN_FORMAT = "#,##0.00####"
HEADER_ROW = 4  # title, rules version and as-of, a blank row, then the column headers
MAX_CELL = 32_000  # Excel refuses cells longer than 32,767 characters
# An item's sheet: the shared columns less the item's own, plus the exact decimal-string amount.
_SHARED = [k for k, _zh, _en in COLUMNS if k not in ("item_id", "item_title")]
ITEM_KEYS = tuple(_SHARED[:_SHARED.index("amount_yuan") + 1] + ["amount_exact"]
                  + _SHARED[_SHARED.index("amount_yuan") + 1:])
FORMATS = {"amount_yuan": YUAN_FORMAT, "amount_wan": WAN_FORMAT, "override_amount_yuan": YUAN_FORMAT}
WIDTHS = {"credit_code": 22, "name": 30, "status": 16, "amount_yuan": 16, "amount_wan": 14,
          "missing": 30, "failed": 50, "explanation": 90}
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _cell(ws: WriteOnlyWorksheet, value: Any, number_format: str | None = None,
          bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
    if isinstance(value, Decimal):
        value = float(value)  # the decimal-string column keeps the exact figure
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, str):
        value = neutralise(value[:MAX_CELL])
    cell = WriteOnlyCell(ws, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    if wrap:
        cell.alignment = WRAP
    return cell


def _header(ws: WriteOnlyWorksheet, meta: ExportMeta, title: str) -> None:
    """Title, rules version and as-of date on top of every sheet."""
    lang = meta.lang
    ws.append([_cell(ws, title, bold=True)])
    ws.append([_cell(ws, _t(lang, "规则版本", "Rules version")), _cell(ws, meta.rules_version),
               _cell(ws, _t(lang, "评估日期", "As of")), _cell(ws, meta.as_of.isoformat()),
               _cell(ws, _t(lang, "批次编号", "Run id")), _cell(ws, meta.run_id),
               _cell(ws, _t(lang, "生成时间（北京时间）", "Generated at (Beijing time)")),
               _cell(ws, beijing_text(meta.generated_at, lang, "seconds", label=False))])
    ws.append([])


def _sheet_name(item_id: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", item_id)[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class _ItemSheets:
    """Creates an item's sheet when its first record arrives and appends its rows."""

    def __init__(self, wb: Workbook, meta: ExportMeta) -> None:
        self.wb, self.meta = wb, meta
        self.sheets: dict[str, WriteOnlyWorksheet] = {}
        self.rows: dict[str, int] = {}
        self.taken = {_t(meta.lang, "汇总", "Summary").lower()}

    def append(self, values: dict[str, Any]) -> None:
        ws = self.sheets.get(values["item_id"]) or self._open(values)
        values = {**values, "amount_exact": _plain_amount(values["amount_yuan"])}
        ws.append([_cell(ws, values[k], FORMATS.get(k), wrap=k in ("explanation", "failed"))
                   for k in ITEM_KEYS])
        self.rows[values["item_id"]] += 1

    def add_filters(self) -> None:
        """Officials filter by status or district: a filter on every item sheet's table."""
        last = get_column_letter(len(ITEM_KEYS))
        for item_id, ws in self.sheets.items():
            ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + self.rows[item_id]}"

    def _open(self, values: dict[str, Any]) -> WriteOnlyWorksheet:
        ws = self.wb.create_sheet(_sheet_name(values["item_id"], self.taken))
        ws.freeze_panes = f"C{HEADER_ROW + 1}"  # keep the header and the company visible
        for index, key in enumerate(ITEM_KEYS):
            ws.column_dimensions[get_column_letter(index + 1)].width = WIDTHS.get(key, 12)
        _header(ws, self.meta, f"{values['item_title']}（{values['item_id']}）")
        ws.append([_cell(ws, h, bold=True) for h in _item_headers(self.meta.lang)])
        self.sheets[values["item_id"]] = ws
        self.rows[values["item_id"]] = 0
        return ws


def _plain_amount(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _item_headers(lang: str) -> list[str]:
    names = {k: (en if lang == "en" else zh) for k, zh, en in COLUMNS}
    names["amount_exact"] = _t(lang, "预计金额（元，精确值）", "Estimated amount (CNY, exact)")
    return [names[k] for k in ITEM_KEYS]


def _summary(ws: WriteOnlyWorksheet, tally: Tally, meta: ExportMeta,
             budget_impact: list[dict[str, Any]] | None) -> None:
    lang = meta.lang
    head = [_t(lang, "项目编号", "Item id"), _t(lang, "支持项目", "Support item")]
    head += [labels.status(s, lang) for s in ITEM_STATUSES]
    head += [_t(lang, "合计", "Total"),
             _t(lang, "符合条件企业预计金额（元）", "Estimated payout, eligible (CNY)"),
             _t(lang, "符合条件企业预计金额（万元）", "Estimated payout, eligible (CNY 10,000)"),
             _t(lang, "待定企业潜在金额（元）", "Potential payout, undetermined (CNY)"),
             _t(lang, "预算额度（万元）", "Budget line (CNY 10,000)")]
    ws.append([_cell(ws, h, bold=True) for h in head])
    for item in tally.items.values():
        ws.append([_cell(ws, item.item_id), _cell(ws, item.title["en" if lang == "en" else "zh"])]
                  + [_cell(ws, item.counts[s]) for s in ITEM_STATUSES]
                  + [_cell(ws, item.total), _cell(ws, item.eligible_amount, YUAN_FORMAT),
                     _cell(ws, to_wan(item.eligible_amount), WAN_FORMAT),
                     _cell(ws, item.undetermined_amount, YUAN_FORMAT),
                     _cell(ws, item.budget_line_wan, WAN_FORMAT)])
    if budget_impact:
        _table(ws, _t(lang, "预算影响", "Budget impact"), budget_impact)
    if budget_impact or any(item.budget_line_wan is not None for item in tally.items.values()):
        ws.append([])
        ws.append([_cell(ws, _budget_rule(meta, budget_impact or []))])


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


def _table(ws: WriteOnlyWorksheet, title: str, rows: list[dict[str, Any]]) -> None:
    """A free-form table given as dicts: the keys of all rows, in first-seen order, as headers."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    ws.append([])
    ws.append([_cell(ws, title, bold=True)])
    ws.append([_cell(ws, str(k), bold=True) for k in keys])
    for row in rows:
        ws.append([_cell(ws, _typed(row.get(k)), "#,##0.00" if isinstance(row.get(k), Decimal | float)
                         else None) for k in keys])


def _typed(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


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
    wb = Workbook(write_only=True)
    summary = wb.create_sheet(_t(meta.lang, "汇总", "Summary"))
    for index, width in enumerate((26, 30, 10, 10, 14, 14, 14, 8, 22, 22, 22, 16)):
        summary.column_dimensions[get_column_letter(index + 1)].width = width
    _header(summary, meta, _t(meta.lang, "资助项目预评估结果汇总", "Support items: pre-assessment summary"))
    sheets, tally, count = _ItemSheets(wb, meta), Tally(), 0
    for record in records:
        if "decision" in record:  # an error record has its own sheet and is not tallied
            tally.add(record["decision"])
        sheets.append(row_values(record, meta))
        count += 1
    _summary(summary, tally, meta, budget_impact)
    sheets.add_filters()
    wb.save(target)
    return count
