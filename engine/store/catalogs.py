"""Record each rules version a run used, with what budget reports need from it later: which
budget line each item version draws on (the decisions carry only the line's amount)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy.orm import Session

from engine.rules.catalog import Catalog

from .models import CatalogVersion


def catalog_content(catalog: Catalog) -> dict[str, Any]:
    """Items (versions with dates and budget line) and programs' budget lines, as JSON."""
    items = {
        item_id: [{"valid_from": v.valid_from.isoformat(),
                   "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                   "budget_line": v.budget_line} for v in versions]
        for item_id, versions in catalog.versions.items()
    }
    programs = {}
    for program_id, program in catalog.programs.items():
        lines = program.budget.lines if program.budget else []
        programs[program_id] = {
            "title": {"zh": program.title.zh, "en": program.title.en},
            "lines": [{"id": line.id, "title": {"zh": line.title.zh, "en": line.title.en},
                       "wan": format(line.wan, "f")} for line in lines],
            "budget_year": program.budget.year if program.budget else None,
        }
    return {"items": items, "program_of": dict(catalog.program_of), "programs": programs}


def record_catalog(session: Session, catalog: Catalog) -> CatalogVersion:
    """The catalogs row for this rules version, added the first time it is seen, with the rule
    files themselves (a row recorded before they were kept gets them now: same version, same
    files)."""
    row = session.get(CatalogVersion, catalog.version)
    if row is None:
        row = CatalogVersion(hash=catalog.version, content=catalog_content(catalog),
                             sources=catalog.sources or None)
        session.add(row)
    elif row.sources is None and catalog.sources:
        row.sources = catalog.sources
    return row


@functools.lru_cache(maxsize=16)
def _codes(version: str, items: tuple[str, ...]) -> dict[str, int]:
    return {item_id: code for code, item_id in enumerate(items)}


def item_codes(catalog: Catalog) -> dict[str, int]:
    """Item id -> its number in a run over this catalog: its place in the catalog's order."""
    return _codes(catalog.version, tuple(catalog.versions))


def budget_lines(content: dict[str, Any], as_of: dt.date) -> dict[str, dict[str, Any]]:
    """Item id -> {program, line, title, wan} for the item versions in force on `as_of`."""
    day = as_of.isoformat()
    out: dict[str, dict[str, Any]] = {}
    for item_id, versions in content["items"].items():
        version = next((v for v in versions if v["valid_from"] <= day
                        and (v["valid_to"] is None or day <= v["valid_to"])), None)
        if version is None or version["budget_line"] is None:
            continue
        program_id = content["program_of"][item_id]
        line = next((ln for ln in content["programs"][program_id]["lines"]
                     if ln["id"] == version["budget_line"]), None)
        if line is not None:
            out[item_id] = {"program": program_id, "line": line["id"], "title": line["title"],
                            "wan": line["wan"],
                            "year": content["programs"][program_id].get("budget_year")}
    return out
