"""The letter that opens the PDF: one or two pages a firm can act on.

Firm, date (Beijing time), the round, the total of computed amounts (ceilings apart), each item
it can apply for with the amount and the next steps (window, department, materials, notice, or
来源未公布 where the source is silent), the shortest paths to what is still out of reach, and
what is still missing. The criteria tables follow as an appendix (letter.py). No internal ids:
items by title, never by id; no run id.
"""

from __future__ import annotations

from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.explain.firm_summary import FirmSummary, SummaryItem, path_text
from engine.explain.rounds_text import date_message, round_lines, round_text
from engine.facts import namespace
from engine.facts.money import wan, yuan

from .meta import ExportMeta
from .pdf_doc import LetterPDF
from .records import Company

TEXT = {
    "title": ("资助项目自动预评估告知书", "Automated pre-assessment of support items"),
    "dear": ("{name}：", "To {name}:"),
    "firm": ("贵企业", "the firm"),
    "intro": ("根据贵企业填报的资料，系统按 {day} 有效的政策，对贵企业可申报的支持项目进行了"
              "自动预评估，结果如下。",
              "From the facts you supplied, the support items in force on {day} were pre-assessed "
              "automatically. The result:"),
    "round": ("所评估的申报批次", "Rounds assessed"),
    "total": ("预计可申报金额合计", "Estimated total you can apply for"),
    "total_note": ("（金额已确定的拨款，已按叠加规则取舍；仅知上限的项目和税前扣除不计入）",
                   " (payments with a computed amount, stacking rules applied; ceilings and tax "
                   "deductions are not added)"),
    "eligible": ("一、可申报的项目及下一步", "1. What you can apply for, and next steps"),
    "none_eligible": ("按所填资料，目前没有可申报且金额确定的项目。",
                      "On the facts given, no item can be applied for yet."),
    "amount": ("预计金额", "Estimate"),
    "no_amount": ("金额无法计算（见附录）", "amount not computed (see the appendix)"),
    "ceiling": ("仅知上限的项目（不计入合计）", "Known only by a ceiling (not in the total)"),
    "deduction": ("税前加计扣除（非拨款，不计入合计）", "Tax deductions (not payments, not in the total)"),
    "near": ("二、差一点：最短的改变路径", "2. Nearly there: the shortest changes"),
    "near_note": ("每条路径均已用同一评估引擎对改变后的资料重新评估确认；"
                  "“企业无法改变”的条件不计入可行路径。",
                  "Each path was confirmed by assessing the changed facts with the same engine; "
                  "changes the firm cannot make are not offered as paths."),
    "no_near": ("在企业可改变的范围内，未找到能使其他项目符合条件的改变。",
                "No change within the firm's reach was found that makes another item eligible."),
    "missing": ("三、尚需补充的资料", "3. Facts still needed"),
    "missing_items": ("补充后可判断的项目", "Items they would decide"),
    "no_missing": ("无。", "None."),
    "elsewhere": ("四、其他", "4. Other items"),
    "hopeless": ("不符合条件、且在企业可改变范围内没有能使其符合的改变",
                 "Not eligible, and no change within the firm's reach makes it so"),
    "unpublished": ("条件未公开或仅部分公开的项目", "Items whose conditions are not (fully) published"),
    "counts": ("另有其他地区的项目 {region} 项、不在有效期内的项目 {old} 项，均列于附录。",
               "{region} items of other regions and {old} items not in force on this date are listed "
               "in the appendix."),
    "appendix": ("附录：逐项评估明细", "Appendix: item by item"),
    "generated": ("生成时间", "Generated at"),
    "as_of": ("评估日期", "Assessment date"),
    "credit_code": ("统一社会信用代码", "Credit code"),
}


def _t(key: str, lang: str) -> str:
    return labels.pick(TEXT[key], lang)


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _money(value, lang: str) -> str:  # noqa: ANN001 - Decimal
    return f"{wan(value, 'zh')}（{yuan(value, 'zh')}）" if lang == "zh" else yuan(value, lang)


def cover_letter(pdf: LetterPDF, summary: FirmSummary, company: Company, meta: ExportMeta) -> None:
    """Write the opening letter: head, total, next steps, paths, missing facts, the rest."""
    lang = meta.lang
    _head(pdf, summary, company, meta)
    _eligible(pdf, summary, lang)
    _near(pdf, summary, lang)
    _missing(pdf, summary, lang)
    _others(pdf, summary, lang)


