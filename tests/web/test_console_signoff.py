"""Sign-off in two steps (issue 15): a confirmation page with a comment and a required box, who and
when in Beijing time on the run page with the comment; audited; refusals say why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine import beijing_text
from engine.store.models import AuditEntry, RunSignoff

from .conftest import DemoData, csrf_token, demo_session


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


@pytest.mark.parametrize(("lang", "title", "box"), [
    ("zh", "签批第", "我已核对"), ("en", "Sign off run", "I have checked")])
def test_the_confirmation_page_summarises_the_run(official: FlaskClient, demo: DemoData,
                                                  lang: str, title: str, box: str) -> None:
    run_page = official.get(f"/official/runs/{demo.run_id}?lang={lang}").get_data(as_text=True)
    assert f'href="/official/runs/{demo.run_id}/signoff"' in run_page
    page = official.get(f"/official/runs/{demo.run_id}/signoff?lang={lang}").get_data(as_text=True)
    assert title in page and box in page
    assert 'name="confirm"' in page and "required" in page and 'name="comment"' in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signing_off_keeps_the_comment_and_shows_who_and_when(official: FlaskClient, demo: DemoData,
                                                             lang: str) -> None:
    url = f"/official/runs/{demo.run_id}/signoff"
    response = official.post(url, data={"csrf_token": csrf_token(official, url), "confirm": "yes",
                                        "comment": "经集体研究同意"})
    assert response.status_code == 302
    page = official.get(f"/official/runs/{demo.run_id}?lang={lang}").get_data(as_text=True)
    with demo_session(demo) as session:
        row = session.scalars(select(RunSignoff)).one()
        assert (row.signed_by, row.comment) == ("official", "经集体研究同意")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off")).one()
        assert entry.details["comment"] == "经集体研究同意"
    assert "经集体研究同意" in page and 'id="sign-off"' not in page
    assert beijing_text(row.signed_at, lang) in page
    assert official.get(url).status_code == 409  # nothing left to sign


@pytest.mark.parametrize(("data", "zh", "en"), [
    ({}, "请勾选确认框", "Tick the confirmation box"),
    ({"confirm": "no", "comment": "意见保留"}, "请勾选确认框", "Tick the confirmation box"),
    ({"confirm": "yes", "comment": "长" * 2001}, "签批意见最多2000字", "at most 2,000"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_the_box_or_with_a_long_comment_nothing_is_signed(
        official: FlaskClient, demo: DemoData, data: dict[str, str], zh: str, en: str,
        lang: str) -> None:
    url = f"/official/runs/{demo.run_id}/signoff"
    response = official.post(url, data={**data, "lang": lang, "csrf_token": csrf_token(official, url)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (zh if lang == "zh" else en) in page
    if data.get("comment") == "意见保留":
        assert "意见保留" in page
    with demo_session(demo) as session:
        assert session.scalars(select(RunSignoff)).first() is None


def test_an_unknown_run_is_404(official: FlaskClient) -> None:
    assert official.get("/official/runs/999999/signoff").status_code == 404
    token = csrf_token(official, "/official/")
    assert official.post("/official/runs/999999/signoff",
                         data={"csrf_token": token, "confirm": "yes"}).status_code == 404
