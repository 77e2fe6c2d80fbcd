"""The schema comes from the migrations, and the migrations agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from engine.store.base import Base
from engine.store.migrate import downgrade, upgrade

TABLES = {"companies", "profiles", "catalogs", "runs", "run_profiles", "decisions", "users",
          "audit_log"}


def test_upgrade_to_head_matches_the_models_and_downgrade_removes_everything(empty_db: Engine) -> None:
    upgrade(empty_db)
    assert TABLES <= set(inspect(empty_db).get_table_names())
    with empty_db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    downgrade(empty_db, "base")
    assert set(inspect(empty_db).get_table_names()) <= {"alembic_version"}


def test_upgrade_is_repeatable(empty_db: Engine) -> None:
    upgrade(empty_db)
    upgrade(empty_db)  # already at head: nothing to do, nothing fails
    with empty_db.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None
