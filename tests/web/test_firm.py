"""The self-check: a form generated from the profile schema, results, downloads, errors."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from engine import FACT_FIELDS, Engine, assessment_to_dict, parse_profile

from .conftest import seed, seed_form

Post = Callable[..., Any]


def _text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_form_asks_every_profile_field(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions"))
    for name in FACT_FIELDS:
        assert f'name="{name}"' in page, name


def test_fields_are_grouped_by_topic_with_labels_and_units(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions"))
    assert 'id="topic-finance"' in page and "收入情况" in page
    label = re.search(r'<label for="f-sales_revenue_y1">([^<]+)</label>', page)
    assert label and label.group(1) == "销售收入（最近一年）"
    block = page[page.index('id="f-sales_revenue_y1"'):]
    assert re.match(r'[^>]*inputmode="decimal"', block)
    assert '<span class="unit-suffix">元</span>' in block[:600]


def test_input_types_follow_the_fact_kinds(client: FlaskClient) -> None:
    page = _text(client.get("/check/questions"))
    assert re.search(r'id="f-registration_date"[^>]*type="date"', page)
    assert re.search(r'<select id="f-tech_field"', page)
    assert '<option value="electronic_information">电子信息</option>' in page
    radios = re.findall(r'name="owns_core_ip" value="(\w+)"', page)
    assert radios == ["yes", "no", "unknown"]


def test_each_field_says_which_items_use_it(client: FlaskClient, engine: Engine) -> None:
    from engine.decide.usage import fact_usage

    district_uses = len(fact_usage(engine.compiled)["registered_district"])
    page = _text(client.get("/check/questions"))
    block = page[page.index('id="f-rd_expense_stats_verified"'):]
    block = block[:block.index('class="field')]
    assert "为何需要：“R&amp;D投入支持”的条件用到此项" in block
    assert "R&amp;D投入支持" in block and "/rules/futian.rd_input" in block
    district = page[page.index('id="f-registered_district"'):]
    assert f"等 {district_uses} 个扶持项目的条件用到此项" in district[:3000]
    name_block = page[page.index('id="f-name"'):]
    assert "目前没有扶持项目的条件用到此项" in name_block[:800]


def test_as_of_defaults_to_today_and_explains_dated_items(client: FlaskClient) -> None:
    import datetime as dt

    page = _text(client.get("/check/questions"))
    assert f'name="as_of" type="date" value="{dt.date.today().isoformat()}"' in page
    assert "各扶持项目都有有效期" in page


def test_an_example_firm_prefills_the_form(client: FlaskClient) -> None:
    """An example goes straight to step 2: its region is known, its step-1 answers carried."""
    page = _text(client.get("/?example=futian_rd_firm"))
    assert 'value="深圳市福田启明智能科技有限公司"' in page
    assert 'id="f-as_of" name="as_of" value="2020-06-01"' in page
    assert '<input type="hidden" name="above_scale" value="yes">' in page
    assert '<input type="hidden" name="registered_district" value="futian">' in page
    summary = page.split('id="step-one-answers"')[1].split("</section>")[0]
    assert "福田区" in summary and "2020-06-01" in summary


def test_submitting_shows_each_item_with_status_amount_and_criteria(post_form: Post) -> None:
    response = post_form("/check", seed_form("futian_rd_firm", "2020-06-01"))
    assert response.status_code == 200
    page = _text(response)
    card = page[page.index('id="item-futian.rd_input"'):]
    card = card[:card.index("</article>")]
    assert "符合条件" in card
    assert "32万元（320,000元）" in card
    assert "<table class=\"criteria\">" in card
    assert "3,200,000元" in card and "须超过 500,000元" in card and "&gt; 500,000" not in card
    assert "推定" in card  # this item's source is a reconstruction: marked, with its assumption
    assert "条款表未注明年份" in card


def test_ceilings_are_shown_as_up_to(post_form: Post) -> None:
    page = _text(post_form("/check", seed_form("futian_newcomer", "2020-06-01")))
    card = page[page.index('id="item-futian.settlement"'):]
    assert re.search(r'class="ceiling">最高</span>\s*<strong>2,000万元', card)


def test_ceiling_only_items_may_apply_and_are_never_shown_as_eligible(post_form: Post) -> None:
    page = _text(post_form("/check", seed_form("futian_newcomer", "2020-06-01")))
    for item in ("futian.settlement", "futian.office.rent", "futian.relocation"):
        start = page.index(f'id="item-{item}"')
        card = page[start:page.index("</article>", start)]
        assert 'class="badge badge-may_apply">可申报（条件未全部公开）' in card, item
        assert "badge-eligible" not in card and "条件未全部公开：已公开的条件均符合" in card
        assert "可申报金额（不计入合计）" in card
    rent = page[page.index('id="item-futian.office.rent"'):]
    assert re.search(r'class="ceiling">最高</span>\s*<strong>420万元', rent)  # the rent, not 1,000万


def test_a_failed_criterion_shows_its_gap(post_form: Post) -> None:
    page = _text(post_form("/check", seed_form("futian_rd_firm", "2020-06-01")))
    card = page[page.index('id="item-national.hnte"'):]
    card = card[:card.index("</article>")]
    assert "不符合条件" in card
    assert "还需增加 1人" in card


def test_stacking_says_which_option_applies(post_form: Post) -> None:
    page = _text(post_form("/check", seed_form("futian_newcomer", "2020-06-01")))
    card = page[page.index('id="item-futian.hnte_reward.moved_in"'):]
    assert "叠加规则" in card[:card.index("</article>")]


def test_missing_answers_make_items_undetermined_and_list_the_facts(post_form: Post) -> None:
    form = seed_form("futian_rd_firm", "2020-06-01")
    del form["rd_expense_stats_verified"]
    page = _text(post_form("/check", form))
    card = page[page.index('id="item-futian.rd_input"'):]
    card = card[:card.index("</article>")]
    assert "待定（缺少资料）" in card
    assert 'data-fact="rd_expense_stats_verified"' in card
    assert "统计部门核定的上年度研发投入" in card


def test_a_blank_form_is_accepted(post_form: Post) -> None:
    response = post_form("/check", {"as_of": "2020-06-01"})
    assert response.status_code == 200
    assert "待定（缺少资料）" in _text(response)


def test_money_is_parsed_as_decimal_from_what_people_type(post_form: Post) -> None:
    form = {**seed_form("futian_rd_firm", "2020-06-01"),
            "rd_expense_stats_verified": "３,２００,０００.５０ 元"}
    page = _text(post_form("/check", form))
    assert "320,000.05元" in page  # 10% of 3,200,000.50, to the cent


@pytest.mark.parametrize(("typed", "yuan"), [
    ("4200万", "42000000"), ("1.2亿", "120000000"), ("4,200万元", "42000000"),
    ("1,234,567.89", "1234567.89"), ("0.01万", "100"),
])
def test_money_is_typed_as_people_write_it(post_form: Post, typed: str, yuan: str) -> None:
    form = {**seed_form("futian_rd_firm", "2020-06-01"), "sales_revenue_y1": typed}
    page = _text(post_form("/check", form))
    payload = json.loads(html.unescape(re.search(r'name="payload" value="([^"]*)"', page).group(1)))
    assert payload["sales_revenue_y1"] == yuan


def test_a_loss_is_a_negative_net_profit(post_form: Post) -> None:
    form = {**seed_form("futian_rd_firm", "2020-06-01"), "net_profit_y1": "-35万"}
    response = post_form("/check", form)
    assert response.status_code == 200
    payload = json.loads(html.unescape(re.search(r'name="payload" value="([^"]*)"',
                                                 _text(response)).group(1)))
    assert payload["net_profit_y1"] == "-350000"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("sales_revenue_y1", "four million", "请填写数字"),
    ("sales_revenue_y1", "-5", "此项不能为负数"),
    ("sales_revenue_y1", "1,5万", "小数点"),
    ("sales_revenue_y1", "1000.005", "最多保留两位小数"),
    ("fiscal_year", "1850", "不能小于 1990"),
    ("employees_total", "12.5", "请填写整数"),
    ("registration_date", "2014/06/18", "请按 年-月-日 填写日期"),
    ("st_staff", "500", "科技人员数大于职工总数"),
    ("credit_code", "123", "统一社会信用代码有误"),
    ("tech_field", "space_magic", "请从选项中选择"),
])
def test_errors_are_shown_next_to_the_field_with_input_kept(
        post_form: Post, field: str, typed: str, message: str) -> None:
    form = {**seed_form("futian_rd_firm", "2020-06-01"), field: typed}
    response = post_form("/check", form)
    assert response.status_code == 422
    page = _text(response)
    error = re.search(rf'<p class="error" id="f-{field}-error">([^<]+)</p>', page)
    assert error and message in error.group(1)
    assert f'href="#f-{field}"' in page  # listed in the summary at the top
    if field != "tech_field":
        assert f'value="{typed.replace("&", "&amp;")}"' in page
    assert 'value="深圳市福田启明智能科技有限公司"' in page  # other answers kept too


@pytest.mark.parametrize(("lang", "said", "not_said"), [
    ("zh", ["统一社会信用代码有误", "科技人员数大于职工总数", "高新技术产品（服务）收入大于总收入"],
     ["unified social credit code", "S&amp;T staff", "high-tech revenue", "should"]),
    ("en", ["unified social credit code", "S&amp;T staff above total staff",
            "high-tech revenue above total revenue"],
     ["统一社会信用代码", "科技人员数", "高新技术产品", "不能小于"]),
])
def test_every_error_is_shown_in_one_pass_in_the_pages_language_only(
        post_form: Post, lang: str, said: list[str], not_said: list[str]) -> None:
    """A form error (a number that is not one), an engine field error (the credit code's check
    character) and two cross-field checks, all in one answer: each named at its field at once,
    though pydantic checks across fields only when every field is valid."""
    form = {**seed_form("futian_rd_firm", "2020-06-01"), "lang": lang,
            "employees_total": "12.5", "credit_code": "91440300MA5F3K7L05",
            "st_staff": "500", "rd_staff": "3", "high_tech_revenue_y1": "9,000,000",
            "total_revenue_y1": "1,000,000"}
    form["employees_total"] = "40"  # valid, so the cross-field check has both sides
    form["registration_date"] = "2014/06/18"  # a form error beside the engine's
    response = post_form("/check", form)
    assert response.status_code == 422
    page = _text(response)
    errors = dict(re.findall(r'<p class="error" id="f-([a-z0-9_]+)-error">([^<]+)</p>', page))
    assert {"registration_date", "credit_code", "st_staff", "employees_total",
            "high_tech_revenue_y1", "total_revenue_y1"} <= set(errors)
    shown = " ".join(errors.values())
    for text in said:
        assert text in shown
    for text in not_said:
        assert text not in shown
    summary = page[page.index("error-summary"):page.index("</section>", page.index("error-summary"))]
    for name in ("registration_date", "credit_code", "st_staff", "total_revenue_y1"):
        assert f'href="#f-{name}"' in summary


def test_a_bad_assessment_date_is_named(post_form: Post) -> None:
    response = post_form("/check", {"as_of": "tomorrow"})
    assert response.status_code == 422
    assert 'id="f-as_of-error"' in _text(response)


def test_the_json_download_is_the_engines_document(post_form: Post, engine: Engine) -> None:
    result = _text(post_form("/check", seed_form("futian_rd_firm", "2020-06-01")))
    payload = re.search(r'name="payload" value="([^"]+)"', result)
    assert payload
    import html

    response = post_form("/check/assessment.json",
                         {"payload": html.unescape(payload.group(1)), "as_of": "2020-06-01"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert 'attachment; filename="assessment-2020-06-01.json"' == response.headers[
        "Content-Disposition"]
    import datetime as dt

    data = seed("futian_rd_firm")
    data.pop("provenance")  # the form does not ask where each figure came from
    expected = assessment_to_dict(engine.assess(parse_profile(data), dt.date(2020, 6, 1)))
    assert json.loads(response.data) == expected


def test_the_pdf_letter_download_carries_the_firms_decisions(post_form: Post) -> None:
    import html

    from pypdf import PdfReader

    result = _text(post_form("/check", seed_form("futian_rd_firm", "2020-06-01")))
    payload = re.search(r'name="payload" value="([^"]+)"', result)
    assert payload and 'id="download-pdf"' in result
    response = post_form("/check/letter.pdf",
                         {"payload": html.unescape(payload.group(1)), "as_of": "2020-06-01"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="letter-2020-06-01.pdf"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "深圳市福田启明智能科技有限公司" in text and "R&D投入支持" in text


def test_edit_answers_returns_to_the_filled_form(post_form: Post) -> None:
    payload = json.dumps({"name": "编辑测试公司", "employees_total": 12})
    page = _text(post_form("/check/edit", {"payload": payload, "as_of": "2019-05-01"}))
    assert 'value="编辑测试公司"' in page and 'value="12"' in page
    assert 'value="2019-05-01"' in page


def test_a_tampered_payload_is_refused(post_form: Post) -> None:
    response = post_form("/check/assessment.json", {"payload": "{not json", "as_of": "2020-06-01"})
    assert response.status_code == 400
    assert "提交的内容无法处理" in _text(response)


def test_not_assessable_and_not_in_force_items_are_listed_with_their_reason(
        rules_with_unpublished: Any, client: FlaskClient) -> None:
    from web import create_app

    app = create_app({"TESTING": True, "RULES_DIR": str(rules_with_unpublished)})
    local = app.test_client()
    from .conftest import csrf_token

    form = {**seed_form("futian_rd_firm", "2023-06-01"), "csrf_token": csrf_token(local)}
    page = _text(local.post("/check", data=form))
    others = page[page.index('class="panel others"'):]
    assert "未公开条件的资助" in others and "申报条件尚未公开发布" in others
    assert "无法评估" in others
    assert "不在有效期内" in others and "评估日期 2023-06-01 不在该项目的有效期内" in others


def _upload(post_form: Post, content: bytes, name: str = "firm.json") -> Any:
    import io

    return post_form("/check/upload", {"profile_file": (io.BytesIO(content), name)},
                     content_type="multipart/form-data")


def test_a_profile_file_prefills_the_form(post_form: Post) -> None:
    from engine.intake.seeds import SEEDS_DIR

    content = (SEEDS_DIR / "profiles" / "futian_rd_firm.json").read_bytes()
    response = _upload(post_form, content)
    assert response.status_code == 200
    page = _text(response)
    assert 'value="深圳市福田启明智能科技有限公司"' in page
    assert 'value="3200000"' in page
    assert 'class="error"' not in page


def test_a_profile_file_with_mistakes_names_them(post_form: Post) -> None:
    content = json.dumps({"name": "甲公司", "employees_total": 5, "st_staff": 9,
                          "favourite_colour": "red"}).encode()
    response = _upload(post_form, content)
    assert response.status_code == 422
    page = _text(response)
    assert "文件中有无法识别的字段，已忽略：favourite_colour" in page
    assert 'id="f-st_staff-error"' in page and 'value="甲公司"' in page


@pytest.mark.parametrize("content", [b"{broken", b"[1, 2]", "中文".encode("gbk")])
def test_a_file_that_is_not_a_json_object_is_refused(post_form: Post, content: bytes) -> None:
    response = _upload(post_form, content)
    assert response.status_code == 422
    assert "文件不是有效的 JSON 对象" in _text(response)


def test_an_upload_without_a_file_says_so(post_form: Post) -> None:
    response = post_form("/check/upload", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "请选择要上传的文件" in _text(response)


def test_every_text_input_has_the_schemas_length_limit(client: FlaskClient) -> None:
    """maxlength from the schema on every typed answer, so that a browser's submission of the
    whole form stays far below the request limit (a 413 would lose the answers)."""
    page = client.get("/check/questions").get_data(as_text=True)
    inputs = re.findall(r'<input id="f-([a-z0-9_]+)" name="[^"]+"[^>]*>', page, re.S)
    limits = dict(re.findall(r'<input id="f-([a-z0-9_]+)"[^>]*?maxlength="(\d+)"', page, re.S))
    typed = [name for name in inputs if name not in ("as_of", "profile_file")]
    dated = set(re.findall(r'<input id="f-([a-z0-9_]+)"[^>]*type="date"', page, re.S))
    assert typed and {name for name in typed if name not in dated} <= set(limits)
    assert limits["name"] == "200" and limits["credit_code"] == "40"
    worst = sum(int(n) for n in limits.values()) * 4 * 3  # UTF-8, escaped as %XX each byte
    assert worst < 256 * 1024


def test_an_overlong_text_answer_is_named_not_lost(post_form: Post) -> None:
    form = {**seed_form("futian_rd_firm", "2020-06-01"), "name": "企" * 201}
    response = post_form("/check", form)
    assert response.status_code == 422
    page = _text(response)
    assert 'id="f-name-error"' in page and "最多 200 个字符" in page
    assert 'value="' + "企" * 201 + '"' in page  # kept as typed, to shorten


def test_an_oversized_file_gets_a_clear_page(post_form: Post) -> None:
    response = _upload(post_form, b" " * 300_000)
    assert response.status_code == 413
    assert "提交的内容过大（上限 256 KB）" in _text(response)
