"""store.bulk.insert_rows: COPY on PostgreSQL, an executemany INSERT on SQLite; the rows read
back are the rows given, at the edges of what a decision row holds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from click.testing import Result
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.facts.bounds import MONEY_MAX
from engine.store.bulk import insert_rows
from engine.store.models import DecisionRow, RunProfile

from .test_screening import AS_OF

EDGES = [  # amount (Numeric(18, 2)), ceiling, receivable (nullable), outcomes
    (None, False, None, ""),
    (Decimal("0.00"), False, True, "p"),
    (Decimal("0.01"), True, False, "pfu"),
    (MONEY_MAX - Decimal("0.01"), False, None, "u" * 40),  # the largest amount a profile admits
    (Decimal("320000.10"), True, True, "fp"),
]
CODES = range(200, 200 + len(EDGES))  # item numbers no run uses


def test_rows_read_back_as_given_on_both_databases(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(1), "--as-of", AS_OF, "--workers", "0")
    with sessions() as session:
        run_id, profile_id = session.execute(select(RunProfile.run_id, RunProfile.profile_id)).one()
        insert_rows(session, DecisionRow.__table__, [
            {"run_id": run_id, "profile_id": profile_id, "item": code, "status": "eligible",
             "amount": amount, "amount_is_ceiling": ceiling, "receivable": receivable,
             "outcomes": outcomes}
            for code, (amount, ceiling, receivable, outcomes) in zip(CODES, EDGES, strict=True)])
        session.commit()
        stored = session.execute(
            select(DecisionRow.item, DecisionRow.amount, DecisionRow.amount_is_ceiling,
                   DecisionRow.receivable, DecisionRow.outcomes)
            .where(DecisionRow.item.in_(CODES)).order_by(DecisionRow.item)).all()
    assert [tuple(r) for r in stored] == [(code, *edge) for code, edge in zip(CODES, EDGES,
                                                                              strict=True)]
    assert all(isinstance(r[1], Decimal) for r in stored if r[1] is not None)


def test_nothing_to_insert_is_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        insert_rows(session, DecisionRow.__table__, [])
        assert session.scalar(select(DecisionRow.id)) is None
