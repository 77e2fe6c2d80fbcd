"""A 10,000-row applicant list with 5% bad rows of many kinds, on SQLite and PostgreSQL: every good
row is stored, every bad row is reported with its row number, nothing is lost (issue 11)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.intake.columns import columns
from engine.store.importing import import_file
from engine.store.models import ProfileVersion
from tests.synthetic import synthetic_profile

ROWS = 10_000

# field -> a cell that must be refused, of every kind the probe found accepted or mishandled.
BAD_CELLS: list[tuple[str, str]] = [
    ("registration_date", "9999-12-31"), ("registration_date", "0"),
    ("registration_date", "2019-02-30"), ("registration_date", "20190101"),
    ("employees_total", "9" * 400), ("employees_total", "3,5"), ("employees_total", "很多"),
    ("employees_total", "๑๒"), ("employees_total", "-4"), ("employees_total", "12.5"),
    ("name", "名" * 201), ("sales_revenue_y1", "100000000000000"), ("sales_revenue_y1", "1,5"),
    ("sales_revenue_y1", "1e300000000"), ("sales_revenue_y1", "12.345"),
    ("sales_revenue_y1", "-100"), ("credit_code", "NOT-A-CODE"), ("tech_field", "space_magic"),
    ("owns_core_ip", "maybe"), ("innovation_score", "101"), ("fiscal_year", "1850"),
    ("st_staff", "100000"),  # more S&T staff than employees
]
QUOTE = "unclosed quote"
KINDS = len(BAD_CELLS) + 1


def _write(path: Path) -> set[int]:
    """The list; returns the row numbers (header = 1) that are bad."""
    cols = columns()
    bad: set[int] = set()
    lines = []
    header = [c.zh for c in cols]
    for index in range(ROWS):
        profile: dict[str, Any] = synthetic_profile(index)
        row_number = index + 2
        kind = None
        if index % 20 == 7:  # 5%
            kind = (index // 20) % KINDS
            bad.add(row_number)
            if kind < len(BAD_CELLS):
                field, cell = BAD_CELLS[kind]
                profile = {**profile, field: cell}
        cells = [str(profile.get(c.name, "")) for c in cols]
        lines.append((cells, kind == len(BAD_CELLS)))
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for cells, unclosed in lines:
            if unclosed:
                stream.write('"' + ",".join(cells) + "\n")  # a quote that never closes
            else:
                writer.writerow(cells)
    return bad


def test_every_good_row_kept_and_every_bad_row_reported(
        sessions: sessionmaker[Session], tmp_path: Path, db_url: str,
        record_property: Callable[[str, Any], None]) -> None:
    path = tmp_path / "bad-list.csv"
    bad = _write(path)

    with sessions() as session:
        report = import_file(session, path, "test")
        session.commit()
    with sessions() as session:
        stored = set(session.scalars(select(ProfileVersion.company_code)))
        count = session.scalar(select(func.count()).select_from(ProfileVersion))

    reported = {p.row for p in report.problems}
    good_codes = {synthetic_profile(i)["credit_code"] for i in range(ROWS) if i + 2 not in bad}
    lost = (good_codes - stored) | (bad - reported)
    record_property("bad_list", {"db": db_url.split(":")[0], "kept": len(good_codes & stored),
                                 "reported": len(reported & bad), "lost": len(lost)})
    print(f"\nbad-list {db_url.split(':')[0]}: kept {len(good_codes & stored)}, "
          f"reported {len(reported & bad)}, lost {len(lost)}")
    assert reported == bad  # every bad row, and no good row, reported
    assert stored == good_codes and count == ROWS - len(bad)
    assert lost == set()
    assert report.rows == ROWS and report.added == ROWS - len(bad)
    assert len(bad) == ROWS // 20
