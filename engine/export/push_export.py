"""A 免申即享 push list as CSV (UTF-8 with a BOM, for Excel) or XLSX: one row per firm and item,
with the amount in yuan and in 万元 (two decimals), the facts used with their provenance and
date, and whether the reviewer took the entry off the list. Pure over the entries and the list's
metadata (store.push_lists.push_entries / list_meta)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from xlsxwriter import Workbook

from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.facts import namespace

from .csv_export import BOM, csv_cell
from .draft_report import wan_text
from .xlsx_export import YUAN_FORMAT, write_cell

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
    ("engine_status", "系统测算结论", "Engine's outcome"),
    ("engine_amount_yuan", "系统测算金额（元）", "Engine's amount (CNY)"),
    ("engine_amount_wan", "系统测算金额（万元）", "Engine's amount (CNY 10,000)"),
    ("override_status", "审核改定结论", "Reviewer's outcome"),
    ("override_amount_yuan", "审核改定金额（元）", "Reviewer's amount (CNY)"),
    ("override_amount_wan", "审核改定金额（万元）", "Reviewer's amount (CNY 10,000)"),
    ("override_reason", "改定理由", "Reason for the override"),
    ("override_by", "改定人", "Overridden by"),
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
    engine_amount: Decimal | None = entry["amount"]
    override_amount: Decimal | None = entry.get("override_amount")
    amount = override_amount if override_amount is not None else engine_amount
    engine_status, override_status = entry.get("engine_status"), entry.get("override_status")
    district = entry.get("district")
    published = meta.get("published_at")
    return {
        "credit_code": entry["credit_code"], "name": entry.get("name"),
        "district": labels.enum(district, lang) if district else None,
        "fiscal_year": entry.get("fiscal_year"), "profile_version": entry.get("profile_version"),
        "item_id": entry["item_id"], "item_title": entry["title"].get(lang),
        "amount_yuan": amount, "amount_wan": wan_text(amount),
        "engine_status": labels.status(engine_status, lang) if engine_status else None,
        "engine_amount_yuan": engine_amount, "engine_amount_wan": wan_text(engine_amount),
        "override_status": labels.status(override_status, lang) if override_status else None,
        "override_amount_yuan": override_amount, "override_amount_wan": wan_text(override_amount),
        "override_reason": entry.get("override_reason"), "override_by": entry.get("override_by"),
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


YUAN_KEYS = ("amount_yuan", "engine_amount_yuan", "override_amount_yuan")
WAN_KEYS = ("amount_wan", "engine_amount_wan", "override_amount_wan")


def write_push_xlsx(entries: Iterable[dict[str, Any]], meta: dict[str, Any],
                    target: str | IO[bytes], lang: str = "zh") -> int:
    """The list as a one-sheet workbook, written with XlsxWriter in constant-memory mode like
    the run exports (engine.export.xlsx_export): rows stream to a temporary file, so a list of
    100,000 entries is never a workbook in memory. Amounts in yuan are numbers in a ¥ format;
    the 万元 columns are the two-decimal text the page shows."""
    wb = Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                           "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("免申即享名单" if lang == "zh" else "Push list")
    bold, yuan = wb.add_format({"bold": True}), wb.add_format({"num_format": YUAN_FORMAT})
    for col, header in enumerate(headers(lang)):
        write_cell(ws, 0, col, header, bold)
    count = 0
    for entry in entries:
        values = row_values(entry, meta, lang)
        count += 1
        for col, (key, _zh, _en) in enumerate(COLUMNS):
            value = values[key]
            write_cell(ws, count, col, csv_cell(value) if key in WAN_KEYS else value,
                       yuan if key in YUAN_KEYS else None)
    ws.freeze_panes(1, 0)
    wb.close()
    return count
