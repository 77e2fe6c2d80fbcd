"""Neutralise spreadsheet formula injection in exported cells (OWASP "CSV injection").

Company names come from uploads; a name such as `=HYPERLINK(...)` must show as text in Excel,
never run. A leading single quote makes spreadsheet programs treat the cell as text.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a string that a spreadsheet would read as a formula with a single quote; also one
    that XlsxWriter would write as raw rich-text XML (`<r>…</r>`, taken verbatim into the
    sheet: an uploaded name of that form could break the workbook or inject markup)."""
    if isinstance(value, str) and (value.startswith(TRIGGERS) or _rich_text(value)):
        return "'" + value
    return value


def _rich_text(value: str) -> bool:
    return value.startswith("<r>") and value.endswith("</r>")
