"""Row-report reasons a Chinese official can read: pydantic's error types in zh, then in English."""

from __future__ import annotations

from typing import Any

from engine.explain import labels

from .columns import Column

_ZH = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "小数位数过多（金额最多保留两位小数）",
    "decimal_max_digits": "数字位数过多",
    "decimal_whole_digits": "数字位数过多",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "bool_parsing": "应填“是”或“否”",
    "bool_type": "应填“是”或“否”",
    "date_parsing": "应为日期，如 2020-06-30",
    "date_from_datetime_parsing": "应为日期，如 2020-06-30",
    "date_from_datetime_inexact": "应为日期（不含时间）",
    "date_type": "应为日期，如 2020-06-30",
    "string_type": "应为文字",
    "value_error": "取值有误",
}


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
        zh = _ZH.get(kind, "格式有误").format(**(error.get("ctx") or {}))
    shown = "" if value is None else f"“{value}”"
    return f"{shown}{zh}（{english}）" if shown else f"{zh}（{english}）"
