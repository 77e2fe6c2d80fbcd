"""The record every exporter reads: one company's decision on one item, in its stable JSON form.

The database side streams a screening run's records in this shape; a single firm's self-check
builds them from an Assessment with `records_from_assessment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any, TypedDict

from engine.decide.decision import Assessment, Decision
from engine.explain.decision_json import decision_from_dict, decision_to_dict


class Company(TypedDict):
    credit_code: str | None
    name: str | None
    district: str | None


class Record(TypedDict, total=False):
    company: Company
    profile_version: int | None
    decision: Decision | dict[str, Any]  # a Decision, or its JSON form (decision_to_dict)
    # True: the decision is the same for every applicant of its rules version and date (not in
    # force, not assessable), so exporters may format it once for all its records.
    shared: bool
    error: str  # instead of a decision: why the applicant could not be assessed
    # A reviewer's actions on the decision (store.runs.review_record): state, override_status,
    # override_amount (Decimal), override_reason, note, by, at (UTC datetime).
    review: dict[str, Any]


def decision_of(record: Record) -> Decision:
    """The record's decision as the dataclasses every format renders."""
    decision = record["decision"]
    return decision if isinstance(decision, Decision) else decision_from_dict(decision)


def decision_dict_of(record: Record) -> dict[str, Any]:
    """The record's decision in its stable JSON form."""
    decision = record["decision"]
    return decision_to_dict(decision) if isinstance(decision, Decision) else decision


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def company_of(profile: Any) -> Company:
    """The identifying part of a profile that exports show."""
    return {"credit_code": profile.credit_code, "name": profile.name,
            "district": _plain(profile.registered_district)}


def records_from_assessment(assessment: Assessment,
                            profile_version: int | None = None) -> Iterator[Record]:
    """One record per decision of a single firm's assessment, in the catalog's item order."""
    company = company_of(assessment.profile)
    for decision in assessment.decisions:
        yield {"company": company, "profile_version": profile_version,
               "decision": decision_to_dict(decision)}


class Counted:
    """The records, counted as they are read (the text comes in chunks of many rows)."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.records = records
        self.count = 0

    def __iter__(self) -> Iterator[Record]:
        for record in self.records:
            self.count += 1
            yield record
