"""Region first, end to end in Chromium (issue 14): a Futian firm and a Shanghai firm, each in
zh-CN and in English, from step 1 (where, what kind of firm, the date) through step 2 (only the
questions of their region's items) to a result with a total and a path, then the PDF letter.

Screenshots land in /tmp/shots-firm/ (step 1, step 2, the result's top, a card with its round)
and the letter's first page is rendered there as PNG, for people to look at.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from engine import FACT_FIELDS, FIRST_FACTS, Engine, parse_profile, summarize
from web.answers import raw_from_data

from .conftest import seed
from .test_browser import context, fits_the_window, page, server  # noqa: F401 - fixtures reused

SHOTS = Path("/tmp/shots-firm")


@dataclass(frozen=True)
class Firm:
    key: str
    data: dict[str, Any]
    as_of: str
    card: str  # an item whose card shows its round's details


def _huangpu() -> dict[str, Any]:
    """The Huangpu HNTE seed with the tech-SME self-evaluation answered: 5 points short."""
    return {**seed("shanghai_huangpu_hnte"), "restricted_industry": False,
            "major_incident_or_misconduct_2y": False, "abnormal_operations_listed": False,
            "tech_sme_score": "55", "tech_sme_staff_score": "10"}


FIRMS = {
    "futian": Firm("futian", seed("futian_rd_firm"), "2020-06-01", "futian.hnte_reward.new"),
    "shanghai": Firm("shanghai", _huangpu(), "2023-06-01", "shanghai.hnte_reward.huangpu.new"),
}
TEXT = {
    "zh": {"title": "企业扶持政策自查", "step1": "第 1 步", "step2": "第 2 步", "result": "评估结果"},
    "en": {"title": "Support eligibility self-check", "step1": "Step 1 of 2",
           "step2": "Step 2 of 2", "result": "Assessment"},
}


def _shot(target: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(exist_ok=True)
    if full:
        target.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    else:
        target.screenshot(path=str(SHOTS / f"{name}.png"))


def _answer(page: Any, name: str, raw: str) -> bool:  # noqa: F811
    """Give one answer as a person would; False when the page does not ask it."""
    form = page.locator("#check-form, #step-form").first
    if form.locator(f"input[type=radio][name={name}]").count():
        form.locator(f"input[type=radio][name={name}][value={raw}]").check()
    elif form.locator(f"select[name={name}]").count():
        form.locator(f"select[name={name}]").select_option(raw)
    elif form.locator(f"input[name={name}]:not([type=hidden])").count():
        form.locator(f"input[name={name}]:not([type=hidden])").fill(raw)
    else:
        return False
    return True


def _questions(page: Any) -> int:  # noqa: F811
    return int(page.evaluate("""() => new Set([...document.querySelectorAll(
        '#check-form input:not([type=hidden]), #check-form select')].map(e => e.name)
        .filter(n => n !== 'default-submit' && n !== '')).size"""))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["futian", "shanghai"])
def test_a_firm_walks_region_first_to_a_result_and_a_letter(
        page: Any, server: str, which: str, lang: str) -> None:  # noqa: F811
    firm, words = FIRMS[which], TEXT[lang]
    raw = raw_from_data({k: v for k, v in firm.data.items() if k != "provenance"})
    name = f"{which}-{lang}"

    # step 1: where, what kind of firm, the date
    page.goto(server + ("/?lang=en" if lang == "en" else "/"))
    assert page.locator("h1").first.inner_text() == words["title"]
    assert words["step1"] in page.locator(".step-count").inner_text()
    for field in FIRST_FACTS:
        if field in raw:
            assert _answer(page, field, raw[field]), field
    page.fill("#f-as_of", firm.as_of)
    assert fits_the_window(page)
    _shot(page, f"{name}-1-step1", full=True)
    page.click("#to-step-two")

    # step 2: only the questions of the region's items, step 1 carried and shown
    page.wait_for_selector("#step-one-answers")
    assert words["step2"] in page.locator(".step-count").inner_text()
    summary = page.locator("#step-one-answers").inner_text()
    assert firm.as_of in summary
    asked = _questions(page)
    assert asked < len(FACT_FIELDS) - 20, asked
    not_asked = [k for k in raw if k not in FIRST_FACTS and not _answer(page, k, raw[k])]
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"{name}: step 2 asks {asked} questions, {height} px; not asked: {not_asked}")
    assert fits_the_window(page)
    _shot(page, f"{name}-2-step2", full=True)
    page.click("#assess")

    # the result: a total, at least one path, the round on a card, other regions apart
    page.wait_for_selector(f"h1:has-text('{words['result']}')")
    engine = Engine()
    summary_ = summarize(engine, engine.assess(parse_profile(
        {k: v for k, v in firm.data.items() if k != "provenance"}), dt.date.fromisoformat(firm.as_of)))
    assert summary_.total > 0
    total = page.locator("#firm-total .total").inner_text()
    assert f"{summary_.total:,.0f}" in total
    assert page.locator("#firm-total ol.paths li").count() >= 1
    assert page.locator("#elsewhere details").count() == 1
    assert not page.locator("#elsewhere details").evaluate("e => e.open")  # collapsed
    page.evaluate("window.scrollTo(0, 0)")
    assert fits_the_window(page)
    _shot(page, f"{name}-3-result-top")
    card = page.locator(f"[id='item-{firm.card}']")
    round_ = card.locator(".round")
    assert round_.count() == 1
    silent = "来源未公布" if lang == "zh" else "not published by the source"
    assert silent in round_.inner_text() or round_.locator("ul.materials li").count() > 0
    card.scroll_into_view_if_needed()
    _shot(card, f"{name}-4-card-round")

    # the letter: a PDF with the firm's total
    with page.expect_download() as info:
        page.click("#download-pdf")
    letter = SHOTS / f"{name}-letter.pdf"
    info.value.save_as(str(letter))
    assert letter.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(letter).pages).replace(" ", "")
    assert f"{summary_.total:,.0f}" in text or f"{summary_.total / 10000:g}万元" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(letter),
                        str(SHOTS / f"{name}-5-letter")], check=True)


def test_enter_in_a_step_two_field_assesses_and_change_keeps_the_answers(
        page: Any, server: str) -> None:  # noqa: F811
    """The first button of step 2 is the assessment (not "change"), so Enter in a field
    assesses; "change" goes back to step 1 with what was typed in step 2 kept."""
    page.goto(server + "/check/questions?registered_district=futian&as_of=2020-06-01")
    page.fill("#f-employees_total", "80")
    page.click("#change-step-one")
    page.wait_for_selector("#to-step-two")
    assert page.input_value("#f-registered_district") == "futian"
    page.click("#to-step-two")
    page.wait_for_selector("#step-one-answers")
    assert page.input_value("#f-employees_total") == "80"
    page.press("#f-employees_total", "Enter")
    page.wait_for_selector("h1:has-text('评估结果')")
    assert page.locator("#firm-total").count() == 1
