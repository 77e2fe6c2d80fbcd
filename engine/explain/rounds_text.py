"""Rounds in words: the rounds a catalog holds, what a date falls in, and a round's details.

Every part of a round the source does not publish reads 来源未公布 / "not published by the
source": never a blank, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.rules.base import Citation
from engine.rules.model import NOT_PUBLISHED, Round
from engine.rules.rounds import CatalogRound, RoundsOnDate

from . import labels

SILENT = ("来源未公布", "not published by the source")
PARTS = {"window": ("申报时间", "Application window"), "department": ("受理部门", "Accepting department"),
         "contact": ("联系方式", "Contact"), "materials": ("申报材料", "Materials"),
         "notice": ("申报通知", "Notice")}


@dataclass(frozen=True)
class RoundLine:
    """One part of a round, labelled, with its text (or the silent marker) and its basis."""

    part: str  # window | department | contact | materials | notice
    label: str
    text: str
    published: bool
    assumption: str | None = None  # a reconstructed part says what was assumed
    url: str | None = None
    # materials: each document with what it shows (来源未公布 where the source does not say)
    items: tuple[tuple[str, str], ...] = ()
    cite: str | None = None  # the document and clause this part is taken from


def period_text(r: CatalogRound, lang: str) -> str:
    end = r.valid_to.isoformat() if r.valid_to else ("起长期有效" if lang == "zh" else "open-ended")
    return f"{r.valid_from.isoformat()} – {end}"


def round_text(r: CatalogRound, lang: str) -> str:
    """"福田区产业发展专项资金（科技创新分项）2020年申报批次（2020-01-01 – 2020-12-31）"; a round
    whose versions carry no label is named by its program and period alone."""
    period = period_text(r, lang)
    synthetic = r.label.get(lang).endswith("有效") or r.label.get(lang).startswith("in force ")
    label = "" if synthetic else r.label.get(lang)
    if lang == "zh":
        return f"{r.program_title.zh}{label}（{period}）"
    return f"{r.program_title.en}{', ' + label if label else ''} ({period})"


def date_message(on: RoundsOnDate, lang: str) -> str | None:
    """The clear message for a date with nothing in force, naming the nearest rounds; None when
    some round is in force."""
    if on.in_force:
        return None
    near = [round_text(r, lang) for r in (on.before, on.after) if r is not None]
    day = on.day.isoformat()
    title = on.program_title.get(lang) if on.program_title else None
    if lang == "zh":
        head = f"{title + '：' if title else ''}评估日期 {day} 没有有效的申报批次。"
        return head + (f"目录中最近的批次：{'；'.join(near)}。" if near else "目录中没有任何批次。")
    head = f"{title + ': ' if title else ''}No round is in force on {day}."
    return head + (f" Nearest rounds in the catalog: {'; '.join(near)}." if near
                   else " The catalog holds no round.")


def _assumption(cite: Citation | None, lang: str) -> str | None:
    if cite is None or cite.basis != "reconstructed" or cite.assumption is None:
        return None
    return cite.assumption.get(lang)


def _cite_text(cite: Citation | None) -> str | None:
    """'福田区科技创新局2018年部门预算 四（二）4'; None when the part cites the item's own
    source (no document of its own), which the card names once."""
    if cite is None or cite.document is None:
        return None
    return f"{cite.document} {cite.clause}"


def _material_items(application: Round, lang: str) -> tuple[tuple[str, str], ...]:
    silent = labels.pick(SILENT, lang)
    return tuple((m.name.get(lang), silent if m.proves == NOT_PUBLISHED else m.proves.get(lang))  # type: ignore[union-attr]
                 for m in application.materials)  # type: ignore[union-attr]


def _silent(part: str, lang: str) -> RoundLine:
    return RoundLine(part, labels.pick(PARTS[part], lang), labels.pick(SILENT, lang), False)


def _materials_text(application: Round, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    parts = []
    for m in application.materials:  # type: ignore[union-attr]
        proves = None if m.proves == NOT_PUBLISHED else m.proves.get(lang)  # type: ignore[union-attr]
        if proves:
            parts.append(f"{m.name.get(lang)}（证明：{proves}）" if lang == "zh"
                         else f"{m.name.get(lang)} (shows: {proves})")
        else:
            parts.append(m.name.get(lang))
    return sep.join(parts)


def round_lines(application: Round | None, lang: str) -> list[RoundLine]:
    """The window, department, contact, materials and notice of an item version, in order;
    `None` (a version that states no round) reads as silent on every part."""
    if application is None:
        return [_silent(p, lang) for p in PARTS]
    out: list[RoundLine] = []
    window = application.window
    out.append(_silent("window", lang) if window == NOT_PUBLISHED else RoundLine(
        "window", labels.pick(PARTS["window"], lang), window.text.get(lang), True,  # type: ignore[union-attr]
        _assumption(window.cite, lang), cite=_cite_text(window.cite)))  # type: ignore[union-attr]
    dept = application.department
    if dept == NOT_PUBLISHED:
        out += [_silent("department", lang), _silent("contact", lang)]
    else:
        out.append(RoundLine("department", labels.pick(PARTS["department"], lang),
                             dept.name.get(lang), True, _assumption(dept.cite, lang),  # type: ignore[union-attr]
                             cite=_cite_text(dept.cite)))  # type: ignore[union-attr]
        contact = dept.contact  # type: ignore[union-attr]
        out.append(_silent("contact", lang) if contact == NOT_PUBLISHED else RoundLine(
            "contact", labels.pick(PARTS["contact"], lang), contact.get(lang), True,
            cite=_cite_text(dept.cite)))  # type: ignore[union-attr]
    out.append(_silent("materials", lang) if application.materials == NOT_PUBLISHED else RoundLine(
        "materials", labels.pick(PARTS["materials"], lang), _materials_text(application, lang), True,
        _assumption(application.materials_cite, lang), items=_material_items(application, lang),
        cite=_cite_text(application.materials_cite)))
    notice = application.notice
    out.append(_silent("notice", lang) if notice == NOT_PUBLISHED else RoundLine(
        "notice", labels.pick(PARTS["notice"], lang), notice.title.get(lang), True,  # type: ignore[union-attr]
        _assumption(notice.cite, lang), notice.url, cite=_cite_text(notice.cite)))  # type: ignore[union-attr]
    return out


def round_label(r: CatalogRound, lang: str) -> str:
    return r.label.get(lang)

