"""Decisions that do not depend on the profile: an item not in force on the date, or one whose
criteria are not published. They are the same for every applicant on one date, so the engine
builds each once per (item, date) and a screening run stores each once, not once per applicant.

Also which items an assessment of some items decides: the ones asked for and, transitively, the
items their versions in force require or name in criteria, exclusions and amounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from engine.rules.catalog import Catalog
from engine.rules.model import Item, Text
from engine.rules.tree import expand, expand_condition, item_nodes, item_refs

from .citations import source_ref
from .decision import Decision

STATIC_STATUSES = ("not_in_force", "not_assessable")


def static_decision(catalog: Catalog, item_id: str, day: dt.date) -> Decision:
    """What does not depend on the profile: the version in force and its description (status
    `undetermined`, to be decided), or the finished not-in-force / not-assessable decision."""
    item = catalog.version_for(item_id, day)
    if item is None and _budget_line_only(catalog, item_id, day):
        return _never_assessable(catalog, item_id, day)
    if item is None:
        return _not_in_force(catalog, item_id, day)
    if item.not_assessable is not None:
        return replace(shell(catalog, item_id, item), status="not_assessable",
                       reason=item.not_assessable)
    return shell(catalog, item_id, item)


def shell(catalog: Catalog, item_id: str, item: Item) -> Decision:
    """The item version's description, before anything is decided."""
    return Decision(
        item_id=item_id,
        program=catalog.program_of[item_id],
        title=item.title,
        version=item.version,
        valid_from=item.valid_from,
        valid_to=item.valid_to,
        status="undetermined",
        source=source_ref(item.source),
        evidence=item.source.evidence,
        budget_line_wan=catalog.budget_line_wan(item_id, item),
        notes=item.notes,
    )


def _budget_line_only(catalog: Catalog, item_id: str, day: dt.date) -> bool:
    """No version of the item publishes criteria, and it is known from a budget line."""
    nearest = catalog.nearest_version(item_id, day)
    budget = catalog.programs[catalog.program_of[item_id]].budget
    return (budget is not None and nearest.budget_line is not None
            and all(v.not_assessable for v in catalog.versions[item_id]))


def _never_assessable(catalog: Catalog, item_id: str, day: dt.date) -> Decision:
    """A budget line whose criteria no known version publishes (the Futian lines known only
    from the 2018 budget) is not assessable on every date, not merely out of force: the
    honest reason is the missing criteria, with the budget year it is known from. (An
    expired plan without a budget line, e.g. Huizhou's 2017–2021 plan, is not in force.)"""
    item = catalog.nearest_version(item_id, day)
    budget = catalog.programs[catalog.program_of[item_id]].budget
    end = item.valid_to.isoformat() if item.valid_to else "…"
    period = f"{item.valid_from.isoformat()} – {end}"
    year = budget.year if budget else ""
    known = Text(zh=f"本项仅见于{year}年预算（{period}）",
                 en=f"this line is known only from the {year} budget ({period})")
    na = item.not_assessable
    assert na is not None  # every version is not assessable
    reason = Text(
        zh=f"{na.zh.rstrip('。')}。{known.zh}，评估日期 {day.isoformat()} 无公开条件可评估。",
        en=f"{na.en.rstrip('.')}. Not assessable on {day.isoformat()}: {known.en}, with no "
           "published criteria.")
    return replace(shell(catalog, item_id, item), status="not_assessable", reason=reason)


def _not_in_force(catalog: Catalog, item_id: str, day: dt.date) -> Decision:
    item = catalog.nearest_version(item_id, day)
    end = item.valid_to.isoformat() if item.valid_to else "—"
    period = f"{item.valid_from.isoformat()} – {end}"
    reason = Text(
        zh=f"评估日期 {day.isoformat()} 不在该项目的有效期内（{period}）",
        en=f"The assessment date {day.isoformat()} is outside this item's period "
           f"of validity ({period})",
    )
    return replace(shell(catalog, item_id, item), status="not_in_force", reason=reason)


def decided_items(catalog: Catalog, items: list[str] | None, day: dt.date) -> list[str]:
    """The items `Engine.assess(profile, day, items)` decides, in catalog order: every item when
    `items` is None, else those and what their versions in force on `day` reach."""
    if items is None:
        return list(catalog.versions)
    seen: set[str] = set()
    todo = list(items)
    while todo:
        item_id = todo.pop()
        if item_id in seen or item_id not in catalog.versions:
            continue
        seen.add(item_id)
        item = catalog.version_for(item_id, day)
        if item is None or item.not_assessable is not None:
            continue  # decided without looking at anything else
        todo += _reached(catalog, item)
    return [i for i in catalog.versions if i in seen]


def _reached(catalog: Catalog, item: Item) -> list[str]:
    trees = [expand(item.criteria, catalog)] if item.criteria is not None else []
    trees += [expand_condition(name, catalog) for name in item.exclusions]
    reached = [ref.item for tree in trees for ref in item_nodes(tree)]
    reached += list(item.requires)
    if item.amount is not None:
        reached += item_refs(item.amount)
    return reached


def static_decisions(catalog: Catalog, items: list[str] | None, day: dt.date) -> list[Decision]:
    """The finished decisions of `decided_items(catalog, items, day)` that are the same for every
    profile on `day` (not in force, not assessable), in catalog order: a batch job writes them
    once, not once per firm."""
    decided = (static_decision(catalog, item_id, day) for item_id in decided_items(catalog, items, day))
    return [d for d in decided if d.status in STATIC_STATUSES]
