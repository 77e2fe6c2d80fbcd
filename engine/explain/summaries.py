"""What a reader needs besides the criteria: an exclusion as what it is, the one-line 未满足
summary of an ineligible item, and the further bases (amount, stacking, notes) with their
assumptions marked 推定.
"""

from __future__ import annotations

from engine.decide.decision import CitationRef, CriterionResult, Decision

from . import labels
from .findings import REGION_FACTS, decisive_failures
from .phrases import MARK, MONEY_STATUSES, format_citation, format_gap


def exclusion_head(c: CriterionResult, lang: str = "zh") -> tuple[str, str]:
    """An exclusion as what it is: (mark, text). '✓ 未列入严重失信主体名单' when it does not hold,
    '✗ 排除情形：企业列入严重失信主体名单' when it does, '?' with the question when unknown."""
    if c.status == "fail" and c.cleared is not None:
        return MARK["pass"], c.cleared.get(lang)
    mark = MARK[_exclusion_mark(c.status)]
    label = "排除情形：" if lang == "zh" else "Exclusion: "
    return mark, f"{label}{c.text.get(lang)}"


def region_reason(d: Decision, lang: str = "zh") -> str:
    """Why an item is for another region, in its territorial tests alone ('适用范围：企业位于惠州市')."""
    texts = [c.text.get(lang) for c in decisive_failures(d)
             if c.role == "criterion" and c.fact in REGION_FACTS]
    return ("适用范围：" if lang == "zh" else "Applies to: ") + ("；" if lang == "zh" else "; ").join(texts)


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


def further_bases(d: Decision, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, text) for what the amount, the stacking rule and the item's notes rest on, where
    they differ from the item's source: each reconstruction marked 推定 with its assumption."""
    out = []
    if d.figures is not None:
        out.append((labels.pick(("数据年度提示", "Figures year"), lang), d.figures.text.get(lang)))
    a = d.amount
    if a and d.status in MONEY_STATUSES and _own(a.citation, d.source):
        out.append((labels.pick(("金额依据", "Amount basis"), lang), format_citation(a.citation, lang)))
    if d.stacking and d.stacking.citation.basis == "reconstructed":
        out.append((labels.pick(("叠加规则依据", "Stacking basis"), lang),
                    format_citation(d.stacking.citation, lang)))
    if d.notes:
        out.append((labels.pick(("说明", "Note"), lang), d.notes.get(lang)))
    return out


def _own(cited: CitationRef, source: CitationRef) -> bool:
    """The amount rests on a clause of its own (its cite, or the chosen case's), not only on the
    item's source: its document, clause or reconstruction differs."""
    return (cited.document, cited.clause) != (source.document, source.clause) or (
        cited.basis == "reconstructed" and cited.assumption != source.assumption)
