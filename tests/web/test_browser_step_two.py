"""Step 2 in Chromium: the language switch keeps what was typed (by mouse on the header, and by
keyboard on the form's own button), and the items the kind of firm rules out are listed apart.

Screenshots land in /tmp/shots-polish/ for people to look at.
"""

from __future__ import annotations  # noqa: I001

from pathlib import Path
from typing import Any



from .test_browser import context, fits_the_window, page, server  # noqa: F401 - fixtures reused

SHOTS = Path("/tmp/shots-polish")
FUTIAN = "/check/questions?city=shenzhen&registered_district=futian&as_of=2020-06-01"


def _shot(page: Any, name: str, full: bool = False) -> None:  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_the_header_switch_on_step_two_keeps_the_typed_answers(page: Any, server: str) -> None:  # noqa: F811
    page.goto(server + FUTIAN)
    page.fill("#f-sales_revenue_y1", "4200万")
    page.fill("#f-registration_date", "2015-03-01")
    page.click("#lang-switch")  # the header's label clicks the form's switch: a POST, no script
    page.wait_for_selector(".step-count:has-text('Step 2 of 2')")
    assert page.input_value("#f-sales_revenue_y1") == "4200万"
    assert page.input_value("#f-registration_date") == "2015-03-01"
    assert page.locator(".error").count() == 0
    assert fits_the_window(page)
    page.locator("#f-sales_revenue_y1").scroll_into_view_if_needed()
    _shot(page, "01-step2-switched-en")
    page.click("#lang-switch")
    page.wait_for_selector(".step-count:has-text('第 2 步')")
    assert page.input_value("#f-sales_revenue_y1") == "4200万"
    assert page.input_value("#f-registration_date") == "2015-03-01"
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "02-step2-back-zh")


def test_a_keyboard_reaches_the_switch_and_keeps_the_answers(page: Any, server: str) -> None:  # noqa: F811
    page.goto(server + FUTIAN)
    page.fill("#f-sales_revenue_y1", "4200万")
    page.focus("#lang-keep")
    assert page.locator("#lang-keep").bounding_box()["width"] > 20  # shown while focused
    _shot(page, "03-step2-switch-focused-zh")
    page.keyboard.press("Enter")
    page.wait_for_selector(".step-count:has-text('Step 2 of 2')")
    assert page.input_value("#f-sales_revenue_y1") == "4200万"


def test_the_kind_of_firm_rules_items_out_on_step_two(page: Any, server: str) -> None:  # noqa: F811
    page.goto(server + "/")
    page.select_option("#f-city", "shenzhen")
    page.select_option("#f-registered_district", "futian")
    page.check("input[name=registered_in_mainland][value=no]")
    page.check("input[name=above_scale][value=no]")
    page.fill("#f-as_of", "2020-06-01")
    page.click("#to-step-two")
    section = page.locator("#ruled-out")
    assert "已按企业类型排除" in section.inner_text()
    assert section.locator("[id='ruled-out-national.tech_sme']").is_visible()
    assert "在中国境内" in section.inner_text()
    assert page.locator("#f-tech_sme_score").count() == 0  # only the ruled-out item read it
    assert fits_the_window(page)
    section.scroll_into_view_if_needed()
    _shot(page, "04-step2-ruled-out-zh")
    page.click("#lang-switch")
    page.wait_for_selector(".step-count:has-text('Step 2 of 2')")
    assert "Ruled out by the kind of firm" in page.locator("#ruled-out").inner_text()
    page.locator("#ruled-out").scroll_into_view_if_needed()
    _shot(page, "05-step2-ruled-out-en")
