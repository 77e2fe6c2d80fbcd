"""Turn a spreadsheet cell into what the profile field accepts, the way officials type it:
是/否 for yes/no, 2014/6/18 dates (Chinese Excel's CSV), 1,200,000 with separators, 福田区 for
futian. Anything else passes through unchanged and the profile's validation judges it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from engine.explain import labels
from engine.facts.numbers import NumberTextError, money_from_text, number_from_text

from .columns import Column

TRUE = {"是", "有", "true", "yes", "y", "t", "1", "√"}
FALSE = {"否", "无", "false", "no", "n", "f", "0", "×"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

# Why a cell's text is not read as a number, zh then English.
NUMBER_REASONS = {
    "comma": "逗号只能作千位分隔符（如 1,250,000），小数请用小数点；无法确定其含义"
             "（a comma only separates thousands, e.g. 1,250,000; use a point for decimals）",
    "too_long": "数字过长（the number is too long）",
    "out_of_range": "数字超出允许范围（the number is out of range）",
}


class CellError(ValueError):
    """A cell that cannot be read one way only; `reason` says why, zh then English."""

    def __init__(self, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(column: Column, value: Any) -> Any:
    """The cell as the field's type where it reads unambiguously, else the cell unchanged."""
    if isinstance(value, str):
        value = value.strip()
    convert = {"bool": _bool, "int": _number, "decimal": _number, "date": _date,
               "enum": _enum, "text": _text}[column.kind]
    return convert(column, value)


def _text(_column: Column, value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _bool(_column: Column, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return value


def _number(column: Column, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        # Excel stores numbers as binary floats; their shortest repr is the number the user typed.
        value = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            # money as people write it: 4200万, 1.2亿 (other numbers: no magnitudes)
            value = (money_from_text if column.unit == "yuan" else number_from_text)(value)
        except NumberTextError as exc:
            if exc.kind == "not_number":  # the schema names what it expects (整数, 数字)
                return value
            raise CellError(value, NUMBER_REASONS[exc.kind]) from None
    if column.kind == "int" and isinstance(value, Decimal | str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        return int(number) if number == number.to_integral_value() else value
    return value


def _date(_column: Column, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        match = _DATE.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return value
    return value


def _enum(column: Column, value: Any) -> Any:
    text = str(value).strip()
    for choice in column.choices:
        zh, en = labels.ENUM.get(choice, (choice, choice))
        names = {choice.lower(), zh, zh.removesuffix("区").removesuffix("市"), en.lower()}
        if text in names or text.lower() in names:
            return choice
    return text
