"""The kind-of-firm answers of step 1 narrow step 2 (engine.narrow_by_first_facts): the items
they already decide ineligible are listed under their own heading with the criterion that rules
them out, and the questions only those items read are not asked."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from engine import Engine, narrow_by_first_facts, parse_profile

from .conftest import seed_form
from .test_firm_steps import Post, _asked, _text

WHERE = {"city": "shenzhen", "registered_district": "futian", "as_of": "2020-06-01"}
KIND = {"registered_in_mainland": "no", "above_scale": "no"}
HEADING = {"zh": "已按企业类型排除", "en": "Ruled out by the kind of firm"}


def _step_two(client: FlaskClient, lang: str = "zh", **answers: str) -> str:
    return _text(client.get(f"/check/questions?{urlencode({**WHERE, **answers, 'lang': lang})}"))


def _section(page: str) -> str:
    return page.split('id="ruled-out"')[1].split("</section>")[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kind_of_firm_asks_fewer_questions_and_names_what_it_rules_out(
        client: FlaskClient, engine: Engine, lang: str) -> None:
    blank, narrowed = _step_two(client, lang), _step_two(client, lang, **KIND)
    assert 'id="ruled-out"' not in blank
    assert _asked(narrowed) < _asked(blank)
    assert {"tech_sme_score", "tech_sme_staff_score"} <= _asked(blank) - _asked(narrowed)
    section = _section(narrowed)
    assert HEADING[lang] in section
    ruled = narrow_by_first_facts(engine, parse_profile({"city": "shenzhen",
        "registered_district": "futian", "registered_in_mainland": False, "above_scale": False}),
        dt.date(2020, 6, 1)).ruled_out
    assert {r.item_id for r in ruled} == {"national.tech_sme", "futian.hnte_reward.moved_in"}
    for item in ruled:
        assert f'id="ruled-out-{item.item_id}"' in section and item.title.get(lang) in section
        for criterion in item.because:
            assert criterion.text.get(lang) in section
    assert ("在中国境内（不含港、澳、台地区）注册的居民企业" if lang == "zh"
            else "Condition not met:") in section


def test_why_we_ask_no_longer_names_a_ruled_out_item(client: FlaskClient) -> None:
    """A question still asked for other items does not say a ruled-out item reads it."""
    page = _step_two(client, **KIND)
    title = "科技型中小企业评价条件（自评）"
    assert title in _step_two(client).split('id="check-form"')[1]  # its "why we ask", unnarrowed
    after = page.split('id="ruled-out"')[1].split("</section>", 1)[1]
    assert title not in after


def test_answers_to_the_skipped_questions_never_make_a_ruled_out_item_eligible(
        post_form: Post) -> None:
    """Through the form: a firm eligible for the national tech-SME evaluation, except that it is
    not registered in the mainland, is told it is ineligible whatever else it answers."""
    data = {**seed_form("shanghai_huangpu_hnte", "2023-06-01"), "restricted_industry": "no",
            "major_incident_or_misconduct_2y": "no", "abnormal_operations_listed": "no",
            "tech_sme_score": "80", "tech_sme_staff_score": "20"}
    eligible = _text(post_form("/check", data))
    card = 'class="panel card card-eligible" id="item-national.tech_sme"'
    assert card in eligible
    ruled = _text(post_form("/check", {**data, "registered_in_mainland": "no"}))
    assert 'id="item-national.tech_sme"' in ruled and card not in ruled
