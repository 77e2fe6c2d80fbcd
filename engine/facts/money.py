"""Money formatting: Decimal yuan, shown in yuan with separators or in 万元 for officials."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)


def round_yuan(value: Decimal) -> Decimal:
    """Round to the cent, half up, as payments are made."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _trim(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def yuan(value: Decimal, lang: str = "zh") -> str:
    """3200000 -> '3,200,000元' (zh) or 'CNY 3,200,000' (en)."""
    return f"{_trim(value)}元" if lang == "zh" else f"CNY {_trim(value)}"


def wan(value: Decimal, lang: str = "zh") -> str:
    """3200000 -> '320万元'; in English the same figure in yuan, 'CNY 3,200,000'."""
    if lang != "zh":
        return yuan(value, lang)
    amount = (value / WAN).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return f"{amount:,f}万元"


def wan_cents(value: Decimal, lang: str = "zh") -> str:
    """For officials' tables: 320000 -> '32.00万元', 12345.67 -> '1.23万元' (two decimals, half
    up); an amount that rounds to nothing but is not zero says so ('<0.01万元') rather than show
    0.00. In English the yuan to the cent: 'CNY 320,000.00'."""
    if lang != "zh":
        return f"CNY {value:,.2f}"
    shown = (value / WAN).quantize(CENT, rounding=ROUND_HALF_UP)
    if shown == 0 and value != 0:
        return f"{'>-' if value < 0 else '<'}0.01万元"
    return f"{shown:,.2f}万元"


def percent(ratio: Decimal, places: int = 2) -> str:
    """0.0365 -> '3.65%' (trailing zeros dropped)."""
    value = (ratio * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return f"{text}%"


def number(value: Decimal | int) -> str:
    return _trim(Decimal(value)) if isinstance(value, Decimal) else f"{value:,}"
