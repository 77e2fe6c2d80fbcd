"""Synthetic applicant lists for tests and benchmarks: deterministic, valid, varied enough that
every status occurs. Not real firms; the codes are valid only by their check character."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from engine.facts.uscc import ALPHABET, make_code
from engine.intake import columns

DISTRICTS = ("futian", "futian", "futian", "nanshan", "pudong")
FIELDS = ("electronic_information", "biology_new_medicine", "new_materials", "none")


def _code(index: int) -> str:
    digits = "".join(ALPHABET[(index // 31 ** k) % 31] for k in range(8))
    return make_code("914403000" + digits)


def synthetic_profile(index: int, fiscal_year: int = 2019, seed: int = 0) -> dict[str, Any]:
    """Applicant number `index`: a profile dict (JSON values) that passes parse_profile."""
    rng = random.Random(seed * 1_000_003 + index)
    employees = rng.randint(5, 400)
    revenue = rng.randint(1_000, 80_000) * 1000
    rd = [rng.randint(0, revenue // 10_000) * 100 for _ in range(3)]
    district = rng.choice(DISTRICTS)
    profile: dict[str, Any] = {
        "credit_code": _code(index), "name": f"测试企业{index:05d}有限公司", "fiscal_year": fiscal_year,
        "city": "shanghai" if district == "pudong" else "shenzhen",
        "registered_district": district, "tax_district": district, "statistics_district": district,
        "registration_date": f"{rng.randint(2005, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "independent_legal_person": True, "above_scale": rng.random() < 0.6,
        "serious_dishonesty_listed": rng.random() < 0.03,
        "major_incident_prior_year": False,
        "employees_total": employees, "st_staff": rng.randint(0, employees),
        "sales_revenue_y1": str(revenue), "total_revenue_y1": str(revenue + rng.randint(0, 999) * 1000),
        "high_tech_revenue_y1": str(revenue * rng.randint(0, 90) // 100),
        "rd_expense_y1": str(rd[0]), "rd_expense_y2": str(rd[1]), "rd_expense_y3": str(rd[2]),
        "rd_expense_domestic_3y": str(sum(rd)),
        "rd_expense_stats_verified": str(rd[0] + rng.randint(0, 5) * 100_000),
        "owns_core_ip": rng.random() < 0.7, "tech_field": rng.choice(FIELDS),
        "tech_enterprise": rng.random() < 0.8,
    }
    if rng.random() < 0.4:
        profile["hnte_certificate_date"] = f"{fiscal_year}-{rng.randint(1, 12):02d}-15"
        profile["received_futian_hnte_reward_before"] = rng.random() < 0.3
    if rng.random() < 0.15:  # some leave facts out: undetermined decisions
        for name in ("rd_expense_stats_verified", "owns_core_ip", "serious_dishonesty_listed"):
            profile.pop(name, None)
    return profile


def write_applicants(path: Path, profiles: list[dict[str, Any]], encoding: str = "utf-8-sig") -> None:
    """Write profiles under the zh headers, as CSV (in `encoding`) or XLSX, by the suffix."""
    cols = columns()
    rows = [[c.zh for c in cols]] + [[p.get(c.name, "") for c in cols] for p in profiles]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
        book.save(path)
        return
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
