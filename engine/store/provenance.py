"""Where each fact a decision used came from, and as of when: what a 免申即享 list shows an
official and a firm beside each item ("the facts used and their provenance").

Nothing is invented. A fact the profile dates and attributes itself (`Profile.provenance`: tax
bureau, market regulator, statistics bureau, self-declared, with a date) keeps that. Any other
fact is what its profile version says of itself: `source` (self_declared, or verified by an
official) entered by `entered_by` on `created_at` (Beijing date), from `origin` when the version
was imported from a list (since migration 0005; older versions name no file).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.decide.decision import Decision, FactRead
from engine.decide.usage import amount_facts
from engine.explain.clock import beijing
from engine.rules.catalog import Catalog


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def _version_provenance(version: Any) -> dict[str, Any]:
    return {"source": version.source, "date": beijing(version.created_at).date().isoformat(),
            "origin": version.origin or f"{version.entered_by} 录入 entered"}


def _fact(name: str, value: Any, source: str | None, date: dt.date | None,
          fallback: dict[str, Any]) -> dict[str, Any]:
    if source is not None:
        return {"name": name, "value": _plain(value), "source": source,
                "date": date.isoformat() if date else None, "origin": "profile"}
    return {"name": name, "value": _plain(value), **fallback}


def _walk(read: FactRead, out: dict[str, dict[str, Any]], fallback: dict[str, Any]) -> None:
    if read.name in out:
        return
    if read.derived_from:  # a derived quantity: its inputs carry the provenance
        out[read.name] = {"name": read.name, "value": _plain(read.value), "derived_from":
                          [r.name for r in read.derived_from]}
        for inner in read.derived_from:
            _walk(inner, out, fallback)
        return
    out[read.name] = _fact(read.name, read.value, read.source, read.source_date, fallback)


def facts_used(decision: Decision, version: Any, data: dict[str, Any], catalog: Catalog,
               day: dt.date) -> list[dict[str, Any]]:
    """The facts the decision's criteria read, then those its amount reads, each with its
    provenance: [{name, value, source, date, origin}] ({name, value, derived_from} for a derived
    quantity). `version` is the profile version (source, origin, entered_by, created_at)."""
    fallback = _version_provenance(version)
    out: dict[str, dict[str, Any]] = {}
    for criterion in decision.criteria:
        for read in criterion.reads:
            _walk(read, out, fallback)
    item = catalog.version_for(decision.item_id, day)
    if item is not None and item.amount is not None:
        given = data.get("provenance") or {}
        for name in amount_facts(item.amount):
            if name in out or name not in data:
                continue
            prov = given.get(name) or {}
            date = prov.get("date")
            out[name] = _fact(name, data[name], prov.get("source"),
                              dt.date.fromisoformat(date) if date else None, fallback)
    return list(out.values())
