"""The report of a policy draft's impact (store.drafts): who flips and why, and the budget effect
per item, as CSV for Excel (UTF-8 with a BOM) or JSON for machines. Pure over the report.

Money is Decimal yuan, shown in 万元 with two decimals beside the exact yuan; an amount known only
as a ceiling is marked, never presented as a payout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from engine.explain import labels

from .csv_export import BOM
from .safe import neutralise

WAN = Decimal(10000)
ERRORS_KEPT = 200  # reasons kept in a report; all are counted
CENT_WAN = Decimal("0.01")


@dataclass(frozen=True)
class CriterionFlip:
    id: str
    text: dict[str, str] | None
    before: str | None  # pass | fail | unknown; None: not in that decision
    after: str | None
    facts: list[dict[str, Any]] = field(default_factory=list)  # what the draft's decision read


@dataclass(frozen=True)
class Flip:
    """One firm's decision on one item that the draft changes."""

    credit_code: str
    name: str | None
    fiscal_year: int | None
    profile_id: int
    item_id: str
    title: dict[str, str]
    kind: str  # status | amount
    before: str
    after: str
    amount_before: Decimal | None
    amount_after: Decimal | None
    ceiling_before: bool
    ceiling_after: bool
    criteria: tuple[CriterionFlip, ...]


@dataclass(frozen=True)
class ItemEffect:
    """One item's budget effect: computed amounts of eligible, receivable decisions only."""

    item_id: str
    title: dict[str, str] | None
    eligible_before: int
    eligible_after: int
    total_before: Decimal
    total_after: Decimal
    at_ceiling_before: int  # eligible with only a ceiling: counted, never summed
    at_ceiling_after: int

    @property
    def delta(self) -> Decimal:
        return self.total_after - self.total_before


@dataclass
class DraftImpact:
    """The report. `flips` holds every flip only when no sink took them (store.drafts): a
    background job streams them to files instead and keeps `flip_count`; `errors` keeps the
    first ERRORS_KEPT reasons and `error_count` counts them all, so memory stays flat in N."""

    current_version: str
    draft_version: str
    as_of: dt.date
    selection: str  # "run N", "all stored firms" or "district D"
    applicants: int = 0
    flips: list[Flip] = field(default_factory=list)
    items: list[ItemEffect] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (credit code, why)
    example_failures: list[str] = field(default_factory=list)  # the draft's own examples
    flip_count: int = 0
    error_count: int = 0

    @property
    def budget_delta(self) -> Decimal:
        return sum((i.delta for i in self.items), Decimal(0))


def wan_text(value: Decimal | None) -> str:
    """Yuan as 万元 with two decimals ('32.00'); '' for none."""
    return "" if value is None else format((value / WAN).quantize(CENT_WAN), "f")


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _criteria_text(flip: Flip, lang: str) -> str:
    parts = []
    for c in flip.criteria:
        text = (c.text or {}).get(lang) or c.id
        before = labels.status(c.before, lang) if c.before else "—"
        after = labels.status(c.after, lang) if c.after else "—"
        facts = ", ".join(f"{f.get('name')}={f.get('value')}" for f in c.facts)
        parts.append(f"{c.id} {text}: {before} → {after}" + (f" ({facts})" if facts else ""))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


FLIP_HEADERS = {
    "zh": ["统一社会信用代码", "企业名称", "数据所属年度", "项目编号", "支持项目", "变化", "现行规则结果",
           "草案结果", "现行金额（万元）", "草案金额（万元）", "现行金额（元）", "草案金额（元）",
           "金额为上限（现行/草案）", "导致变化的条件"],
    "en": ["Credit code", "Company name", "Fiscal year", "Item id", "Support item", "Change",
           "Rules in force", "Draft", "In force (CNY 10,000)", "Draft (CNY 10,000)",
           "In force (CNY)", "Draft (CNY)", "Ceiling only (in force/draft)", "Criteria that changed"],
}
ITEM_HEADERS = {
    "zh": ["项目编号", "支持项目", "现行符合（家）", "草案符合（家）", "现行预计支出（万元）",
           "草案预计支出（万元）", "变化（万元）", "变化（元）", "仅知上限（现行/草案，不计入）"],
    "en": ["Item id", "Support item", "Eligible in force", "Eligible under the draft",
           "Payout in force (CNY 10,000)", "Payout under the draft (CNY 10,000)",
           "Change (CNY 10,000)", "Change (CNY)", "Ceiling only (in force/draft, not summed)"],
}


def _yes(flag: bool, lang: str) -> str:
    return ("是" if flag else "否") if lang == "zh" else ("yes" if flag else "no")


