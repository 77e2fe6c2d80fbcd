"""Facts and rule literals as durable_rules compares them: integers, strings and booleans.

durable_rules reads numbers as doubles unless they are plain integers, and cannot parse a JSON
number written in exponent form with a whole mantissa (`5e-05`, `1e+16`, error 204). So every
numeric fact reaches it as an integer count of its kind's units (fen for money, 1e-9 for ratios:
FactKind.places), which JSON always writes as digits and durable_rules compares exactly.

A value with more decimals than its unit (a ratio such as 1/3) travels as two integers, rounded
down under its own name and rounded up under `upper(name)`; a comparison with an integer bound N
is exact on one of them: x >= N and x < N on the lower, x > N and x <= N on the upper, x == N
when both equal N. Values beyond EXACT_LIMIT units are clamped there, which no literal reaches.
Dates travel as day ordinals, enums as their values.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import Enum
from typing import Any

from engine.facts import namespace
from engine.facts.kinds import EXACT_LIMIT, UNDEFINED, FactKind
from engine.rules.literals import parse_literal

UPPER_SUFFIX = "__up"
ZERO_SUFFIX = "__zero"


def upper(name: str) -> str:
    """The message key of a numeric fact rounded up to its unit."""
    return name + UPPER_SUFFIX


def zero_flag(name: str) -> str:
    """The message key that says a ratio's denominator is zero (the ratio itself is absent)."""
    return name + ZERO_SUFFIX


def _clamp(units: int) -> int:
    return max(-EXACT_LIMIT, min(EXACT_LIMIT, units))


def scaled_bounds(kind: FactKind, value: Any) -> tuple[int, int]:
    """A numeric value in integer units of its kind, rounded (down, up) and clamped."""
    if isinstance(value, dt.date):
        day = value.toordinal()
        return day, day
    number = value if isinstance(value, Decimal) else Decimal(value)
    scaled = number.scaleb(kind.places)
    low = int(scaled.to_integral_value(rounding=ROUND_FLOOR))
    high = int(scaled.to_integral_value(rounding=ROUND_CEILING))
    return _clamp(low), _clamp(high)


def encode_scalar(value: Any) -> Any:
    """A non-numeric fact value as durable_rules compares it."""
    return value.value if isinstance(value, Enum) else value


def encode_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The message properties for these Python-valued facts (unknown facts are left out)."""
    encoded: dict[str, Any] = {}
    for name, value in facts.items():
        if value is None:
            continue
        if value is UNDEFINED:
            encoded[zero_flag(name)] = True
            continue
        kind = namespace.kind(name)
        if kind.numeric:
            encoded[name], encoded[upper(name)] = scaled_bounds(kind, value)
        else:
            encoded[name] = encode_scalar(value)
    return encoded


def encode_literal(kind: FactKind, value: Any) -> Any:
    """A rule's literal for a fact of this kind; numbers as exact integer units (the rule checks
    made sure a literal has no more decimals than its kind's unit)."""
    parsed = parse_literal(kind, value)
    if kind.numeric:
        return scaled_bounds(kind, parsed)[0]
    return encode_scalar(parsed)


class MessageEncoder:
    """The facts of one profile written straight into each ruleset's message, as JSON parts.

    What encode_facts followed by `json.dumps` of each ruleset's share gives, in one pass and
    without the intermediate dicts (tests/test_lean_path.py compares the two): each fact's kind
    and the rulesets that read each of its properties are looked up once. Whole values (the
    common case) skip the rounding, their lower and upper units being the same.
    """

    def __init__(self, rulesets: list[tuple[str, ...]]) -> None:
        readers: dict[str, list[int]] = {}
        for index, reads in enumerate(rulesets):
            for key in reads:
                readers.setdefault(key, []).append(index)
        self.size = len(rulesets)
        names = set(readers) & namespace.fact_names()
        fields = []
        for name in sorted(names):
            kind = namespace.kind(name)
            shape = ("date" if kind.name == "date" else "number") if kind.numeric else "scalar"
            places = kind.places if kind.numeric else 0
            fields.append((name, shape, kind, places,
                           _targets(name, readers), _targets(upper(name), readers),
                           _targets(zero_flag(name), readers)))
        self._fields = tuple(fields)

    def encode(self, facts: dict[str, Any]) -> list[list[str]]:
        """Per ruleset, its message's `"key":value` parts (none: the ruleset has nothing to
        match)."""
        parts: list[list[str]] = [[] for _ in range(self.size)]
        get = facts.get
        for name, shape, kind, places, low_to, high_to, zero_to in self._fields:
            value = get(name)
            if value is None:
                continue
            if value is UNDEFINED:
                for index, prefix in zero_to:
                    parts[index].append(prefix + "true")
                continue
            if shape == "scalar":
                if value is True or value is False:
                    text = "true" if value else "false"
                else:
                    text = _SCALARS.get(value) or _scalar_text(value)
                for index, prefix in low_to:
                    parts[index].append(prefix + text)
                continue
            if type(value) is int:
                low = high = value * 10 ** places
                if not -EXACT_LIMIT <= low <= EXACT_LIMIT:
                    low = high = _clamp(low)
            elif type(value) is Decimal:
                scaled = value.scaleb(places)  # as scaled_bounds scales it
                low = high = int(scaled)
                if low != scaled:
                    low, high = scaled_bounds(kind, value)
                elif not -EXACT_LIMIT <= low <= EXACT_LIMIT:
                    low = high = _clamp(low)
            else:
                low, high = scaled_bounds(kind, value)
            if low_to:
                text = str(low)
                for index, prefix in low_to:
                    parts[index].append(prefix + text)
            if high_to:
                text = str(high)
                for index, prefix in high_to:
                    parts[index].append(prefix + text)
        return parts


_SCALARS: dict[Any, str] = {}  # enum member or string -> its JSON (a closed set in practice)


def _scalar_text(value: Any) -> str:
    text = json.dumps(value.value if isinstance(value, Enum) else value)
    if len(_SCALARS) < 10_000:
        _SCALARS[value] = text
    return text


def _targets(key: str, readers: dict[str, list[int]]) -> tuple[tuple[int, str], ...]:
    """(ruleset index, the key written as a JSON property name and colon) per reader."""
    prefix = json.dumps(key) + ":"
    return tuple((index, prefix) for index in readers.get(key, ()))
