"""Append-only profile versions: a new version only when the content changed, never an update."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import SubsidyError
from engine.facts.profile import Profile

from .base import utcnow
from .models import PROFILE_SOURCES, Company, ProfileVersion


def content_hash(profile: Profile) -> str:
    """SHA-256 of the facts given, canonical JSON; unset fields are left out so that adding a new
    (empty) profile field does not change the hash of existing data."""
    facts = profile.model_dump(mode="json", exclude_none=True)
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _district(profile: Profile) -> str | None:
    value = profile.registered_district
    return None if value is None else str(value.value if hasattr(value, "value") else value)


def _check(profile: Profile, source: str) -> None:
    if not profile.credit_code or profile.fiscal_year is None:
        raise SubsidyError("a stored profile needs its credit_code and fiscal_year")
    if source not in PROFILE_SOURCES:
        raise SubsidyError(f"source must be one of {', '.join(PROFILE_SOURCES)}", source=source)


def _latest(session: Session, profiles: list[Profile]) -> dict[tuple[str, int], ProfileVersion]:
    """The latest stored version of each (company, fiscal year) among `profiles`, one query."""
    codes = {p.credit_code for p in profiles}
    latest: dict[tuple[str, int], ProfileVersion] = {}
    for version in session.scalars(select(ProfileVersion)
                                   .where(ProfileVersion.company_code.in_(codes))):
        key = (version.company_code, version.fiscal_year)
        if key not in latest or latest[key].version < version.version:
            latest[key] = version
    return latest


def _companies(session: Session, profiles: list[Profile]) -> None:
    """Create unseen companies; name and district follow the newest data."""
    wanted = {p.credit_code: p for p in profiles}
    known = {c.credit_code: c for c in session.scalars(
        select(Company).where(Company.credit_code.in_(wanted)))}
    for code, profile in wanted.items():
        company = known.get(code)
        if company is None:
            company = Company(credit_code=code)
            session.add(company)
        if profile.name and company.name != profile.name:
            company.name = profile.name
        district = _district(profile)
        if district and company.district != district:
            company.district = district
    session.flush()


def add_profiles(session: Session, profiles: list[Profile], entered_by: str,
                 source: str = "self_declared", origin: str | None = None) -> list[tuple[int, bool]]:
    """Store each profile as the next version of its company's fiscal year, unless the latest
    version already holds the same facts from the same source. A few queries per call, whatever
    its length, so that imports of tens of thousands of rows stay quick on a networked database.

    Args:
        profiles: at most one per (credit code, fiscal year).
        origin: where the new versions come from, in words (an import's file), kept with them as
            the provenance of facts the profile gives none for.

    Returns:
        Per profile, in order: the id of the version now current, and whether it was added.

    Raises:
        SubsidyError: a profile lacks its credit code or fiscal year, or the source is unknown.
    """
    for profile in profiles:
        _check(profile, source)
    latest = _latest(session, profiles)
    digests = [content_hash(p) for p in profiles]
    new = [(p, d) for p, d in zip(profiles, digests, strict=True)
           if not _same(latest.get((p.credit_code, p.fiscal_year)), d, source)]
    if new:
        _companies(session, [p for p, _ in new])
        rows = [{"company_code": p.credit_code, "fiscal_year": p.fiscal_year,
                 "version": _next(latest.get((p.credit_code, p.fiscal_year))),
                 "data": p.model_dump(mode="json"), "content_hash": d, "entered_by": entered_by,
                 "source": source, "origin": origin and origin[:300], "created_at": utcnow()}
                for p, d in new]
        ids = session.scalars(insert(ProfileVersion).returning(ProfileVersion.id,
                                                               sort_by_parameter_order=True), rows)
        added = {(p.credit_code, p.fiscal_year): i for (p, _), i in zip(new, ids, strict=True)}
    else:
        added = {}
    out = []
    for profile in profiles:
        key = (profile.credit_code, profile.fiscal_year)
        out.append((added[key], True) if key in added else (latest[key].id, False))
    return out


def _same(latest: ProfileVersion | None, digest: str, source: str) -> bool:
    return latest is not None and latest.content_hash == digest and latest.source == source


def _next(latest: ProfileVersion | None) -> int:
    return latest.version + 1 if latest else 1


def add_profile(session: Session, profile: Profile, entered_by: str,
                source: str = "self_declared") -> tuple[int, bool]:
    """One profile (a web form's): see add_profiles."""
    return add_profiles(session, [profile], entered_by, source)[0]


def _serialise_saves(session: Session, credit_code: str | None) -> None:
    """Make saves of one company wait for each other before they read its latest version.

    PostgreSQL: a transaction-level advisory lock on the company. SQLite: a write as the first
    statement (a no-op UPDATE) takes the database's write lock, so the read that follows already
    sees what an earlier save committed. Without it, a dozen saves at once kept colliding.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"profile:{credit_code}"})
    elif dialect == "sqlite":
        session.execute(update(Company).where(Company.credit_code == credit_code)
                        .values(credit_code=Company.credit_code))


class SaveConflict(SubsidyError):
    """Saves of the same company and year kept colliding: the caller may ask the user to retry."""


def save_profile(session: Session, profile: Profile, entered_by: str,
                 source: str = "self_declared", attempts: int = 5) -> tuple[int, bool]:
    """Add the profile and commit, as one user's "save" does.

    Two saves of the same company and fiscal year at once read the same latest version, so both
    pick the same next number (or both create the company); the unique constraints refuse the
    second. So saves of one company are made to wait for each other (_serialise_saves), and a
    save that still collides (with an import, say) tries again on what the other committed.
    Nothing is lost and no version number is used twice.

    Raises:
        SaveConflict: still colliding after `attempts` tries (a storm of saves of one company).
    """
    for _attempt in range(attempts):
        try:
            _serialise_saves(session, profile.credit_code)
            result = add_profile(session, profile, entered_by, source)
            session.commit()
            return result
        except IntegrityError:
            session.rollback()
    raise SaveConflict("too many saves of this company at once; try again",
                       company=profile.credit_code)


