"""The PDF decision letter: a one- or two-page letter, then the criteria tables as an appendix.

A firm keeps this letter; an official files it. It opens with what the firm can act on
(cover_letter.py: the total, next steps, paths, missing facts), then, as the appendix, states the
rules version and the assessment date, shows each criterion with the firm's own figure, the
threshold, the result, the gap and the clause, marks reconstructed bases with their assumptions,
and says on every page that it is an automated pre-assessment, not an award. Texts come from
engine.explain, as everywhere else; no internal id (item, run, rule name) is printed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from engine.decide.decision import Assessment, CitationRef, CriterionResult, Decision
from engine.decide.engine import Engine
from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.explain.findings import decisive_ids, not_for_region
from engine.explain.firm_summary import FirmSummary, firm_summary, summarize
from engine.explain.summaries import further_bases, region_reason, unmet_summary
from engine.explain.text import (
    MAY_APPLY_NOTE,
    MONEY_STATUSES,
    ORDER,
    amount_text,
    exclusion_head,
    fact_text,
    format_citation,
    format_gap,
    threshold_text,
)
from engine.facts import namespace
from engine.facts.derived import REGISTRY
from engine.facts.money import wan, yuan
from engine.facts.profile import Profile
from engine.rules.catalog import Catalog
from engine.rules.loader import load_catalog

from .cover_letter import cover_letter
from .fonts import cjk_font
from .meta import ExportMeta
from .pdf_doc import Cell, LetterPDF
from .records import Company, Record, decision_of, records_from_assessment

ASSESSED = ("eligible", "may_apply", "undetermined", "ineligible")
EXCLUSION_RESULT = {"pass": "fail", "fail": "pass", "unknown": "unknown"}
COLOR = {"fail": (180, 20, 20), "unknown": (170, 100, 0), "pass": (0, 0, 0)}

TEXT = {
    "title": ("资助项目自动预评估告知书", "Automated pre-assessment of support items"),
    "company": ("企业名称", "Company"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "district": ("所在区", "District"),
    "as_of": ("评估日期", "Assessment date"),
    "rules": ("规则版本", "Rules version"),
    "appendix": ("附录：逐项评估明细", "Appendix: item by item"),
    "generated": ("生成时间", "Generated at"),
    "intro": ("根据企业填报的资料，系统按评估日期有效的政策条款，对下列支持项目逐项进行了自动预评估。",
              "From the facts the firm supplied, each support item in force on the assessment date "
              "was pre-assessed automatically, criterion by criterion."),
    "summary": ("一、评估结果汇总", "1. Summary"),
    "details": ("二、逐项说明", "2. Item by item"),
    "others": ("三、未评估或不适用于本地区的项目", "3. Items not assessed or not for this region"),
    "elsewhere": ("不适用于本地区", "Not for this region"),
    "item": ("支持项目", "Support item"),
    "status": ("评估结果", "Result"),
    "wan": ("预计金额（万元）", "Estimate (CNY 10,000)"),
    "yuan": ("预计金额（元）", "Estimate (CNY)"),
    "criterion": ("条件", "Criterion"),
    "figure": ("企业数据", "Firm's figure"),
    "threshold": ("要求", "Required"),
    "result": ("结果", "Result"),
    "gap": ("差距", "Gap"),
    "clause": ("条款", "Clause"),
    "period": ("版本/有效期", "Version / period"),
    "source": ("依据", "Source"),
    "budget": ("预算额度", "Budget line"),
    "amount": ("金额计算", "Amount"),
    "missing": ("请补充", "Please supply"),
    "stacking": ("叠加规则", "Stacking"),
    "notes": ("其他依据", "Other sources"),
    "if_eligible": ("（如符合条件）", " (if eligible)"),
    "up_to": ("最高 ", "up to "),
    "none_given": ("—", "—"),
    "footer": ("本告知书由系统根据企业填报的资料自动生成，仅为预评估结果，不构成资助决定或承诺；"
               "最终以主管部门审核为准。",
               "This letter is an automated pre-assessment from the facts the firm supplied. It is "
               "not an award or a promise of support; the competent authority decides."),
}


def _t(key: str, lang: str) -> str:
    return labels.pick(TEXT[key], lang)


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _company(records: list[Record]) -> Company:
    if not records:
        raise ValueError("a decision letter needs at least one decision")
    codes = {r["company"].get("credit_code") for r in records}
    if len(codes) > 1:
        raise ValueError(f"a decision letter is for one company, got {len(codes)}: {sorted(map(str, codes))}")
    return records[0]["company"]


def _money(d: Decision, lang: str) -> tuple[str, str]:
    """The estimate in 万元 and in yuan, where the item pays and the firm may qualify."""
    if d.amount is None or d.amount.value is None or d.status not in MONEY_STATUSES:
        return "—", "—"
    prefix = _t("up_to", lang) if d.amount.ceiling else ""
    tail = _t("if_eligible", lang) if d.status == "undetermined" else ""
    if lang == "en":
        figure = f"{d.amount.value / 10000:,.4f}".rstrip("0").rstrip(".")
        return f"{prefix}{figure}{tail}", f"{prefix}{yuan(d.amount.value, lang)}{tail}"
    return f"{prefix}{wan(d.amount.value, lang)}{tail}", f"{prefix}{yuan(d.amount.value, lang)}{tail}"


def _summary(pdf: LetterPDF, decisions: list[Decision], lang: str) -> None:
    pdf.heading(_t("summary", lang))
    rows = [(d.title.get(lang), _t("elsewhere", lang) if not_for_region(d)
             else labels.status(d.status, lang), *_money(d, lang)) for d in decisions]
    pdf.grid([_t(k, lang) for k in ("item", "status", "wan", "yuan")], rows, (70, 40, 34, 36), size=9)


def _figure(c: CriterionResult, lang: str) -> str:
    """The firm's figures a criterion read, with derived quantities' inputs."""
    sep = "；" if lang == "zh" else "; "
    lines = [sep.join(fact_text(r, lang) for r in c.reads)] if c.reads else [_t("none_given", lang)]
    for r in c.reads:
        inputs = sep.join(fact_text(i, lang) for i in r.derived_from if i.value is not None)
        if inputs and r.name in REGISTRY:
            lines.append(f"{REGISTRY[r.name].formula.get(lang, '')}{_sep(lang)}{inputs}")
    return "\n".join(lines)


def _clause(c: CriterionResult, notes: list[CitationRef], item: CitationRef, lang: str) -> str:
    """The clause, or a numbered note when the criterion cites another document or assumption."""
    own = c.citation
    if (own.document, own.basis, own.assumption) == (item.document, item.basis, item.assumption):
        return own.clause
    if c.citation not in notes:
        notes.append(c.citation)
    return f"[{notes.index(c.citation) + 1}]"


def _criterion_row(c: CriterionResult, notes: list[CitationRef], item: CitationRef,
                   lang: str, decisive: set[str]) -> list[Cell]:
    text = c.text.get(lang)
    result = c.status
    if c.role == "exclusion":
        text, result = exclusion_head(c, lang)[1], EXCLUSION_RESULT[c.status]
    threshold = threshold_text(c, lang) if c.role == "criterion" else ""
    gap = format_gap(c.gap, lang) if c.gap and c.id in decisive else ""
    return [text, _figure(c, lang) if c.role != "requirement" else "", threshold,
            (labels.status(result, lang), COLOR[result]), gap, _clause(c, notes, item, lang)]


def _item(pdf: LetterPDF, n: int, d: Decision, lang: str) -> None:
    pdf.heading(f"{n}. {d.title.get(lang)} — {labels.status(d.status, lang)}", size=11)
    period = f"{d.valid_from.isoformat()} – {d.valid_to.isoformat() if d.valid_to else '…'}"
    version = f"{d.version.get(lang)}{'，' if lang == 'zh' else ', '}" if d.version else ""
    pdf.para(f"{_t('period', lang)}{_sep(lang)}{version}{period}")
    pdf.para(f"{_t('source', lang)}{_sep(lang)}{format_citation(d.source, lang)}")
    if d.budget_line_wan is not None:
        pdf.para(f"{_t('budget', lang)}{_sep(lang)}{wan(d.budget_line_wan * 10000, lang)}")
    unmet = unmet_summary(d, lang)
    if unmet:
        pdf.para(unmet)
    if d.status == "may_apply":
        pdf.para(labels.pick(MAY_APPLY_NOTE, lang))
    money = amount_text(d, lang)
    if money and d.status in MONEY_STATUSES and d.amount:
        tail = _t("if_eligible", lang) if d.status == "undetermined" else ""
        pdf.para(f"{_t('amount', lang)}{_sep(lang)}{money}{tail}")
        for step in d.amount.steps:
            pdf.para(step.get(lang), indent=6)
    pdf.ln(1)
    notes: list[CitationRef] = []
    decisive = decisive_ids(d)
    rows = [_criterion_row(c, notes, d.source, lang, decisive) for c in d.criteria]
    if rows:
        header = [_t(k, lang) for k in ("criterion", "figure", "threshold", "result", "gap", "clause")]
        pdf.grid(header, rows, (38, 44, 24, 14, 30, 30), size=7.5)
    for i, note in enumerate(notes, 1):
        pdf.para(f"[{i}] {format_citation(note, lang)}", size=7.5)
    if d.missing:
        fields = ("、" if lang == "zh" else ", ").join(namespace.label(m, lang) for m in d.missing)
        pdf.para(f"{_t('missing', lang)}{_sep(lang)}{fields}")
    if d.stacking:
        pdf.para(f"{_t('stacking', lang)}{_sep(lang)}{d.stacking.reason.get(lang)}")
    for label, text in further_bases(d, lang):
        pdf.para(f"{label}{_sep(lang)}{text}", size=8.5)


def _not_assessed(pdf: LetterPDF, decisions: list[Decision], lang: str) -> None:
    pdf.heading(_t("others", lang))
    rows = [(d.title.get(lang), _t("elsewhere", lang) if not_for_region(d)
             else labels.status(d.status, lang), _other_reason(d, lang)) for d in decisions]
    pdf.grid([_t("item", lang), _t("status", lang), labels.pick(("原因", "Reason"), lang)], rows,
             (55, 35, 90), size=8)


def _other_reason(d: Decision, lang: str) -> str:
    if not_for_region(d):
        return region_reason(d, lang)
    return d.reason.get(lang) if d.reason else ""


def _head(pdf: LetterPDF, company: Company, meta: ExportMeta) -> None:
    """The appendix's head: who, the date and the rules version the decisions were made with
    (no run id: an internal number means nothing to the firm)."""
    lang = meta.lang
    pdf.title_line(_t("appendix", lang))
    district = company.get("district")
    rows = [(_t("company", lang), company.get("name") or "—"),
            (_t("credit_code", lang), company.get("credit_code") or "—"),
            (_t("district", lang), labels.enum(district, lang) if district else "—"),
            (_t("as_of", lang), meta.as_of.isoformat()),
            (_t("rules", lang), meta.rules_version)]
    rows.append((_t("generated", lang), beijing_text(meta.generated_at, lang)))
    pdf.pairs(rows)
    pdf.ln(2)
    pdf.para(_t("intro", lang), size=9.5)


@functools.cache
def _default_catalog() -> Catalog:
    return load_catalog()


def _summary_of(decisions: list[Decision], company: Company, meta: ExportMeta,
                catalog: Catalog | None) -> FirmSummary:
    """The summary of stored decisions (no profile, so no paths): rounds from the catalog, the
    region from the company's district."""
    try:
        profile = Profile(registered_district=company.get("district"))  # type: ignore[arg-type]
    except ValidationError:
        profile = Profile()
    assessment = Assessment(meta.rules_version, meta.as_of, profile, tuple(decisions))
    return firm_summary(assessment, catalog or _default_catalog())


