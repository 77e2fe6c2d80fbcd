"""Policy-draft impact from the console (issue 15): one changed rule file, checked like any
rules, run over a complete run's applicants beside the rules in force; flips with criteria and
the budget effect per item; audited; the rules in force and every self-check unchanged."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry, CatalogVersion

from .conftest import ROOT, DemoData, csrf_token, demo_session

OLD = "fact: rd_expense_stats_verified\n          op: \">\"\n          value: 500000\n"


def draft_text(bound: str = "5000000") -> bytes:
    """st_fund.yaml with the R&D bound raised above firm A's verified 3,200,000 yuan."""
    text = (ROOT / "rules" / "futian" / "st_fund.yaml").read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    return text.replace(OLD, OLD.replace("500000", bound)).encode("utf-8")


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def submit(client: FlaskClient, data: bytes | None, name: str = "st_fund.yaml", **fields: str) -> object:
    form: dict[str, object] = {"csrf_token": csrf_token(client, "/official/drafts"), **fields}
    if data is not None:
        form["draft"] = (io.BytesIO(data), name)
    return client.post("/official/drafts", data=form)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_shows_who_flips_why_and_the_budget_effect(official: FlaskClient, demo: DemoData,
                                                           lang: str) -> None:
    form = official.get(f"/official/drafts?run={demo.run_id}&lang={lang}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and "futian/st_fund.yaml" in form
    with demo_session(demo) as session:
        catalogs = session.scalar(select(func.count()).select_from(CatalogVersion))
    response = submit(official, draft_text(), run_id=str(demo.run_id), lang=lang)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    flips = page[page.index('id="draft-flips"'):]
    assert FIRM_A in flips and "badge-eligible" in flips and "badge-ineligible" in flips
    assert ("不符合" if lang == "zh" else "Fail") in flips or "outcome" not in flips
    items = page[page.index('id="draft-items"'):page.index('id="draft-flips"')]
    assert "futian.rd_input" in items and ("万元" if lang == "zh" else "CNY") in items
    assert 'id="draft-not-adopted"' in page
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "draft_impact")).one()
        assert entry.actor == "official" and int(entry.details["flips"]) >= 1
        assert session.scalar(select(func.count()).select_from(CatalogVersion)) == catalogs
    assert (ROOT / "rules" / "futian" / "st_fund.yaml").read_bytes() != draft_text()


def test_the_self_check_still_uses_the_rules_in_force(official: FlaskClient, demo: DemoData,
                                                      client: FlaskClient) -> None:
    from .conftest import seed_form

    assert submit(official, draft_text(), run_id=str(demo.run_id)).status_code == 200
    result = client.post("/check", data={**seed_form("futian_rd_firm", "2020-06-01"),
                                         "csrf_token": csrf_token(client)})
    assert 'id="item-futian.rd_input"' in result.get_data(as_text=True)
    card = result.get_data(as_text=True).split('id="item-futian.rd_input"')[1][:600]
    assert "badge-eligible" in card


@pytest.mark.parametrize(("data", "name", "fields", "zh", "en"), [
    (None, "st_fund.yaml", {}, "请选择草案规则文件", "Choose the draft rule file"),
    (b"x: 1", "st_fund.txt", {}, "草案须为 .yaml 规则文件", "must be a .yaml rule file"),
    (b"\xff\xfe", "st_fund.yaml", {}, "不是 UTF-8 文本", "not UTF-8 text"),
    (b"program: [\n", "st_fund.yaml", {}, "草案未通过校验", "The draft was refused"),
    (b"program: {}\n", "nowhere.yaml", {}, "草案未通过校验", "The draft was refused"),
    (b"x: 1", "st_fund.yaml", {"replaces": "../../etc/passwd"}, "请从列表中选择", "Choose the rule file"),
    (b"x: 1", "st_fund.yaml", {"run_id": "abc"}, "请选择筛查批次", "Choose a screening run"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_draft_is_refused_with_its_reason(official: FlaskClient, demo: DemoData,
                                                data: bytes | None, name: str,
                                                fields: dict[str, str], zh: str, en: str,
                                                lang: str) -> None:
    response = submit(official, data, name, **{"run_id": str(demo.run_id), **fields, "lang": lang})
    assert response.status_code == 422
    assert (zh if lang == "zh" else en) in response.get_data(as_text=True)


def test_a_large_run_is_sent_to_the_command_line(demo_app: Flask, official: FlaskClient,
                                                 demo: DemoData) -> None:
    demo_app.config["DRAFT_MAX_APPLICANTS"] = 1
    response = submit(official, draft_text(), run_id=str(demo.run_id))
    assert response.status_code == 409 and "subsidy draft-impact" in response.get_data(as_text=True)


def test_an_unknown_run_is_404(official: FlaskClient) -> None:
    assert submit(official, draft_text(), run_id="999999").status_code == 404


def test_the_uploaded_draft_is_kept_for_the_audit(demo_app: Flask, official: FlaskClient,
                                                  demo: DemoData) -> None:
    assert submit(official, draft_text(), run_id=str(demo.run_id)).status_code == 200
    kept = list((Path(demo_app.instance_path) / "drafts").glob("*/st_fund.yaml"))
    assert kept and kept[-1].read_bytes() == draft_text()
