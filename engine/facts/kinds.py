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


