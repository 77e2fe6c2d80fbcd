"""Times as readers see them: Beijing time (Asia/Shanghai), labelled, whatever the server's zone.

The store keeps UTC (timezone-aware; SQLite gives it back naive, and naive means UTC here); every
page, letter and sheet shows Beijing time with its label, never a bare or UTC clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    BEIJING: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database: China has kept UTC+8 without DST since 1991
    BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")

LABEL = {"zh": "北京时间", "en": "Beijing time"}
FORMATS = {"minutes": "%Y-%m-%d %H:%M", "seconds": "%Y-%m-%d %H:%M:%S", "date": "%Y-%m-%d"}


def beijing(value: dt.datetime) -> dt.datetime:
    """The same instant in Beijing time (a naive value is read as UTC, as the store writes it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(BEIJING)


def beijing_text(value: dt.datetime | None, lang: str = "zh", precision: str = "minutes",
                 label: bool = True) -> str:
    """'2024-06-01 22:03（北京时间）' / '2024-06-01 22:03 (Beijing time)'; '' for None."""
    if value is None:
        return ""
    shown = beijing(value).strftime(FORMATS[precision])
    if not label:
        return shown
    name = LABEL["en" if lang == "en" else "zh"]
    return f"{shown}（{name}）" if lang != "en" else f"{shown} ({name})"


def time_label(lang: str = "zh") -> str:
    """The label to put in a column heading: '北京时间' / 'Beijing time'."""
    return LABEL["en" if lang == "en" else "zh"]
