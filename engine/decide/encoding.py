"""Facts and rule literals as durable_rules compares them: doubles, strings and booleans.

Dates travel as proleptic ordinals so that they compare as numbers; enums as their values.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from engine.facts.kinds import FactKind
from engine.rules.literals import parse_literal


def encode(value: Any) -> Any:
    """Encode a Python fact value the way durable_rules will compare it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, Decimal | int | float):
        return float(value)
    return value


def encode_literal(kind: FactKind, value: Any) -> Any:
    """Encode a rule's literal for a fact of this kind (dates may be written as ISO strings)."""
    return encode(parse_literal(kind, value))
