"""Which database, and connections to it: `DATABASE_URL`, else SQLite in instance/subsidy.db.

Only CLI commands and views open sessions and commit; engine functions take a `session`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = PROJECT_ROOT / "instance" / "subsidy.db"


def database_url() -> str:
    """`DATABASE_URL` if set, else the SQLite file in the project's instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


class JSONText(str):
    """JSON already serialised (by a screening worker, in parallel); stored as it is."""

    __slots__ = ()


def dumps(value: Any) -> str:
    """How JSON columns are written. Chinese text stays readable (and a third the size) instead
    of \\uXXXX escapes."""
    if isinstance(value, JSONText):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


BUSY_TIMEOUT_S = 60  # a writer waits this long for another's transaction (a batch commit)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection settings: cheap, and none of them needs the write lock."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.close()


def _sqlite_wal(db: Engine) -> None:
    """WAL lets a reader (the page showing progress) see committed batches while a run writes.
    It is a property of the database file, so it is set once, here; setting it on every
    connection took a lock each time and made two concurrent runs fail with "database is locked"."""
    if db.url.database in (None, "", ":memory:"):
        return
    with db.connect() as connection:
        if connection.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal":
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine for `url` (default: database_url()) with our JSON and SQLite settings.

    Connections are checked before use (pool_pre_ping): a database restarted under a long-running
    web process gives a fresh connection, not an error on the next request."""
    kwargs.setdefault("pool_pre_ping", True)
    db = create_engine(url or database_url(), json_serializer=dumps, **kwargs)
    if db.dialect.name == "sqlite":
        event.listen(db, "connect", _sqlite_pragmas)
        _sqlite_wal(db)
    return db


def make_sessionmaker(db: Engine) -> sessionmaker[Session]:
    return sessionmaker(db, expire_on_commit=False)
