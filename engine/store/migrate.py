"""Run the Alembic migrations in migrations/ from code: `subsidy db upgrade` and the tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from .db import PROJECT_ROOT


def alembic_config(db: Engine) -> Config:
    """The project's Alembic configuration (pyproject.toml), bound to an open engine.

    env.py uses the connection given here, so a caller's settings (a PostgreSQL schema on the
    search path, SQLite pragmas) apply to the migration too.
    """
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["engine"] = db
    return config


def upgrade(db: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(db), revision)


def downgrade(db: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(db), revision)
