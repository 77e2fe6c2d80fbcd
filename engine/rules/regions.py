"""Regions: which programs are for a firm registered where, so that items of other regions are
set apart (their own heading) rather than shown as failed rows, and a form can ask first where
the firm is registered, then only about the items of its region.

A program's `region` (city, and district for a district fund) is data in its rule file; a
program without one (national measures) is for firms anywhere.
"""

from __future__ import annotations

from engine.facts.enums import DISTRICT_CITY
from engine.facts.profile import Profile

from .catalog import Catalog


def firm_location(profile: Profile) -> tuple[str | None, str | None]:
    """The firm's city and district of registration; the city follows from a named district
    when the profile does not state it."""
    district = _plain(profile.registered_district)
    city = _plain(profile.city) or DISTRICT_CITY.get(district or "")
    return city, district


def location_conflict(city: str | None, district: str | None) -> bool:
    """True when a named district lies in another city than the one stated (福田区 with 上海):
    the region a form would ask about could not be told."""
    where = DISTRICT_CITY.get(district or "")
    return bool(city and where and where != city)


def program_for(catalog: Catalog, program: str, city: str | None, district: str | None) -> bool | None:
    """Whether a program is for a firm in (city, district): None when the firm's location is
    not known well enough to say."""
    region = catalog.programs[program].region
    if region is None:
        return True
    if city is None:
        return None
    if region.city.value != city:
        return False
    if region.district is None:
        return True
    if district is None:
        return None
    return region.district.value == district


def outside_region(catalog: Catalog, item_id: str, profile: Profile) -> bool:
    """True only when the firm's location is known and the item's program is for another."""
    city, district = firm_location(profile)
    return program_for(catalog, catalog.program_of[item_id], city, district) is False


def items_for_region(catalog: Catalog, city: str | None, district: str | None) -> list[str]:
    """The item ids of the programs for a firm in (city, district), or whose region cannot be
    ruled out, in catalog order: what a region-first form asks about."""
    return [item_id for item_id in catalog.versions
            if program_for(catalog, catalog.program_of[item_id], city, district) is not False]


def _plain(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
