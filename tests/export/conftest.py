"""Real decisions for the export tests: the seed profiles assessed by the real engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.decide.engine import Engine
from engine.export import ExportMeta, Record, records_from_assessment
from engine.intake.seeds import demo_profiles

RUN_DAY = dt.date(2020, 6, 1)  # one screening run: every seed firm on the same date
RD_FIRM = "深圳市福田启明智能科技有限公司"  # seeds/profiles/futian_rd_firm.json


@pytest.fixture(scope="session")
def seed_assessments(engine: Engine) -> list[Any]:
    """Each seed profile assessed on its own demo date (seeds/demo.json)."""
    return [engine.assess(profile, day) for profile, day in demo_profiles()]


@pytest.fixture(scope="session")
def run_records(engine: Engine) -> list[Record]:
    """A screening run: every seed profile assessed on RUN_DAY, as the database would stream it."""
    records: list[Record] = []
    for version, (profile, _day) in enumerate(demo_profiles(), 1):
        records += records_from_assessment(engine.assess(profile, RUN_DAY), profile_version=version)
    return records


@pytest.fixture
def run_meta(engine: Engine) -> ExportMeta:
    return ExportMeta(rules_version=engine.rules_version, as_of=RUN_DAY, run_id=42,
                      generated_at=dt.datetime(2020, 6, 2, 9, 30, tzinfo=dt.UTC))


@pytest.fixture(scope="session")
def rd_firm(seed_assessments: list[Any]) -> Any:
    return next(a for a in seed_assessments if a.profile.name == RD_FIRM)


def with_name(records: list[Record], name: str) -> list[Record]:
    """The same decisions for a company with another (uploaded) name."""
    return [{**r, "company": {**r["company"], "name": name}} for r in records]
