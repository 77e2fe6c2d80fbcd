"""How the pages write times and money, in one place: Beijing time through Babel's date
formatting (Flask-Babel's default time zone is Asia/Shanghai), amounts through the engine's
yuan/万元 writers, so a page, a letter and an export show a figure the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Flask
from flask_babel import format_datetime

from engine import time_label, wan, wan_cents, yuan

from .i18n import current_lang

# Babel (CLDR) patterns: ISO-like in both languages, which is what officials' sheets use.
PATTERNS = {"minutes": "yyyy-MM-dd HH:mm", "seconds": "yyyy-MM-dd HH:mm:ss", "date": "yyyy-MM-dd"}


def beijing_filter(value: dt.datetime | None, precision: str = "minutes", label: bool = True) -> str:
    """A stored (UTC; naive means UTC) time as Beijing time, labelled unless a column heading
    says it: '2024-06-01 22:03（北京时间）' / '2024-06-01 22:03 (Beijing time)'."""
    if value is None:
        return ""
    shown = format_datetime(value, PATTERNS[precision])
    if not label:
        return shown
    lang = current_lang()
    return f"{shown} ({time_label(lang)})" if lang == "en" else f"{shown}（{time_label(lang)}）"


def wan_filter(value: Decimal) -> str:
    """A figure given in 万元 (budgets): '3000万元' in Chinese, 'CNY 30,000,000' in English."""
    return wan(Decimal(value) * 10000, current_lang())


def wan_cents_filter(value: Decimal | None) -> str:
    """An amount in yuan as the console's tables show it: 万元 to two decimals ('1.23万元'), or
    yuan to the cent in English; the exact yuan goes in the cell's title."""
    return "" if value is None else wan_cents(Decimal(value), current_lang())


def wan_figure_filter(value: Decimal | None, signed: bool = False) -> str:
    """An amount in yuan as a figure in 万元 to two decimals, in both languages ('1,234.56',
    '+22.50' with `signed`): for tables whose column heading names the unit (万元 / CNY 10,000),
    such as a draft's budget effect, where officials compare 万元 across items."""
    if value is None:
        return ""
    figure = (Decimal(value) / 10000).quantize(Decimal("0.01"))
    return f"{figure:+,.2f}" if signed and figure else f"{figure:,.2f}"


def yuan_filter(value: Decimal | None) -> str:
    """An amount in yuan to the cent, '12,345.67元' / 'CNY 12,345.67'."""
    return "" if value is None else yuan(Decimal(value), current_lang())


def money_text(value: Decimal, lang: str) -> str:
    """An amount in yuan, both units: '32万元（320,000元）' or 'CNY 320,000 (32万元)'."""
    if lang == "zh":
        return f"{wan(value, 'zh')}（{yuan(value, 'zh')}）"
    return f"{yuan(value, 'en')} ({wan(value, 'zh')})"


def init_app(app: Flask) -> None:
    app.add_template_filter(wan_filter, "wan")
    app.add_template_filter(wan_cents_filter, "wan2")
    app.add_template_filter(yuan_filter, "yuan")
    app.add_template_filter(wan_figure_filter, "wan_figure")
    app.add_template_filter(beijing_filter, "bj")


