"""Append-only profile versions: a new version only when the content changed, never an update."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import SubsidyError
from ..profile import Profile
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


def ensure_company(session: Session, profile: Profile) -> Company:
    """The profile's company, created on first sight; name and district follow the newest data."""
    company = session.get(Company, profile.credit_code)
    if company is None:
        company = Company(credit_code=profile.credit_code)
        session.add(company)
    if profile.name:
        company.name = profile.name
    if profile.registered_district:
        company.district = _district(profile)
    return company


def latest_version(session: Session, code: str, year: int) -> ProfileVersion | None:
    return session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.company_code == code, ProfileVersion.fiscal_year == year)
        .order_by(ProfileVersion.version.desc())
        .limit(1)
    ).first()


def add_profile(session: Session, profile: Profile, entered_by: str,
                source: str = "self_declared") -> tuple[ProfileVersion, bool]:
    """Store `profile` as the next version of its company's fiscal year, unless the latest version
    already holds the same facts from the same source.

    Returns:
        The version now current, and whether it was added.

    Raises:
        SubsidyError: the profile lacks its credit code or fiscal year, or the source is unknown.
    """
    if not profile.credit_code or profile.fiscal_year is None:
        raise SubsidyError("a stored profile needs its credit_code and fiscal_year")
    if source not in PROFILE_SOURCES:
        raise SubsidyError(f"source must be one of {', '.join(PROFILE_SOURCES)}", source=source)
    digest = content_hash(profile)
    latest = latest_version(session, profile.credit_code, profile.fiscal_year)
    if latest is not None and latest.content_hash == digest and latest.source == source:
        return latest, False
    ensure_company(session, profile)
    version = ProfileVersion(
        company_code=profile.credit_code, fiscal_year=profile.fiscal_year,
        version=(latest.version + 1) if latest else 1, data=profile.model_dump(mode="json"),
        content_hash=digest, entered_by=entered_by, source=source)
    session.add(version)
    session.flush()
    return version, True


def profile_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProfileVersion)) or 0


def stored_profile(version: ProfileVersion) -> dict[str, Any]:
    """The facts as stored, for parse_profile (which re-validates them)."""
    return dict(version.data)
