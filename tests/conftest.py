"""Shared fixtures: a compiled engine for the real catalog and a profile factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.decide.engine import Engine
from engine.facts.parse import parse_profile
from engine.facts.profile import Profile

FUTIAN_FIRM: dict[str, Any] = {
    "registered_district": "futian",
    "tax_district": "futian",
    "statistics_district": "futian",
    "serious_dishonesty_listed": False,
}


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture
def make_profile() -> Callable[..., Profile]:
    """A Futian firm with the given facts added or overridden (None removes a fact)."""

    def make(**overrides: Any) -> Profile:
        data = {**FUTIAN_FIRM, **overrides}
        return parse_profile({k: v for k, v in data.items() if v is not None})

    return make
