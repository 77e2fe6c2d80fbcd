"""Stale figures flagged: a decision that read a profile's yearly figures (revenue, R&D, staff)
of another fiscal year than the round reviews says so, with both years.

The round's year comes from the rule (`figures_year`: `prior`, the year before the assessment
date, by default; `current` for the tax year of the super deduction). The status is not changed:
the figures are what the firm gave, and review asks for the right year's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from engine.facts import namespace
from engine.facts.profile import YEARLY_FACTS
from engine.rules.model import Text
from engine.rules.tree import leaves

from .compiler import CompiledCatalog, CompiledItem
from .decision import Decision, FiguresNote
from .usage import amount_facts

DECIDED = ("eligible", "may_apply", "ineligible", "undetermined")
_READS: dict[int, tuple[CompiledItem, tuple[str, ...]]] = {}


def yearly_reads(compiled_item: CompiledItem) -> tuple[str, ...]:
    """The yearly profile fields an item version reads (criteria and amount, derived quantities
    traced to their inputs), memoised by the compiled item's identity."""
    cached = _READS.get(id(compiled_item))
    if cached is not None and cached[0] is compiled_item:
        return cached[1]
    names: list[str] = []
    if compiled_item.tree is not None:
        names += [n for leaf in leaves(compiled_item.tree) for n in (leaf.fact, leaf.ref) if n]
    names += amount_facts(compiled_item.item.amount)
    fields = [f for n in names for f in namespace.inputs(n) if f in YEARLY_FACTS]
    reads = tuple(dict.fromkeys(fields))
    _READS[id(compiled_item)] = (compiled_item, reads)
    return reads


def _compiled(decision: Decision, compiled: CompiledCatalog) -> CompiledItem | None:
    for index, item in enumerate(compiled.catalog.versions[decision.item_id]):
        if item.valid_from == decision.valid_from:
            return compiled.items.get((decision.item_id, index))
    return None


def flag_figures(decisions: list[Decision], compiled: CompiledCatalog, profile: Any,
                 day: dt.date) -> list[Decision]:
    """Each decided item that read yearly figures the profile gives, of a fiscal year other than
    the one its round reviews (or of no stated year), carries a FiguresNote."""
    known = profile.known()
    out = []
    for d in decisions:
        item = _compiled(d, compiled) if d.status in DECIDED else None
        read = tuple(f for f in yearly_reads(item) if f in known) if item else ()
        prior = item is not None and item.item.figures_year == "prior"
        expected = day.year - (1 if prior else 0)
        if read and profile.fiscal_year != expected:
            d = replace(d, figures=FiguresNote(expected, profile.fiscal_year, read,
                                               _text(expected, profile.fiscal_year, read, prior)))
        out.append(d)
    return out


def _labels(facts: tuple[str, ...], lang: str) -> str:
    shown = [namespace.label(f, lang) for f in facts[:3]]
    more = len(facts) > 3
    return ("、".join(shown) + ("等" if more else "")) if lang == "zh" else (
        ", ".join(shown) + (", …" if more else ""))


def _text(expected: int, year: int | None, facts: tuple[str, ...], prior: bool) -> Text:
    zh, en = _labels(facts, "zh"), _labels(facts, "en")
    which_zh = "评估日期的上一年度" if prior else "评估日期所在年度"
    which_en = "the year before the assessment date" if prior else "the assessment year"
    if year is None:
        return Text(zh=f"本项按{which_zh}（{expected}年度）的数据评估，档案未写明数据所属年度（{zh}），"
                       "结论仅供参考，请核对数据年度。",
                    en=f"This item reads the figures of {which_en} ({expected}); the profile does "
                       f"not say which year its figures ({en}) are for, so the outcome is "
                       "indicative only: check the year.")
    return Text(zh=f"本项按{which_zh}（{expected}年度）的数据评估，档案数据为{year}年度（{zh}），"
                   f"结论仅供参考，请以{expected}年度数据重新评估。",
                en=f"This item reads the figures of {which_en} ({expected}); the profile's "
                   f"figures ({en}) are for {year}, so the outcome is indicative only: assess "
                   f"again with the {expected} figures.")


class FiguresCheck:
    """flag_figures with each item version's yearly reads found once, for the engine's hot path:
    the same notes, and nothing at all to do for a profile of the year the rounds review."""

    def __init__(self, compiled: CompiledCatalog) -> None:
        self._reads: dict[tuple[str, dt.date], tuple[tuple[str, ...], bool]] = {}
        for (item_id, _index), item in compiled.items.items():
            key = (item_id, item.item.valid_from)
            if key not in self._reads:  # as _compiled: the first version from that date
                self._reads[key] = (yearly_reads(item), item.item.figures_year == "prior")

    def flag(self, decisions: list[Decision], profile: Any, day: dt.date,
             known: dict[str, Any], positions: Any = None) -> list[Decision]:
        """Args: known: the profile's known fields (profile.known(), derived names may be in it:
        none of them is a yearly field). positions: where in `decisions` the ones decided from
        criteria are (the others, not in force or not assessable, are never flagged); all of
        them when not given."""
        year = profile.fiscal_year
        out = decisions
        for index in range(len(decisions)) if positions is None else positions:
            d = decisions[index]
            if d.status not in DECIDED:
                continue
            entry = self._reads.get((d.item_id, d.valid_from))
            if entry is None:
                continue
            reads, prior = entry
            expected = day.year - (1 if prior else 0)
            if year == expected:
                continue
            read = tuple(f for f in reads if f in known)
            if read:
                if out is decisions:
                    out = list(decisions)
                out[index] = replace(d, figures=FiguresNote(expected, year, read,
                                                            _text(expected, year, read, prior)))
        return out
