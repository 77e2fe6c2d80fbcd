"""Form answers <-> profile data: parse typed inputs, keep what was typed, name each error.

Missing answers are allowed (a fact left blank is unknown, never zero). Money is parsed as
Decimal from what people type: separators, full-width digits and a trailing 元 are accepted.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

from engine import (
    INPUT_MAX_CHARS,
    NumberTextError,
    ProfileError,
    date_in_range,
    money_from_text,
    number_from_text,
    parse_profile,
)

from .fields import FieldSpec


class Answers:
    """One submission of the form: the raw text typed, the profile data, errors by field."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw
        self.data: dict[str, Any] = {}
        self.errors: dict[str, str] = {}  # field -> message key or engine text
        self.error_args: dict[str, dict[str, str]] = {}

    def fail(self, name: str, key: str, **args: str) -> None:
        self.errors.setdefault(name, key)
        self.error_args.setdefault(name, args)


_NUMBER_ERRORS = {"comma": "form.err.comma", "too_long": "form.err.too_long",
                  "out_of_range": "form.err.range", "not_number": "form.err.number"}


def _number(text: str, money: bool = False) -> tuple[Decimal | None, str | None]:
    """The number typed (bounded before it is parsed, read one way only), or a message key;
    money as people write it too: 4200万, 1.2亿, 4,200万元."""
    try:
        return (money_from_text(text) if money else number_from_text(text)), None
    except NumberTextError as exc:
        return None, _NUMBER_ERRORS[exc.kind]


def _parse(spec: FieldSpec, text: str) -> tuple[Any, str | None]:
    """(value for parse_profile, None) or (None, message key)."""
    if spec.input in ("money", "decimal"):
        value, error = _number(text, money=spec.input == "money")
        if value is None:
            return None, error or "form.err.number"
        if value < 0 and not spec.signed:  # a loss is a negative net profit; a cost is never < 0
            return None, "form.err.negative"
        if spec.input == "money" and value != value.quantize(Decimal("0.01")):
            return None, "form.err.cents"
        return format(value, "f"), None
    if spec.input == "integer":
        value, error = _number(text)
        if error == "form.err.number" or (value is not None and (
                value < 0 or value != value.to_integral_value())):
            return None, "form.err.integer"
        return (None, error) if value is None else (int(value), None)
    if spec.input == "date":
        day = _date(text)
        return (day.isoformat(), None) if day else (None, "form.err.date")
    if spec.input == "yesno":
        if text not in ("yes", "no"):
            return None, "form.err.choice"
        return text == "yes", None
    if spec.input == "select":
        return (text, None) if text in spec.choices else (None, "form.err.choice")
    return text.strip(), None


def read_form(form: Any, specs: list[FieldSpec]) -> Answers:
    """Parse the posted fields; blank and 'unknown' answers are left out of the profile."""
    answers = Answers({s.name: str(form.get(s.name, "")) for s in specs})
    for spec in specs:
        text = answers.raw[spec.name].strip()
        if text in ("", "unknown"):
            continue
        value, error = _parse(spec, text)
        if error:
            answers.fail(spec.name, error)
        else:
            answers.data[spec.name] = value
    return answers


def _date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date within the engine's range (bounded before it is parsed), or None."""
    if len(text) > INPUT_MAX_CHARS:
        return None
    try:
        day = dt.date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        return None
    return day if date_in_range(day) else None


def parse_as_of(text: str | None) -> tuple[dt.date | None, str | None]:
    """The assessment date (today when blank) or an error key."""
    if not text or not text.strip():
        return dt.date.today(), None
    day = _date(text)
    return (day, None) if day else (None, "form.err.date")


def validate(answers: Answers) -> Any:
    """The Profile, or None with the engine's reasons attached to the fields it names."""
    if answers.errors:
        return None
    try:
        return parse_profile(answers.data)
    except ProfileError as exc:
        for name, reason in reasons_by_field(exc).items():
            answers.fail(name, "form.err.engine", reason=reason)
        return None


def reasons_by_field(exc: ProfileError) -> dict[str, str]:
    """Split a ProfileError's message ('a: why; b, c: why') into a reason per named field."""
    reasons: dict[str, str] = {}
    body = exc.message.removeprefix("invalid profile: ")
    for part in body.split("; "):
        head, _, why = part.partition(": ")
        names = [n.strip() for n in head.split(",")]
        for name in names:
            if name in exc.fields:
                reasons.setdefault(name, why or part)
    for name in exc.fields:
        reasons.setdefault(name, body)
    return reasons


def raw_from_data(data: dict[str, Any]) -> dict[str, str]:
    """What the form shows for profile data (an example firm, or answers sent back to edit)."""
    raw = {}
    for name, value in data.items():
        if isinstance(value, bool):
            raw[name] = "yes" if value else "no"
        elif value is not None and not isinstance(value, dict):
            raw[name] = str(value)
    return raw
