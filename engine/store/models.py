"""The tables: companies, append-only profile versions, catalogs, screening runs and their
decisions, users and the audit log. The schema changes only through migrations/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.facts.bounds import NAME_MAX

from .base import Base, Money, utcnow

PROFILE_SOURCES = ("self_declared", "verified")
RUN_STATUSES = ("running", "complete", "incomplete")
ROLES = ("firm", "official", "admin")
REASON_MAX = 2000  # characters of an error's reason kept with the run


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Company(Base):
    """A firm, keyed by its validated unified social credit code (GB 32100-2015)."""

    __tablename__ = "companies"
    # Officials search by name (any part, Chinese) and by credit code (a prefix): on PostgreSQL
    # a trigram index serves `ILIKE '%...%'` and a pattern-ops index `LIKE 'prefix%'` whatever
    # the database's collation (store.search; migration 0005). SQLite gets plain indexes.
    __table_args__ = (
        Index("ix_companies_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
        Index("ix_companies_code_pattern", "credit_code",
              postgresql_ops={"credit_code": "varchar_pattern_ops"}),
    )
    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    district: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProfileVersion(Base):
    """One company's facts for one fiscal year, one version of them. Rows are never updated:
    a correction is a new row with version + 1, so every run can name exactly what it read."""

    __tablename__ = "profiles"
    __table_args__ = (
        UniqueConstraint("company_code", "fiscal_year", "version"),
        CheckConstraint(_one_of("source", PROFILE_SOURCES), name="source"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"), index=True)
    fiscal_year: Mapped[int]
    version: Mapped[int]
    data: Mapped[dict[str, Any]]  # Profile.model_dump(mode="json")
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    entered_by: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Where this version came from, in words: "导入名单 X.csv" for an import (since 0005); None for
    # a form or API save and for versions stored before 0005 (their facts are then what
    # `source` says, as entered by `entered_by` on `created_at`: nothing more is known).
    origin: Mapped[str | None] = mapped_column(String(300))

    company: Mapped[Company] = relationship()


class CatalogVersion(Base):
    """A rules version seen: its hash (Engine.rules_version) and what budgets need from it."""

    __tablename__ = "catalogs"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    content: Mapped[dict[str, Any]]  # items and budget lines, see store.catalogs
    # The rule files, {relative path: text}: a run's explanations are rebuilt from these, so a
    # signed-off run stays reproducible after the files change. None for catalogs recorded
    # before migration 0004.
    sources: Mapped[dict[str, Any] | None]


class Run(Base):
    """A screening run. `status` is running while a process works on it, incomplete when it was
    interrupted (resume it), complete when every row has its decisions."""

    __tablename__ = "runs"
    __table_args__ = (CheckConstraint(_one_of("status", RUN_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    as_of: Mapped[dt.date] = mapped_column(Date)
    catalog_hash: Mapped[str] = mapped_column(ForeignKey("catalogs.hash"))
    items: Mapped[list[str] | None]  # the item filter, None for every item
    selection: Mapped[str] = mapped_column(String(300))  # what was screened: a file, or "all"
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, int]] = mapped_column(default=dict)  # decision status -> count
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)  # decided or recorded as an error
    errors: Mapped[int] = mapped_column(default=0, server_default="0")  # rows in run_errors
    # Applicants, not decision rows: how many firms have at least one item eligible / may apply /
    # undetermined, and the total of computed (not ceiling, receivable) amounts; store.firms.
    firms: Mapped[dict[str, Any] | None]


class RunErrorRow(Base):
    """An applicant the engine could not decide in a run, with the reason: recorded so that the run
    goes on and completes (one bad stored profile must not block a funding round), shown in the
    console and in exports, and counted as done (a resume does not try it again)."""

    __tablename__ = "run_errors"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RunProfile(Base):
    """The profile versions a run screens, fixed when it starts so that a resume finishes
    exactly the same set, in the same order."""

    __tablename__ = "run_profiles"
    # profile_id: a company's page finds the runs that screened it (store.company).
    __table_args__ = (UniqueConstraint("run_id", "profile_id"),
                      Index("ix_run_profiles_profile_id", "profile_id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    # Decided or recorded as an error: a resume skips it. (An applicant whose items are all
    # static on the run's date has no decision row, so rows cannot tell.)
    done: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class RunItem(Base):
    """An item a run decides, numbered for the run (decisions store the number, not the id), with
    the part of its decision that is the same for every applicant on the run's date: the version
    in force and its description, or, for an item not in force or not assessable on that date,
    the whole decision, stored here once instead of once per applicant."""

    __tablename__ = "run_items"
    __table_args__ = (UniqueConstraint("run_id", "item_id"),)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    code: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100))
    static: Mapped[bool]  # True: `decision` is every applicant's decision (not in force, ...)
    decision: Mapped[dict[str, Any]]  # engine.decision_to_dict of the static decision or shell


class DecisionRow(Base):
    """One run's decision on one item for one profile version, compact: what officials filter,
    sort and total on, and each criterion's outcome (engine.decide.compact). The explanation is
    rebuilt on demand from the stored profile version, rules and date (store.explanations)."""

    __tablename__ = "decisions"
    # The results page filters a run's decisions by item and/or status and pages them in id order;
    # SQLite and PostgreSQL B-trees end with the row id, so these indexes also give that order.
    __table_args__ = (UniqueConstraint("run_id", "profile_id", "item"),
                      Index("ix_decisions_run_id_item_status", "run_id", "item", "status"),
                      Index("ix_decisions_run_id_status", "run_id", "status"),
                      Index("ix_decisions_run_id", "run_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    item: Mapped[int] = mapped_column(SmallInteger)  # RunItem.code
    status: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    amount_is_ceiling: Mapped[bool] = mapped_column(default=False)
    # False: eligible, but a stacking group pays another item instead; None: no stacking group.
    receivable: Mapped[bool | None]
    outcomes: Mapped[str] = mapped_column(String(), default="")


class LegacyExplanation(Base):
    """The full explanation of a decision stored before runs were compact (migration 0004): the
    rules those runs used were not stored, so their explanations are kept rather than rebuilt."""

    __tablename__ = "decision_explanations"
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    explanation: Mapped[dict[str, Any]]


EXPORT_STATUSES = ("running", "complete", "failed")


class ExportJob(Base):
    """An export of a run made in the background (from the console): the file it writes, how far
    it is, and who asked. A large export never holds a web worker; the page polls this row."""

    __tablename__ = "export_jobs"
    __table_args__ = (CheckConstraint(_one_of("status", EXPORT_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    fmt: Mapped[str] = mapped_column(String(8))
    lang: Mapped[str] = mapped_column(String(8))
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)  # item, status, district
    status: Mapped[str] = mapped_column(String(16), default="running")
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)  # an upper bound when filtered
    file: Mapped[str | None] = mapped_column(String(300))  # name in the export folder
    error: Mapped[str | None] = mapped_column(String(REASON_MAX))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]


DRAFT_SCOPES = ("all", "district", "run")


class DraftJob(Base):
    """A policy draft's impact computed in the background (store.draft_jobs): which firms it
    reads (every stored firm's latest version, one district's, or a run's applicants), how far
    it is, the summary the result page shows and the files of its flips. The draft itself is a
    file in the instance folder; it is never recorded as a catalog."""

    __tablename__ = "draft_jobs"
    __table_args__ = (CheckConstraint(_one_of("status", EXPORT_STATUSES), name="status"),
                      CheckConstraint(_one_of("scope", DRAFT_SCOPES), name="scope"))
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_path: Mapped[str] = mapped_column(String(500))
    replaces: Mapped[str | None] = mapped_column(String(300))  # the rule file it takes the place of
    scope: Mapped[str] = mapped_column(String(16))
    district: Mapped[str | None] = mapped_column(String(32))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(8))  # of the files' headers
    status: Mapped[str] = mapped_column(String(16), default="running")
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict[str, Any] | None]  # store.draft_jobs.summary_of: what the page shows
    files: Mapped[dict[str, Any] | None]  # format -> file name in the export folder
    error: Mapped[str | None] = mapped_column(String(REASON_MAX))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]


class User(Base):
    """Someone who logs in: a firm (linked to its company), an official or an admin."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    company_code: Mapped[str | None] = mapped_column(ForeignKey("companies.credit_code"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Sessions carry the version they were made with; logging out (or a password change) bumps
    # it, which ends every session made before, wherever its signed cookie still lives.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set by an admin: a disabled user cannot log in or use a token (store.admin). Kept, not
    # deleted, so that the audit log's names still point at someone.
    disabled_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """Who did what to which target, and when: imports, screenings, exports, sign-offs."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "action", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RunSignoff(Base):
    """An official's sign-off of a complete run: who and when. A run with a sign-off is read-only
    (nothing resumes or re-signs it); a table of its own so that the runs table keeps only what
    screening writes."""

    __tablename__ = "run_signoffs"
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(String(REASON_MAX))  # since 0005


class ApiToken(Base):
    """A bearer token for /api/v1, stored as its SHA-256 only: the token itself is shown once.

    SHA-256 rather than a slow password hash: the token is 256 random bits, so nothing can be
    guessed, and every API request must look it up by its hash in one indexed query."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]


class LoginFailure(Base):
    """One failed login, kept to rate-limit guessing per username and client address."""

    __tablename__ = "login_failures"
    __table_args__ = (Index(None, "username", "ip", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


REVIEW_ACTIONS = ("comment", "override", "request_materials")


class DecisionReview(Base):
    """A reviewer's action on one decision of a run: a comment, an override (with its mandatory
    reason, and the status and amount the reviewer sets) or a request for materials. Stored
    beside the engine's decision, never over it: the decision row stays what the rules decided,
    and exports show both (store.reviews)."""

    __tablename__ = "decision_reviews"
    __table_args__ = (
        CheckConstraint(_one_of("action", REVIEW_ACTIONS), name="action"),
        CheckConstraint("text <> ''", name="text"),
        CheckConstraint("action <> 'override' OR override_status IS NOT NULL", name="override"),
        Index("ix_decision_reviews_run_id_profile_id", "run_id", "profile_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    item_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(24))
    # The comment, the override's reason, or the materials requested: never empty.
    text: Mapped[str] = mapped_column(String(REASON_MAX))
    override_status: Mapped[str | None] = mapped_column(String(20))
    override_amount: Mapped[Decimal | None] = mapped_column(Money)
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


PUSH_STATUSES = ("draft", "published")


class PushList(Base):
    """A 免申即享 list: the firms a run found eligible, with a computed amount, for items they
    need not apply for; an official reviews it (excluding entries, with a reason) and publishes
    it, which sends each listed firm a notice (store.push_lists)."""

    __tablename__ = "push_lists"
    __table_args__ = (CheckConstraint(_one_of("status", PUSH_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    district: Mapped[str | None] = mapped_column(String(32))  # only this district's firms
    items: Mapped[list[str] | None]  # only these items; None: every item
    confirm_by: Mapped[dt.date | None] = mapped_column(Date)  # 请在…前确认
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(100))
    published_at: Mapped[dt.datetime | None]


class PushEntry(Base):
    """One firm and item on a push list: the computed amount, the facts the decision used with
    their provenance and dates, and whether the reviewer took it off the list (and why)."""

    __tablename__ = "push_entries"
    __table_args__ = (UniqueConstraint("list_id", "profile_id", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("push_lists.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    company_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"))
    item_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[dict[str, Any]]  # {zh, en}
    # The engine's computed amount; None when the engine computed none and a reviewer's
    # override to eligible with an amount put the firm on the list (0006).
    amount: Mapped[Decimal | None] = mapped_column(Money)
    facts: Mapped[list[Any]]  # [{name, label, value, source, date, origin}], store.provenance
    excluded: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    exclude_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    # The engine's status, and the reviewer's latest override when there was one (0006): shown
    # and exported beside the engine's; the firm is told the override's amount when it set one.
    engine_status: Mapped[str | None] = mapped_column(String(20))
    override_status: Mapped[str | None] = mapped_column(String(20))
    override_amount: Mapped[Decimal | None] = mapped_column(Money)
    override_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    override_by: Mapped[str | None] = mapped_column(String(100))

    @property
    def payable(self) -> Decimal | None:
        """What the firm is told it may receive: the override's amount, else the engine's."""
        return self.override_amount if self.override_amount is not None else self.amount


class FirmNotice(Base):
    """What a published push list tells one firm, shown in its account (every user of the
    company): the items it may receive without applying, and the date to confirm by."""

    __tablename__ = "firm_notices"
    __table_args__ = (UniqueConstraint("company_code", "list_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"), index=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("push_lists.id"))
    items: Mapped[list[Any]]  # [{item_id, title, amount}]
    message: Mapped[dict[str, Any]]  # {zh, en}
    confirm_by: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # When a user of the firm first saw it on the account page, and who (0006; before, this
    # column was read_at and set only on confirming); confirming is separate.
    seen_at: Mapped[dt.datetime | None]
    seen_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by: Mapped[str | None] = mapped_column(String(100))


CHANGE_KINDS = ("new", "lost", "amount")


class ProfileCheck(Base):
    """The last check of one saved profile version: the rules version and as-of date it was
    decided with, when, and per item the compact outcome (store.rechecks). When the rules change
    the version is decided again and compared with this, so the firm hears what changed."""

    __tablename__ = "profile_checks"
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), primary_key=True)
    catalog_hash: Mapped[str] = mapped_column(ForeignKey("catalogs.hash"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # item id -> [status, amount (Decimal yuan as a string, or None), ceiling flag, outcome code
    # (engine.decide.compact), valid_from of the item version decided (or None)]
    items: Mapped[dict[str, Any]]


class ProfileChange(Base):
    """One change a re-check found for a saved profile version: an item newly open to the firm
    (eligible / may apply), one it lost, or a changed amount, with the reasons from the engine's
    own explanations; listed in the firm's account until a user of the company marks it seen."""

    __tablename__ = "profile_changes"
    __table_args__ = (CheckConstraint(_one_of("kind", CHANGE_KINDS), name="kind"),
                      Index("ix_profile_changes_profile_id_seen_at", "profile_id", "seen_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    item_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[dict[str, Any]]  # {zh, en} of the item, as the later rules name it
    kind: Mapped[str] = mapped_column(String(8))
    status_before: Mapped[str | None] = mapped_column(String(20))  # None: not in those rules
    status_after: Mapped[str | None] = mapped_column(String(20))
    amount_before: Mapped[Decimal | None] = mapped_column(Money)
    amount_after: Mapped[Decimal | None] = mapped_column(Money)
    ceiling_before: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    ceiling_after: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # [{kind: criterion | item_added | item_removed | new_version | amount | rules_unavailable,
    #   id, text {zh, en}, before, after}] from the two decisions (store.rechecks)
    reasons: Mapped[list[Any]]
    catalog_before: Mapped[str] = mapped_column(ForeignKey("catalogs.hash"))
    catalog_after: Mapped[str] = mapped_column(ForeignKey("catalogs.hash"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    found_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime | None]
    seen_by: Mapped[str | None] = mapped_column(String(100))
