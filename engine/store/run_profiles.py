"""The stored facts a run decided on, per (credit code, fiscal year): what the diff page compares
to say which facts changed between two runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ProfileVersion, RunProfile

Company = tuple[str, int]  # (credit code, fiscal year)


def run_profile_data(session: Session, run_id: int,
                     companies: Iterable[Company]) -> dict[Company, dict[str, Any]]:
    """The profile data (as stored, JSON) each listed company was screened on in the run; a
    company the run did not screen is absent. One query, whatever the number of companies."""
    wanted = set(companies)
    if not wanted:
        return {}
    rows = session.execute(
        select(ProfileVersion.company_code, ProfileVersion.fiscal_year, ProfileVersion.data)
        .join(RunProfile, RunProfile.profile_id == ProfileVersion.id)
        .where(RunProfile.run_id == run_id,
               ProfileVersion.company_code.in_({code for code, _ in wanted})))
    return {(code, year): data for code, year, data in rows if (code, year) in wanted}
