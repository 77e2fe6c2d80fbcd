"""免申即享 push lists in the console (issue 15): made from a run, reviewed (exclude with a reason,
restore), published after a confirmation, exported; the firm sees its notice and confirms it.
Both languages; every step audited; bad input answered with a reason, never a 500."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry, FirmNotice, PushEntry, PushList

from .conftest import DemoData, csrf_token, demo_session, login


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def post(client: FlaskClient, url: str, **data: str) -> object:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/official/")})


def make_list(client: FlaskClient, demo: DemoData, **fields: str) -> int:
    response = post(client, "/official/push", run_id=str(demo.run_id), **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_list_is_made_from_a_run_and_shows_facts_with_provenance(
        official: FlaskClient, demo: DemoData, lang: str) -> None:
    form = official.get(f"/official/push?run={demo.run_id}&lang={lang}").get_data(as_text=True)
    assert f'<option value="{demo.run_id}" selected' in form and 'name="programs"' in form
    list_id = make_list(official, demo, district="futian", confirm_by="2020-07-01")
    page = official.get(f"/official/push/{list_id}?lang={lang}").get_data(as_text=True)
    assert ("草稿" if lang == "zh" else "Draft") in page
    assert "深圳市福田启明智能科技有限公司" in page
    assert ("企业自报" if lang == "zh" else "self-declared") in page or \
        ("统计部门" if lang == "zh" else "statistics bureau") in page
    assert ("万元" if lang == "zh" else "CNY") in page
    assert "上海" not in page  # another district's firms are not listed
    with demo_session(demo) as session:
        push = session.get(PushList, list_id)
        assert (push.district, push.status, push.created_by) == ("futian", "draft", "official")
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "push_create")).one()


def test_review_publish_notice_and_confirmation(official: FlaskClient, client: FlaskClient,
                                                demo: DemoData) -> None:
    list_id = make_list(official, demo, confirm_by="2020-07-01")
    with demo_session(demo) as session:
        entries = session.scalars(select(PushEntry).where(PushEntry.list_id == list_id)
                                  .order_by(PushEntry.id)).all()
        assert entries
        firm_a = next(e.id for e in entries if e.company_code == FIRM_A)
        other = next((e.id for e in entries if e.company_code != FIRM_A), None)
    base = f"/official/push/{list_id}"
    no_reason = post(official, f"{base}/entries/{firm_a}/exclude", reason="  ")
    assert no_reason.status_code == 422 and "移出名单须填写理由" in no_reason.get_data(as_text=True)
    assert post(official, f"{base}/entries/{firm_a}/exclude", reason="已获同类支持").status_code == 302
    page = official.get(base + "?show=excluded").get_data(as_text=True)
    assert "已获同类支持" in page and f'id="restore-{firm_a}"' in page
    assert post(official, f"{base}/entries/{firm_a}/restore").status_code == 302
    if other is not None:
        assert post(official, f"{base}/entries/{other}/exclude", reason="待核实").status_code == 302
    confirm_page = official.get(base + "/publish").get_data(as_text=True)
    assert 'id="publish-confirm"' in confirm_page and "required" in confirm_page
    unconfirmed = post(official, base + "/publish")
    assert unconfirmed.status_code == 422 and "请勾选确认框" in unconfirmed.get_data(as_text=True)
    assert post(official, base + "/publish", confirm="yes").status_code == 302
    page = official.get(base).get_data(as_text=True)
    assert 'id="push-readonly"' in page and 'id="push-publish"' not in page
    assert post(official, base + "/publish", confirm="yes").status_code == 409
    assert post(official, f"{base}/entries/{firm_a}/exclude", reason="x").status_code == 409
    with demo_session(demo) as session:
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"push_create", "push_exclude", "push_restore", "push_publish"} <= actions
        notice = session.scalars(select(FirmNotice).where(FirmNotice.company_code == FIRM_A)).one()
        notice_id = notice.id

    firm = client.application.test_client()
    assert login(firm, "firm-a").status_code == 302
    account = firm.get("/account/").get_data(as_text=True)
    assert "您可能符合以下支持项目，无需申请" in account and "2020-07-01" in account
    english = firm.get("/account/?lang=en").get_data(as_text=True)
    assert "You may qualify for the following support without applying" in english
    token = csrf_token(firm, "/account/")
    assert firm.post(f"/account/notices/{notice_id}/confirm",
                     data={"csrf_token": token}).status_code == 302
    assert "已由 firm-a 于" in firm.get("/account/?lang=zh").get_data(as_text=True)
    with demo_session(demo) as session:
        assert session.get(FirmNotice, notice_id).confirmed_by == "firm-a"
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "notice_confirm")).one()

    other_firm = client.application.test_client()
    assert login(other_firm, "firm-b").status_code == 302
    assert other_firm.post(f"/account/notices/{notice_id}/confirm",
                           data={"csrf_token": csrf_token(other_firm, "/account/")}).status_code == 404


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exports_in_csv_and_xlsx(official: FlaskClient, demo: DemoData, lang: str) -> None:
    list_id = make_list(official, demo)
    response = official.get(f"/official/push/{list_id}/export.csv?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert ("统一社会信用代码" if lang == "zh" else "Unified social credit code") in header
    assert FIRM_A in text
    xlsx = official.get(f"/official/push/{list_id}/export.xlsx?lang={lang}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert any(FIRM_A in str(c.value) for row in sheet.iter_rows() for c in row)
    assert official.get(f"/official/push/{list_id}/export.pdf").status_code == 404
    with demo_session(demo) as session:
        assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()) == 2


@pytest.mark.parametrize(("fields", "zh", "en"), [
    ({"run_id": ""}, "请选择筛查批次", "Choose a screening run"),
    ({"run_id": "abc"}, "请选择筛查批次", "Choose a screening run"),
    ({"district": "atlantis"}, "请选择有效的区", "Choose a valid district"),
    ({"confirm_by": "2020-13-40"}, "确认截止日期应为", "The confirm-by date"),
    ({"confirm_by": "2019-01-01"}, "确认截止日期早于评估日期", "the confirmation date is before the run"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_list_request_says_why(official: FlaskClient, demo: DemoData, fields: dict[str, str],
                                     zh: str, en: str, lang: str) -> None:
    data = {"run_id": str(demo.run_id), **fields, "lang": lang}
    response = post(official, "/official/push", **data)
    assert response.status_code == 422
    assert (zh if lang == "zh" else en) in response.get_data(as_text=True)


def test_unknown_ids_are_404(official: FlaskClient, demo: DemoData) -> None:
    assert post(official, "/official/push", run_id="999999").status_code == 404
    assert official.get("/official/push/999999").status_code == 404
    assert official.get("/official/push/999999/publish").status_code == 404
    assert official.get("/official/push/999999/export.csv").status_code == 404
    list_id = make_list(official, demo)
    assert post(official, f"/official/push/{list_id}/entries/999999/exclude",
                reason="x").status_code == 404
    assert post(official, f"/official/push/{list_id}/entries/999999/restore").status_code == 404
    assert official.get(f"/official/push/{list_id}?page=99999&show=nonsense").status_code == 200


def test_a_round_screens_a_districts_stored_firms(official: FlaskClient, demo: DemoData) -> None:
    from engine.store.models import Run
    from web.official.launch import wait_all

    response = post(official, "/official/push/screen", as_of="2020-06-01", district="futian")
    assert response.status_code == 302 and "/official/runs/" in response.location
    wait_all()
    run_id = int(response.location.rsplit("/", 1)[1])
    with demo_session(demo) as session:
        run = session.get(Run, run_id)
        assert (run.selection, run.status, run.started_by) == ("district:futian", "complete", "official")
        from engine.store.models import Company

        futian = session.scalars(select(Company).where(Company.district == "futian")).all()
        assert 0 < run.rows_total == len(futian) < session.get(Run, demo.run_id).rows_total
    page = official.get(response.location).get_data(as_text=True)
    assert f'href="/official/push?run={run_id}"' in page


@pytest.mark.parametrize(("fields", "zh"), [
    ({"as_of": ""}, "请填写 YYYY-MM-DD 格式的轮次日期"),
    ({"as_of": "2020-02-30"}, "请填写 YYYY-MM-DD 格式的轮次日期"),
    ({"as_of": "2020-06-01", "district": "mars"}, "请选择有效的区"),
    ({"as_of": "1999-06-01"}, "没有符合范围的已入库企业"),
])
def test_a_bad_round_says_why(official: FlaskClient, fields: dict[str, str], zh: str) -> None:
    response = post(official, "/official/push/screen", **fields)
    assert response.status_code == 422 and zh in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_override_is_carried_into_the_list_and_notices_are_counted_seen_and_confirmed(
        official: FlaskClient, client: FlaskClient, demo: DemoData, lang: str) -> None:
    """Firm A's rd_input (engine: 32.00万元) overridden to 25.00万元 with a reason: the list shows
    both amounts, the reason and who; the firm is told 25.00万元; the list page counts the
    notices seen (on opening the account) apart from confirmed."""
    from engine.store.reviews import add_review

    with demo_session(demo) as session:
        add_review(session, demo.run_id, demo.profile_a, "futian.rd_input", "override",
                   "按审计报告核减", "official", override_status="eligible", override_amount="250000")
        session.commit()
    list_id = make_list(official, demo, district="futian")
    page = official.get(f"/official/push/{list_id}?lang={lang}").get_data(as_text=True)
    row = page[page.index('class="push-override'):][:1500]
    assert "按审计报告核减" in row and "official" in row
    assert ("32.00万元" in row and "25.00万元" in page) if lang == "zh" else (
        "CNY 320,000.00" in row and "CNY 250,000.00" in page)
    assert 'id="push-overridden"' in page
    assert post(official, f"/official/push/{list_id}/publish", confirm="yes").status_code == 302
    counts = official.get(f"/official/push/{list_id}?lang={lang}").get_data(as_text=True)
    assert ("已查看 0 家，已确认 0 家" if lang == "zh" else "0 seen, 0 confirmed") in counts
    csv_text = official.get(f"/official/push/{list_id}/export.csv?lang=zh").get_data().decode("utf-8-sig")
    rd = next(r for r in csv.DictReader(io.StringIO(csv_text))
              if (r["统一社会信用代码"], r["项目编号"]) == (FIRM_A, "futian.rd_input"))
    assert (rd["预计金额（万元）"], rd["系统测算金额（万元）"], rd["改定理由"]) == (
        "25.00", "32.00", "按审计报告核减")

    firm = client.application.test_client()
    assert login(firm, "firm-a").status_code == 302
    account = firm.get(f"/account/?lang={lang}").get_data(as_text=True)
    assert "25.00" in account and 'class="notice-new"' in account
    again = firm.get(f"/account/?lang={lang}").get_data(as_text=True)
    assert 'class="notice-new"' not in again and 'class="notice-seen"' in again
    counts = official.get(f"/official/push/{list_id}?lang={lang}").get_data(as_text=True)
    assert ("已查看 1 家，已确认 0 家" if lang == "zh" else "1 seen, 0 confirmed") in counts
    with demo_session(demo) as session:
        notice = session.scalars(select(FirmNotice).where(FirmNotice.company_code == FIRM_A)).one()
        assert notice.seen_by == "firm-a" and notice.confirmed_at is None
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "notice_seen")).one()
    firm.post(f"/account/notices/{notice.id}/confirm", data={"csrf_token": csrf_token(firm, "/account/")})
    counts = official.get(f"/official/push/{list_id}?lang={lang}").get_data(as_text=True)
    assert ("已查看 1 家，已确认 1 家" if lang == "zh" else "1 seen, 1 confirmed") in counts
