"""Row-report reasons a Chinese official can read: pydantic's error types in zh, then in English."""

from __future__ import annotations

from typing import Any

from engine.explain import labels
from engine.facts.parse import ERROR_ZH, error_context

from .columns import Column

_ZH = ERROR_ZH



def _choices(column: Column) -> str:
    return "、".join(f"{labels.enum(c)}({c})" for c in column.choices)


def reason(error: dict[str, Any], column: Column | None, value: Any) -> str:
    """One pydantic error as `zh（en）`, quoting the cell the user typed."""
    kind = error.get("type", "")
    english = str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "enum" and column is not None:
        zh = f"应为以下之一：{_choices(column)}"
    elif kind == "missing":
        zh = "必填"
    else:
        zh = _ZH.get(kind, "格式有误").format(**error_context(error))
    shown = "" if value is None else f"“{value}”"
    return f"{shown}{zh}（{english}）" if shown else f"{zh}（{english}）"
