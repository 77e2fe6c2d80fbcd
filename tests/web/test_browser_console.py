"""End to end in real headless Chromium (issue 15): an official walks the console for thousands of
firms — search, the company page, a review overriding an amount, a 免申即享 push list that carries
the override (made, reviewed, published; the firm sees its notice and confirms; the list counts
seen and confirmed), batch letters, a policy draft assessed in the background with its download,
and the sign-off with its confirmation — in zh-CN and in English; an admin manages users. Same
browser setup as test_browser.py. Screenshots go to test-artifacts/ (30-49, suffixed -zh / -en),
and also to $SUBSIDY_SHOTS when set, for a reviewer to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.store.demo import FIRM_A
from web import create_app
from web.db import dispose
from web.official.launch import wait_all, wait_drafts, wait_exports

from .conftest import ROOT, DemoData, serving
from .test_browser import context, fits_the_window, page, shot  # noqa: F401 - fixtures reused

FIRM_A_NAME = "深圳市福田启明智能科技有限公司"
OLD_BOUND = "fact: rd_expense_stats_verified\n          op: \">\"\n          value: 500000\n"
RD_TITLE = {"zh": "R&D投入支持", "en": "R&D input support"}
REASON = {"zh": "经核查研发费用与审计报告不符，按审计数核减",
          "en": "R&D costs differ from the audit: cut to it"}
TEXTS = {
    "zh": {"console": "筛查工作台", "search": "查找企业", "override": "改定结论", "overridden": "已改定",
           "draft": "草稿", "published": "已发布", "signed": "签批", "notice": "无需申请",
           "confirmed": "已由 firm-a 于", "users": "用户管理", "decision": "逐项评估说明",
           "cut": "25.00万元", "engine": "32.00万元", "seen": "已查看 1 家，已确认 1 家",
           "unit": "万元", "draft_done": "已完成", "example": "预期结果为“符合条件”，实际为“不符合条件”"},
    "en": {"console": "Screening console", "search": "Find a company", "override": "Override",
           "overridden": "Overridden", "draft": "Draft", "published": "Published",
           "signed": "signed off", "notice": "without applying", "confirmed": "Confirmed by firm-a",
           "users": "Users", "decision": "Decision", "cut": "CNY 250,000.00",
           "engine": "CNY 320,000.00", "seen": "1 seen, 1 confirmed", "unit": "CNY 10,000",
           "draft_done": "Complete", "example": "expected the outcome “Eligible”, got “Not eligible”"},
}


@pytest.fixture
def console(demo_template: DemoData, tmp_path: Path) -> Iterator[str]:
    """The app on a fresh copy of the demo database (each language walks an unsigned run)."""
    path = tmp_path / "web.db"
    shutil.copy(demo_template.path, path)
    app = create_app({"I18N_STRICT": True, "SCREEN_WORKERS": 0, "DATABASE_URL": f"sqlite:///{path}"})
    with serving(app) as address:
        yield address
    wait_all()
    wait_exports(60)
    wait_drafts(60)
    dispose(app)


def snap(tab: Any, name: str) -> None:
    """A screenshot in test-artifacts/, and in $SUBSIDY_SHOTS too when set."""
    shot(tab, name)
    folder = os.environ.get("SUBSIDY_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _log_in(tab: Any, server: str, username: str, password: str, lang: str) -> None:
    tab.goto(f"{server}/login?lang={lang}")
    tab.fill("#username", username)
    tab.fill("#password", password)
    tab.click("form.stack button[type=submit]")
    tab.wait_for_load_state()


def _draft(folder: Path) -> Path:
    text = (ROOT / "rules" / "futian" / "st_fund.yaml").read_text(encoding="utf-8")
    path = folder / "st_fund.yaml"
    path.write_text(text.replace(OLD_BOUND, OLD_BOUND.replace("500000", "5000000")), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_official_walks_the_console(page: Any, console: str, demo_template: DemoData,  # noqa: F811
                                       tmp_path: Path, lang: str) -> None:
    words = TEXTS[lang]
    run = demo_template.run_id
    _log_in(page, console, "official", "official-demo", lang)
    page.wait_for_selector(f"h1:has-text('{words['console']}')")
    assert page.locator("#search-form").count() == 1
    snap(page, f"30-console-home-{lang}")

    # Search by a part of the name, then the company page across versions and runs.
    page.fill("#q", "启明")
    page.click("#search-submit")
    page.wait_for_selector("#search-results")
    assert FIRM_A_NAME in page.inner_text("#search-results")
    snap(page, f"35-search-{lang}")
    page.click(f"#search-results a[href$='{FIRM_A}']")
    page.wait_for_selector("#company-versions")
    assert fits_the_window(page)
    snap(page, f"36-company-{lang}")

    # A review overriding the R&D input support's amount (engine: 32万元) to 25万元.
    runs_box = page.locator(f"[id^=company-run-{run}-]")
    runs_box.locator(f"tr:has-text('{RD_TITLE[lang]}') a").first.click()
    page.wait_for_selector("#review-form")
    page.check("#review-action-override")
    page.fill("#review-text", REASON[lang])
    page.select_option("#override-status", "eligible")
    page.fill("#override-amount", "25")
    page.click("#review-submit")
    page.wait_for_selector("#review-history")
    assert page.locator("#engine-outcome .badge-eligible").count() == 1  # still shown
    assert page.locator("#review-outcome .badge-eligible").count() == 1
    assert words["override"] in page.inner_text("#review-history")
    page.locator("#reviews").scroll_into_view_if_needed()
    snap(page, f"37-decision-override-{lang}")
    page.goto(f"{console}/official/runs/{run}/results?district=futian")
    assert words["overridden"] in page.inner_text("#results")
    snap(page, f"38-results-reviewed-{lang}")
    assert fits_the_window(page)

    # 免申即享: from the run, for Futian's firms, to confirm by a date; the override is carried.
    page.goto(f"{console}/official/runs/{run}")
    page.click("#push-link")
    page.select_option("#push-district", "futian")
    page.fill("#push-confirm-by", "2020-07-01")
    snap(page, f"31-push-new-{lang}")
    page.click("#push-create")
    page.wait_for_selector("#push-entries")
    assert words["draft"] in page.inner_text("#push-status")
    assert FIRM_A_NAME in page.inner_text("#push-entries")
    carried = page.locator("#push-entries tr:has(.push-override)")
    assert carried.count() == 1
    shown = carried.inner_text()
    assert REASON[lang] in shown and words["cut"] in shown and words["engine"] in shown
    assert "official" in shown and page.locator("#push-overridden").count() == 1
    assert fits_the_window(page)
    carried.locator("details").click()  # the facts and their sources
    snap(page, f"32-push-draft-override-{lang}")
    rows = page.locator("#push-entries tbody tr")
    others = [rows.nth(i) for i in range(rows.count()) if FIRM_A not in rows.nth(i).inner_text()]
    if others:
        others[0].locator("input[name=reason]").fill("已获同类支持" if lang == "zh" else "Already funded")
        others[0].locator("button[id^=exclude-]").click()
        page.wait_for_selector("tr.excluded")
    page.click("#push-publish")
    page.wait_for_selector("#publish-form")
    snap(page, f"33-push-publish-confirm-{lang}")
    page.check("#publish-confirm")
    page.click("#confirm-publish")
    page.wait_for_selector("#push-readonly")
    assert words["published"] in page.inner_text("#push-status")
    push_url = page.url
    snap(page, f"34-push-published-{lang}")
    with page.expect_download() as download:
        page.click("#push-export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")

    # Batch letters for Futian's firms, in the background, with progress.
    page.goto(f"{console}/official/runs/{run}/results?district=futian")
    page.click("#export-letters")
    page.wait_for_selector("#export-download", timeout=180_000)
    snap(page, f"39-letters-ready-{lang}")
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename.endswith(".letters.zip")

    # A policy draft: the R&D bound raised tenfold, over every stored firm, in the background.
    page.goto(f"{console}/official/drafts")
    page.set_input_files("#draft-file", str(_draft(tmp_path)))
    page.check("#draft-scope-all")
    page.fill("#draft-as-of", "2020-06-01")
    page.click("#draft-submit")
    page.wait_for_selector("#draft-report", timeout=300_000)
    assert words["draft_done"] in page.inner_text("#draft-status")
    assert FIRM_A in page.inner_text("#draft-flips")
    items = page.inner_text("#draft-items")
    assert "futian.rd_input" in items and words["unit"] in items and "→" in items
    assert fits_the_window(page)
    snap(page, f"40-draft-impact-{lang}")
    failures = page.locator("#draft-example-failures")  # the draft's own examples, in words
    assert words["example"] in failures.inner_text()
    assert ("expected" in failures.inner_text()) == (lang == "en")
    failures.scroll_into_view_if_needed()
    snap(page, f"40b-draft-examples-{lang}")
    with page.expect_download() as download:
        page.click("#draft-download-csv")
    assert download.value.suggested_filename.endswith("-flips.csv")
    assert Path(download.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")

    # Sign-off: a confirmation page, a comment, then who and when in Beijing time.
    page.goto(f"{console}/official/runs/{run}")
    page.click("#sign-off")
    page.wait_for_selector("#signoff-form")
    page.fill("#signoff-comment", "经集体研究同意" if lang == "zh" else "Agreed at the panel meeting")
    snap(page, f"41-signoff-confirm-{lang}")
    page.click("#confirm-sign-off")  # the box is required: the browser stops the form
    assert page.locator("#signed-off").count() == 0
    page.check("#signoff-confirm")
    page.click("#confirm-sign-off")
    page.wait_for_selector("#signed-off")
    shown = page.inner_text("#signed-off")
    assert ("北京时间" if lang == "zh" else "Beijing time") in shown and "official" in shown
    snap(page, f"42-signed-off-{lang}")

    # The firm sees its notice, with the reviewer's amount, and confirms it.
    _log_in(page, console, "firm-a", "firm-a-demo", lang)
    page.wait_for_selector("#notices")
    notices = page.inner_text("#notices")
    assert words["notice"] in notices and words["cut"] in notices
    assert page.locator(".notice-new").count() >= 1
    snap(page, f"43-firm-notice-{lang}")
    page.locator("#notices button").first.click()
    page.wait_for_selector(".notice-confirmed")
    assert words["confirmed"] in page.inner_text("#notices")
    snap(page, f"44-firm-notice-confirmed-{lang}")

    # The official's list now counts the notice seen and confirmed.
    _log_in(page, console, "official", "official-demo", lang)
    page.goto(push_url)
    assert words["seen"] in page.inner_text("#push-notices")
    snap(page, f"46-push-notices-{lang}")

    # An admin's user page.
    _log_in(page, console, "admin", "admin-demo", lang)
    page.goto(f"{console}/official/users")
    page.wait_for_selector("#users-table")
    page.fill("#new-username", "zhang")
    page.fill("#new-password", "zhang-pass-1")
    page.click("#user-create-submit")
    page.wait_for_selector("#users-table:has-text('zhang')")
    page.locator("#users-table tr:has-text('zhang') summary").click()
    assert words["users"] in page.inner_text("h1")
    snap(page, f"45-users-{lang}")
