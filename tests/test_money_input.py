"""Money as people type it: 4200万, 1.2亿, thousands separators; an ambiguous comma still refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from engine import money_from_text, number_from_text
from engine.facts.numbers import NumberTextError
from engine.intake import read_table, validate_rows
from tests.synthetic import synthetic_profile, write_applicants


@pytest.mark.parametrize("typed, yuan", [
    ("4200万", "42000000"),
    ("4,200万元", "42000000"),
    ("1.2亿", "120000000"),
    ("1.2亿元", "120000000"),
    ("４２００万", "42000000"),  # full-width digits, as an input method types them
    (" 3.25 万 ", "32500"),
    ("0.0001万", "1"),
    ("0.000001万", "0.01"),  # one fen
    ("1,234,567.89", "1234567.89"),
    ("3,200,000元", "3200000"),
    ("-50万", "-500000"),  # a loss, where the schema allows one
    ("0万", "0"),
])
def test_money_reads_magnitudes_and_separators(typed, yuan):
    value = money_from_text(typed)
    assert value == Decimal(yuan)
    assert "E" not in str(value)  # 42000000, never 4.2E+7


@pytest.mark.parametrize("typed, kind", [
    ("1,5", "comma"), ("1,5万", "comma"), ("12,34亿", "comma"),  # a decimal comma or a slip
    ("万", "not_number"), ("亿元", "not_number"), ("1万2千", "not_number"), ("万1", "not_number"),
    ("1e30万", "out_of_range"), ("1" * 200 + "万", "too_long"),
])
def test_ambiguous_or_absurd_money_is_refused(typed, kind):
    with pytest.raises(NumberTextError) as exc:
        money_from_text(typed)
    assert exc.value.kind == kind


def test_plain_numbers_take_no_magnitude():
    with pytest.raises(NumberTextError):
        number_from_text("4200万")


def test_an_applicant_list_reads_wan_in_money_columns(tmp_path: Path):
    path = tmp_path / "list.csv"
    write_applicants(path, [{**synthetic_profile(0), "sales_revenue_y1": "4200万",
                             "rd_expense_y1": "1.2亿"}])
    rows = list(validate_rows(read_table(path)).rows)
    profile = rows[0].profile
    assert profile is not None
    assert profile.sales_revenue_y1 == Decimal("42000000")
    assert profile.rd_expense_y1 == Decimal("120000000")


def test_an_applicant_list_refuses_wan_in_a_count_column(tmp_path: Path):
    path = tmp_path / "list.csv"
    write_applicants(path, [{**synthetic_profile(0), "employees_total": "3万"}])
    rows = list(validate_rows(read_table(path)).rows)
    assert rows[0].profile is None
