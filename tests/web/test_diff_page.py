"""The diff page reads like a report (issue 15): company names, item titles, amounts in 万元 to
two decimals, and the facts that changed behind each changed criterion."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from engine import Engine, namespace, parse_profile, wan_cents
from tests.synthetic import write_applicants
from web.official.launch import wait_all

from .conftest import AS_OF, csrf_token, seed

ITEM = "futian.rd_input"


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def _screen(client: FlaskClient, tmp_path: Path, profile: dict[str, Any], name: str) -> int:
    path = tmp_path / name
    write_applicants(path, [profile])
    report = client.post("/official/uploads", data={
        "csrf_token": csrf_token(client, "/official/"),
        "applicants": (io.BytesIO(path.read_bytes()), name)}).location
    started = client.post(report + "/screen", data={
        "csrf_token": csrf_token(client, report), "as_of": AS_OF.isoformat(), "items": [ITEM]})
    wait_all()
    return int(started.location.rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_amount_is_shown_with_names_titles_and_facts(
        official: FlaskClient, tmp_path: Path, lang: str) -> None:
    before = seed("futian_rd_firm")
    after = {**before, "rd_expense_stats_verified": "4200000"}
    run_a = _screen(official, tmp_path, before, "a.csv")
    run_b = _screen(official, tmp_path, after, "b.csv")
    engine = Engine()
    amounts = [next(d for d in engine.assess(parse_profile(p), AS_OF, [ITEM]).decisions
                    if d.item_id == ITEM).amount.value for p in (before, after)]
    assert amounts[0] != amounts[1]  # the fixture must change the amount

    page = official.get(f"/official/diff?a={run_a}&b={run_b}&lang={lang}").get_data(as_text=True)
    table = page.split('id="changes"')[1]
    assert before["name"] in table and before["credit_code"] in table
    title = engine.catalog.versions[ITEM][-1].title.get(lang)
    assert f">{escape(title)}<" in table  # the item's title, not its id
    assert f">{ITEM}<" not in table
    for amount in amounts:
        assert wan_cents(Decimal(amount), lang) in table
    label = namespace.label("rd_expense_stats_verified", lang)
    facts = table.split('class="facts"')[1].split("</ul>")[0]
    assert escape(label) in facts and "→" in facts
    assert ("3,200,000" in facts and "4,200,000" in facts)
