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
from .i18n import current_lang


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
    """The Profile, or None with every problem attached to the field it names, in one pass.

    The form's own errors (a number that is not one) and the engine's (a credit code's check
    character, a cross-field check) are shown together: the profile is validated without the
    fields already refused, and again without those the engine refused, until nothing new is
    found, because pydantic runs the cross-field checks only once every field is valid."""
    data = dict(answers.data)
    lang = current_lang()
    for _attempt in range(len(data) + 1):
        try:
            profile = parse_profile(data)
        except ProfileError as exc:
            refused = reasons_by_field(exc, lang)
            for name, reason in refused.items():
                answers.fail(name, "form.err.engine", reason=reason)
            again = set(refused) & set(data)
            if not again:
                return None
            for name in again:
                del data[name]
            continue
        return None if answers.errors else profile
    return None


def reasons_by_field(exc: ProfileError, lang: str = "zh") -> dict[str, str]:
    """The engine's reason for each field it names, in `lang` only (the profile's own checks say
    each problem in both languages; see engine.errors.FactProblem)."""
    reasons: dict[str, str] = {}
    for name in exc.fields:
        reason = exc.reason_for(name, lang)
        reasons.setdefault(name, reason if reason is not None else _one_language(exc, name))
    return reasons


def _one_language(exc: ProfileError, name: str) -> str:
    """A reason the error did not give by language: its part that names the field."""
    body = exc.message.removeprefix("invalid profile: ")
    for part in body.split("; "):
        head, _, why = part.partition(": ")
        if name in [n.strip() for n in head.split(",")]:
            return why or part
    return body


def raw_from_data(data: dict[str, Any]) -> dict[str, str]:
    """What the form shows for profile data (an example firm, or answers sent back to edit)."""
    raw = {}
    for name, value in data.items():
        if isinstance(value, bool):
            raw[name] = "yes" if value else "no"
        elif value is not None and not isinstance(value, dict):
            raw[name] = str(value)
    return raw
