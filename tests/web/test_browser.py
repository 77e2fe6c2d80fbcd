"""End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The app runs on 127.0.0.1 in a real server thread. Screenshots of the main pages are saved under
test-artifacts/ for people to look at. Without Chromium these tests skip on a developer machine
but fail under CI (CI is set), so that they can never be silently skipped there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from web import create_app

from .conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--lang=zh-CN"]


def require_chromium(path: Path = CHROMIUM) -> None:
    """Skip without Chromium on a developer machine; fail under CI, where it must be installed."""
    if path.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{path} is missing under CI: .ci/run must install Debian's chromium")
    pytest.skip(f"{path} is missing (apt-get install chromium); required under CI")


def test_without_chromium_ci_fails_and_a_developer_skips(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    absent = tmp_path / "no-chromium"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing under CI"):
        require_chromium(absent)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require_chromium(absent)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(create_app({"I18N_STRICT": True})) as address:
        yield address


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        ctx = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM),
            headless=True, args=FLAGS, accept_downloads=True, locale="zh-CN",
            viewport={"width": 1280, "height": 900})
        yield ctx
        ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    context.clear_cookies()
    page = context.new_page()
    yield page
    page.close()


def fits_the_window(page: Any) -> bool:
    """Nothing sticks out sideways: a wide table would make officials scroll."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_firm_checks_itself_and_downloads_the_json(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text() == "企业扶持政策自查"
    shot(page, "01-self-check-form-zh")
    assert fits_the_window(page)

    page.select_option("#f-registered_district", "futian")  # step 1: where, and the date
    page.fill("#f-as_of", "2020-06-01")
    page.click("#to-step-two")
    page.fill("#f-name", "深圳市福田测试科技有限公司")
    page.select_option("#f-tax_district", "futian")
    page.check("input[name=serious_dishonesty_listed][value=no]")
    page.fill("#f-rd_expense_stats_verified", "3,200,000")
    page.click("button[type=submit].primary")

    page.wait_for_selector("h1:has-text('评估结果')")
    card = page.locator("#item-futian\\.rd_input")
    assert "符合条件" in card.locator(".badge").inner_text()
    assert "32万元（320,000元）" in card.locator(".amount").inner_text()
    row = card.locator("table.criteria tbody tr", has_text="3,200,000元")
    assert row.count() == 1
    assert row.locator(".outcome").inner_text() == "符合"
    assert "500,000元" in row.locator(".threshold").inner_text()
    assert card.locator("table.criteria").is_visible()
    shot(page, "02-result-zh")

    with page.expect_download() as download_info:
        page.click("#download-json")
    download = download_info.value
    assert download.suggested_filename == "assessment-2020-06-01.json"
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    rd = next(d for d in document["decisions"] if d["item_id"] == "futian.rd_input")
    assert (rd["status"], rd["amount"]) == ("eligible", "320000.00")
    assert document["company"]["name"] == "深圳市福田测试科技有限公司"

    with page.expect_download() as download_info:
        page.click("#download-pdf")
    letter = download_info.value
    assert letter.suggested_filename == "letter-2020-06-01.pdf"
    text = "".join(p.extract_text() for p in PdfReader(letter.path()).pages)
    assert "深圳市福田测试科技有限公司" in text and "32万元" in text

    assert fits_the_window(page)

    page.click("#lang-switch")
    page.wait_for_selector("h1:has-text('Assessment')")
    assert "CNY 320,000" in page.locator("#item-futian\\.rd_input .amount").inner_text()
    assert fits_the_window(page)
    shot(page, "03-result-en")


def test_an_example_firm_and_a_mistake(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.click("a[data-example=futian_newcomer]")
    assert page.input_value("#f-as_of") == "2020-06-01"
    page.fill("#f-employees_total", "many")
    page.click("button[type=submit].primary")
    error = page.locator("#f-employees_total-error")
    assert "请填写整数" in error.inner_text()
    assert page.input_value("#f-employees_total") == "many"
    shot(page, "04-form-error-zh")
    page.fill("#f-employees_total", "80")
    page.click("button[type=submit].primary")
    assert "最高" in page.locator("#item-futian\\.settlement .amount").inner_text()
    shot(page, "05-result-newcomer-zh")
    assert fits_the_window(page)


def test_a_firm_uploads_its_profile_file(page: Any, server: str) -> None:
    from engine.intake.seeds import SEEDS_DIR

    page.goto(server + "/")
    page.set_input_files("#f-profile_file", str(SEEDS_DIR / "profiles" / "futian_ip_loan_firm.json"))
    page.click("form.upload button[type=submit]")
    assert page.input_value("#f-name") == "深圳市福田知创生物医药有限公司"
    assert page.input_value("#f-ip_loan_collateral") == "patent"
    page.click("#change-step-one")  # back to step 1 for another date, the answers kept
    page.fill("#f-as_of", "2021-10-01")
    page.click("#to-step-two")
    assert page.input_value("#f-ip_loan_collateral") == "patent"
    page.click("button[type=submit].primary")
    assert "21.4万元" in page.locator("#item-futian\\.ip_pledge .amount").inner_text()


def test_the_rule_browser(page: Any, server: str) -> None:
    page.goto(server + "/rules/")
    assert "26,380万元" in page.locator(".budget").first.inner_text()
    shot(page, "06-rules-index-zh")
    assert fits_the_window(page)
    page.click("a[href='/rules/futian.ip_pledge']")
    assert page.locator("article.rule-version").count() > 1
    assert page.locator(".tag-reconstructed").count() > 0
    shot(page, "07-rule-item-zh")
    assert fits_the_window(page)
    page.click("#lang-switch")
    assert "IP pledge" in page.locator("h1").first.inner_text()
    shot(page, "08-rule-item-en")


def test_a_missing_page(page: Any, server: str) -> None:
    response = page.goto(server + "/nowhere")
    assert response.status == 404
    assert "找不到这个页面" in page.inner_text("main")
    shot(page, "09-not-found-zh")


def test_results_fit_a_phone(context: Any, server: str) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/?example=futian_newcomer")
    assert fits_the_window(page)
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.criteria")
    assert fits_the_window(page)
    shot(page, "11-result-phone-zh")
    page.close()


def test_the_form_in_english(page: Any, server: str) -> None:
    page.goto(server + "/check/questions?lang=en")
    assert page.locator("h1").first.inner_text() == "Support eligibility self-check"
    assert page.locator("#topic-finance legend").inner_text() == "Revenue"
    assert fits_the_window(page)
    shot(page, "10-self-check-form-en")
    page.click("#lang-switch")
    assert page.locator("h1").first.inner_text() == "企业扶持政策自查"


def test_the_api_link_opens_the_reference_page(page: Any, server: str) -> None:
    """"API 文档" in the navigation opens the reference rendered from the OpenAPI document (no
    raw JSON, no script or style from another host), and its links reach the schemas."""
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page.goto(server + "/")
    page.click("nav a:has-text('API 文档')")
    page.wait_for_selector("h1:has-text('API 文档')")
    assert page.url.rstrip("/").endswith("/docs/api")
    assert page.locator("#op-assess h2").inner_text() == "POST /api/v1/assess"
    assert page.locator("#op-assess tbody tr", has_text="422").count() == 1
    page.click("#op-assess a:has-text('AssessRequest')")
    assert page.locator("#schema-AssessRequest").is_visible()
    assert page.locator("#schema-Profile tbody tr").count() > 50
    shot(page, "20-api-reference-zh")
    assert fits_the_window(page)
    assert outside == []
