"""Running totals per item for a screening run: counts per status and the estimated payout.

Kept apart from the XLSX writer so the web layer can show the same figures; it holds one small
tally per item, never the records, so a 100k-row run costs no memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.decide.decision import ITEM_STATUSES, Decision
from engine.explain.decision_json import decision_from_dict


@dataclass
class ItemTally:
    item_id: str
    title: dict[str, str]
    budget_line_wan: Decimal | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ITEM_STATUSES, 0))
    eligible_amount: Decimal = Decimal(0)  # eligible and receivable (stacking), ceilings left out
    undetermined_amount: Decimal = Decimal(0)  # what undetermined firms would get if eligible

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Tally:
    """Counts and amounts per item, in the order items were first seen."""

    def __init__(self) -> None:
        self.items: dict[str, ItemTally] = {}

    def add(self, decision: Decision | dict[str, Any]) -> None:
        """Count one decision (a Decision, or its dict form)."""
        if isinstance(decision, dict):
            decision = decision_from_dict(decision)
        item = self.items.get(decision.item_id)
        if item is None:
            item = self.items[decision.item_id] = ItemTally(
                decision.item_id, {"zh": decision.title.zh, "en": decision.title.en},
                decision.budget_line_wan)
        status = decision.status
        item.counts[status] += 1
        amount = decision.amount.value if decision.amount is not None else None
        if decision.amount is not None and decision.amount.ceiling:
            amount = None  # a ceiling is not an estimated payout: never summed
        receivable = decision.stacking is None or decision.stacking.receivable
        if amount is not None and status == "eligible" and receivable:
            item.eligible_amount += amount
        elif amount is not None and status == "undetermined":
            item.undetermined_amount += amount

    def merge(self, other: Tally) -> None:
        """Add a tally of the records that came after this one's (a worker's chunk): the same
        counts, sums and item order as one tally over all of them."""
        for item_id, theirs in other.items.items():
            mine = self.items.get(item_id)
            if mine is None:
                self.items[item_id] = theirs
                continue
            for status, n in theirs.counts.items():
                mine.counts[status] += n
            mine.eligible_amount += theirs.eligible_amount
            mine.undetermined_amount += theirs.undetermined_amount
