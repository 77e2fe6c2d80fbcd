"""The profile schema: facts are optional, units hold, impossible combinations are refused."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.errors import ProfileError
from engine.facts.parse import parse_profile
from engine.facts.profile import FACT_FIELDS


def test_a_missing_fact_is_unknown_not_zero() -> None:
    profile = parse_profile({"employees_total": 10})
    assert profile.st_staff is None
    assert "st_staff" not in profile.known()


def test_money_is_decimal() -> None:
    profile = parse_profile({"sales_revenue_y1": "1234567.89"})
    assert profile.sales_revenue_y1 == Decimal("1234567.89")
    assert isinstance(profile.sales_revenue_y1, Decimal)


@pytest.mark.parametrize(
    ("data", "fields", "words"),
    [
        ({"st_staff": 11, "employees_total": 10}, ["st_staff", "employees_total"],
         "S&T staff above total staff"),
        ({"rd_expense_y1": "1", "rd_expense_y2": "1", "rd_expense_y3": "1",
          "rd_expense_domestic_3y": "4"},
         ["rd_expense_domestic_3y", "rd_expense_y1", "rd_expense_y2", "rd_expense_y3"],
         "domestic R&D above total R&D"),
        ({"high_tech_revenue_y1": "10", "total_revenue_y1": "5"},
         ["high_tech_revenue_y1", "total_revenue_y1"], "high-tech revenue above total revenue"),
        ({"sales_revenue_y1": "-1"}, ["sales_revenue_y1"], "greater than or equal to 0"),
        ({"employees_total": -3}, ["employees_total"], "greater than or equal to 0"),
        ({"credit_code": "91350100M000100Y44"}, ["credit_code"], "check character"),
        ({"registered_district": "atlantis"}, ["registered_district"], "futian"),
        ({"rd_expens_y1": "1"}, ["rd_expens_y1"], "Extra inputs are not permitted"),
        ({"provenance": {"nonsense": {"source": "tax_bureau"}}}, ["provenance"],
         "names no profile field"),
    ],
)
def test_bad_profiles_name_their_fields(data: dict, fields: list[str], words: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data)
    assert caught.value.fields == fields
    assert words in caught.value.message


def test_every_cross_field_problem_is_reported_at_once_in_each_language() -> None:
    """All the inconsistencies of one profile, each naming its fields, each in Chinese and in
    English (a form shows one language only); the message keeps both, for the CLI and imports."""
    with pytest.raises(ProfileError) as caught:
        parse_profile({"st_staff": 11, "employees_total": 10, "high_tech_revenue_y1": "10.01",
                       "total_revenue_y1": "10"})
    error = caught.value
    assert error.fields == ["st_staff", "employees_total", "high_tech_revenue_y1",
                            "total_revenue_y1"]
    assert error.reason_for("employees_total", "zh") == "科技人员数大于职工总数（11 > 10）"
    assert error.reason_for("employees_total", "en") == "S&T staff above total staff (11 > 10)"
    assert error.reason_for("total_revenue_y1", "en") == (
        "high-tech revenue above total revenue (10.01 > 10)")
    assert error.reason_for("credit_code", "en") is None
    assert "科技人员数大于职工总数" in error.message and "high-tech revenue" in error.message


@pytest.mark.parametrize(("data", "field", "zh", "en"), [
    ({"credit_code": "91350100M000100Y44"}, "credit_code", "统一社会信用代码有误", "check character"),
    ({"employees_total": -3}, "employees_total", "不能小于 0", "greater than or equal to 0"),
    ({"registration_date": 20200101}, "registration_date", "应为日期", "not the number 20200101"),
])
def test_a_field_problem_is_given_in_each_language_apart(data: dict, field: str, zh: str,
                                                          en: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(data)
    chinese, english = (caught.value.reason_for(field, lang) for lang in ("zh", "en"))
    assert chinese is not None and english is not None
    assert zh in chinese and en not in chinese
    assert en in english and zh not in english


def test_provenance_is_kept_per_fact() -> None:
    profile = parse_profile({"rd_expense_y1": "5", "provenance": {
        "rd_expense_y1": {"source": "tax_bureau", "date": "2020-05-31"}}})
    assert profile.provenance["rd_expense_y1"].source.value == "tax_bureau"


def test_every_field_has_labels_and_a_topic() -> None:
    for name, info in FACT_FIELDS.items():
        extra = info.json_schema_extra or {}
        assert extra.get("zh") and extra.get("en") and extra.get("topic"), name


def test_schema_command_prints_the_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "credit_code" in schema["properties"]
    assert schema["additionalProperties"] is False
