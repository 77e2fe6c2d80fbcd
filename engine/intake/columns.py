"""The importable columns, derived from the profile's fields: name, zh and en labels, and kind.

A header may be the field's zh label (the template's), its name, or its English label; case, spaces
and full-width brackets do not matter.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from engine.facts.profile import FACT_FIELDS

from .table import ImportFileError

REQUIRED = ("credit_code", "fiscal_year")  # what the store keys a profile version by


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    en: str
    kind: str  # text | int | decimal | bool | date | enum
    choices: tuple[str, ...] = ()
    unit: str | None = None

    def label(self) -> str:
        """How a row report names the column: the zh label a Chinese official reads, then the
        field name."""
        return f"「{self.zh}」({self.name})"


def _base_type(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the Python type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def _kind(base: Any) -> str:
    if isinstance(base, type) and issubclass(base, Enum):
        return "enum"
    return {bool: "bool", int: "int", Decimal: "decimal", dt.date: "date"}.get(base, "text")


def columns() -> list[Column]:
    """Every importable column, in the profile's field order."""
    out = []
    for name, info in FACT_FIELDS.items():
        extra = info.json_schema_extra or {}
        base = _base_type(info.annotation)
        choices = tuple(m.value for m in base) if _kind(base) == "enum" else ()
        out.append(Column(name, str(extra.get("zh", name)), str(extra.get("en", name)), _kind(base),
                          choices, extra.get("unit")))
    return out


def _norm(header: str) -> str:
    text = header.replace("\ufeff", "").strip().lower().replace("（", "(").replace("）", ")")
    return " ".join(text.split())


def map_headers(headers: list[Any]) -> list[Column | None]:
    """The column each header names; blank headers map to None (their cells must be empty).

    Raises:
        ImportFileError: a header names no field, two headers name one field, or a required
            column is absent; nothing can be imported from such a file.
    """
    by_text: dict[str, Column] = {}
    for col in columns():
        for text in (col.zh, col.name, col.en):
            by_text.setdefault(_norm(text), col)
    mapped: list[Column | None] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, header in enumerate(headers, start=1):
        text = _norm("" if header is None else str(header))
        col = by_text.get(text) if text else None
        if text and col is None:
            hint = difflib.get_close_matches(text, list(by_text), n=1)
            problems.append(f"第{index}列 未知列名 unknown column “{header}”"
                            + (f"（是否为 did you mean “{hint[0]}”?）" if hint else ""))
        if col is not None and col.name in seen:
            problems.append(f"第{index}列 与第{seen[col.name]}列重复 repeats column {seen[col.name]}: "
                            f"{col.label()}")
        if col is not None:
            seen.setdefault(col.name, index)
        mapped.append(col)
    by_name = {c.name: c for c in columns()}
    for name in REQUIRED:
        if name not in seen:
            problems.append(f"缺少必填列 missing required column {by_name[name].label()}")
    if problems:
        raise ImportFileError("; ".join(problems))
    return mapped
