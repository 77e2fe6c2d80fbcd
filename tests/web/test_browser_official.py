"""End to end in real headless Chromium: an official screens an applicant list from upload to
XLSX export, watching the live progress bar; a firm sees its saved profiles. Same browser setup as
test_browser.py (its fixtures are reused), so these fail rather than skip under CI without Chromium.
Screenshots go to test-artifacts/ (20-29)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Error as PlaywrightError

from tests.synthetic import synthetic_profile, write_applicants
from web import create_app
from web.db import dispose
from web.official.launch import wait_all

from .conftest import DemoData, serving
from .test_browser import context, fits_the_window, page, shot  # noqa: F401 - fixtures reused

APPLICANTS = 250  # enough rows for several batches, so the bar is seen moving
SCRIPT_NAME = "<script>alert(1)</script>福田测试企业"


@pytest.fixture(scope="module")
def console_server(demo_template: DemoData, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the demo database, in a real server thread."""
    path = tmp_path_factory.mktemp("e2e-db") / "web.db"
    shutil.copy(demo_template.path, path)
    app = create_app({"I18N_STRICT": True, "SCREEN_WORKERS": 0, "DATABASE_URL": f"sqlite:///{path}"})
    with serving(app) as address:
        yield address
    wait_all()
    dispose(app)


def _applicant_list(folder: Path) -> Path:
    profiles = [synthetic_profile(i, seed=7) for i in range(APPLICANTS)]
    profiles[0]["name"] = SCRIPT_NAME
    profiles.append({**synthetic_profile(APPLICANTS, seed=7), "credit_code": "12345"})  # row 252
    path = folder / "申报名单.csv"
    write_applicants(path, profiles)
    return path


def _log_in(tab: Any, server: str, username: str, password: str) -> None:
    tab.goto(server + "/login")
    tab.fill("#username", username)
    tab.fill("#password", password)
    tab.click("form.stack button[type=submit]")


def test_an_official_screens_a_list_from_upload_to_xlsx(page: Any, console_server: str,  # noqa: F811
                                                        tmp_path: Path) -> None:
    _log_in(page, console_server, "official", "official-demo")
    page.wait_for_selector("h1:has-text('筛查工作台')")
    shot(page, "20-console-zh")
    assert fits_the_window(page)

    page.set_input_files("#applicants", str(_applicant_list(tmp_path)))
    page.click("#upload-submit")
    page.wait_for_selector("h1:has-text('名单校验结果')")
    assert page.locator("#rejected").inner_text() == "1"
    bad = page.locator("#problems tbody tr")
    assert bad.count() == 1 and bad.locator("td").first.inner_text() == str(APPLICANTS + 2)
    assert "12345" in bad.inner_text()
    shot(page, "21-upload-report-zh")

    page.fill("#as_of", "2020-06-01")
    page.click("#start-screening")
    page.wait_for_selector("h1:has-text('次筛查')")
    seen: list[int] = []
    if page.locator("#progress[data-status=running]").count():
        shot(page, "22-progress-running-zh")
        # The bar moves without a reload (polling); record a few of its values on the way.
        for _ in range(600):
            if page.locator("#results-link").count():
                break
            try:
                value = page.evaluate("(document.getElementById('progress-bar') || {}).value")
            except PlaywrightError:  # the finished run's page loaded while we asked
                continue
            if isinstance(value, int | float):
                seen.append(int(value))
            page.wait_for_timeout(200)
    page.wait_for_selector("#results-link", timeout=120_000)
    bar = page.locator("#progress-bar")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(APPLICANTS)
    assert page.locator("#progress-percent").inner_text() == "100"
    assert seen == sorted(seen)  # never goes backwards
    assert page.locator("#run-status").inner_text() == "已完成"
    run_url = page.url
    shot(page, "23-run-complete-zh")

    page.click("#results-link")
    page.wait_for_selector("#results")
    first_company = page.locator("#results tbody tr td.company").first
    assert first_company.inner_text() == SCRIPT_NAME  # shown as text, not run
    page.select_option("#f-status", "eligible")
    page.select_option("#f-item", "futian.rd_input")
    page.click("#apply-filters")
    page.wait_for_url("**status=eligible**")
    rows = page.locator("#results tbody tr")
    assert rows.count() > 0
    assert page.locator("#results tbody .badge-eligible").count() == rows.count()
    assert fits_the_window(page)
    shot(page, "24-results-filtered-zh")
    filtered = page.url
    page.goto(filtered + "&lang=en")
    assert page.locator("h1").inner_text().startswith("Results of run")
    assert fits_the_window(page)
    shot(page, "24-results-filtered-en")
    page.goto(filtered + "&lang=zh")

    rows.first.locator("a").click()
    page.wait_for_selector("h1:has-text('逐项评估说明')")
    assert "第 1 版" in page.locator("#profile-version").inner_text()
    assert page.locator("table.criteria").count() == 1
    shot(page, "25-decision-zh")

    page.goto(run_url)
    page.wait_for_selector("#export-xlsx")
    page.click("#export-xlsx")  # the export runs in the background; its page polls
    page.wait_for_selector("#export-download", timeout=180_000)
    assert page.locator("#export-status").inner_text() == "已完成"
    shot(page, "25b-export-ready-zh")
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.endswith("-2020-06-01.xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames
    workbook.close()

    page.goto(run_url)
    page.click("a[href$='/budget']")
    page.wait_for_selector("#budget-lines")
    shot(page, "26-budget-zh")
    page.goto(run_url)
    page.click("#sign-off")
    page.check("#signoff-confirm")
    page.click("#confirm-sign-off")
    page.wait_for_selector("#signed-off")
    shot(page, "27-signed-off-zh")


def test_a_firm_sees_only_its_own_saved_profiles(page: Any, console_server: str) -> None:  # noqa: F811
    _log_in(page, console_server, "firm-a", "firm-a-demo")
    page.wait_for_selector("h1:has-text('我的企业资料')")
    assert "深圳市福田启明智能科技有限公司" in page.inner_text("main")
    shot(page, "28-firm-account-zh")
    page.locator("main table a").first.click()
    page.wait_for_selector("h1:has-text('年度资料')")
    shot(page, "29-firm-saved-result-zh")
    response = page.goto(console_server + "/official/")
    assert response.status == 403
