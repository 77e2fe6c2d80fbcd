"""Region first (issue 14): step 1 asks where the firm is registered, what kind of firm it is and
the date; step 2 only what the items for that region read; items of other regions are set apart,
never failed rows; each card shows its round's details or says the source is silent."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import (
    FACT_FIELDS,
    FIRST_FACTS,
    Engine,
    default_round,
    fields_for_region,
    items_for_region,
    parse_profile,
    round_lines,
    round_of,
    round_text,
)

from .conftest import seed, seed_form

Post = Callable[..., Any]


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def _asked(page: str) -> set[str]:
    """The questions a page asks (inputs a firm can see, not the carried hidden ones)."""
    form = page.split('id="check-form"')[1] if 'id="check-form"' in page else page
    names = set(re.findall(r'<(?:input|select)[^>]*\bname="(\w+)"', form))
    hidden = set(re.findall(r'<input type="hidden" name="(\w+)"', form))
    return (names - hidden) & set(FACT_FIELDS)


def test_step_one_asks_where_and_what_kind_of_firm_first(client: FlaskClient) -> None:
    page = _text(client.get("/"))
    assert _asked(page) == set(FIRST_FACTS)
    assert "第 1 步（共 2 步）" in page
    assert 'id="rounds-held"' in page and 'id="f-as_of"' in page
    assert "为何需要" in page  # the "why we ask" stays on step 1 too
    assert 'href="/check/questions?lang=zh"' in page  # skipping is a plain link


@pytest.mark.parametrize(("city", "district"), [("shenzhen", "futian"), ("shanghai", "pudong")])
def test_step_two_asks_only_what_the_regions_items_read(
        client: FlaskClient, engine: Engine, city: str, district: str) -> None:
    page = _text(client.get(f"/check/questions?city={city}&registered_district={district}"))
    held = default_round(engine.catalog, city, district, dt.date.today())
    assert held is not None
    wanted = fields_for_region(engine.compiled, city, district, held.as_of) - set(FIRST_FACTS)
    asked = _asked(page)
    assert wanted <= asked
    assert asked - wanted <= {"name", "credit_code"}  # read by no rule: asked of every firm
    assert len(asked) < len(FACT_FIELDS) - 20
    # the step-1 answers are carried and shown, with a way back
    assert f'<input type="hidden" name="registered_district" value="{district}">' in page
    assert f'id="f-as_of" name="as_of" value="{held.as_of.isoformat()}"' in page
    assert 'id="change-step-one"' in page and "第 2 步（共 2 步）" in page
    assert round_text(held, "zh").split("（")[0] in page  # the round the date was set to


def test_a_futian_firm_is_not_asked_shanghai_questions(client: FlaskClient) -> None:
    asked = _asked(_text(client.get("/check/questions?city=shenzhen&registered_district=futian"
                                    "&as_of=2020-06-01")))
    assert "zhangjiang_zone" not in asked and "hnte_first_certification" not in asked
    assert "rd_expense_stats_verified" in asked and "employees_total" in asked
    huangpu = _asked(_text(client.get("/check/questions?registered_district=huangpu"
                                      "&as_of=2022-06-01")))
    assert "hnte_first_certification" in huangpu and "rd_expense_stats_verified" not in huangpu
    # Shanghai's programme holds one item per district: the engine decides the other districts'
    # items ineligible on where the firm is, so a Pudong firm is not asked what only they read
    pudong = _asked(_text(client.get("/check/questions?registered_district=pudong"
                                     "&as_of=2022-06-01")))
    assert "hnte_first_certification" not in pudong and "rd_expense_stats_verified" not in pudong
    assert "tech_sme_score" in pudong


def test_skipping_step_one_asks_every_question(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions"))
    assert _asked(page) == set(FACT_FIELDS)
    assert 'id="step-one-answers"' not in page


def test_step_one_posted_leads_to_step_two_with_the_other_answers_kept(post_form: Post) -> None:
    page = _text(post_form("/check/questions", {"city": "shenzhen", "registered_district": "futian",
                                                "as_of": "2020-06-01", "employees_total": "80"}))
    assert 'name="employees_total" value="80"' in page
    summary = page.split('id="step-one-answers"')[1].split("</section>")[0]
    assert "深圳市" in summary and "福田区" in summary and "2020-06-01" in summary


def test_change_goes_back_to_step_one_with_every_answer_kept(post_form: Post) -> None:
    page = _text(post_form("/check/start", {"city": "shenzhen", "registered_district": "futian",
                                            "as_of": "2020-06-01", "employees_total": "80"}))
    assert '<option value="futian" selected>' in page
    assert 'value="2020-06-01"' in page
    assert '<input type="hidden" name="employees_total" value="80">' in page


@pytest.mark.parametrize(("form", "error"), [
    ({"city": "shanghai", "registered_district": "futian"}, "所选的区不在所选的城市"),
    ({"city": "atlantis"}, 'id="f-city-error"'),
    ({"city": "shenzhen", "as_of": "2020-13-45"}, 'id="f-as_of-error"'),
    ({"city": "shenzhen", "as_of": "9" * 5000}, 'id="f-as_of-error"'),
])
def test_a_mistake_in_step_one_is_named_there(post_form: Post, form: dict[str, str],
                                              error: str) -> None:
    response = post_form("/check/questions", form)
    assert response.status_code == 422
    assert error in _text(response) and "第 1 步" in _text(response)


def test_an_example_and_an_edit_go_straight_to_step_two(client: FlaskClient,
                                                        post_form: Post) -> None:
    page = _text(client.get("/?example=shanghai_pudong_hnte"))
    assert 'id="step-one-answers"' in page and "浦东新区" in page
    assert "rd_expense_stats_verified" not in _asked(page)  # a Futian question
    payload = '{"registered_district": "futian", "employees_total": 12}'
    edit = _text(post_form("/check/edit", {"payload": payload, "as_of": "2019-05-01"}))
    assert 'id="step-one-answers"' in edit and 'name="employees_total" value="12"' in edit


def test_an_answer_given_is_shown_even_where_the_region_does_not_ask_it(post_form: Post) -> None:
    """Nothing the firm gave is dropped unseen: a Shanghai-only answer of a Futian firm stays."""
    page = _text(post_form("/check/edit", {
        "payload": '{"registered_district": "futian", "zhangjiang_zone": true}',
        "as_of": "2020-06-01"}))
    assert "zhangjiang_zone" in _asked(page)


def test_the_language_switch_of_a_posted_step_two_keeps_the_region(post_form: Post) -> None:
    """The switch re-posts the form (tests/web/test_step_two_switch.py): the region and the
    date it carries come back on step 2 in the other language."""
    page = _text(post_form("/check/questions", {"registered_district": "pudong",
                                                "as_of": "2020-06-01", "step": "2", "lang": "en"}))
    assert "Step 2 of 2" in page and 'name="registered_district" value="pudong"' in page
    assert 'name="as_of" value="2020-06-01"' in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_walk_from_step_one_to_a_result(post_form: Post, lang: str) -> None:
    step2 = _text(post_form("/check/questions", {**{k: v for k, v in seed_form(
        "futian_rd_firm", "2020-06-01").items() if k in FIRST_FACTS}, "as_of": "2020-06-01",
        "lang": lang}))
    hidden = dict(re.findall(r'<input type="hidden" (?:id="f-as_of" )?name="(\w+)" value="([^"]*)"',
                             step2))
    assert hidden["as_of"] == "2020-06-01" and hidden["registered_district"] == "futian"
    answers = {k: v for k, v in seed_form("futian_rd_firm", "2020-06-01").items()
               if k in _asked(step2)}
    result = _text(post_form("/check", {**hidden, **answers, "lang": lang}))
    assert 'id="firm-total"' in result and 'id="item-futian.rd_input"' in result
    assert ("32万元" if lang == "zh" else "CNY 320,000") in result


def test_other_region_items_are_collapsed_and_never_counted_as_failed(
        post_form: Post, engine: Engine) -> None:
    day = dt.date(2020, 6, 1)
    page = _text(post_form("/check", seed_form("futian_rd_firm", day.isoformat())))
    elsewhere = page.split('id="elsewhere"')[1].split("</section>")[0]
    assert "<details>" in elsewhere
    profile = parse_profile(seed("futian_rd_firm"))
    local = set(items_for_region(engine.catalog, "shenzhen", "futian"))
    shanghai = [d for d in engine.assess(profile, day).decisions if d.item_id not in local]
    assert shanghai
    for d in shanghai:
        assert f'id="item-{d.item_id}"' in elsewhere
        assert page.count(f'id="item-{d.item_id}"') == 1  # no card, no failed row elsewhere
    counted = page.split('class="counts"')[1].split("</ul>")[0]
    ineligible = re.search(r'badge-ineligible">[^<]+</span> <strong>(\d+)', counted)
    failed = [d for d in engine.assess(profile, day).decisions
              if d.status == "ineligible" and d.item_id in local]
    assert (int(ineligible.group(1)) if ineligible else 0) == len(failed)
    assert 'class="panel card card-ineligible" id="item-shanghai' not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_card_shows_its_round_or_says_the_source_is_silent(
        post_form: Post, engine: Engine, lang: str) -> None:
    page = _text(post_form("/check", {**seed_form("futian_rd_firm", "2020-06-01"), "lang": lang}))
    hnte = page.split('id="round-futian.hnte_reward.new"')[1].split("</section>")[0]
    lines = round_lines(round_of(engine.catalog, "futian.hnte_reward.new",
                                 dt.date(2020, 1, 1)), lang)
    department = next(x for x in lines if x.part == "department")
    assert department.published and department.text in hnte
    materials = next(x for x in lines if x.part == "materials")
    for name, shows in materials.items:
        assert name in hnte and shows in hnte
    assert 'href="http://kt180.com/m/view.php?aid=5011"' in hnte
    silent = "来源未公布" if lang == "zh" else "not published by the source"
    assert silent in hnte  # the window and the contact
    rd = page.split('id="round-futian.rd_input"')[1].split("</section>")[0]
    assert rd.count(silent) == 5  # round: not_published, every part says so


def test_why_we_ask_on_step_two_names_only_the_regions_items(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions?registered_district=huangpu&as_of=2023-06-01"))
    block = page[page.index('id="f-serious_dishonesty_listed"'):]
    block = block[:block.index("</fieldset>")]
    assert "/rules/futian." not in block and "/rules/huizhou." not in block
    assert "/rules/shanghai.hnte_reward.huangpu.new" in block
    futian = _text(client.get("/check/questions?registered_district=futian&as_of=2020-06-01"))
    assert "/rules/shanghai." not in futian


def test_a_date_with_no_local_round_says_so_on_step_two(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions?registered_district=futian&as_of=2026-06-01"))
    summary = page.split('id="step-one-answers"')[1].split("</section>")[0]
    assert "评估日期 2026-06-01 没有有效的申报批次" in summary and "修改" in summary
    assert "rd_expense_stats_verified" not in _asked(page)  # no Futian item is in force then
    fund = "福田区产业发展专项资金（科技创新分项）：评估日期"
    assert fund in summary
    in_force = _text(client.get("/check/questions?registered_district=futian&as_of=2020-06-01"))
    notes = in_force.split('id="step-one-answers"')[1].split("</section>")[0]
    assert fund not in notes  # the Futian fund has its 2020 round (the city's plan has none)


@pytest.mark.parametrize("bad", [{"registered_district": "atlantis"}, {"as_of": "not-a-date"},
                                 {"city": "x" * 300}])
def test_a_carried_answer_altered_by_hand_is_shown_with_every_field(post_form: Post,
                                                                     bad: dict[str, str]) -> None:
    """Step 2 posts step 1's answers as hidden fields: altered, they come back visible (422)."""
    form = {**seed_form("futian_rd_firm", "2020-06-01"), **bad}
    response = post_form("/check", form)
    assert response.status_code == 422
    page = _text(response)
    assert 'id="step-one-answers"' not in page and _asked(page) == set(FACT_FIELDS)
    assert f'id="f-{next(iter(bad))}-error"' in page


def test_a_field_only_a_calculation_reads_says_so(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions?registered_district=futian&as_of=2021-10-01"))
    block = page[page.index('id="f-fiscal_year"'):]
    assert "金额计算或叠加规则用到" in block[:1200]
    name = page[page.index('id="f-name"'):]
    assert "目前没有扶持项目的条件用到此项" in name[:800]
