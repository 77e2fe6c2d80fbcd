"""A draft's failing examples on its impact page in the page's language: the checker keeps each
mismatch as data (status, amount, criterion, missing facts, a bad profile) and the page words it
from the catalogs; the CLI keeps the checker's English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web.official.draft_examples import example_lines

from .conftest import DemoData
from .test_console_drafts import draft_text, finished, submit

ZH = ["futian/st_fund.yaml：futian.rd_input：示例“a Futian firm with 3.2 million verified R&amp;D",
      "预期结果为“符合条件”，实际为“不符合条件”",
      "预期金额：32万元（320,000元），实际：无金额",
      "预期条件“上年度经统计部门核定的研发投入超过50万元”（rd_verified_over_500k）为“符合”，实际为“不符合”",
      "预期缺少的资料为：注册登记所在区；实际为：无"]
EN = ["futian/st_fund.yaml: futian.rd_input: example “a Futian firm with 3.2 million verified R&amp;D",
      "expected the outcome “Eligible”, got “Not eligible”",
      "expected amount: CNY 320,000 (32万元), got: no amount",
      "expected the criterion “Prior-year R&amp;D verified by the statistics bureau above 500,000 yuan”"
      " (rd_verified_over_500k) to come out “Pass”, got “Fail”",
      "expected the facts missing to be: District of registration; got: none"]


def _failures(page: str) -> str:
    return page[page.index('id="draft-example-failures"'):].split("</div>")[0]


def test_the_drafts_failing_examples_are_worded_in_the_pages_language(
        login_as: Callable[[str], FlaskClient], demo: DemoData) -> None:
    official = login_as("official")
    url, zh = finished(official, submit(official, draft_text(), scope="run",
                                        run_id=str(demo.run_id)), "zh")
    failures = _failures(zh)
    for words in ZH:
        assert words in failures
    assert "expected" not in failures and "got" not in failures
    failures = _failures(official.get(url + "?lang=en").get_data(as_text=True))
    for words in EN:
        assert words in failures
    assert "预期" not in failures and "实际" not in failures


CHECK = {"file": "x.yaml", "item_id": "x.item", "name": "an example", "text": "the CLI's text",
         "mismatches": [
             {"aspect": "no_criterion", "expected": None, "got": None, "criterion": "c1",
              "criterion_text": None},
             {"aspect": "criterion", "expected": "unknown", "got": "pass", "criterion": "c2",
              "criterion_text": None},
             {"aspect": "amount", "expected": None, "got": "1234.50", "criterion": None,
              "criterion_text": None}]}
BAD_PROFILE = {**CHECK, "mismatches": [{"aspect": "profile", "expected": None, "criterion": None,
               "criterion_text": None, "got": {"message": "m", "zh": "员工人数须为整数",
                                               "en": "employees must be a whole number"}}]}


@pytest.mark.parametrize(("lang", "check", "words"), [
    ("zh", CHECK, "x.yaml：x.item：示例“an example”：预期的条件 c1 在该项目中不存在；预期条件c2为“未知”，"
                  "实际为“符合”；预期金额：无金额，实际：0.1235万元（1,234.50元）"),
    ("en", CHECK, "x.yaml: x.item: example “an example”: expected the criterion c1, which the item "
                  "does not have; expected the criterion c2 to come out “Unknown”, got “Pass”; "
                  "expected amount: no amount, got: CNY 1,234.50 (0.1235万元)"),
    ("zh", BAD_PROFILE, "示例的企业数据无效：员工人数须为整数"),
    ("en", BAD_PROFILE, "the example's company data is invalid: employees must be a whole number"),
    ("zh", {**CHECK, "mismatches": [{"aspect": "new_kind"}]}, "the CLI's text"),
    ("en", {**CHECK, "mismatches": [{"got": 1}]}, "the CLI's text"),
])
def test_each_aspect_is_worded_and_odd_stored_data_falls_back_to_the_checkers_text(
        app: Flask, lang: str, check: dict[str, Any], words: str) -> None:
    with app.test_request_context(f"/?lang={lang}"):
        (line,) = example_lines({"example_checks": [check]})
    assert words in line


def test_a_job_stored_before_the_checks_were_data_shows_its_text(app: Flask) -> None:
    with app.test_request_context("/?lang=zh"):
        assert example_lines({"example_failures": ["old text"]}) == ["old text"]
        assert example_lines({}) == []
