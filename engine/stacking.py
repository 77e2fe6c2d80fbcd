"""Stacking: which eligible items a firm can actually receive together.

A `one_of` group (Futian HNTE reward: new, re-certified or moved in) keeps the eligible member with
the largest amount and marks the others as not receivable, saying why; a `cap` group limits the
sum of its members' amounts.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .catalog import StackingGroup, Text
from .catalog_model import Catalog
from .decision import CitationRef, Decision, StackingNote
from .money import yuan


def _group_of(decision: Decision, catalog: Catalog) -> str | None:
    for item in catalog.versions[decision.item_id]:
        if item.valid_from == decision.valid_from:
            return item.stacking
    return None


def _amount(decision: Decision) -> Decimal:
    a = decision.amount
    return a.value if a is not None and a.value is not None else Decimal(0)


def _cite(group: StackingGroup) -> CitationRef:
    return CitationRef(group.cite.document or "", group.cite.clause, group.cite.url,
                       group.cite.basis or "verbatim", group.cite.assumption)


def apply_stacking(decisions: list[Decision], catalog: Catalog) -> list[Decision]:
    """Attach a StackingNote to every eligible or undetermined member of a stacking group."""
    members: dict[str, list[int]] = {}
    for index, decision in enumerate(decisions):
        group = _group_of(decision, catalog)
        if group and decision.status in ("eligible", "undetermined"):
            members.setdefault(group, []).append(index)
    result = list(decisions)
    for group_id, indexes in members.items():
        group = catalog.stacking_groups[group_id]
        notes = (_one_of if group.rule == "one_of" else _cap)(group, [result[i] for i in indexes])
        for index, note in zip(indexes, notes, strict=True):
            result[index] = replace(result[index], stacking=note)
    return result


def _one_of(group: StackingGroup, members: list[Decision]) -> list[StackingNote]:
    eligible = [d for d in members if d.status == "eligible"]
    best = max(eligible, key=_amount) if eligible else None  # max keeps the first of equals
    notes = []
    for d in members:
        if d is best:
            reason = Text(zh=f"同组只能选一项，本项金额最高，予以采用（{group.title.zh}）",
                          en=f"Only one of the group may be claimed; this one pays most "
                             f"({group.title.en})")
        elif best is not None:
            reason = Text(
                zh=f"同组只能选一项，已选“{best.title.zh}”（{yuan(_amount(best), 'zh')}）",
                en=f"Only one of the group may be claimed; “{best.title.en}” "
                   f"({yuan(_amount(best), 'en')}) is chosen instead")
        else:
            reason = Text(zh=f"同组只能选一项（{group.title.zh}）",
                          en=f"Only one of the group may be claimed ({group.title.en})")
        notes.append(StackingNote(group.id, group.title, d is best, reason, _cite(group)))
    return notes


def _cap(group: StackingGroup, members: list[Decision]) -> list[StackingNote]:
    total = sum((_amount(d) for d in members if d.status == "eligible"), Decimal(0))
    cap = group.cap or Decimal(0)
    over = total > cap
    reason = Text(
        zh=f"同组合计 {yuan(total, 'zh')}，上限 {yuan(cap, 'zh')}" + ("，超出部分不予支持" if over else ""),
        en=f"Group total {yuan(total, 'en')}, cap {yuan(cap, 'en')}"
           + (": the excess is not paid" if over else ""),
    )
    return [StackingNote(group.id, group.title, True, reason, _cite(group)) for _ in members]
