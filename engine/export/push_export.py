"""A 免申即享 push list as CSV (UTF-8 with a BOM, for Excel) or XLSX: one row per firm and item,
with the amount in yuan and in 万元 (two decimals), the facts used with their provenance and
date, and whether the reviewer took the entry off the list. Pure over the entries and the list's
metadata (store.push_lists.push_entries / list_meta)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.facts import namespace

from .csv_export import BOM, csv_cell
from .draft_report import wan_text
from .safe import neutralise

SOURCES = {
    "self_declared": ("企业自行申报", "self-declared"),
    "verified": ("经办人员核实", "verified by an official"),
    "tax_bureau": ("税务部门", "tax bureau"),
    "market_regulator": ("市场监管部门", "market regulator"),
    "statistics_bureau": ("统计部门", "statistics bureau"),
}
COLUMNS = (
    ("credit_code", "统一社会信用代码", "Unified social credit code"),
    ("name", "企业名称", "Company name"),
    ("district", "所在区", "District"),
    ("fiscal_year", "数据所属年度", "Fiscal year"),
    ("profile_version", "档案版本", "Profile version"),
    ("item_id", "项目编号", "Item id"),
    ("item_title", "支持项目", "Support item"),
    ("amount_yuan", "预计金额（元）", "Estimated amount (CNY)"),
    ("amount_wan", "预计金额（万元）", "Estimated amount (CNY 10,000)"),
    ("listed", "名单状态", "On the list"),
    ("exclude_reason", "移出理由", "Reason for exclusion"),
    ("facts", "所用数据及来源", "Facts used and their provenance"),
    ("list_id", "名单编号", "List id"),
    ("run_id", "批次编号", "Run id"),
    ("as_of", "评估日期", "As of"),
    ("rules_version", "规则版本", "Rules version"),
    ("confirm_by", "确认截止日期", "Confirm by"),
    ("published", "发布（北京时间）", "Published (Beijing time)"),
)


def _source(fact: dict[str, Any], lang: str) -> str:
    pair = SOURCES.get(fact.get("source") or "", (fact.get("source") or "", fact.get("source") or ""))
    text = pair[1] if lang == "en" else pair[0]
    if fact.get("date"):
        text += f"，{fact['date']}" if lang == "zh" else f", {fact['date']}"
    if fact.get("origin") and fact["origin"] != "profile":
        text += f"，{fact['origin']}" if lang == "zh" else f", {fact['origin']}"
    return text


def facts_text(facts: list[dict[str, Any]], lang: str) -> str:
    """'统计部门核定的上年度研发投入：3200000.00（统计部门，2020-03-31）；…'"""
    parts = []
    for fact in facts:
        label = namespace.label(fact["name"], lang) if fact["name"] else fact["name"]
        value = fact.get("value")
        if isinstance(value, bool):
            value = ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
        elif isinstance(value, str):
            value = labels.enum(value, lang)
        shown = f"{label}：{value}" if lang == "zh" else f"{label}: {value}"
        if "derived_from" in fact:
            shown += "（由以下数据计算）" if lang == "zh" else " (computed from the facts below)"
        else:
            shown += f"（{_source(fact, lang)}）" if lang == "zh" else f" ({_source(fact, lang)})"
        parts.append(shown)
    return ("；" if lang == "zh" else "; ").join(parts)


def row_values(entry: dict[str, Any], meta: dict[str, Any], lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    amount: Decimal = entry["amount"]
    district = entry.get("district")
    published = meta.get("published_at")
    return {
        "credit_code": entry["credit_code"], "name": entry.get("name"),
        "district": labels.enum(district, lang) if district else None,
        "fiscal_year": entry.get("fiscal_year"), "profile_version": entry.get("profile_version"),
        "item_id": entry["item_id"], "item_title": entry["title"].get(lang),
        "amount_yuan": amount, "amount_wan": wan_text(amount),
        "listed": ("已移出" if zh else "excluded") if entry["excluded"]
        else ("列入（无需申请）" if zh else "listed (no application needed)"),
        "exclude_reason": entry.get("exclude_reason"),
        "facts": facts_text(entry["facts"], lang),
        "list_id": meta["list_id"], "run_id": meta["run_id"], "as_of": meta["as_of"],
        "rules_version": meta["rules_version"], "confirm_by": meta.get("confirm_by"),
        "published": (f"{beijing_text(published, lang, label=False)} {meta.get('published_by')}"
                      if published else ("未发布" if zh else "not published")),
    }


def headers(lang: str) -> list[str]:
    return [en if lang == "en" else zh for _key, zh, en in COLUMNS]


def write_push_csv(entries: Iterable[dict[str, Any]], meta: dict[str, Any], stream: IO[bytes],
                   lang: str = "zh") -> int:
    """The list as CSV to a binary stream, BOM first; returns the rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(lang))
    stream.write((BOM + buffer.getvalue()).encode("utf-8"))
    count = 0
    for entry in entries:
        buffer.seek(0)
        buffer.truncate()
        values = row_values(entry, meta, lang)
        writer.writerow([csv_cell(values[key]) for key, _zh, _en in COLUMNS])
        stream.write(buffer.getvalue().encode("utf-8"))
        count += 1
    return count


def write_push_xlsx(entries: Iterable[dict[str, Any]], meta: dict[str, Any],
                    target: str | IO[bytes], lang: str = "zh") -> int:
    """The list as a one-sheet workbook (amounts as numbers with the exact yuan beside them)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("免申即享名单" if lang == "zh" else "Push list")
    bold = Font(bold=True)

    def cell(value: Any, number_format: str | None = None, strong: bool = False) -> WriteOnlyCell:
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = neutralise(value[:32_000])
        c = WriteOnlyCell(ws, value=value)
        if number_format:
            c.number_format = number_format
        if strong:
            c.font = bold
        return c

    ws.append([cell(h, strong=True) for h in headers(lang)])
    count = 0
    for entry in entries:
        values = row_values(entry, meta, lang)
        ws.append([cell(csv_cell(values[k]) if k == "amount_wan" else values[k],
                        '"¥"#,##0.00' if k == "amount_yuan" else None) for k, _zh, _en in COLUMNS])
        count += 1
    wb.save(target)
    return count
