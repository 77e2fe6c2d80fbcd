"""The console's search and company page (issue 15): by a part of the name or a credit-code
prefix, paginated, in both languages; one company across its versions and runs; bad input is a
page that says why, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from engine.store.demo import FIRM_A

from .conftest import DemoData


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def test_the_console_home_has_the_search_box(official: FlaskClient) -> None:
    page = official.get("/official/").get_data(as_text=True)
    assert 'id="search-form"' in page and 'name="q"' in page and "查找企业" in page


@pytest.mark.parametrize(("lang", "count", "district"), [
    ("zh", "名称含“启明”的企业共 1 家", "福田区"),
    ("en", "1 companies whose name contains &#34;启明&#34;", "Futian")])
def test_a_name_part_finds_the_firm(official: FlaskClient, lang: str, count: str,
                                    district: str) -> None:
    page = official.get(f"/official/search?q=启明&lang={lang}").get_data(as_text=True)
    assert count in page
    assert "深圳市福田启明智能科技有限公司" in page and f"/official/companies/{FIRM_A}" in page
    assert district in page


def test_a_code_prefix_pages_through_the_matches(demo_app: object, official: FlaskClient) -> None:
    demo_app.config["SEARCH_PER_PAGE"] = 2  # type: ignore[attr-defined]
    first = official.get("/official/search?q=9144").get_data(as_text=True)
    assert "信用代码以“9144”开头的企业" in first and 'id="search-next"' in first
    assert first.count("/official/companies/9144") == 2
    last = official.get("/official/search?q=9144&page=999").get_data(as_text=True)
    assert 'rel="prev"' in last and 'id="search-next"' not in last
    lower = official.get(f"/official/search?q={FIRM_A.lower()}").get_data(as_text=True)
    assert "共 1 家" in lower


@pytest.mark.parametrize("query", ["%", "_", "zzz不存在"])
def test_wildcards_are_searched_for_not_obeyed(official: FlaskClient, query: str) -> None:
    response = official.get("/official/search", query_string={"q": query})
    assert response.status_code == 200 and "没有找到符合的企业" in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "text"), [("zh", "查询过长"), ("en", "longer than 100")])
def test_an_overlong_query_is_refused_with_its_reason(official: FlaskClient, lang: str,
                                                      text: str) -> None:
    response = official.get("/official/search", query_string={"q": "x" * 101, "lang": lang})
    assert response.status_code == 422 and text in response.get_data(as_text=True)


def test_an_empty_query_shows_the_form(official: FlaskClient) -> None:
    for url in ("/official/search", "/official/search?q=+++&page=abc"):
        response = official.get(url)
        assert response.status_code == 200 and 'id="search-form"' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_company_page_shows_versions_runs_and_links_to_decisions(
        official: FlaskClient, demo: DemoData, lang: str) -> None:
    page = official.get(f"/official/companies/{FIRM_A}?lang={lang}").get_data(as_text=True)
    assert "深圳市福田启明智能科技有限公司" in page
    assert 'id="company-versions"' in page
    assert f'id="company-run-{demo.run_id}-{demo.profile_a}"' in page
    assert f"/official/decisions/{demo.decision_a}" in page
    assert ("资料版本" if lang == "zh" else "Profile versions") in page
    assert ("万元" if lang == "zh" else "CNY") in page


@pytest.mark.parametrize("code", ["91440300MA5F3K7L05", "nope", "x" * 40, "%25"])
def test_an_unknown_company_is_404(official: FlaskClient, code: str) -> None:
    assert official.get(f"/official/companies/{code}").status_code == 404