def _head(pdf: LetterPDF, summary: FirmSummary, company: Company, meta: ExportMeta) -> None:
    lang = meta.lang
    pdf.title_line(_t("title", lang))
    name = company.get("name") or _t("firm", lang)
    rows = [(_t("credit_code", lang), company.get("credit_code") or "—"),
            (_t("as_of", lang), meta.as_of.isoformat()),
            (_t("generated", lang), beijing_text(meta.generated_at, lang))]
    district = company.get("district")
    if district:
        rows.insert(1, (labels.pick(("所在区", "District"), lang), labels.enum(district, lang)))
    pdf.para(_t("dear", lang).format(name=name), size=10.5)
    pdf.pairs(rows, size=9)
    pdf.para(_t("intro", lang).format(day=meta.as_of.isoformat()), size=9.5)
    if summary.rounds_in_force:
        rounds = ("；" if lang == "zh" else "; ").join(
            round_text(r, lang) for r in summary.rounds_in_force)  # type: ignore[arg-type]
        pdf.para(f"{_t('round', lang)}{_sep(lang)}{rounds}", size=8.5)
    for on in summary.nothing_in_force:
        pdf.para(date_message(on, lang) or "", size=9.5)
    pdf.ln(1)
    pdf.para(f"{_t('total', lang)}{_sep(lang)}{_money(summary.total, lang)}", size=12)
    pdf.para(_t("total_note", lang).strip(), size=8)


def _eligible(pdf: LetterPDF, summary: FirmSummary, lang: str) -> None:
    pdf.heading(_t("eligible", lang), size=11)
    items = summary.group("eligible")
    if not items:
        pdf.para(_t("none_eligible", lang))
    for n, item in enumerate(items, 1):
        _next_steps(pdf, n, item, lang)
    if summary.ceilings:
        shown = ("；" if lang == "zh" else "; ").join(
            f"{i.decision.title.get(lang)} {labels.pick(('最高', 'up to'), lang)} "
            f"{yuan(i.decision.amount.value, lang)}" for i in summary.ceilings)  # type: ignore[union-attr, arg-type]
        pdf.para(f"{_t('ceiling', lang)}{_sep(lang)}{shown}", size=8.5)
    if summary.deductions:
        shown = ("；" if lang == "zh" else "; ").join(
            f"{i.decision.title.get(lang)} {yuan(v, lang)}" for i, v in summary.deductions)
        pdf.para(f"{_t('deduction', lang)}{_sep(lang)}{shown}", size=8.5)


def _next_steps(pdf: LetterPDF, n: int, item: SummaryItem, lang: str) -> None:
    d = item.decision
    amount = d.amount.value if d.amount else None
    shown = _money(amount, lang) if amount is not None else _t("no_amount", lang)
    version = f"（{d.version.get(lang)}）" if d.version and lang == "zh" else (
        f" ({d.version.get(lang)})" if d.version else "")
    pdf.para(f"{n}. {d.title.get(lang)}{version} — {_t('amount', lang)}{_sep(lang)}{shown}", size=9.5)
    for line in round_lines(item.round, lang):
        text = line.text + (f" {line.url}" if line.url else "")
        if line.assumption:
            text += labels.pick(("（推定：", " (assumed: "), lang) + line.assumption + \
                labels.pick(("）", ")"), lang)
        pdf.para(f"{line.label}{_sep(lang)}{text}", size=8, indent=5)


def _near(pdf: LetterPDF, summary: FirmSummary, lang: str) -> None:
    pdf.heading(_t("near", lang), size=11)
    if not summary.top_paths:
        pdf.para(_t("no_near", lang), size=9)
        return
    for n, path in enumerate(summary.top_paths, 1):
        pdf.para(f"{n}. {path_text(path, lang)}", size=9)
    pdf.para(_t("near_note", lang), size=7.5)


def _missing(pdf: LetterPDF, summary: FirmSummary, lang: str) -> None:
    pdf.heading(_t("missing", lang), size=11)
    items = [i for i in summary.group("to_supply") + summary.group("near") if i.decision.missing]
    facts = list(dict.fromkeys(m for i in items for m in i.decision.missing))
    if not facts:
        pdf.para(_t("no_missing", lang), size=9)
        return
    sep = "、" if lang == "zh" else ", "
    pdf.para(sep.join(namespace.label(m, lang) for m in facts), size=9)
    titles = sep.join(i.decision.title.get(lang) for i in items)
    pdf.para(f"{_t('missing_items', lang)}{_sep(lang)}{titles}", size=8)


def _others(pdf: LetterPDF, summary: FirmSummary, lang: str) -> None:
    pdf.heading(_t("elsewhere", lang), size=11)
    unpublished = summary.group("unpublished")
    if unpublished:
        sep = "、" if lang == "zh" else "; "
        names = sep.join(i.decision.title.get(lang) for i in unpublished)
        pdf.para(f"{_t('unpublished', lang)}{_sep(lang)}{names}", size=8)
    hopeless = summary.group("ineligible")
    if hopeless:
        sep = "、" if lang == "zh" else "; "
        names = sep.join(i.decision.title.get(lang) for i in hopeless)
        pdf.para(f"{_t('hopeless', lang)}{_sep(lang)}{names}", size=8)
    pdf.para(_t("counts", lang).format(region=len(summary.group("other_region")),
                                       old=len(summary.group("not_in_force"))), size=8)
