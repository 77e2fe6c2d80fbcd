"""Stacking: which eligible items a firm can actually receive together.

A `one_of` group (Futian HNTE reward: new, re-certified or moved in) keeps the eligible member with
the largest amount and marks the others as not receivable, saying why; a `cap` group limits the
sum of its members' amounts.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from engine.facts.money import yuan
from engine.rules.catalog import Catalog
from engine.rules.model import Item, StackingGroup, Text

from .decision import CitationRef, Decision, StackingNote


def _version(decision: Decision, catalog: Catalog) -> Item | None:
    for item in catalog.versions[decision.item_id]:
        if item.valid_from == decision.valid_from:
            return item
    return None


def _group_of(decision: Decision, catalog: Catalog) -> str | None:
    item = _version(decision, catalog)
    return item.stacking if item else None


def _amount(decision: Decision) -> Decimal:
    a = decision.amount
    return a.value if a is not None and a.value is not None else Decimal(0)


def _cite(group: StackingGroup) -> CitationRef:
    return CitationRef(group.cite.document or "", group.cite.clause, group.cite.url,
                       group.cite.basis or "verbatim", group.cite.assumption)


def apply_stacking(decisions: list[Decision], catalog: Catalog,
                   facts: dict[str, Any] | None = None) -> list[Decision]:
    """Attach a StackingNote to every eligible or undetermined member of a stacking group; in a
    `one_of` group whose members name their project (`stacking_project`), only members for the
    same project exclude each other, read from `facts`."""
    members: dict[str, list[int]] = {}
    for index, decision in enumerate(decisions):
        group = _group_of(decision, catalog)
        if group and decision.status in ("eligible", "undetermined"):
            members.setdefault(group, []).append(index)
    result = list(decisions)
    for group_id, indexes in members.items():
        group = catalog.stacking_groups[group_id]
        if group.rule == "one_of":
            projects = [_project(result[i], catalog, facts or {}) for i in indexes]
            notes = _one_of_per_project(group, [result[i] for i in indexes], projects)
        else:
            notes = _cap(group, [result[i] for i in indexes])
        for index, note in zip(indexes, notes, strict=True):
            result[index] = replace(result[index], stacking=note)
    return result


_NO_PROJECT = ""  # a member whose item names no project fact: the group applies to it as a whole


def _project(decision: Decision, catalog: Catalog, facts: dict[str, Any]) -> str | None:
    """The member's project, normalised ('' when its item names no project fact, None when the
    profile does not say)."""
    item = _version(decision, catalog)
    if item is None or item.stacking_project is None:
        return _NO_PROJECT
    value = facts.get(item.stacking_project)
    return None if value is None or not str(value).strip() else " ".join(str(value).split()).casefold()


def _one_of_per_project(group: StackingGroup, members: list[Decision],
                        projects: list[str | None]) -> list[StackingNote]:
    """`one_of` among the members of one project. Members whose projects are all known and differ
    do not exclude each other; when one is not known, all are taken to be the same project, and,
    where that sets an eligible member aside, each note says so as its assumption."""
    if all(p == _NO_PROJECT for p in projects) or len(members) < 2:
        return _one_of(group, members)
    if any(p is None for p in projects):
        notes = _one_of(group, members)
        if sum(d.status == "eligible" for d in members) < 2:  # the assumption changes nothing
            return notes
        return [_assumed_same(group, note, members) for note in notes]
    notes: list[StackingNote | None] = [None] * len(members)
    for project in dict.fromkeys(projects):
        same = [i for i, p in enumerate(projects) if p == project]
        chosen = _one_of(group, [members[i] for i in same])
        for i, note in zip(same, chosen, strict=True):
            notes[i] = note if len(same) > 1 else _separate(group, note, members[i])
    return [n for n in notes if n is not None]


def _separate(group: StackingGroup, note: StackingNote, member: Decision) -> StackingNote:
    reason = Text(zh=f"与同组其他申请属不同项目，可分别申请（{group.title.zh}：仅同一项目受限）",
                  en=f"Another project than the other members of the group, so each may be "
                     f"claimed ({group.title.en}: only the same project is barred)")
    return replace(note, receivable=True, reason=reason)


def _assumed_same(group: StackingGroup, note: StackingNote, members: list[Decision]) -> StackingNote:
    assumption = Text(
        zh="档案未写明每笔贷款所融资的项目，按同一项目处理，只取金额较高者；如属不同项目，请填写各笔贷款所融资的项目后重新评估。",
        en="The profile does not say which project each loan finances, so they are taken to be the "
           "same project and only the larger subsidy is kept; if they finance different projects, "
           "give each loan's project and assess again.")
    reason = Text(zh=note.reason.zh + "；未写明贷款所属项目，按同一项目处理",
                  en=note.reason.en + "; the loans' projects are not given, so they are taken "
                     "to be the same project")
    cite = replace(note.citation, basis="reconstructed", assumption=assumption)
    return replace(note, reason=reason, citation=cite)


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


def _benefit(decision: Decision, catalog: Catalog) -> str:
    for item in catalog.versions[decision.item_id]:
        if item.valid_from == decision.valid_from:
            return item.benefit
    return "payment"


def receivable(decisions: list[Decision] | tuple[Decision, ...],
               catalog: Catalog) -> list[tuple[Decision, Decimal]]:
    """The eligible items a firm can actually receive together, each with the sum it counts for:
    members a `one_of` group set aside are left out, and a `cap` group's members are cut, in
    order, so that together they stay within the cap."""
    used: dict[str, Decimal] = {}
    out: list[tuple[Decision, Decimal]] = []
    for d in decisions:
        if d.status != "eligible" or (d.stacking is not None and not d.stacking.receivable):
            continue
        value = _amount(d)
        group = catalog.stacking_groups.get(d.stacking.group) if d.stacking else None
        if group is not None and group.rule == "cap" and group.cap is not None:
            value = min(value, group.cap - used.get(group.id, Decimal(0)))
            used[group.id] = used.get(group.id, Decimal(0)) + value
        out.append((d, value))
    return out


def combination_lines(decisions: list[Decision] | tuple[Decision, ...], catalog: Catalog,
                      lang: str = "zh") -> list[str]:
    """'可同时获得：A 30万元 + B 15万元 = 45万元', payments and tax deductions apart."""
    chosen = receivable(decisions, catalog)
    if not chosen:
        return may_apply_lines(decisions, lang)
    zh = lang != "en"
    lines = ["可同时获得的支持（已按叠加规则取舍）：" if zh else
             "What the firm can receive together (stacking rules applied):"]
    payments = [(d, v) for d, v in chosen if _benefit(d, catalog) == "payment"]
    for d, value in chosen:
        kind = _benefit(d, catalog)
        note = ("（税前加计扣除额，非拨款）" if zh else " (tax deduction, not a payment)") \
            if kind == "tax_deduction" else ""
        shown = yuan(value, lang) if d.amount and d.amount.value is not None else (
            "金额待定" if zh else "amount not determined")
        ceiling = ("最高 " if zh else "up to ") if d.amount and d.amount.ceiling else ""
        lines.append(f"  {d.title.get(lang)}：{ceiling}{shown}{note}" if zh
                     else f"  {d.title.get(lang)}: {ceiling}{shown}{note}")
    fixed = sum((v for d, v in payments if not (d.amount and d.amount.ceiling)), Decimal(0))
    lines.append(f"  拨款合计（金额确定的项目）：{yuan(fixed, lang)}" if zh
                 else f"  Payments in total (items with a determined amount): {yuan(fixed, lang)}")
    if any(d.amount and d.amount.ceiling for d, _ in payments):
        lines.append("  仅知上限的项目不计入合计。" if zh
                     else "  Items known only by their ceiling are not counted in the total.")
    return lines + may_apply_lines(decisions, lang)


def may_apply_lines(decisions: list[Decision] | tuple[Decision, ...], lang: str = "zh") -> list[str]:
    """Items the firm may apply for under conditions not all published: listed, never totalled."""
    found = [d for d in decisions if d.status == "may_apply"]
    if not found:
        return []
    zh = lang != "en"
    lines = ["另可申报（条件未全部公开，不计入合计）：" if zh else
             "The firm may also apply for (conditions not fully published, not in any total):"]
    for d in found:
        a = d.amount
        shown = "" if a is None or a.value is None else (
            f"{'最高 ' if zh else 'up to '}{yuan(a.value, lang)}" if a.ceiling else yuan(a.value, lang))
        lines.append(f"  {d.title.get(lang)}" + (f"：{shown}" if zh else f": {shown}") * bool(shown))
    return lines
