"""Reviewers' actions on the decision page (issue 15): comment, override with its mandatory reason,
request for materials; the engine's decision stays shown beside the override; every action audited,
shown in Beijing time, and on the results page; refusals are pages that say why, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.store.models import AuditEntry, DecisionReview, DecisionRow, RunSignoff

from .conftest import DemoData, csrf_token, demo_session


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def review(client: FlaskClient, decision: int, **fields: str) -> object:
    url = f"/official/decisions/{decision}"
    return client.post(url + "/reviews", data={**fields, "csrf_token": csrf_token(client, url)})


def _eligible_decision(demo: DemoData) -> int:
    with demo_session(demo) as session:
        return session.scalar(select(DecisionRow.id).where(
            DecisionRow.run_id == demo.run_id, DecisionRow.status == "eligible",
            DecisionRow.amount.is_not(None)).order_by(DecisionRow.id))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_override_is_shown_beside_the_engines_decision(official: FlaskClient, demo: DemoData,
                                                          lang: str) -> None:
    decision = _eligible_decision(demo)
    response = review(official, decision, action="override", text="经核查研发费用不实",
                      override_status="ineligible")
    assert response.status_code == 302 and response.location.endswith("#reviews")
    page = official.get(f"/official/decisions/{decision}?lang={lang}").get_data(as_text=True)
    engine_part = page[page.index('id="engine-outcome"'):page.index('id="review-outcome"')]
    assert "badge-eligible" in engine_part  # the engine's outcome is still there
    reviewer_part = page[page.index('id="review-outcome"'):page.index('id="review-history"')]
    assert "badge-ineligible" in reviewer_part and "经核查研发费用不实" in reviewer_part
    assert ("北京时间" if lang == "zh" else "Beijing time") in page
    assert ("改定结论" if lang == "zh" else "Override") in page
    with demo_session(demo) as session:
        row = session.scalars(select(DecisionReview)).one()
        assert (row.action, row.override_status, row.by) == ("override", "ineligible", "official")
        assert session.get(DecisionRow, decision).status == "eligible"  # never touched
        assert session.scalars(select(AuditEntry.action).where(
            AuditEntry.action == "review_override")).one()
    results = official.get(f"/official/runs/{demo.run_id}/results?lang={lang}").get_data(as_text=True)
    assert ("已改定" if lang == "zh" else "Overridden") in results


def test_an_override_to_eligible_takes_an_amount_in_wan(official: FlaskClient, demo: DemoData) -> None:
    decision = _eligible_decision(demo)
    assert review(official, decision, action="override", text="按核定金额",
                  override_status="eligible", override_amount="12.3456").status_code == 302
    with demo_session(demo) as session:
        assert session.scalars(select(DecisionReview.override_amount)).one() == Decimal("123456.00")
    page = official.get(f"/official/decisions/{decision}").get_data(as_text=True)
    assert "12.35万元" in page and "123,456元" in page


@pytest.mark.parametrize("action", ["comment", "request_materials"])
def test_a_comment_and_a_request_for_materials_are_recorded(official: FlaskClient, demo: DemoData,
                                                            action: str) -> None:
    decision = _eligible_decision(demo)
    assert review(official, decision, action=action, text="请补充2019年审计报告",
                  override_status="ineligible").status_code == 302  # status ignored: not an override
    with demo_session(demo) as session:
        row = session.scalars(select(DecisionReview)).one()
        assert (row.action, row.override_status) == (action, None)
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == f"review_{action}")).one()


@pytest.mark.parametrize(("fields", "zh", "en"), [
    ({"action": "override", "text": " ", "override_status": "ineligible"}, "改定结论必须填写理由",
     "An override needs its reason"),
    ({"action": "override", "text": "x"}, "请选择改定后的结论", "Choose the overriding outcome"),
    ({"action": "override", "text": "x", "override_status": "may_apply"}, "请选择改定后的结论",
     "Choose the overriding outcome"),
    ({"action": "override", "text": "x", "override_status": "ineligible", "override_amount": "5"},
     "只有改定为“符合条件”才能填写金额", "Only an override to &#34;Eligible&#34; carries an amount"),
    ({"action": "override", "text": "x", "override_status": "eligible", "override_amount": "abc"},
     "改定金额应为以万元计的数字", "The overriding amount is a number"),
    ({"action": "override", "text": "x", "override_status": "eligible", "override_amount": "-1"},
     "改定金额应为以万元计的数字", "The overriding amount is a number"),
    ({"action": "override", "text": "x", "override_status": "eligible", "override_amount": "1e9999"},
     "改定金额应为以万元计的数字", "The overriding amount is a number"),
    ({"action": "override", "text": "x", "override_status": "eligible", "override_amount": "99999999999"},
     "未能记录", "Not recorded"),
    ({"action": "delete", "text": "x"}, "请选择审核操作", "Choose a review action"),
    ({}, "请选择审核操作", "Choose a review action"),
    ({"action": "comment", "text": "x" * 2001}, "内容最多2000字", "At most 2,000 characters"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_review_is_refused_with_its_reason_and_keeps_the_input(
        official: FlaskClient, demo: DemoData, fields: dict[str, str], zh: str, en: str,
        lang: str) -> None:
    decision = _eligible_decision(demo)
    response = review(official, decision, **fields, lang=lang)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (zh if lang == "zh" else en) in page
    if fields.get("text", "").strip() and len(fields["text"]) < 50:
        assert fields["text"] in page  # kept in the form
    with demo_session(demo) as session:
        assert session.scalars(select(DecisionReview)).first() is None


def test_a_signed_off_run_is_read_only(official: FlaskClient, demo: DemoData) -> None:
    decision = _eligible_decision(demo)
    with demo_session(demo) as session:
        session.add(RunSignoff(run_id=demo.run_id, signed_by="official"))
        session.commit()
    page = official.get(f"/official/decisions/{decision}").get_data(as_text=True)
    assert 'id="review-readonly"' in page and 'id="review-form"' not in page
    response = review(official, decision, action="comment", text="迟到的意见")
    assert response.status_code == 409 and "已签批" in response.get_data(as_text=True)


def test_an_unknown_decision_is_404(official: FlaskClient) -> None:
    token = csrf_token(official, "/official/")
    response = official.post("/official/decisions/999999/reviews",
                             data={"action": "comment", "text": "x", "csrf_token": token})
    assert response.status_code == 404
