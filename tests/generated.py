"""Generated catalogs and random profiles for differential and stress tests."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

MONEY = ["sales_revenue_y1", "rd_expense_y1", "total_revenue_y1", "ip_loan_principal",
         "office_annual_rent", "rd_expense_stats_verified"]
COUNTS = ["employees_total", "ip_loan_term_months"]
BOOLS = ["above_scale", "tech_enterprise", "owns_core_ip", "ip_loan_drawn"]
ENUMS = {"registered_district": ["futian", "luohu", "nanshan", "pudong"],
         "tech_field": ["electronic_information", "aerospace", "none"]}
DATES = ["registration_date", "settled_in_district_date"]
RATIOS = ["st_staff_share"]
SCORES = ["innovation_score"]


def _money(rng: random.Random) -> str:
    return str(rng.choice([0, 1, 500000, 1000000, 5000000]) + rng.randint(0, 2000000))


def _date(rng: random.Random) -> str:
    return (dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))).isoformat()


def random_leaf(rng: random.Random, leaf_id: str) -> dict[str, Any]:
    kind = rng.choice(["money", "money", "count", "bool", "enum", "date", "ratio", "score"])
    text = {"zh": f"条件{leaf_id}", "en": f"criterion {leaf_id}"}
    if kind == "money":
        fact = rng.choice(MONEY)
        op = rng.choice([">", ">=", "<", "<=", "==", "!=", "between", "exists"])
        value: Any = sorted([_money(rng), _money(rng)], key=Decimal) if op == "between" else _money(rng)
    elif kind == "count":
        fact, op = rng.choice(COUNTS), rng.choice([">", ">=", "<", "<=", "in", "not_in"])
        value = [rng.randint(0, 30) for _ in range(3)] if op in ("in", "not_in") else rng.randint(0, 300)
    elif kind == "bool":
        fact, op, value = rng.choice(BOOLS), rng.choice(["==", "!="]), rng.choice([True, False])
    elif kind == "enum":
        fact = rng.choice(list(ENUMS))
        op = rng.choice(["==", "!=", "in", "not_in"])
        members = ENUMS[fact]
        value = rng.sample(members, 2) if op in ("in", "not_in") else rng.choice(members)
    elif kind == "date":
        fact, op, value = rng.choice(DATES), rng.choice([">", "<=", ">="]), _date(rng)
    elif kind == "ratio":
        fact, op, value = RATIOS[0], rng.choice([">=", "<"]), str(Decimal(rng.randint(0, 40)) / 100)
    else:
        fact, op, value = SCORES[0], rng.choice([">", "<="]), rng.randint(50, 90)
    leaf = {"id": leaf_id, "text": text, "fact": fact, "op": op}
    if kind == "ratio":
        leaf["zero_denominator"] = {"status": rng.choice(["pass", "fail"]), "reason": text}
    if op != "exists":
        leaf["value"] = value
    return leaf


def _impossible(leaves: list[dict[str, Any]]) -> bool:
    from engine.rules.contradictions import contradiction
    from engine.rules.model import Leaf

    return contradiction([Leaf.model_validate(leaf) for leaf in leaves]) is not None


def random_tree(rng: random.Random, prefix: str, size: int) -> dict[str, Any]:
    leaves = [random_leaf(rng, f"{prefix}_{i}") for i in range(size)]
    joined = [0, 1, *range(6, size)]  # the leaves directly under the top `all`
    for n, i in enumerate(joined):  # the loader refuses an `all` that can never pass: redraw
        while _impossible([leaves[j] for j in joined[:n + 1]]):
            leaves[i] = random_leaf(rng, f"{prefix}_{i}")
    return {"all": [leaves[0], leaves[1], {"any": leaves[2:5]}, {"not": leaves[5]}, *leaves[6:]]}


def write_catalog(directory: Path, items: int, leaves: int, seed: int,
                  tree: Any = random_tree) -> Path:
    """Write a generated rule file with `items` items of `leaves` criteria each."""
    rng = random.Random(seed)
    data = {
        "program": {"id": "gen", "title": {"zh": "生成", "en": "Generated"},
                    "authority": {"zh": "测试", "en": "Test"}},
        "items": [
            {"id": f"gen.item{n}", "title": {"zh": f"项目{n}", "en": f"Item {n}"},
             "source": {"document": "generated", "clause": f"art {n}", "evidence": "official",
                        "basis": "verbatim"},
             "valid_from": "2020-01-01", "criteria": tree(rng, f"c{n}", leaves),
             "amount": {"fixed": 1000}}
            for n in range(items)
        ],
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "generated.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                              encoding="utf-8")
    return directory


def random_profile_data(rng: random.Random, presence: float = 0.8) -> dict[str, Any]:
    data: dict[str, Any] = {}

    def maybe(name: str, value: Any) -> None:
        if rng.random() < presence:
            data[name] = value

    for name in MONEY:
        maybe(name, _money(rng))
    employees = rng.randint(1, 300)
    maybe("employees_total", employees)
    if "employees_total" in data:
        maybe("st_staff", rng.randint(0, employees))
    maybe("ip_loan_term_months", rng.randint(0, 30))
    for name in BOOLS:
        maybe(name, rng.random() < 0.5)
    for name, members in ENUMS.items():
        maybe(name, rng.choice(members))
    for name in DATES:
        maybe(name, _date(rng))
    maybe("innovation_score", rng.randint(40, 100))
    if "total_revenue_y1" in data and "sales_revenue_y1" in data:
        data.pop("high_tech_revenue_y1", None)
    return data
