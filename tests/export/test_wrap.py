"""Line breaks in the letter: between Chinese characters, never inside a figure or before a comma."""

from __future__ import annotations

import pytest

from engine.export.wrap import wrap


def width(text: str) -> float:
    """Every character one unit wide, as a monospaced font would be."""
    return float(len(text))


@pytest.mark.parametrize(("text", "limit", "lines"), [
    ("销售收入：42,000,000元", 11, ["销售收入：", "42,000,000元"]),
    ("研发费用合计，销售收入合计", 6, ["研发费用合", "计，销售收入", "合计"]),
    ("需推后 929天（迁入日期）", 8, ["需推后 929天", "（迁入日期）"]),
    ("needs CNY 8,000,000.01 more", 12, ["needs CNY", "8,000,000.01", "more"]),
    ("第一行\n第二行", 10, ["第一行", "第二行"]),
])
def test_wrap(text, limit, lines):
    assert wrap(text, limit, width).split("\n") == lines
