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
from decimal import Decimal
from enum import Enum
from typing import Any

from engine.facts import namespace
from engine.facts.kinds import EXACT_LIMIT, UNDEFINED, FactKind
from engine.rules.literals import parse_literal

UPPER_SUFFIX = "__up"
MAX_LEARNED_PER_FACT = 1024  # values remembered per number (encode_learning) before starting again
COOL_AFTER = 512  # values kept, with fewer hits than that, before a number is no longer learnt
_HITS = object()  # a memo's own count of the lookups it answered (no fact value is this)
ZERO_SUFFIX = "__zero"


def upper(name: str) -> str:
    """The message key of a numeric fact rounded up to its unit."""
    return name + UPPER_SUFFIX


def fact_of(key: str) -> str:
    """The fact a message property belongs to: its name, upper(name) or zero_flag(name)."""
    for suffix in (UPPER_SUFFIX, ZERO_SUFFIX):
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def zero_flag(name: str) -> str:
    """The message key that says a ratio's denominator is zero (the ratio itself is absent)."""
    return name + ZERO_SUFFIX


def _clamp(units: int) -> int:
    return max(-EXACT_LIMIT, min(EXACT_LIMIT, units))


def scaled_bounds(kind: FactKind, value: Any) -> tuple[int, int]:
    """A numeric value in integer units of its kind, rounded (down, up) and clamped.

    Exactly: from the value's integer ratio, so no decimal context precision rounds a long ratio
    (a share a hair under 1, to 40 digits) onto the bound it is under.
    """
    if isinstance(value, dt.date):
        day = value.toordinal()
        return day, day
    number = value if isinstance(value, Decimal) else Decimal(value)
    return _bounds(*number.as_integer_ratio(), 10 ** kind.places)


