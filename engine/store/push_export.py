"""Exports of a push list (CSV with a BOM, XLSX), audited like every export."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from engine.errors import SubsidyError
from engine.export.push_export import write_push_csv, write_push_xlsx

from . import audit
from .push_lists import list_meta, push_entries

PUSH_FORMATS = ("csv", "xlsx")


def export_push_list(session: Session, list_id: int, fmt: str, out: str | Path | IO[bytes], *,
                     actor: str, lang: str = "zh") -> int:
    """Write the list; returns the rows written. The export is audited in the caller's
    transaction.

    Raises:
        SubsidyError: an unknown format. PushListError: no such list.
    """
    if fmt not in PUSH_FORMATS:
        raise SubsidyError(f"unknown format `{fmt}` (one of {', '.join(PUSH_FORMATS)})", format=fmt)
    meta = list_meta(session, list_id)
    entries = push_entries(session, list_id)
    if fmt == "xlsx":
        count = write_push_xlsx(entries, meta, str(out) if isinstance(out, Path) else out, lang)
    elif isinstance(out, str | Path):
        with Path(out).open("wb") as stream:
            count = write_push_csv(entries, meta, stream, lang)
    else:
        count = write_push_csv(entries, meta, out, lang)
    audit.record(session, actor, "export", f"push list {list_id}", format=fmt, rows=count)
    return count
