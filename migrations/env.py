"""Alembic environment: the models' metadata, the database from DATABASE_URL (or an engine the
caller passes in `config.attributes["engine"]`), batch mode so SQLite can alter tables."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from engine.store import models  # noqa: F401 - importing the models registers every table
from engine.store.base import Base
from engine.store.db import make_engine

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_offline() -> None:
    """Emit SQL for the database DATABASE_URL names, without connecting."""
    context.configure(
        url=make_engine().url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    db = config.attributes.get("engine") or make_engine()
    with db.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table by copying it and dropping the original, which
            # the foreign keys of rows pointing at it would refuse: they are checked after the
            # migration instead (the pragma only takes effect outside a transaction).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left broken references: {broken[:5]}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
