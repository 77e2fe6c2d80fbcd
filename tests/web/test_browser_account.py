"""End to end in real headless Chromium (issue 14): the firm's account after two rules deploys
lists what changed since the last check (a new item, a changed amount, then the items lost),
each with its reason and the rules versions compared, in zh-CN and English; "mark as seen"
ends the list. Same browser setup as test_browser.py; screenshots 50-51 in test-artifacts/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.rules_variants import CHANGES, rules_variant
from web import create_app
from web.db import dispose

from .conftest import DemoData, serving
from .test_browser import context, fits_the_window, page, shot  # noqa: F401 - fixtures reused
from .test_browser_console import _log_in

TEXTS = {"zh": {"title": "自上次核对以来的变化", "new": "新增可申报", "lost": "不再符合",
                "amount": "金额变化", "seen": "项变化标记为已读", "none": "没有变化"},
         "en": {"title": "Changes since the last check", "new": "Now open to you",
                "lost": "No longer open to you", "amount": "Amount changed",
                "seen": "changes marked as seen", "none": "Nothing has changed"}}


@pytest.fixture(scope="module")
def deploys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Deploy 1 doubles the R&D rate and adds an item; deploy 2 goes back to the old rate but
    raises the R&D threshold tenfold and drops the added item."""
    base = tmp_path_factory.mktemp("deploys")

    def first(rules: Path) -> None:
        CHANGES["amount"](rules)
        CHANGES["added"](rules)

    return rules_variant(base, "first", first), rules_variant(base, "second", CHANGES["threshold"])


@pytest.fixture
def account(demo_template: DemoData, tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    path = tmp_path / "web.db"
    shutil.copy(demo_template.path, path)
    app = create_app({"I18N_STRICT": True, "DATABASE_URL": f"sqlite:///{path}"})
    with serving(app) as address:
        yield address, app
    dispose(app)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_account_lists_the_changes_since_the_last_check(
        page: Any, account: tuple[str, Flask], deploys: tuple[Path, Path], lang: str) -> None:  # noqa: F811
    server, app = account
    words = TEXTS[lang]
    _log_in(page, server, "firm-a", "firm-a-demo", lang)
    page.wait_for_selector("#changes")
    assert words["none"] in page.locator("#changes").inner_text()  # the baseline
    for rules in deploys:
        app.config["RULES_DIR"] = str(rules)
        page.goto(f"{server}/account/?lang={lang}")
    changes = page.locator("#changes")
    text = changes.inner_text()
    assert words["title"] in text
    assert page.locator(".change-new").count() == 1 and page.locator(".change-amount").count() == 1
    assert page.locator(".change-lost").count() == 2
    assert words["amount"] in text and words["lost"] in text and words["new"] in text
    assert page.locator(".changes .hint").count() == 2  # two re-checks, each naming its rules
    assert fits_the_window(page)
    changes.scroll_into_view_if_needed()
    shot(page, f"50-account-changes-{lang}")

    page.click("button[id^=seen-]")
    page.wait_for_selector("#changes-seen")
    assert words["seen"] in page.locator("#changes-seen").inner_text()
    assert page.locator(".change").count() == 0
    shot(page, f"51-account-changes-seen-{lang}")
