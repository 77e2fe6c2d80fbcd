"""Render decisions as text a firm or an official reads: zh-CN by default, English on request.

Everything shown comes from the Decision object: the criteria with the firm's own figures, the
thresholds, the clauses, the gaps and the amount's arithmetic. Single values, requirements, gaps
and citations are worded in engine.explain.phrases (re-exported here).
"""

from __future__ import annotations

from typing import Any

from engine.decide.decision import Assessment, CitationRef, CriterionResult, Decision
from engine.decide.stacking import combination_lines
from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.money import wan, yuan

from . import labels
from .findings import decisive_ids, not_for_region
from .phrases import (  # noqa: F401 - re-exported: the text API in one module
    MARK,
    MAY_APPLY_NOTE,
    MONEY_STATUSES,
    ORDER,
    _read,
    _threshold,
    fact_text,
    format_citation,
    format_gap,
    format_value,
    requirement_text,
    threshold_text,
)
from .summaries import exclusion_head, further_bases, unmet_summary  # noqa: F401


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
    return lines + [f"  {label}{'：' if lang == 'zh' else ': '}{text}"
                    for label, text in further_bases(d, lang)]


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
                  else f"Not for your region ({len(elsewhere)} item"
                  f"{'s' if len(elsewhere) > 1 else ''}): {names}", ""]
    if catalog is not None:
        lines += combination_lines(a.decisions, catalog, lang)
    return "\n".join(lines)
