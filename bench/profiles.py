"""Random but plausible company profiles for the real catalog (benchmarks and stress tests)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from engine.facts.kinds import kind_of_field
from engine.facts.parse import parse_profile
from engine.facts.profile import FACT_FIELDS, Profile
from engine.facts.uscc import make_code

_SKIP = {"credit_code", "name", "fiscal_year", "provenance"}


def _value(rng: random.Random, name: str) -> Any:
    kind = kind_of_field(name)
    if kind.name == "bool":
        return rng.random() < 0.5
    if kind.name == "enum":
        return rng.choice(kind.members)
    if kind.name == "date":
        return (dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))).isoformat()
    if kind.name == "count":
        return rng.randint(0, 400)
    if kind.name == "money":
        return str(Decimal(rng.randint(0, 60_000_000)))
    return str(Decimal(rng.randint(0, 1000)) / 10)


def profile_data(rng: random.Random, n: int, presence: float = 0.85) -> dict[str, Any]:
    """One profile's raw data; consistency rules of the schema are respected."""
    data: dict[str, Any] = {"credit_code": make_code(f"914403{n:011d}"), "name": f"企业{n}",
                            "fiscal_year": 2019}
    for name in FACT_FIELDS:
        if name not in _SKIP and rng.random() < presence:
            data[name] = _value(rng, name)
    if "employees_total" in data and "st_staff" in data:
        data["st_staff"] = min(data["st_staff"], data["employees_total"])
    if "high_tech_revenue_y1" in data and "total_revenue_y1" in data:
        data["high_tech_revenue_y1"] = str(min(Decimal(data["high_tech_revenue_y1"]),
                                               Decimal(data["total_revenue_y1"])))
    rd = [data.get(f"rd_expense_y{i}") for i in (1, 2, 3)]
    if "rd_expense_domestic_3y" in data and all(v is not None for v in rd):
        total = sum(Decimal(v) for v in rd)
        data["rd_expense_domestic_3y"] = str(min(Decimal(data["rd_expense_domestic_3y"]), total))
    else:
        data.pop("rd_expense_domestic_3y", None)
    return data


def profiles(count: int, seed: int = 1) -> Iterator[Profile]:
    """Stream `count` profiles (memory stays flat)."""
    rng = random.Random(seed)
    for n in range(count):
        yield parse_profile(profile_data(rng, n))
