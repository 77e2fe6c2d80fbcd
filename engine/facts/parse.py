"""Raw data (a form, a JSON file, an import row) into a Profile, with errors naming the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from engine.errors import FactProblem, FactProblems, ProfileError

from .profile import Profile

# pydantic's error types in Chinese: every message names the problem in zh first, then pydantic's
# English.
ERROR_ZH = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "小数位数过多，最多 {decimal_places} 位",
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
    "string_too_long": "文字过长，最多 {max_length} 个字符",
    "value_error": "取值有误",
}


def parse_profile(data: Any, source: str | None = None) -> Profile:
    """Validate raw data into a Profile, turning pydantic's errors into one ProfileError.

    Raises:
        ProfileError: naming every offending field and why.
    """
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        fields: list[str] = []
        reasons: list[str] = []
        by_language: list[tuple[tuple[str, ...], dict[str, str]]] = []
        for err in exc.errors():
            msg = _zh_first(err)
            loc = ".".join(str(p) for p in err["loc"])
            named = [loc] if loc else _fields_in_message(msg)
            fields.extend(named)
            reasons.append(f"{loc}: {msg}" if loc else msg)
            by_language += _in_each_language(err, tuple(named))
        raise ProfileError("invalid profile: " + "; ".join(reasons), fields=fields,
                           source=source, reasons=by_language) from None


def _in_each_language(err: Any, named: tuple[str, ...]) -> list[tuple[tuple[str, ...], dict[str, str]]]:
    """One pydantic error as (fields, {"zh", "en"}) problems: a FactProblem raised by the
    profile's validators carries both texts; pydantic's own types get ERROR_ZH and pydantic's
    English."""
    raised = (err.get("ctx") or {}).get("error")
    if isinstance(raised, FactProblems):
        return [(p.fields or named, {"zh": p.zh, "en": p.en}) for p in raised.problems]
    if isinstance(raised, FactProblem):
        return [(raised.fields or named, {"zh": raised.zh, "en": raised.en})]
    english = str(err["msg"]).removeprefix("Value error, ")
    zh = ERROR_ZH.get(err.get("type", ""))
    if zh is None or err.get("type") == "value_error":
        return [(named, {"zh": english, "en": english})]
    try:
        zh = zh.format(**error_context(err))
    except (KeyError, IndexError):
        pass
    return [(named, {"zh": zh, "en": english})]


def _fields_in_message(message: str) -> list[str]:
    """Model-level errors name their fields before a colon (several problems: each does)."""
    found: list[str] = []
    for part in message.split("; "):
        names = [name.strip() for name in part.split(":", 1)[0].split(",")]
        if all(name in Profile.model_fields for name in names):
            found += [name for name in names if name not in found]
    return found


def _zh_first(err: Any) -> str:
    """pydantic's message with the Chinese for its type in front (value errors carry their own)."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    zh = ERROR_ZH.get(err.get("type", ""))
    if zh is None or err.get("type") == "value_error":
        return msg
    try:
        zh = zh.format(**error_context(err))
    except (KeyError, IndexError):
        pass
    return f"{zh}（{msg}）"


def error_context(err: Any) -> dict[str, Any]:
    """A pydantic error's limits as people write them (2100-12-31, not datetime.date(...))."""
    return {key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in (err.get("ctx") or {}).items()}
