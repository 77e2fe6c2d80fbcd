"""Both languages on every page; no user-facing text in a template outside t(); the gettext
catalogs (web/translations) complete, with matching placeholders, for every key the code uses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from flask.testing import FlaskClient

from engine import Engine
from web import i18n_tools

from .conftest import seed_form

WEB = Path(__file__).resolve().parents[2] / "web"
TEMPLATES = WEB / "templates"
TEXTS = {"zh": i18n_tools.texts("zh_CN"), "en": i18n_tools.texts("en")}


def _pages(engine: Engine) -> list[str]:
    return ["/", "/?example=futian_rd_firm", "/rules/", "/docs/api/",
            *(f"/rules/{item_id}" for item_id in engine.catalog.versions)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_get_page_renders_in_both_languages(client: FlaskClient, engine: Engine,
                                                  lang: str) -> None:
    """I18N_STRICT makes a missing catalogue key an error, so any gap fails the status check."""
    switch = TEXTS[lang]["lang.switch"]
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
    expected = TEXTS[lang]["error.404"]
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


def test_the_catalogs_are_complete_for_both_languages() -> None:
    """Every key has a non-empty text in zh_CN and in en, with the same `{name}` fields."""
    assert i18n_tools.problems() == []
    assert set(TEXTS["zh"]) == set(TEXTS["en"]) and len(TEXTS["zh"]) > 300


def test_the_check_catches_a_gap_and_a_placeholder_mismatch(tmp_path: Path) -> None:
    zh, en = i18n_tools.load("zh_CN", tmp_path), i18n_tools.load("en", tmp_path)
    zh.add("a.key", "第 {n} 版")
    en.add("a.key", "version {count}")
    zh.add("b.key", "只有中文")
    en.add("b.key", "")
    i18n_tools.save(zh, "zh_CN", tmp_path)
    i18n_tools.save(en, "en", tmp_path)
    found = i18n_tools.problems(tmp_path)
    assert any(p.startswith("a.key: placeholders differ") for p in found)
    assert "b.key: no en text" in found


def _extracted_keys() -> set[str]:
    """What `pybabel extract -F babel.cfg -k t web` finds: literal keys passed to t()."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    return {message for _, _, message, _, _ in extract_from_dir(
        str(WEB), method_map, keywords={"t": None})}


def test_every_key_used_in_templates_and_code_is_translated() -> None:
    used = _extracted_keys()
    assert {"check.submit", "nav.api", "login.title"} <= used
    assert used - set(TEXTS["zh"]) == set() and used - set(TEXTS["en"]) == set()
    for template in TEMPLATES.rglob("*.html"):  # the regular expression the extractor replaced
        used |= set(re.findall(r"\bt\('([a-z_.0-9]+)'[,)]", template.read_text(encoding="utf-8")))
    assert used <= set(TEXTS["zh"]), sorted(used - set(TEXTS["zh"]))


def test_a_branch_with_old_style_messages_moves_in_with_one_command(tmp_path: Path) -> None:
    """web/i18n_tools.py migrate: the keys of a MESSAGES dictionary land in both catalogs (a
    changed text replaces the old one) and the module is removed."""
    root = tmp_path / "translations"
    for locale in ("zh_CN", "en"):
        catalog = i18n_tools.load(locale)
        i18n_tools.save(catalog, locale, root)
    old = tmp_path / "messages.py"
    old.write_text('MESSAGES = {"new.key": ("新的 {n} 项", "{n} new items"),\n'
                   '            "nav.api": ("接口文档", "API reference")}\n', encoding="utf-8")
    assert i18n_tools.migrate(old, root) == 2
    assert not old.exists()
    zh, en = i18n_tools.texts("zh_CN", root), i18n_tools.texts("en", root)
    assert (zh["new.key"], en["new.key"]) == ("新的 {n} 项", "{n} new items")
    assert (zh["nav.api"], en["nav.api"]) == ("接口文档", "API reference")
    assert set(zh) == set(TEXTS["zh"]) | {"new.key"}
    assert i18n_tools.problems(root) == []


def test_sync_adds_new_keys_untranslated_and_keeps_the_ones_built_at_run_time(tmp_path: Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    root = tmp_path / "translations"
    for locale in ("zh_CN", "en"):
        i18n_tools.save(i18n_tools.load(locale), locale, root)
    pot = tmp_path / "messages.pot"
    template = Catalog()
    template.add("brand.new")
    with pot.open("wb") as handle:
        write_po(handle, template)
    assert i18n_tools.sync(pot, root) == ["brand.new"]
    zh = i18n_tools.texts("zh_CN", root)
    assert zh["brand.new"] == "" and zh["status.eligible"] == TEXTS["zh"]["status.eligible"]
    assert "brand.new: no zh_CN text" in i18n_tools.problems(root)


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


@pytest.mark.parametrize(("lang", "moment", "precision", "shown"), [
    ("zh", dt.datetime(2024, 6, 1, 14, 3, tzinfo=dt.UTC), "minutes", "2024-06-01 22:03（北京时间）"),
    ("en", dt.datetime(2024, 6, 1, 14, 3, tzinfo=dt.UTC), "minutes", "2024-06-01 22:03 (Beijing time)"),
    ("zh", dt.datetime(2024, 6, 1, 16, 0, 5), "seconds", "2024-06-02 00:00:05（北京时间）"),  # naive: UTC
    ("en", dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC), "date", "2025-01-01 (Beijing time)"),
])
def test_times_are_shown_in_beijing_time_through_babel(app: Any, lang: str, moment: dt.datetime,
                                                       precision: str, shown: str) -> None:
    from web.formats import beijing_filter

    with app.test_request_context(f"/?lang={lang}"):
        assert beijing_filter(moment, precision) == shown
        assert beijing_filter(None) == ""
        assert beijing_filter(moment, precision, label=False) == shown.split("（")[0].split(" (")[0]


@pytest.mark.parametrize(("lang", "shown"), [("zh", "32万元（320,000元）"), ("en", "CNY 320,000 (32万元)")])
def test_money_is_written_in_one_place(lang: str, shown: str) -> None:
    from decimal import Decimal

    from web.formats import money_text

    assert money_text(Decimal("320000.00"), lang) == shown