def letter_pdf(records: Iterable[Record], meta: ExportMeta, font: Path | None = None, *,
               summary: FirmSummary | None = None, catalog: Catalog | None = None) -> bytes:
    """Render one company's decision letter: the cover letter, then the appendix.

    Args:
        records: that company's decisions (all with the same credit code).
        meta: rules version, as-of date, run and language of the letter.
        font: a TrueType font file; by default the one `fonts.cjk_font()` finds.
        summary: the firm's summary with its paths (`engine.summarize`); without it the letter
            groups the decisions itself and offers no paths (they need the profile).
        catalog: where the rounds' details are read when `summary` is not given (default: the
            project's rules).

    Raises:
        FontMissingError: no CJK font is installed.
        ValueError: no records, or records of several companies.
    """
    records = list(records)
    company = _company(records)
    lang = meta.lang
    in_order = [decision_of(r) for r in records]
    summary = summary or _summary_of(in_order, company, meta, catalog)
    decisions = sorted(in_order, key=lambda d: ORDER.index(d.status))
    footer = [_t("footer", lang), f"{_t('rules', lang)} {meta.rules_version} · "
              f"{_t('as_of', lang)} {meta.as_of.isoformat()}"]
    pdf = LetterPDF(font or cjk_font(), lang, footer)
    pdf.set_title(_t("title", lang))
    pdf.set_creator("subsidy-eligibility")
    pdf.set_keywords(f"rules_version={meta.rules_version} as_of={meta.as_of.isoformat()}")
    pdf.set_subject(f"{company.get('name') or ''} {meta.as_of.isoformat()} {meta.rules_version}")
    pdf.add_page()
    cover_letter(pdf, summary, company, meta)
    pdf.add_page()
    _head(pdf, company, meta)
    _summary(pdf, decisions, lang)
    assessed = [d for d in decisions if d.status in ASSESSED and not not_for_region(d)]
    if assessed:
        pdf.heading(_t("details", lang))
        for n, d in enumerate(assessed, 1):
            _item(pdf, n, d, lang)
    others = [d for d in decisions if d.status not in ASSESSED or not_for_region(d)]
    if others:
        _not_assessed(pdf, others, lang)
    return bytes(pdf.output())


def firm_letter_pdf(engine: Engine, assessment: Assessment, lang: str = "zh",
                    font: Path | None = None) -> bytes:
    """A firm's own letter from its assessment, with the paths to eligibility (each confirmed
    by `engine`): what the self-check page offers for download."""
    meta = ExportMeta.from_assessment(assessment, lang)
    return letter_pdf(records_from_assessment(assessment), meta, font,
                      summary=summarize(engine, assessment))


def write_letter(records: Iterable[Record], meta: ExportMeta, target: str | Path | IO[bytes],
                 font: Path | None = None, *, summary: FirmSummary | None = None) -> None:
    """Write one company's decision letter to a path or a binary stream."""
    data = letter_pdf(records, meta, font, summary=summary)
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


