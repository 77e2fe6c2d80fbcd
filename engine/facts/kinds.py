"""Fact kinds: what sort of value a fact holds (money, count, number, ratio, date, bool, enum).

The kind decides which operators and literal values a rule may use with a fact and how it is
displayed; it is read from the profile field's annotation and unit.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from .profile import FACT_FIELDS


@dataclass(frozen=True)
class FactKind:
    """What sort of value a fact holds: money, count, number, ratio, date, bool or enum."""

    name: str
    members: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return self.name in {"money", "count", "number", "ratio", "date"}

    @property
    def places(self) -> int:
        """Decimal places to which values of this kind are compared exactly: a rule literal may
        have no more, and durable_rules is handed the value as an integer count of such units."""
        return PLACES[self.name]


class _Undefined:
    """The value of a ratio whose denominator is zero: the fact is known, it has no number."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __reduce__(self) -> str:
        return "UNDEFINED"


UNDEFINED = _Undefined()
UNDEFINED_TEXT = "undefined"  # how the JSON form writes it


# Money to the fen, ratios to 1e-9 (0.000000001), other numbers to 1e-6; dates are day ordinals.
PLACES = {"money": 2, "count": 0, "number": 6, "ratio": 9, "date": 0}
# The largest magnitude compared exactly, in those units: integers below 2^63 are exact in
# durable_rules (doubles are not). A fact beyond it is clamped, which keeps every comparison with
# a literal inside the bound right; a literal beyond it is refused when the rules are loaded.
EXACT_LIMIT = 10**18


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap_optional(args[0]) if len(args) == 1 else annotation
    if origin is typing.Annotated:
        return _unwrap_optional(typing.get_args(annotation)[0])
    return annotation


@functools.cache
def kind_of_field(name: str) -> FactKind:
    """The kind of a profile field, read from its type annotation and unit."""
    info = FACT_FIELDS[name]
    base = _unwrap_optional(info.annotation)
    unit = (info.json_schema_extra or {}).get("unit")
    if base is bool:
        return FactKind("bool")
    if base is int:
        return FactKind("count")
    if base is Decimal:
        return FactKind("money" if unit == "yuan" else "number")
    if base is dt.date:
        return FactKind("date")
    if isinstance(base, type) and issubclass(base, Enum):
        return FactKind("enum", tuple(m.value for m in base))
    return FactKind("text")


