"""How single things are worded, in zh-CN and English: a fact's value, a requirement as a
sentence, a gap, a citation (with 推定 and its assumption). The text, the pages, the letter and
the exports all word them through here, so they read the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from engine.decide.decision import CitationRef, CriterionResult, FactRead, Gap
from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.kinds import UNDEFINED, UNDEFINED_TEXT, FactKind
from engine.facts.money import number, percent, yuan

from . import labels

MARK = {"pass": "✓", "fail": "✗", "unknown": "?"}
ORDER = ("eligible", "may_apply", "undetermined", "ineligible", "not_assessable", "not_in_force")
MONEY_STATUSES = ("eligible", "may_apply", "undetermined")  # those whose amount is shown
MAY_APPLY_NOTE = (
    "条件未全部公开：已公开的条件均符合，其余条件由主管部门审核；金额为上限或估算，不计入可获得合计。",
    "Conditions not fully published: every published condition is met, the rest are checked by "
    "the department; the amount is a ceiling or an estimate and is not counted in any total.")


def format_value(name: str, value: Any, lang: str = "zh") -> str:
    """A fact's value as a person reads it: money in yuan, ratios in %, enums by name."""
    if value is None:
        return "未填报" if lang == "zh" else "not given"
    kind: FactKind = namespace.kind(name)
    if kind.name == "ratio" and (value is UNDEFINED or value == UNDEFINED_TEXT):
        return "无法计算（分母为0）" if lang == "zh" else "undefined (the denominator is zero)"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, list):
        sep = "、" if lang == "zh" else ", "
        return sep.join(format_value(name, v, lang) for v in value)
    if kind.name == "bool" or isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if kind.name == "enum":
        return labels.enum(str(value), lang)
    if kind.name == "money":
        return yuan(Decimal(str(value)), lang)
    if kind.name == "ratio":
        return percent(Decimal(str(value)))
    if kind.name == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    unit = namespace.unit(name)
    if unit is None and isinstance(value, int):
        return str(value)  # a year or a code, not a quantity: no thousands separator
    return f"{number(Decimal(str(value)))}{_unit_suffix(unit, Decimal(str(value)), lang)}"


def _unit_suffix(unit: str | None, quantity: Decimal, lang: str) -> str:
    """'人' in Chinese; ' persons', or ' person' for exactly one, in English."""
    if unit not in labels.UNIT:
        return ""
    suffix = labels.pick(labels.UNIT[unit], lang)
    return suffix[:-1] if lang == "en" and quantity == 1 and suffix.endswith("s") else suffix


def _threshold(c: CriterionResult, lang: str) -> str:
    """What the criterion requires, as a sentence: '须超过 500,000元', '须为 福田区'."""
    return requirement_text(c.fact, c.op, c.value, c.ref, lang)


def requirement_text(fact: str, op: str, value: Any, ref: str | None, lang: str = "zh") -> str:
    """The requirement of a test of `fact` as a sentence, for every output alike."""
    kind = namespace.kind(fact).name
    if op == "exists":
        shown = ""
    elif ref is not None:
        shown = namespace.label(ref, lang)
    elif op == "between":
        low, high = (format_value(fact, _typed(fact, v), lang) for v in value)
        shown = f"{low} 至 {high}" if lang == "zh" else f"{low} and {high}"
    else:
        shown = format_value(fact, _typed(fact, value), lang)
    return labels.requirement(op, shown, lang, kind, value)


def _typed(name: str, value: Any) -> Any:
    """A rule literal in the fact's own type, for display."""
    kind = namespace.kind(name)
    if kind.name == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind.numeric and kind.name != "date" and not isinstance(value, bool | list):
        return Decimal(str(value))
    return value


def _read(r: FactRead, lang: str) -> str:
    text = f"{namespace.label(r.name, lang)}：{format_value(r.name, r.value, lang)}"
    if lang == "en":
        text = text.replace("：", ": ")
    if r.source:
        origin = labels.enum(r.source, lang)
        when = f" {r.source_date.isoformat()}" if r.source_date else ""
        text += f"（{origin}{when}）" if lang == "zh" else f" ({origin}{when})"
    return text


def format_gap(gap: Gap, lang: str = "zh") -> str:
    """'还需增加 1 人（科技人员）' / 'needs 1 person more (S&T staff)'; for time that must pass,
    the date from which the firm qualifies ('自 2021-06-18 起符合')."""
    if gap.from_date is not None:
        day = gap.from_date.isoformat()
        return f"自 {day} 起符合" if lang == "zh" else f"qualifies from {day}"
    quantity = REGISTRY.get(gap.of)
    what = (quantity.numerator.get(lang) if quantity and quantity.numerator
            else namespace.label(gap.of, lang))
    if gap.unit == "yuan":
        amount = yuan(gap.shortfall, lang)
    elif gap.unit in labels.UNIT:
        amount = f"{number(gap.shortfall)}{_unit_suffix(gap.unit, gap.shortfall, lang)}"
    else:
        amount = number(gap.shortfall)
    if lang == "en":
        verb = {"more": "needs", "less": "must fall by", "later": "must be later by",
                "earlier": "must be earlier by"}[gap.direction]
        tail = " more" if gap.direction == "more" else ""
        fixed = " (others held fixed)" if quantity and quantity.numerator else ""
        return f"{verb} {amount}{tail} ({what}){fixed}"
    verb = {"more": "还需增加", "less": "需减少", "later": "需推后", "earlier": "需提前"}[gap.direction]
    fixed = "，其他数据不变" if quantity and quantity.numerator else ""
    return f"{verb} {amount}（{what}{fixed}）"


def format_citation(c: CitationRef, lang: str = "zh") -> str:
    text = f"{c.document} {c.clause}"
    if c.basis == "reconstructed":
        note = c.assumption.get(lang) if c.assumption else ""
        text += f"〔推定：{note}〕" if lang == "zh" else f" [reconstructed: {note}]"
    return text


def threshold_text(c: CriterionResult, lang: str = "zh") -> str:
    """What a criterion requires ('≥ 10%', '为 福田区'), for tables that show it in its own column."""
    return _threshold(c, lang)


def fact_text(r: FactRead, lang: str = "zh") -> str:
    """One fact a criterion read, with its label, value and provenance ('研发投入：3,200,000元')."""
    return _read(r, lang)
