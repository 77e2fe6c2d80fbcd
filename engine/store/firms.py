"""A run counted in applicants, not decision rows: how many firms have at least one item they are
eligible for, may apply for, or could be once facts are supplied, and the total of the computed
amounts (ceilings and amounts a stacking group does not pay left out, as in the budget)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .models import DecisionRow, Run


def firm_counts(session: Session, run: Run) -> dict[str, Any]:
    """{"eligible", "may_apply", "undetermined": firms with at least one such item,
    "decided": applicants decided, "errors", "total_yuan": decimal string}. Stored with the run
    once it is complete (it cannot change then)."""
    if run.status == "complete" and run.firms is not None:
        return run.firms
    per_status = dict(session.execute(
        select(DecisionRow.status, func.count(func.distinct(DecisionRow.profile_id)))
        .where(DecisionRow.run_id == run.id,
               DecisionRow.status.in_(("eligible", "may_apply", "undetermined")))
        .group_by(DecisionRow.status)).all())
    total = session.scalar(select(func.sum(DecisionRow.amount)).where(
        DecisionRow.run_id == run.id, DecisionRow.status == "eligible",
        ~DecisionRow.amount_is_ceiling,
        or_(DecisionRow.receivable.is_(None), DecisionRow.receivable)))
    counts = {"decided": run.rows_done - run.errors, "errors": run.errors,
              "eligible": per_status.get("eligible", 0), "may_apply": per_status.get("may_apply", 0),
              "undetermined": per_status.get("undetermined", 0),
              "total_yuan": format(Decimal(total or 0).quantize(Decimal("0.01")), "f")}
    if run.status == "complete":
        run.firms = counts
    return counts
