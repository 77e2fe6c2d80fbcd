"""The path to eligibility: every proposed path, applied, makes its item eligible under
Engine.assess, no strict subset of it does, and each change says whether the firm can make it."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from pydantic import ValidationError

from engine.decide.paths import TARGET, apply_changes, paths_to_eligibility, ranked_paths
from engine.errors import ProfileError
from engine.facts.parse import parse_profile
from engine.facts.profile import field_changeable
from tests.generated import random_profile_data
from tests.synthetic import synthetic_profile

DAYS = (dt.date(2019, 6, 1), dt.date(2020, 6, 1), dt.date(2021, 6, 1), dt.date(2022, 6, 1))

HNTE_NEARLY = {
    "registration_date": "2015-03-01", "owns_core_ip": True, "tech_field": "electronic_information",
    "employees_total": 100, "st_staff": 9, "sales_revenue_y1": "40000000",
    "sales_revenue_y2": "30000000", "sales_revenue_y3": "30000000", "rd_expense_y1": "2500000",
    "rd_expense_y2": "2000000", "rd_expense_y3": "1500000", "rd_expense_domestic_3y": "6000000",
    "total_revenue_y1": "42000000", "high_tech_revenue_y1": "30000000", "innovation_score": 78,
    "major_incident_prior_year": False, "rd_expense_stats_verified": "400000",
    "hnte_certificate_date": "2018-12-01", "received_futian_hnte_reward_before": False,
}


def _eligible(engine, profile, day, item_id) -> bool:
    return engine.assess(profile, day, [item_id], explain=False).decision(item_id).status in TARGET


def _check_paths(engine, profile, day) -> int:
    assessment = engine.assess(profile, day)
    checked = 0
    for found in paths_to_eligibility(engine, assessment):
        before = assessment.decision(found.item_id).status
        assert before in ("ineligible", "undetermined")
        for path in found.paths:
            changed = apply_changes(profile, path.changes)
            assert _eligible(engine, changed, day, found.item_id), (found.item_id, path.changes)
            for size in range(len(path.changes)):
                for subset in itertools.combinations(path.changes, size):
                    try:
                        smaller = apply_changes(profile, subset)
                    except ValidationError:
                        continue  # not a profile that can exist
                    assert not _eligible(engine, smaller, day, found.item_id), (found.item_id, subset)
            for change in path.changes:
                assert change.changeable == field_changeable(change.fact)
            checked += 1
    return checked


@pytest.mark.parametrize("index", range(10))
def test_paths_of_synthetic_applicants_are_confirmed_and_minimal(engine, index):
    profile = parse_profile(synthetic_profile(index, seed=14))
    _check_paths(engine, profile, DAYS[index % len(DAYS)])


@pytest.mark.parametrize("seed", range(10))
def test_paths_of_random_profiles_are_confirmed_and_minimal(engine, seed):
    rng = random.Random(seed)
    try:
        profile = parse_profile(random_profile_data(rng, presence=0.7))
    except ProfileError:  # a random draw may be inconsistent (more S&T staff than staff): again
        profile = parse_profile(random_profile_data(random.Random(seed + 1000), presence=0.7))
    _check_paths(engine, profile, DAYS[seed % len(DAYS)])


def test_some_paths_are_found_at_all(engine, make_profile):
    """The property tests would pass vacuously if the search never found anything."""
    assert _check_paths(engine, make_profile(**HNTE_NEARLY), dt.date(2020, 6, 1)) >= 3


def test_one_more_st_staff_makes_the_hnte_self_check_pass(engine, make_profile):
    assessment = engine.assess(make_profile(**HNTE_NEARLY), dt.date(2020, 6, 1))
    found = {f.item_id: f for f in paths_to_eligibility(engine, assessment)}
    (path,) = found["national.hnte"].reachable
    (change,) = path.changes
    assert (change.fact, change.before, change.after, change.changeable) == ("st_staff", 9, 10, True)


def test_just_above_the_bound_is_proposed_and_brings_its_amount(engine, make_profile):
    """R&D above 500,000 yuan (超过: the bound excluded): 500,000.01, bringing 10%."""
    assessment = engine.assess(make_profile(**HNTE_NEARLY), dt.date(2020, 6, 1))
    found = {f.item_id: f for f in paths_to_eligibility(engine, assessment)}
    (path,) = found["futian.rd_input"].paths
    assert [(c.fact, str(c.after)) for c in path.changes] == [("rd_expense_stats_verified", "500000.01")]
    assert str(path.amount) == "50000.00" and not path.ceiling
    assert ranked_paths(list(found.values()))[0] is path  # the largest computed amount first


def test_no_change_within_reach_when_only_the_certificate_year_fails(engine, make_profile):
    """A 2018 certificate is not a prior-year one in the 2020 round: the date is history."""
    assessment = engine.assess(make_profile(**HNTE_NEARLY), dt.date(2020, 6, 1))
    found = {f.item_id: f for f in paths_to_eligibility(engine, assessment)}
    assert not found["futian.hnte_reward.new"].reachable


def test_supplying_a_fact_leaves_the_amount_open(engine, make_profile):
    data = {**HNTE_NEARLY, "rd_expense_stats_verified": None}
    assessment = engine.assess(make_profile(**data), dt.date(2020, 6, 1))
    found = {f.item_id: f for f in paths_to_eligibility(engine, assessment)}
    (path,) = found["futian.rd_input"].paths
    assert path.supplies_only and path.within_reach and path.amount is None


def test_fixed_facts_are_marked(engine):
    assert not field_changeable("registration_date")
    assert not field_changeable("registered_district")
    assert field_changeable("st_staff") and field_changeable("rd_expense_y1")
