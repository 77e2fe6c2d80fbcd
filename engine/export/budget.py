"""Budget impact of a screening: per item and per program budget line, how many are eligible,
the estimated total in yuan against the line's budget, and by how much a line is oversubscribed.
Pure over decision dicts (decision_to_dict), for the CLI, the web and exports.

Several items can draw on one budget line (Futian's HNTE rewards share line 10), so the excess is
the line's. Futian rounds are 受年度总额控制 / 用完即止: awards stop when the line is used up
(first come, first served), so no pro-rata factor is offered. Totals hold computed amounts only:
a ceiling ("up to") is not an estimate of a payout, so eligible items known only by their ceiling
and may-apply items (conditions not fully published) are counted apart and never summed.
Eligible decisions marked not receivable by a stacking group are left out of the totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

WAN = Decimal(10000)


@dataclass
class ItemImpact:
    item_id: str
    title: dict[str, str] | None
    program: str
    line: str | None  # the program budget line id, when known
    budget_yuan: Decimal | None  # the line's budget (shared with the line's other items)
    eligible: int = 0
    total: Decimal = Decimal(0)
    at_ceiling: int = 0  # eligible decisions whose amount is only a maximum: not in `total`
    may_apply: int = 0  # published conditions met, the rest unpublished: never in `total`
    unpriced: int = 0  # eligible with no amount computable
    not_receivable: int = 0  # eligible, but a stacking group pays another item instead
    undetermined: int = 0  # could become eligible once facts are supplied


@dataclass
class LineImpact:
    program: str
    line: str | None
    title: dict[str, str] | None
    budget_yuan: Decimal | None
    items: list[str] = field(default_factory=list)
    eligible: int = 0
    total: Decimal = Decimal(0)
    at_ceiling: int = 0
    may_apply: int = 0
    budget_year: int | None = None  # the year of the budget the line comes from

    @property
    def oversubscribed(self) -> bool:
        return self.budget_yuan is not None and self.total > self.budget_yuan

    @property
    def excess(self) -> Decimal | None:
        """How far computed awards exceed the line: those applying after it is used up get
        nothing (用完即止), so this is what cannot be paid, not a factor to scale awards by."""
        if not self.oversubscribed:
            return None
        return self.total - self.budget_yuan  # type: ignore[operator]


@dataclass
class BudgetImpact:
    items: dict[str, ItemImpact]
    lines: list[LineImpact]


def _item(decision: dict[str, Any], lines: dict[str, dict[str, Any]]) -> ItemImpact:
    line = lines.get(decision["item_id"], {})
    wan = decision.get("budget_line_wan")
    return ItemImpact(decision["item_id"], decision.get("title"), decision.get("program", ""),
                      line.get("line"), Decimal(wan) * WAN if wan is not None else None)


def _add(impact: ItemImpact, decision: dict[str, Any]) -> None:
    status = decision["status"]
    if status == "undetermined":
        impact.undetermined += 1
        return
    if status == "may_apply":
        impact.may_apply += 1
        return
    if status != "eligible":
        return
    stacking = decision.get("stacking")
    if stacking is not None and not stacking.get("receivable", True):
        impact.not_receivable += 1
        return
    impact.eligible += 1
    if decision.get("amount") is None:
        impact.unpriced += 1
        return
    if decision.get("amount_is_ceiling"):
        impact.at_ceiling += 1
        return
    impact.total += Decimal(decision["amount"])


def budget_impact(decisions: Iterable[dict[str, Any]],
                  lines: dict[str, dict[str, Any]] | None = None) -> BudgetImpact:
    """Aggregate decisions per item, then items per budget line.

    Args:
        decisions: decision dicts (any statuses; eligible, may-apply and undetermined count).
        lines: item id -> {"program", "line", "title", "wan", "year"} (store.catalogs.budget_lines);
            an item missing from it is its own line.
    """
    lines = lines or {}
    items: dict[str, ItemImpact] = {}
    for decision in decisions:
        impact = items.get(decision["item_id"])
        if impact is None:
            impact = items[decision["item_id"]] = _item(decision, lines)
        _add(impact, decision)
    items = {key: items[key] for key in sorted(items)}
    return BudgetImpact(items, sorted(_lines(items, lines), key=_line_order))


@dataclass(frozen=True)
class BudgetGroup:
    """Decisions of one item alike in everything the budget counts, with their number and the
    sum of their amounts: what a database GROUP BY gives (store.runs.run_budget)."""

    shell: dict[str, Any]  # the item's decision dict before deciding: item_id, title, program, ...
    status: str
    amount_is_ceiling: bool
    receivable: bool | None
    unpriced: bool  # no amount
    count: int
    total: Decimal


def budget_impact_of_groups(groups: Iterable[BudgetGroup],
                            lines: dict[str, dict[str, Any]] | None = None) -> BudgetImpact:
    """The same aggregation as budget_impact, over groups of alike decisions."""
    lines = lines or {}
    items: dict[str, ItemImpact] = {}
    for group in groups:
        item_id = group.shell["item_id"]
        impact = items.get(item_id)
        if impact is None:
            impact = items[item_id] = _item(group.shell, lines)
        _add_group(impact, group)
    items = {key: items[key] for key in sorted(items)}
    return BudgetImpact(items, sorted(_lines(items, lines), key=_line_order))


def _add_group(impact: ItemImpact, group: BudgetGroup) -> None:
    """`_add` for `count` alike decisions at once."""
    if group.status == "undetermined":
        impact.undetermined += group.count
    elif group.status == "may_apply":
        impact.may_apply += group.count
    elif group.status != "eligible":
        return
    elif group.receivable is False:
        impact.not_receivable += group.count
    else:
        impact.eligible += group.count
        if group.unpriced:
            impact.unpriced += group.count
        elif group.amount_is_ceiling:
            impact.at_ceiling += group.count
        else:
            impact.total += group.total


def _line_order(line: LineImpact) -> tuple[str, int, str]:
    """By program, then line number as the budget document numbers them (9 before 10)."""
    number = line.line or ""
    return line.program, int(number) if number.isdigit() else 1 << 30, number


def _lines(items: dict[str, ItemImpact], lines: dict[str, dict[str, Any]]) -> list[LineImpact]:
    grouped: dict[tuple[str, str], LineImpact] = {}
    for impact in items.values():
        info = lines.get(impact.item_id)
        key = (impact.program, info["line"]) if info else (impact.program, "item:" + impact.item_id)
        line = grouped.get(key)
        if line is None:
            line = grouped[key] = LineImpact(impact.program, impact.line,
                                             info["title"] if info else impact.title,
                                             impact.budget_yuan,
                                             budget_year=info.get("year") if info else None)
        line.items.append(impact.item_id)
        line.eligible += impact.eligible
        line.total += impact.total
        line.at_ceiling += impact.at_ceiling
        line.may_apply += impact.may_apply
    return list(grouped.values())
