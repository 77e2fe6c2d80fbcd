"""The database for the app: an engine from DATABASE_URL (config, then environment, then SQLite
in the instance folder) and one session per request, which only views commit."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from engine.store import database_url, make_engine, make_sessionmaker


def sessions() -> sessionmaker[Session]:
    """The app's sessionmaker (for store functions that open their own, like run_changes)."""
    return current_app.extensions["subsidy_sessions"]  # type: ignore[no-any-return]


def get_session() -> Session:
    """This request's session, opened on first use and closed (rolled back if uncommitted) after it."""
    if "db_session" not in g:
        g.db_session = sessions()()
    return g.db_session  # type: ignore[no-any-return]


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def url(app: Flask) -> str:
    return str(app.config["DATABASE_URL"])


def init_app(app: Flask) -> None:
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = database_url()
    db = make_engine(app.config["DATABASE_URL"])
    app.extensions["subsidy_db"] = db
    app.extensions["subsidy_sessions"] = make_sessionmaker(db)
    app.teardown_appcontext(_close)


def dispose(app: Flask) -> Any:
    """Close the pool's connections (tests, before deleting a temporary database)."""
    return app.extensions["subsidy_db"].dispose()
