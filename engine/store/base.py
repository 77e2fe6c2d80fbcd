"""The declarative base, with a naming convention so that migrations name constraints the same way
on SQLite and PostgreSQL (batch mode on SQLite needs named constraints to alter them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money is Decimal yuan with fen precision, like engine.facts.profile.Yuan.
Money = Numeric(18, 2)


def utcnow() -> dt.datetime:
    """Timestamps are stored in UTC, timezone-aware, so SQLite and PostgreSQL agree."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        dict[str, int]: JSON,
        list[str]: JSON,
        list[Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }
