"""Rule literals: the one place a rule's right-hand value is parsed against a fact's kind.

The checks, the contradiction finder and the compiler's encoding all read literals through
`parse_literal`, so that "2020-01-01", 0.6 and "0.6" mean the same wherever they are read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.errors import RuleError, suggest
from engine.facts.kinds import EXACT_LIMIT, FactKind

OPS_BY_KIND = {
    "numeric": {"==", "!=", "<", "<=", ">", ">=", "between", "in", "not_in", "exists"},
    "bool": {"==", "!=", "exists"},
    "enum": {"==", "!=", "in", "not_in", "exists"},
    "text": {"==", "!=", "in", "not_in", "exists"},
}


def parse_literal(kind: FactKind, value: Any, key: str = "value") -> Any:
    """One literal as a comparable Python value of the fact's kind (Decimal, date, bool, enum value).

    Raises:
        RuleError: the literal does not fit the kind (`key` names where it was written).
    """
    if kind.name == "bool":
        if not isinstance(value, bool):
            raise RuleError(f"expected true or false, got {value!r}", key=key)
        return value
    if kind.name == "enum":
        if value not in kind.members:
            raise RuleError(f"`{value}` is not one of: {', '.join(kind.members)}"
                            + suggest(str(value), set(kind.members)), key=key)
        return value
    if kind.name == "date":
        try:
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise RuleError(f"expected a date YYYY-MM-DD, got {value!r}", key=key) from None
    if kind.numeric:
        if isinstance(value, bool):
            raise RuleError(f"expected a number, got {value!r}", key=key)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise RuleError(f"expected a number, got {value!r}", key=key) from None
        _check_exact(kind, number, key)
        return number
    return value


def _check_exact(kind: FactKind, number: Decimal, key: str) -> None:
    """A numeric literal the engine can compare exactly: finite, at most `kind.places` decimals
    and within EXACT_LIMIT of those units (so `rules check` refuses what the engine could not
    decide exactly, instead of a float going wrong at run time)."""
    if not number.is_finite():
        raise RuleError(f"expected a finite number, got {number}", key=key)
    scaled = number.scaleb(kind.places)
    if scaled != scaled.to_integral_value():
        raise RuleError(f"{number} has more than {kind.places} decimal places, the precision "
                        f"to which {kind.name} facts are compared", key=key)
    if abs(scaled) >= EXACT_LIMIT:
        raise RuleError(f"{number} is beyond the magnitude compared exactly for {kind.name} "
                        f"facts (below {Decimal(EXACT_LIMIT).scaleb(-kind.places):f})", key=key)
