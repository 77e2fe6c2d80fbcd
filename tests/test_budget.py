"""Budget impact arithmetic: per item, per shared budget line, computed amounts only, and the
excess over a line that is paid first come, first served."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.export.budget import budget_impact

LINES = {
    "a.one": {"program": "p", "line": "1", "title": {"zh": "一号科目", "en": "Line 1"}, "wan": "100"},
    "a.two": {"program": "p", "line": "1", "title": {"zh": "一号科目", "en": "Line 1"}, "wan": "100"},
}


def decision(item: str, status: str = "eligible", amount: str | None = None, *, wan: str | None = "100",
             ceiling: bool = False, receivable: bool | None = None) -> dict[str, Any]:
    return {"item_id": item, "program": "p", "title": {"zh": item, "en": item}, "status": status,
            "amount": amount, "amount_is_ceiling": ceiling, "budget_line_wan": wan,
            "stacking": None if receivable is None else {"receivable": receivable}}


def test_items_sharing_a_line_are_totalled_together_from_computed_amounts_only() -> None:
    impact = budget_impact([
        decision("a.one", amount="300000"), decision("a.one", amount="400000.50", ceiling=True),
        decision("a.two", amount="500000"), decision("a.two", amount="900000", receivable=False),
        decision("a.two", "undetermined"), decision("a.one", "ineligible"),
        decision("a.one", amount="700000"),
    ], LINES)

    one, two = impact.items["a.one"], impact.items["a.two"]
    # the ceiling of 400,000.50 is counted apart, never added to the total
    assert (one.eligible, one.total, one.at_ceiling, one.budget_yuan) == (
        3, Decimal("1000000"), 1, Decimal(1_000_000))
    assert (two.eligible, two.total, two.not_receivable, two.undetermined) == (
        1, Decimal(500000), 1, 1)
    [line] = impact.lines
    assert (line.items, line.eligible, line.total, line.at_ceiling) == (
        ["a.one", "a.two"], 4, Decimal("1500000"), 1)
    assert line.oversubscribed
    # 用完即止: what cannot be paid once the line is used up, not a pro-rata factor
    assert line.excess == Decimal(500000)
    assert not hasattr(line, "factor")


def test_may_apply_items_are_counted_apart_and_add_no_money() -> None:
    impact = budget_impact([
        decision("a.one", "may_apply", amount="20000000", ceiling=True),
        decision("a.one", "may_apply", amount="5000000"),
        decision("a.one", amount="100000"),
    ], {**LINES, "a.one": {**LINES["a.one"], "year": 2018}})

    item = impact.items["a.one"]
    assert (item.eligible, item.may_apply, item.total, item.at_ceiling) == (
        1, 2, Decimal(100000), 0)
    [line] = impact.lines
    assert (line.may_apply, line.total, line.budget_year) == (2, Decimal(100000), 2018)
    assert not line.oversubscribed and line.excess is None


def test_within_budget_has_no_excess_and_no_budget_is_never_oversubscribed() -> None:
    impact = budget_impact([decision("a.one", amount="1000000"),
                            decision("b.free", amount="99999999", wan=None)], LINES)

    by_line = {line.line: line for line in impact.lines}
    assert by_line["1"].total == by_line["1"].budget_yuan == Decimal(1_000_000)
    assert not by_line["1"].oversubscribed and by_line["1"].excess is None
    own = next(line for line in impact.lines if line.items == ["b.free"])
    assert own.budget_yuan is None and not own.oversubscribed


def test_unpriced_eligible_decisions_are_counted_but_add_no_money() -> None:
    impact = budget_impact([decision("c.item", amount=None), decision("c.item", amount="10")])

    item = impact.items["c.item"]
    assert (item.eligible, item.unpriced, item.total) == (2, 1, Decimal(10))
    assert impact.lines[0].budget_yuan == Decimal(1_000_000)  # its own line, from budget_line_wan
