"""The public rule browser: programs, items, criteria with citations, periods, budget lines."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from engine import Engine
from web import create_app


def _text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_index_lists_programs_with_budgets_and_items(client: FlaskClient) -> None:
    page = _text(client, "/rules/")
    assert "福田区产业发展专项资金（科技创新分项）" in page
    assert "2018 年预算总额 <strong>26,380万元</strong>" in page
    assert 'href="/rules/futian.ip_pledge"' in page
    assert "2017-01-01 – 2021-04-27" in page


def test_an_item_shows_criteria_with_citations_and_budget_line(client: FlaskClient) -> None:
    page = _text(client, "/rules/futian.rd_input")
    assert "上年度经统计部门核定的研发投入超过50万元" in page
    assert "统计部门核定的上年度研发投入 须超过 500,000元" in page
    assert "（9）R&amp;D投入支持 3,000万元" in page
    assert "10% × 统计部门核定的上年度研发投入，最高200万元" in page


def test_reconstructed_bases_show_their_assumption(client: FlaskClient) -> None:
    page = _text(client, "/rules/futian.rd_input")
    assert 'class="tag tag-reconstructed">推定</span>' in page
    assert "条款表未注明年份" in page


def test_exclusions_are_shown_with_their_tests(client: FlaskClient) -> None:
    page = _text(client, "/rules/futian.rd_input")
    exclusions = page[page.index("排除情形"):]
    assert "列入严重失信主体名单 须为“是”" in exclusions


def test_every_version_is_shown_newest_first(client: FlaskClient, engine: Engine) -> None:
    page = _text(client, "/rules/futian.ip_pledge")
    versions = engine.catalog.versions["futian.ip_pledge"]
    assert page.count('class="panel rule-version"') == len(versions) > 1
    starts = [page.index(f"{v.valid_from.isoformat()} – ") for v in versions]
    assert starts == sorted(starts, reverse=True)


def test_shared_conditions_are_named(client: FlaskClient) -> None:
    page = _text(client, "/rules/national.hnte")
    assert "同时满足以下全部条件" in page


def test_english(client: FlaskClient) -> None:
    page = _text(client, "/rules/futian.rd_input?lang=en")
    assert "R&amp;D input support" in page and "Prior-year R&amp;D verified" in page
    assert "CNY 30,000,000" in page  # the 3,000万 budget line in yuan


def test_not_assessable_items_show_their_reason(rules_with_unpublished: Path) -> None:
    client = create_app({"TESTING": True, "RULES_DIR": str(rules_with_unpublished)}).test_client()
    assert "无法评估" in _text(client, "/rules/")
    page = _text(client, "/rules/test.unpublished.grant")
    assert "申报条件尚未公开发布" in page


def test_an_unknown_item_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/rules/futian.nothing")
    assert response.status_code == 404
    assert "找不到这个页面" in response.get_data(as_text=True)
