"""The columns of a decision row, shared by the CSV and XLSX exports, in zh-CN and English.

Values keep their type here (Decimal yuan, dates); each format converts at the last moment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.decide.decision import Decision
from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.explain.findings import decisive_failures
from engine.explain.text import decision_lines, format_gap
from engine.facts import namespace
from engine.facts.money import WAN

from .meta import ExportMeta
from .records import Record, decision_of
from .repeats import Bounded, decision_key

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("credit_code", "统一社会信用代码", "Unified social credit code"),
    ("name", "企业名称", "Company name"),
    ("district", "所在区", "District"),
    ("profile_version", "档案版本", "Profile version"),
    ("item_id", "项目编号", "Item id"),
    ("item_title", "支持项目", "Support item"),
    ("status", "评估结果", "Status"),
    ("amount_yuan", "预计金额（元）", "Estimated amount (CNY)"),
    ("amount_wan", "预计金额（万元）", "Estimated amount (CNY 10,000)"),
    ("ceiling", "金额为上限", "Amount is a ceiling"),
    ("missing", "需补充资料", "Facts to supply"),
    ("failed", "未满足条件及差距", "Unmet criteria and gaps"),
    ("explanation", "评估说明", "Explanation"),
    # A reviewer's actions, beside the engine's decision (never instead of it): store.reviews.
    ("review_state", "审核状态", "Review status"),
    ("override_status", "审核改定结果", "Overriding outcome"),
    ("override_amount_yuan", "审核改定金额（元）", "Overriding amount (CNY)"),
    ("override_reason", "改定理由", "Reason for the override"),
    ("review_note", "审核意见或补充材料要求", "Reviewer's comment or materials requested"),
    ("reviewed_by", "审核人", "Reviewed by"),
    ("reviewed_at", "审核时间（北京时间）", "Reviewed at (Beijing time)"),
    ("rules_version", "规则版本", "Rules version"),
    ("as_of", "评估日期", "As of"),
    ("run_id", "批次编号", "Run id"),
)


def headers(lang: str = "zh", keys: tuple[str, ...] | None = None) -> list[str]:
    """Column headers in the export's language."""
    return [en if lang == "en" else zh for key, zh, en in COLUMNS if keys is None or key in keys]


def to_wan(value: Decimal) -> Decimal:
    """Yuan to 万元, exactly (a cent is 0.000001 万元)."""
    return (value / WAN).normalize() + Decimal(0)


def yes_no(flag: bool, lang: str) -> str:
    return ("是" if flag else "否") if lang == "zh" else ("yes" if flag else "no")


def failed_text(decision: Decision, lang: str) -> str:
    """The decisive unmet criteria, each with its gap: what the firm would have to change."""
    parts = []
    for c in decisive_failures(decision):
        text = c.text.get(lang)
        if c.role == "exclusion":
            text = f"排除情形：{text}" if lang == "zh" else f"Exclusion: {text}"
        if c.gap:
            gap = format_gap(c.gap, lang)
            text += f"（差距：{gap}）" if lang == "zh" else f" (gap: {gap})"
        parts.append(text)
    return ("；" if lang == "zh" else "; ").join(parts)


