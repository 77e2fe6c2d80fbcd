"""`subsidy seed`: the demo data loads once, whatever the number of runs."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.intake.seeds import demo_profiles
from engine.store.models import ProfileVersion, User


def test_seed_is_idempotent_and_prints_the_logins(cli: Callable[..., Result],
                                                  sessions: sessionmaker[Session]) -> None:
    # every seed profile with a credit code and a fiscal year (the Minhang start-up has neither)
    storable = sum(1 for p, _ in demo_profiles() if p.credit_code and p.fiscal_year is not None)
    first = cli("seed")
    assert f"{storable} profile versions added" in first.output
    assert "official / official-demo" in first.output and "firm-a / firm-a-demo" in first.output
    again = cli("seed")
    assert "0 profile versions added" in again.output
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProfileVersion)) == storable
        users = dict(session.execute(select(User.username, User.role)).all())
    assert users == {"official": "official", "admin": "admin", "firm-a": "firm", "firm-b": "firm"}
