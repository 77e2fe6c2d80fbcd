"""Render decisions as text a firm or an official reads: zh-CN by default, English on request.

Everything shown comes from the Decision object: the criteria with the firm's own figures, the
thresholds, the clauses, the gaps and the amount's arithmetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from engine.decide.decision import Assessment, CitationRef, CriterionResult, Decision, FactRead, Gap
from engine.decide.stacking import combination_lines
from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.kinds import UNDEFINED, UNDEFINED_TEXT, FactKind
from engine.facts.money import number, percent, wan, yuan

from . import labels
from .findings import decisive_failures, decisive_ids, not_for_region

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


def exclusion_head(c: CriterionResult, lang: str = "zh") -> tuple[str, str]:
    """An exclusion as what it is: (mark, text). '✓ 未列入严重失信主体名单' when it does not hold,
    '✗ 排除情形：企业列入严重失信主体名单' when it does, '?' with the question when unknown."""
    if c.status == "fail" and c.cleared is not None:
        return MARK["pass"], c.cleared.get(lang)
    mark = MARK[_exclusion_mark(c.status)]
    label = "排除情形：" if lang == "zh" else "Exclusion: "
    return mark, f"{label}{c.text.get(lang)}"


def criterion_lines(c: CriterionResult, lang: str = "zh",
                    item_source: CitationRef | None = None, show_gap: bool = True) -> list[str]:
    """A criterion's lines; its citation is shown only where it differs from the item's, its gap
    only where it helps (`show_gap`: the failure decides the item)."""
    head = f"{MARK[c.status]} {c.text.get(lang)}"
    if c.role == "exclusion":
        head = " ".join(exclusion_head(c, lang))
    lines = [head]
    if c.role == "requirement":
        return lines
    sep = "；" if lang == "zh" else "; "
    facts = sep.join(_read(r, lang) for r in c.reads)
    need = "" if c.role == "exclusion" else f"{sep}{_threshold(c, lang)}"
    lines.append(f"    {facts}{need}")
    for r in c.reads:
        inputs = sep.join(_read(i, lang) for i in r.derived_from if i.value is not None)
        if inputs:
            formula = REGISTRY[r.name].formula.get(lang, "")
            lines.append(f"    {formula}：{inputs}" if lang == "zh" else f"    {formula}: {inputs}")
    if c.gap and show_gap:
        lines.append(f"    {'差距' if lang == 'zh' else 'Gap'}: {format_gap(c.gap, lang)}"
                     .replace("差距: ", "差距："))
    if c.citation != item_source:
        lines.append(f"    {'依据' if lang == 'zh' else 'Source'}: "
                     f"{format_citation(c.citation, lang)}".replace("依据: ", "依据："))
    return lines


def unmet_summary(d: Decision, lang: str = "zh") -> str | None:
    """One line for an ineligible item: what is not met ('未满足：…'), decisive failures only."""
    if d.status != "ineligible":
        return None
    parts = []
    for c in decisive_failures(d):
        text = exclusion_head(c, lang)[1] if c.role == "exclusion" else c.text.get(lang)
        if c.gap:
            text += f"（{format_gap(c.gap, lang)}）" if lang == "zh" else f" ({format_gap(c.gap, lang)})"
        parts.append(text)
    if not parts and d.reason:
        parts.append(d.reason.get(lang))
    if not parts:
        return None
    return ("未满足：" + "；".join(parts)) if lang == "zh" else "Not met: " + "; ".join(parts)


def _exclusion_mark(status: str) -> str:
    return {"pass": "fail", "fail": "pass"}.get(status, "unknown")


def amount_text(d: Decision, lang: str = "zh") -> str | None:
    a = d.amount
    if a is None or a.value is None:
        return None
    prefix = ("最高 " if lang == "zh" else "up to ") if a.ceiling else ""
    if lang == "zh":
        return f"{prefix}{wan(a.value, lang)}（{yuan(a.value, lang)}）"
    return f"{prefix}{yuan(a.value, lang)}"


def decision_lines(d: Decision, lang: str = "zh") -> list[str]:
    """The full explanation of one decision."""
    status = labels.status(d.status, lang)
    head = f"【{d.title.get(lang)}】{status}" if lang == "zh" else f"[{d.title.get(lang)}] {status}"
    money = amount_text(d, lang)
    if money and d.status in MONEY_STATUSES:
        word = {"may_apply": ("可申报", "apply for")}.get(d.status, ("预计", "estimated"))
        head += f" — {labels.pick(word, lang)} {money}"
        if d.status == "undetermined":
            head += "（如符合条件）" if lang == "zh" else " (if eligible)"
    lines = [head]
    if d.status == "may_apply":
        lines.append("  " + labels.pick(MAY_APPLY_NOTE, lang))
    unmet = unmet_summary(d, lang)
    if unmet:
        lines.append(f"  {unmet}")
    sep = "，" if lang == "zh" else ", "
    version = f"{d.version.get(lang)}{sep}" if d.version else ""
    period = f"{d.valid_from.isoformat()} – {d.valid_to.isoformat() if d.valid_to else '…'}"
    label = "版本/有效期" if lang == "zh" else "Version / period"
    lines.append(f"  {label}{'：' if lang == 'zh' else ': '}{version}{period}")
    lines.append(f"  {'依据' if lang == 'zh' else 'Source'}{'：' if lang == 'zh' else ': '}"
                 f"{format_citation(d.source, lang)}")
    if d.budget_line_wan is not None:
        budget = wan(d.budget_line_wan * 10000, lang)
        lines.append(f"  {'预算额度' if lang == 'zh' else 'Budget line'}"
                     f"{'：' if lang == 'zh' else ': '}{budget}")
    if d.reason:
        lines.append(f"  {d.reason.get(lang)}")
    decisive = decisive_ids(d)
    for c in d.criteria:
        lines += ["  " + line for line in criterion_lines(c, lang, d.source, c.id in decisive)]
    if d.missing:
        fields = ("、" if lang == "zh" else ", ").join(namespace.label(m, lang) for m in d.missing)
        lines.append(f"  {'请补充' if lang == 'zh' else 'Please supply'}"
                     f"{'：' if lang == 'zh' else ': '}{fields}")
    if d.amount and d.status in MONEY_STATUSES:
        lines.append(f"  {'金额计算' if lang == 'zh' else 'Amount'}{'：' if lang == 'zh' else ':'}")
        lines += [f"    {step.get(lang)}" for step in d.amount.steps]
    if d.stacking:
        lines.append(f"  {'叠加规则' if lang == 'zh' else 'Stacking'}"
                     f"{'：' if lang == 'zh' else ': '}{d.stacking.reason.get(lang)}")
    return lines


def assessment_text(a: Assessment, lang: str = "zh", catalog: Any = None) -> str:
    """The whole assessment as plain text (what `subsidy assess` prints)."""
    name = a.profile.name or a.profile.credit_code or ("（未命名企业）" if lang == "zh" else "(unnamed)")
    if lang == "zh":
        lines = [f"企业：{name}", f"评估日期：{a.as_of.isoformat()}    规则版本：{a.rules_version}", ""]
    else:
        lines = [f"Company: {name}",
                 f"Assessment date: {a.as_of.isoformat()}    Rules version: {a.rules_version}", ""]
    elsewhere = [d for d in a.decisions if not_for_region(d)]
    for d in sorted(a.decisions, key=lambda d: ORDER.index(d.status)):
        if d not in elsewhere:
            lines += decision_lines(d, lang) + [""]
    if elsewhere:
        names = ("、" if lang == "zh" else "; ").join(d.title.get(lang) for d in elsewhere)
        lines += [f"不适用于本企业所在地区的项目（{len(elsewhere)}项）：{names}" if lang == "zh"
                  else f"Not for your region ({len(elsewhere)} items): {names}", ""]
    if catalog is not None:
        lines += combination_lines(a.decisions, catalog, lang)
    return "\n".join(lines)


def threshold_text(c: CriterionResult, lang: str = "zh") -> str:
    """What a criterion requires ('≥ 10%', '为 福田区'), for tables that show it in its own column."""
    return _threshold(c, lang)


def fact_text(r: FactRead, lang: str = "zh") -> str:
    """One fact a criterion read, with its label, value and provenance ('研发投入：3,200,000元')."""
    return _read(r, lang)
