"""durable_rules state is process-global: concurrent assessments must still get their own
sequential results."""

from __future__ import annotations

import datetime as dt
import random
from concurrent.futures import ThreadPoolExecutor

from engine.decide.engine import Engine
from engine.explain.decision_json import assessment_to_dict
from engine.facts.parse import parse_profile
from tests.generated import random_profile_data

DAY = dt.date(2020, 6, 1)


def _profiles(count: int) -> list:
    rng = random.Random(5)
    profiles = []
    for n in range(count):
        data = random_profile_data(rng, presence=0.9)
        data.update(registered_district="futian", tax_district="futian",
                    statistics_district="futian", serious_dishonesty_listed=n % 7 == 0,
                    rd_expense_stats_verified=str(400000 + 37000 * n),
                    hnte_certificate_date=f"{2017 + n % 4}-06-01",
                    received_futian_hnte_reward_before=n % 3 == 0,
                    settled_in_district_date=f"{2015 + n % 6}-03-01")
        profiles.append(parse_profile(data))
    return profiles


def test_sixteen_threads_get_their_sequential_results(engine: Engine) -> None:
    profiles = _profiles(160)
    sequential = [assessment_to_dict(engine.assess(p, DAY)) for p in profiles]
    with ThreadPoolExecutor(max_workers=16) as pool:
        concurrent = list(pool.map(lambda p: assessment_to_dict(engine.assess(p, DAY)), profiles))
    assert concurrent == sequential
    statuses = {d["status"] for result in sequential for d in result["decisions"]}
    assert {"eligible", "ineligible", "undetermined"} <= statuses


def test_two_engines_in_one_process_do_not_interfere(engine: Engine) -> None:
    other = Engine(engine.catalog)
    profiles = _profiles(40)
    first = [assessment_to_dict(engine.assess(p, DAY)) for p in profiles]
    interleaved = []
    for p in profiles:
        other.assess(profiles[-1], DAY)
        interleaved.append(assessment_to_dict(engine.assess(p, DAY)))
    assert interleaved == first