def _bounds(numerator: int, denominator: int, scale: int) -> tuple[int, int]:
    """(floor, ceiling) of numerator / denominator × scale, clamped (denominator > 0)."""
    scaled = numerator * scale
    if denominator == 1:
        units = scaled if -EXACT_LIMIT <= scaled <= EXACT_LIMIT else _clamp(scaled)
        return units, units
    return _clamp(scaled // denominator), _clamp(-(-scaled // denominator))


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

    def __init__(self, rulesets: list[tuple[str, ...]],
                 missing_masks: dict[str, int] | None = None,
                 learnable: dict[str, int] | None = None) -> None:
        """Args: rulesets: the properties each ruleset's message carries, in order;
        missing_masks: per fact, the tests it leaves unknown when missing (encode_learning);
        learnable: per number read only by tests of that one fact, the bits of those tests
        (encode_learning)."""
        readers: dict[str, list[int]] = {}
        for index, reads in enumerate(rulesets):
            for key in reads:
                readers.setdefault(key, []).append(index)
        self.size = len(rulesets)
        # A fact is written when a ruleset reads any of its properties (a test `x > N` reads
        # only the rounded-up units, a ratio's zero flag may be all that is read).
        names = {name for name in namespace.fact_names()
                 if name in readers or upper(name) in readers or zero_flag(name) in readers}
        masks = missing_masks or {}
        # Facts the rules read that no message here carries: only their missing masks matter.
        self._unwritten = tuple((name, mask) for name, mask in masks.items() if name not in names)
        fields, scalars, numbers, pairs = [], [], [], []
        for name in sorted(names):
            kind = namespace.kind(name)
            shape = ("date" if kind.name == "date" else "number") if kind.numeric else "scalar"
            places = kind.places if kind.numeric else 0
            low_to, high_to = _targets(name, readers), _targets(upper(name), readers)
            zero_to = _targets(zero_flag(name), readers)
            field = (name, shape, kind, places, low_to, high_to, zero_to)
            mask = masks.get(name, 0)
            learn = (learnable or {}).get(name, 0)
            if shape == "scalar" and len(low_to) == 1 and not high_to and not zero_to:
                scalars.append((name, mask, *low_to[0], field))
            elif shape == "number" and len(low_to) + len(high_to) == 1 and not zero_to:
                numbers.append((name, mask, 10 ** places, *(low_to or high_to)[0],
                                bool(high_to), field, learn, {}))
            elif shape == "number" and len(low_to) == len(high_to) == 1 and not zero_to:
                pairs.append((name, mask, 10 ** places, *low_to[0], *high_to[0], field,
                              learn, {}))
            else:
                fields.append((name, mask, field))
        self._fields = tuple(fields)
        self._scalars = tuple(scalars)
        self._numbers = tuple(numbers)
        self._pairs = tuple(pairs)

    def encode(self, facts: dict[str, Any]) -> list[list[str]]:
        """Per ruleset, its message's `"key":value` parts (none: the ruleset has nothing to
        match)."""
        return self._encode(facts, False)[0]

    def encode_learning(self, facts: dict[str, Any]) -> tuple[
            list[list[str]], int, int, list[tuple[dict[Any, int], Any, int]]]:
        """encode's parts, leaving out the learnable numbers whose value durable_rules has
        already been asked about, and what else the same pass finds: (parts, the OR of the
        missing masks of the facts that are missing, the bits the left-out numbers' tests fired
        then, and per learnable number written (its memo, its value, its tests' bits) for
        `learn`)."""
        return self._encode(facts, True)

    def learn(self, pending: list[tuple[dict[Any, int], Any, int]], fired: int) -> None:
        """Keep what durable_rules fired for each learnable number just written: the bits of its
        own tests among `fired` (a rule of those reads that number alone, so what it fires for
        this value is the same in any message).

        Bounded per number. A number whose values hardly repeat (money, to the fen) is not
        worth remembering: once COOL_AFTER values are kept and fewer lookups than that found
        one, the number is written every time again (it goes cold for this engine)."""
        for memo, value, bits in pending:
            size = len(memo)
            if size == COOL_AFTER and memo.get(_HITS, 0) < COOL_AFTER:
                self._cool(memo)
            elif size >= MAX_LEARNED_PER_FACT:
                memo.clear()
            memo[value] = fired & bits

    def _cool(self, memo: dict[Any, int]) -> None:
        """Stop remembering the number whose memo this is (a rare event: the field tables are
        rebuilt, each a tuple swapped in whole)."""
        self._numbers = tuple(f[:-2] + (0, f[-1]) if f[-1] is memo else f for f in self._numbers)
        self._pairs = tuple(f[:-2] + (0, f[-1]) if f[-1] is memo else f for f in self._pairs)
        memo.clear()

    def _encode(self, facts: dict[str, Any], learning: bool) -> tuple[
            list[list[str]], int, int, list[tuple[dict[Any, int], Any, int]]]:
        """The one pass over the facts (encode, encode_learning).

        The common fields go the short way: a scalar read by one ruleset, and a number whose
        lower or upper units (or each of both) one ruleset reads, rounded from its exact integer
        ratio as scaled_bounds rounds it. Any other value of theirs (a ratio over zero) and every
        other field are written by `_write`, the general rule.
        """
        parts: list[list[str]] = [[] for _ in range(self.size)]
        get = facts.get
        missing = known = 0
        pending: list[tuple[dict[Any, int], Any, int]] = []
        known_text = _SCALARS.get
        for name, mask, index, prefix, field in self._scalars:
            value = get(name)
            if value is None:
                missing |= mask
                continue
            text = known_text(value) if type(value) is not bool else _BOOLS[value]
            if text is None:
                _write(field, value, parts)
            else:
                parts[index].append(prefix + text)
        for name, mask, scale, index, prefix, high, field, learn, memo in self._numbers:
            value = get(name)
            if value is None:
                missing |= mask
                continue
            if learning and learn:
                found = memo.get(value)
                if found is not None:
                    known |= found
                    memo[_HITS] = memo.get(_HITS, 0) + 1
                    continue
                pending.append((memo, value, learn))
            kind = type(value)
            if kind is int:
                units = value * scale
            elif kind is Decimal and value.is_finite():
                numerator, denominator = value.as_integer_ratio()
                units = numerator * scale
                if denominator != 1:  # a fraction of a unit: round down, or up for upper()
                    units = -(-units // denominator) if high else units // denominator
            else:
                _write(field, value, parts)
                continue
            if -EXACT_LIMIT <= units <= EXACT_LIMIT:
                parts[index].append(prefix + str(units))
            else:
                parts[index].append(prefix + str(_clamp(units)))
        for (name, mask, scale, low_index, low_prefix, high_index, high_prefix, field, learn,
             memo) in self._pairs:
            value = get(name)
            if value is None:
                missing |= mask
                continue
            if learning and learn:
                found = memo.get(value)
                if found is not None:
                    known |= found
                    memo[_HITS] = memo.get(_HITS, 0) + 1
                    continue
                pending.append((memo, value, learn))
            if type(value) is Decimal and value.is_finite():
                low, high = _bounds(*value.as_integer_ratio(), scale)
            elif type(value) is int:
                low, high = _bounds(value, 1, scale)
            else:
                _write(field, value, parts)
                continue
            parts[low_index].append(low_prefix + str(low))
            parts[high_index].append(high_prefix + str(high))
        for name, mask, field in self._fields:
            value = get(name)
            if value is None:
                missing |= mask
            else:
                _write(field, value, parts)
        for name, mask in self._unwritten:
            if get(name) is None:
                missing |= mask
        return parts, missing, known, pending


_BOOLS = {True: "true", False: "false"}


def scalar_text(value: Any) -> str:
    """A categorical fact's value as durable_rules reads it, in JSON."""
    if value is True or value is False:
        return _BOOLS[value]
    return _SCALARS.get(value) or _scalar_text(value)


def _write(field: tuple[Any, ...], value: Any, parts: list[list[str]]) -> None:
    """One known fact's properties into the messages of the rulesets that read them."""
    _name, shape, kind, places, low_to, high_to, zero_to = field
    if value is UNDEFINED:
        for index, prefix in zero_to:
            parts[index].append(prefix + "true")
        return
    if shape == "scalar":
        if value is True or value is False:
            text = "true" if value else "false"
        else:
            text = _SCALARS.get(value) or _scalar_text(value)
        for index, prefix in low_to:
            parts[index].append(prefix + text)
        return
    if type(value) is int:
        low, high = _bounds(value, 1, 10 ** places)
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
