"""The self-check knows its rounds and sums up (issue 14): the rounds the catalog holds on the
form, a date with nothing in force told so with the nearest rounds one click away, the total of
computed amounts, the confirmed paths, and a letter that opens with the next steps."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from pypdf import PdfReader

from engine import (
    Engine,
    catalog_rounds,
    parse_profile,
    path_text,
    round_text,
    rounds_on,
    summarize,
    total_lines,
)

from .conftest import seed, seed_form

Post = Callable[..., Any]


def test_the_form_lists_the_rounds_held_with_their_dates(client: FlaskClient,
                                                        engine: Engine) -> None:
    page = client.get("/").get_data(as_text=True)
    held = page.split('id="rounds-held"')[1].split("</details>")[0]
    rounds = catalog_rounds(engine.catalog)
    assert len(rounds) > 5
    for r in rounds:
        assert f"as_of={r.as_of.isoformat()}" in held
        assert str(escape(round_text(r, "zh"))) in held
    chosen = client.get(f"/?as_of={rounds[0].as_of.isoformat()}").get_data(as_text=True)
    assert f'value="{rounds[0].as_of.isoformat()}"' in chosen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_date_with_nothing_in_force_offers_the_nearest_round(post_form: Post, engine: Engine,
                                                              lang: str) -> None:
    today = dt.date(2026, 12, 3)
    page = post_form("/check", {**seed_form("futian_rd_firm", today.isoformat()), "lang": lang}
                     ).get_data(as_text=True)
    futian = rounds_on(engine.catalog, today, "futian.st")
    assert futian.nothing_in_force and futian.before is not None
    notes = "".join(page.split('class="note note-warn date-note"')[1:])
    assert futian.before.as_of.isoformat() in notes  # the button re-assesses on that round
    assert str(escape(round_text(futian.before, lang))) in notes


def test_the_result_sums_up_and_names_the_confirmed_paths(post_form: Post,
                                                          engine: Engine) -> None:
    day = dt.date(2020, 6, 1)
    page = post_form("/check", seed_form("futian_rd_firm", day.isoformat())).get_data(as_text=True)
    summary = summarize(engine, engine.assess(parse_profile(seed("futian_rd_firm")), day))
    panel = page.split('id="firm-total"')[1].split("</section>")[0]
    assert str(escape(total_lines(summary, "zh")[0])) in panel
    assert summary.total > 0 and f"{summary.total:,.0f}" in panel
    within = [p for p in summary.top_paths if p.within_reach]
    assert within  # the fixture has a path: 1 more S&T staff
    for p in within:
        assert str(escape(path_text(p, "zh"))) in panel


def test_the_letter_opens_with_the_total_and_next_steps(post_form: Post) -> None:
    form = seed_form("futian_rd_firm", "2020-06-01")
    page = post_form("/check", form).get_data(as_text=True)
    payload = re.search(r'name="payload" value="([^"]*)"', page)
    assert payload is not None
    response = post_form("/check/letter.pdf", {"payload": html.unescape(payload.group(1)),
                                               "as_of": "2020-06-01"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    first = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "620,000" in first.replace(" ", "") or "62万" in first.replace(" ", "")
    assert "科技人员" in first  # the confirmed path is on the first page