def missing_text(decision: Decision, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(namespace.label(m, lang) for m in decision.missing)


REVIEW_KEYS = ("review_state", "override_status", "override_amount_yuan", "override_reason",
               "review_note", "reviewed_by", "reviewed_at")
REVIEW_STATES = {"commented": ("已批注", "commented"), "overridden": ("已改定", "overridden"),
                 "materials_requested": ("已要求补充材料", "materials requested")}
_NO_REVIEW = dict.fromkeys(REVIEW_KEYS)


def review_values(review: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """The review columns of a record's `review` (store.runs.review_record); empty without one.
    The overriding outcome is the reviewer's, shown beside the engine's status, never over it."""
    if not review:
        return _NO_REVIEW
    state = REVIEW_STATES.get(review["state"], (review["state"], review["state"]))
    override = review.get("override_status")
    return {
        "review_state": state[1] if lang == "en" else state[0],
        "override_status": labels.status(override, lang) if override else None,
        "override_amount_yuan": review.get("override_amount"),
        "override_reason": review.get("override_reason"),
        "review_note": review.get("note"),
        "reviewed_by": review.get("by"),
        "reviewed_at": beijing_text(review.get("at"), lang, label=False) or None,
    }


ERROR_ITEM = "errors"  # the pseudo item of applicants a run could not decide
ERROR_TEXT = {"zh": ("无法评估", "无法评估的申请人"),
              "en": ("cannot be assessed", "Applicants that could not be assessed")}


def error_values(record: Record, meta: ExportMeta) -> dict[str, Any]:
    """An applicant the run could not decide: its company, its reason, no decision."""
    status, title = ERROR_TEXT["en" if meta.lang == "en" else "zh"]
    company = record["company"]
    district = company.get("district")
    return {key: None for key, _zh, _en in COLUMNS} | {
        "credit_code": company.get("credit_code"), "name": company.get("name"),
        "district": labels.enum(district, meta.lang) if district else None,
        "profile_version": record.get("profile_version"), "item_id": ERROR_ITEM,
        "item_title": title, "status": status, "ceiling": "", "missing": "", "failed": "",
        "explanation": record["error"], "rules_version": meta.rules_version, "as_of": meta.as_of,
        "run_id": meta.run_id}


_SHARED: Bounded[tuple[Any, ...], dict[str, Any]] = Bounded(4096)  # see row_values
# Decided items' columns by decision_key: most repeat from applicant to applicant (see repeats).
_DECIDED: Bounded[tuple[Any, ...], dict[str, Any]] = Bounded(4096)


def row_values(record: Record, meta: ExportMeta) -> dict[str, Any]:
    """One company × item row, keyed by column, values typed (Decimal amounts); a record with an
    `error` instead of a decision gives its error row.

    A record marked `shared` holds a decision that is the same for every applicant of its rules
    version and date (not in force, not assessable): its columns are formatted once and reused,
    which is most of a large export's rows. A decided item's columns are kept by the decision's
    exact key (engine.export.repeats), as many firms get the very same decision."""
    if "error" in record:
        return error_values(record, meta)
    lang = meta.lang
    return {**company_values(record, lang), **record_decision_values(record, meta),
            **review_values(record.get("review"), lang), **run_values(meta)}


def company_values(record: Record, lang: str) -> dict[str, Any]:
    """The columns that name the applicant: its company and profile version."""
    company = record["company"]
    district = company.get("district")
    return {"credit_code": company.get("credit_code"), "name": company.get("name"),
            "district": labels.enum(district, lang) if district else None,
            "profile_version": record.get("profile_version")}


def run_values(meta: ExportMeta) -> dict[str, Any]:
    """The columns that name what the decisions were made with: rules version, date, run."""
    return {"rules_version": meta.rules_version, "as_of": meta.as_of, "run_id": meta.run_id}


def shared_key(record: Record, meta: ExportMeta) -> tuple[Any, ...] | None:
    """What a `shared` record's decision is the same for (rules version, date, item, language);
    None for a record whose decision is the applicant's own."""
    if not record.get("shared"):
        return None
    decision = record["decision"]
    item_id = decision.item_id if isinstance(decision, Decision) else decision["item_id"]
    return meta.rules_version, meta.as_of, item_id, meta.lang


def record_decision_values(record: Record, meta: ExportMeta) -> dict[str, Any]:
    """decision_values of the record's decision, from the caches where it was worded before (the
    dict is shared: read it, do not change it)."""
    key = shared_key(record, meta)
    if key is not None:
        return _SHARED.get(key) or _SHARED.put(key, decision_values(decision_of(record), meta.lang))
    decision = record["decision"]
    if not isinstance(decision, Decision):  # a self-check's record: a few dozen rows at most
        return decision_values(decision_of(record), meta.lang)
    key = (meta.lang, decision_key(decision))
    return _DECIDED.get(key) or _DECIDED.put(key, decision_values(decision, meta.lang))


def decision_values(decision: Decision, lang: str) -> dict[str, Any]:
    """The columns that depend on the decision alone."""
    amount = decision.amount.value if decision.amount else None
    return {
        "item_id": decision.item_id,
        "item_title": decision.title.get(lang),
        "status": labels.status(decision.status, lang),
        "amount_yuan": amount,
        "amount_wan": None if amount is None else to_wan(amount),
        "ceiling": yes_no(bool(decision.amount and decision.amount.ceiling), lang),
        "missing": missing_text(decision, lang),
        "failed": failed_text(decision, lang),
        "explanation": "\n".join(decision_lines(decision, lang)),
    }
