"""Whole numbers from URLs, within what the database can hold.

`"²".isdigit()` is true and int() refuses it; an id of 2^63 or more overflows SQLite's and
PostgreSQL's BIGINT. Every `<int:...>` route and every page or run number in a query string goes
through these, so such input is a 404 or a plain default, never a 500.
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

ID_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,18}")


def positive_int(text: str | None) -> int | None:
    """The number written in ASCII digits, 1 ≤ n < 10^18, else None."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value >= 1 else None


class BoundedInt(IntegerConverter):
    """`<int:...>` limited to the ids a BIGINT column can hold (larger ones match no route: 404)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:  # noqa: A002
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
