"""The 万元 figures of officials' tables: two decimals, half up, never a misleading zero."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine import wan, wan_cents


@pytest.mark.parametrize(("yuan", "zh", "en"), [
    ("320000", "32.00万元", "CNY 320,000.00"),
    ("12345.67", "1.23万元", "CNY 12,345.67"),
    ("12350", "1.24万元", "CNY 12,350.00"),  # an exact tie rounds half up, as payments do
    ("12349.99", "1.23万元", "CNY 12,349.99"),
    ("0", "0.00万元", "CNY 0.00"),
    ("0.01", "<0.01万元", "CNY 0.01"),  # a cent is not shown as nothing
    ("49.99", "<0.01万元", "CNY 49.99"),
    ("50", "0.01万元", "CNY 50.00"),
    ("-0.01", ">-0.01万元", "CNY -0.01"),
    ("123456789012.34", "12,345,678.90万元", "CNY 123,456,789,012.34"),
])
def test_wan_cents_at_the_edges(yuan: str, zh: str, en: str) -> None:
    assert wan_cents(Decimal(yuan), "zh") == zh
    assert wan_cents(Decimal(yuan), "en") == en


def test_wan_keeps_its_four_places_for_budgets() -> None:
    assert wan(Decimal("12345.67")) == "1.2346万元"  # budget lines and letters are unchanged
