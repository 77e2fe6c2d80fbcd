"""The pydantic models of /api/v1's requests and responses; web/apidoc.py builds the OpenAPI
document from them (spectree), and the tests validate real responses against them.

The Profile is the engine's own model, so a new fact is documented without touching this file;
the rest describes the stable JSON of docs/output.md (`engine.explain.decision_json`).
Responses ignore unknown keys (a new key in the JSON is not a breaking change); requests forbid
them, as the views do.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from engine import Profile

Money = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$", description="Decimal yuan as a string",
                             examples=["320000.00"])]
Status = Literal["eligible", "may_apply", "ineligible", "undetermined", "not_assessable",
                 "not_in_force"]
AS_OF = ("Assessment date (YYYY-MM-DD); default today. Items are dated: an older funding round "
         "needs an older date.")


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(BaseModel):
    """A text in both languages."""

    zh: str
    en: str


class Citation(BaseModel):
    """Where a criterion or an item comes from."""

    document: str
    clause: str
    url: str | None = None
    basis: Literal["verbatim", "reconstructed"]
    assumption: Text | None = None


class Criterion(BaseModel):
    """One test of an item with the firm's figure, the threshold and the clause."""

    id: str
    role: Literal["criterion", "exclusion", "requirement"] = "criterion"
    group: str | None = None
    text: Text | None = None
    status: Literal["pass", "fail", "unknown"]
    fact: str
    facts: list[dict[str, Any]] = []
    threshold: dict[str, Any]
    gap: dict[str, Any] | None = None
    citation: Citation


class Decision(BaseModel):
    """One support item's outcome for the profile, with its explanation."""

    item_id: str = Field(examples=["futian.rd_input"])
    program: str
    title: Text
    version: Text | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    status: Status
    amount: Money | None
    amount_is_ceiling: bool = False
    amount_steps: list[Text] = []
    missing: list[str] = Field(description="Facts to supply before the item can be decided")
    reason: Text | None = None
    source: Citation | None = None
    evidence: Literal["official", "secondary", "news"] | None = None
    budget_line_wan: Money | None = None
    criteria: list[Criterion]
    logic: Any = None
    stacking: dict[str, Any] | None = None


class Assessment(BaseModel):
    """Every item's decision for one profile on one date, under one rules version."""

    rules_version: str
    as_of: dt.date
    company: dict[str, Any]
    decisions: list[Decision]


class AssessRequest(Request):
    profile: Profile
    as_of: dt.date | None = Field(None, description=AS_OF)
    items: list[str] | None = Field(None, description="Only these item ids (and the items they "
                                                      "require).")


class ErrorBody(BaseModel):
    code: str = Field(examples=["profile_error", "invalid_request", "not_found"])
    message: str
    details: dict[str, Any] = Field(description="Where the problem is, e.g. `fields` or `field`")


class Error(BaseModel):
    """Every error under /api/ has this shape, whatever its status."""

    error: ErrorBody


class RuleIndex(BaseModel):
    """The catalog's programs, each with its items and their versions."""

    rules_version: str
    programs: list[dict[str, Any]]


class RuleDetail(BaseModel):
    """One item with every version's criteria, citations and budget line."""

    rules_version: str
    id: str
    program: str
    versions: list[dict[str, Any]]


class OpenAPIDocument(RootModel[dict[str, Any]]):
    """This document."""


class SignOff(BaseModel):
    by: str
    at: str


class Run(BaseModel):
    """A screening run: its progress, counts per outcome and sign-off."""

    id: int
    status: Literal["running", "complete", "incomplete"]
    as_of: dt.date
    rules_version: str
    items: list[str] | None = None
    selection: str | None = None
    rows_total: int
    rows_done: int
    counts: dict[str, int]
    started_by: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    signed_off: SignOff | None


class RunRequest(Request):
    as_of: dt.date | None = Field(None, description="Assessment date; default today.")
    items: list[str] | None = Field(None, description="Only these item ids.")
    credit_codes: list[str] | None = Field(
        None, description="Only these stored companies (default: every one); each is screened on "
                          "its latest profile version not after as_of's year.")


class DecisionsQuery(Request):
    status: Status | None = None
    item: str | None = None
    page: int | None = Field(None, ge=1)


class DecisionRow(BaseModel):
    """One stored decision of a run, with its explanation rebuilt."""

    id: int
    credit_code: str
    name: str | None = None
    district: str | None = None
    fiscal_year: int | None = None
    profile_version: int | None = None
    item_id: str
    status: Status
    amount: Money | None
    amount_is_ceiling: bool = False
    explanation: Decision


class DecisionPage(BaseModel):
    """50 decisions of a run per page."""

    run_id: int
    page: int
    pages: int
    total: int
    decisions: list[DecisionRow]
