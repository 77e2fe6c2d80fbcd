"""Migration 0006 up and down with data: a saved version with its last check and a change
found after a rules change; down drops the two tables and keeps every profile version and
catalog; up again gives empty, working tables (the next opening records baselines again)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine as Database
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from engine.decide.engine import Engine
from engine.facts.parse import parse_profile
from engine.rules.loader import load_catalog
from engine.store.migrate import downgrade, upgrade
from engine.store.models import CatalogVersion, ProfileChange, ProfileCheck, ProfileVersion
from engine.store.profiles import add_profile
from engine.store.rechecks import recheck_company, record_check
from tests.rules_variants import rules_variant
from tests.web.conftest import seed

FIRM = "91440300MA5F3K7L04"
ADDED = {"profile_checks", "profile_changes"}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Engine]:
    changed = rules_variant(tmp_path_factory.mktemp("rules"), "threshold")
    return Engine(load_catalog()), Engine(load_catalog(Path(changed)))


def _counts(session: Session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(ProfileVersion)),
            session.scalar(select(func.count()).select_from(CatalogVersion)))


def test_migration_0006_goes_down_and_up_keeping_every_profile(
        db: Database, sessions: sessionmaker[Session], engines: tuple[Engine, Engine]) -> None:
    current, changed = engines
    with sessions() as session:
        pid, _ = add_profile(session, parse_profile(seed("futian_rd_firm")), "firm-a")
        record_check(session, current, pid)
        recheck_company(session, changed, FIRM)
        session.commit()
        assert session.scalar(select(func.count()).select_from(ProfileChange)) == 1
        kept = _counts(session)

    downgrade(db, "0005")
    assert not ADDED & set(inspect(db).get_table_names())
    with sessions() as session:
        assert _counts(session) == kept == (1, 2)

    upgrade(db)
    assert ADDED <= set(inspect(db).get_table_names())
    with sessions() as session:
        assert session.scalars(select(ProfileCheck)).all() == []
        assert recheck_company(session, changed, FIRM)[0].baseline
        session.commit()
        assert session.get(ProfileCheck, pid).catalog_hash == changed.rules_version
