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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets a reader (the web page showing progress) see committed batches while a run writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine for `url` (default: database_url()) with our JSON and SQLite settings."""
    db = create_engine(url or database_url(), json_serializer=dumps, **kwargs)
    if db.dialect.name == "sqlite":
        event.listen(db, "connect", _sqlite_pragmas)
    return db


def make_sessionmaker(db: Engine) -> sessionmaker[Session]:
    return sessionmaker(db, expire_on_commit=False)
