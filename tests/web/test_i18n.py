"""Both languages on every page; no user-facing text in a template outside t()."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import Engine
from web.messages import MESSAGES

from .conftest import seed_form

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def _pages(engine: Engine) -> list[str]:
    return ["/", "/?example=futian_rd_firm", "/rules/",
            *(f"/rules/{item_id}" for item_id in engine.catalog.versions)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_get_page_renders_in_both_languages(client: FlaskClient, engine: Engine,
                                                  lang: str) -> None:
    """I18N_STRICT makes a missing catalogue key an error, so any gap fails the status check."""
    switch = MESSAGES["lang.switch"][0 if lang == "zh" else 1]
    for path in _pages(engine):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}lang={lang}")
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert 'id="lang-switch"' in page, path
        assert f">{switch}<" in page, path
        assert response.headers["Content-Language"] == ("zh-CN" if lang == "zh" else "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_posted_pages_render_in_both_languages(post_form: Callable[..., Any], lang: str) -> None:
    result = post_form("/check", {**seed_form("futian_newcomer", "2020-06-01"), "lang": lang})
    assert result.status_code == 200
    assert ("评估结果" if lang == "zh" else "Assessment") in result.get_data(as_text=True)
    errors = post_form("/check", {"employees_total": "many", "lang": lang})
    assert errors.status_code == 422
    assert ("请填写整数" if lang == "zh" else "Enter a whole number") in errors.get_data(as_text=True)


@pytest.mark.parametrize(("path", "status"), [("/nowhere", 404), ("/rules/x.y", 404)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_pages_render_in_both_languages(client: FlaskClient, path: str, status: int,
                                              lang: str) -> None:
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == status
    expected = MESSAGES["error.404"][0 if lang == "zh" else 1]
    assert expected in response.get_data(as_text=True)


def test_english_pages_use_the_engines_english_texts(post_form: Callable[..., Any]) -> None:
    page = post_form("/check", {**seed_form("futian_rd_firm", "2020-06-01"), "lang": "en"})
    text = page.get_data(as_text=True)
    assert "R&amp;D input support" in text and "Eligible" in text
    assert "CNY 320,000 (32万元)" in text
    assert "Estimated amount" in text


def test_zh_is_the_default_and_the_choice_is_remembered(client: FlaskClient) -> None:
    assert "企业扶持政策自查" in client.get("/").get_data(as_text=True)
    response = client.get("/rules/?lang=en")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Support eligibility self-check" in client.get("/").get_data(as_text=True)


def test_the_switch_on_a_result_page_keeps_the_result(post_form: Callable[..., Any],
                                                      client: FlaskClient) -> None:
    import html

    page = post_form("/check", seed_form("futian_rd_firm", "2020-06-01")).get_data(as_text=True)
    switch = page[page.index('action="/check/result"'):]
    payload = html.unescape(re.search(r'name="payload" value="([^"]+)"', switch).group(1))
    english = post_form("/check/result", {"payload": payload, "as_of": "2020-06-01", "lang": "en"})
    assert "R&amp;D input support" in english.get_data(as_text=True)


def test_the_catalogue_is_complete_for_both_languages() -> None:
    for key, pair in MESSAGES.items():
        assert len(pair) == 2 and all(text.strip() for text in pair), key


TAG = re.compile(r"<[^>]*>", re.S)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")
ATTRIBUTE = re.compile(r'\b(?:placeholder|title|alt|aria-label)="([^"]*)"')


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_text_in_templates_outside_the_translation_function(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    for value in ATTRIBUTE.findall(source):
        assert not WORDS.search(JINJA.sub("", value)), f"untranslated attribute: {value!r}"
    text = TAG.sub(" ", JINJA.sub(" ", source))
    text = re.sub(r"&[a-z]+;", " ", text)
    leftovers = [line.strip() for line in text.splitlines() if WORDS.search(line)]
    assert leftovers == [], f"text outside t() in {template.name}: {leftovers}"


def test_every_key_used_in_templates_exists() -> None:
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.0-9]+)'[,)]", template.read_text(encoding="utf-8")))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))