def flip_row(flip: Flip, lang: str) -> list[Any]:
    """One flip as a row under FLIP_HEADERS (CSV and XLSX alike), text neutralised."""
    zh = lang == "zh"
    return [flip.credit_code, neutralise(flip.name or ""), flip.fiscal_year or "",
            flip.item_id, neutralise(flip.title.get(lang, "")),
            ("结果" if zh else "status") if flip.kind == "status" else ("金额" if zh else "amount"),
            labels.status(flip.before, lang), labels.status(flip.after, lang),
            wan_text(flip.amount_before), wan_text(flip.amount_after),
            _plain(flip.amount_before), _plain(flip.amount_after),
            f"{_yes(flip.ceiling_before, lang)}/{_yes(flip.ceiling_after, lang)}",
            neutralise(_criteria_text(flip, lang))]


def item_row(item: ItemEffect, lang: str) -> list[Any]:
    """One item's budget effect as a row under ITEM_HEADERS."""
    return [item.item_id, neutralise((item.title or {}).get(lang, "")),
            item.eligible_before, item.eligible_after, wan_text(item.total_before),
            wan_text(item.total_after), wan_text(item.delta), _plain(item.delta),
            f"{item.at_ceiling_before}/{item.at_ceiling_after}"]


def heading_row(report: DraftImpact, lang: str) -> list[Any]:
    zh = lang == "zh"
    return ["现行规则版本" if zh else "Rules in force", report.current_version,
            "草案规则版本" if zh else "Draft rules", report.draft_version,
            "评估日期" if zh else "As of", report.as_of.isoformat(),
            "范围" if zh else "Scope", report.selection,
            "企业数" if zh else "Firms", report.applicants]


def write_draft_head(report: DraftImpact, lang: str) -> str:
    """The CSV up to the flips' header row included: the heading block and the budget effect
    per item (the flips follow, one flip_row each)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(heading_row(report, lang))
    out.writerow([])
    out.writerow(ITEM_HEADERS[lang])
    for item in report.items:
        out.writerow(item_row(item, lang))
    out.writerow([])
    out.writerow(FLIP_HEADERS[lang])
    return buffer.getvalue()


def write_draft_csv(report: DraftImpact, stream: IO[bytes], lang: str = "zh") -> int:
    """The report as one CSV: a heading block, the budget effect per item, then the flips.

    Returns:
        The number of flips written.
    """
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    for flip in report.flips:
        out.writerow(flip_row(flip, lang))
    stream.write((BOM + write_draft_head(report, lang) + buffer.getvalue()).encode("utf-8"))
    return len(report.flips)


def flip_json(f: Flip) -> dict[str, Any]:
    """One flip for machines (and a job's summary): amounts as decimal strings in yuan."""
    return {"credit_code": f.credit_code, "name": f.name, "fiscal_year": f.fiscal_year,
            "item_id": f.item_id, "title": f.title, "kind": f.kind, "before": f.before,
            "after": f.after, "amount_before": _plain(f.amount_before) or None,
            "amount_after": _plain(f.amount_after) or None,
            "ceiling_before": f.ceiling_before, "ceiling_after": f.ceiling_after,
            "criteria": [{"id": c.id, "text": c.text, "before": c.before, "after": c.after,
                          "facts": c.facts} for c in f.criteria]}


def item_json(i: ItemEffect) -> dict[str, Any]:
    return {"item_id": i.item_id, "title": i.title, "eligible_before": i.eligible_before,
            "eligible_after": i.eligible_after, "total_before": _plain(i.total_before),
            "total_after": _plain(i.total_after), "delta": _plain(i.delta),
            "at_ceiling_before": i.at_ceiling_before, "at_ceiling_after": i.at_ceiling_after}


def draft_json(report: DraftImpact) -> dict[str, Any]:
    """The report for machines: amounts as decimal strings in yuan."""
    return {
        "current_version": report.current_version, "draft_version": report.draft_version,
        "as_of": report.as_of.isoformat(), "selection": report.selection,
        "applicants": report.applicants, "budget_delta": _plain(report.budget_delta),
        "example_failures": report.example_failures,
        "errors": [{"credit_code": c, "reason": r} for c, r in report.errors],
        "items": [item_json(i) for i in report.items],
        "flips": [flip_json(f) for f in report.flips],
    }


def write_draft_json(report: DraftImpact, stream: IO[bytes]) -> None:
    stream.write(json.dumps(draft_json(report), ensure_ascii=False, indent=1,
                            default=str).encode("utf-8"))
