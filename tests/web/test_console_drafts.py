"""Policy-draft impact from the console (issue 15): one changed rule file, checked like any
rules, run in the background over every stored firm, one district's or a complete run's
applicants beside the rules in force; the job page shows progress, then per item the flips with
the criteria that changed and the budget effect in 万元, with every flip as CSV (BOM) and XLSX;
audited; the rules in force and every self-check unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.store.demo import FIRM_A
from engine.store.draft_jobs import start_draft_job
from engine.store.models import AuditEntry, CatalogVersion
from web.official.launch import wait_drafts

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


def finished(client: FlaskClient, response: object, lang: str = "zh") -> tuple[str, str]:
    """Wait for the job the form started; its URL and its page."""
    assert response.status_code == 302, response.get_data(as_text=True)  # type: ignore[attr-defined]
    url = response.headers["Location"]  # type: ignore[attr-defined]
    wait_drafts(300)
    progress = client.get(url + ".json").get_json()
    assert progress["status"] == "complete", progress
    page = client.get(url + f"?lang={lang}")
    assert page.status_code == 200
    return url, page.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_over_a_run_shows_the_flips_per_item_and_offers_them_as_files(
        official: FlaskClient, demo: DemoData, lang: str) -> None:
    form = official.get(f"/official/drafts?run={demo.run_id}&lang={lang}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and "futian/st_fund.yaml" in form
    assert 'id="draft-scope-run" checked' in form
    with demo_session(demo) as session:
        catalogs = session.scalar(select(func.count()).select_from(CatalogVersion))
    url, page = finished(official, submit(official, draft_text(), scope="run",
                                          run_id=str(demo.run_id), lang=lang), lang)
    items = page[page.index('id="draft-item-futian.rd_input"'):page.index('id="draft-flips"')]
    assert "badge-eligible" in items and "badge-ineligible" in items
    assert ("R&amp;D投入" if lang == "zh" else "R&amp;D") in items and "×" in items
    assert ("万元" if lang == "zh" else "CNY 10,000") in page
    assert "-" in page[page.index('id="draft-delta"'):][:200]
    flips = page[page.index('id="draft-flips"'):]
    assert FIRM_A in flips and ("→ 不符合" if lang == "zh" else "→ Fail") in flips
    assert ("→ 不符合" if lang == "zh" else "→ Fail") in items  # the criterion, counted per item
    assert 'id="draft-not-adopted"' in page
    with official.get(url + "/flips.csv") as download:
        assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert any(r and r[0] == FIRM_A for r in rows)
    with official.get(url + "/flips.xlsx") as download:
        assert download.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(download.data))
    assert any(c.value == FIRM_A for c in book.worksheets[1]["A"])
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "draft_impact")).one()
        assert entry.actor == "official" and int(entry.details["flips"]) >= 1
        exports = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "export", AuditEntry.target.like("draft job %"))).all()
        assert [e["format"] for e in exports] == ["draft_flips_csv", "draft_flips_xlsx"]
        assert session.scalar(select(func.count()).select_from(CatalogVersion)) == catalogs
    assert (ROOT / "rules" / "futian" / "st_fund.yaml").read_bytes() != draft_text()


@pytest.mark.parametrize(("scope", "district", "flips"), [
    ("all", "", True), ("district", "futian", True), ("district", "pudong", False)])
def test_a_draft_over_every_stored_firm_or_a_district(official: FlaskClient, demo: DemoData,
                                                      scope: str, district: str,
                                                      flips: bool) -> None:
    _url, page = finished(official, submit(official, draft_text(), scope=scope,
                                           as_of="2020-06-01", district=district))
    assert (FIRM_A in page[page.index('id="draft-flips"'):]) == flips
    if scope == "district":
        assert "district_label" not in page and ("福田" if district == "futian" else "浦东") in page


def test_the_self_check_still_uses_the_rules_in_force(official: FlaskClient, demo: DemoData,
                                                      client: FlaskClient) -> None:
    from .conftest import seed_form

    finished(official, submit(official, draft_text(), scope="run", run_id=str(demo.run_id)))
    result = client.post("/check", data={**seed_form("futian_rd_firm", "2020-06-01"),
                                         "csrf_token": csrf_token(client)})
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
    (b"x: 1", "st_fund.yaml", {"scope": "all", "as_of": ""}, "请填写评估日期", "Give the as-of date"),
    (b"x: 1", "st_fund.yaml", {"scope": "district", "as_of": "2020-06-01", "district": "mars"},
     "所在区", "district"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_draft_is_refused_with_its_reason(official: FlaskClient, demo: DemoData,
                                                data: bytes | None, name: str,
                                                fields: dict[str, str], zh: str, en: str,
                                                lang: str) -> None:
    response = submit(official, data, name, **{"scope": "run", "run_id": str(demo.run_id),
                                               **fields, "lang": lang})
    assert response.status_code == 422
    assert (zh if lang == "zh" else en) in response.get_data(as_text=True)


def test_a_running_job_shows_its_progress_and_no_download_yet(demo_app: Flask,
                                                              official: FlaskClient,
                                                              demo: DemoData) -> None:
    draft = Path(demo_app.instance_path) / "st_fund.yaml"
    draft.write_bytes(draft_text())
    with demo_session(demo) as session:
        job = start_draft_job(session, draft, scope="run", run_id=demo.run_id, by="official")
        session.commit()
        job_id = job.id
    page = official.get(f"/official/drafts/{job_id}").get_data(as_text=True)
    assert 'id="progress"' in page and 'data-status="running"' in page and "progress.js" in page
    assert official.get(f"/official/drafts/{job_id}/flips.csv").status_code == 409
    assert official.get(f"/official/drafts/{job_id}/flips.exe").status_code == 404
    assert official.get(f"/official/drafts/{job_id}.json").get_json()["status"] == "running"
    listing = official.get("/official/drafts").get_data(as_text=True)
    assert f'/official/drafts/{job_id}"' in listing and "st_fund.yaml" in listing


def test_an_unknown_run_or_job_is_404(official: FlaskClient) -> None:
    assert submit(official, draft_text(), scope="run", run_id="999999").status_code == 404
    assert official.get("/official/drafts/999999").status_code == 404


def test_the_uploaded_draft_is_kept_for_the_audit(demo_app: Flask, official: FlaskClient,
                                                  demo: DemoData) -> None:
    drafts = Path(demo_app.instance_path) / "drafts"
    before = set(drafts.glob("*/st_fund.yaml"))  # other tests' drafts may be there already
    finished(official, submit(official, draft_text(), scope="run", run_id=str(demo.run_id)))
    kept = set(drafts.glob("*/st_fund.yaml")) - before
    assert len(kept) == 1 and kept.pop().read_bytes() == draft_text()


def test_an_official_runs_at_most_two_drafts_at_once(official: FlaskClient, demo: DemoData,
                                                     demo_app: Flask) -> None:
    draft = Path(demo_app.instance_path) / "st_fund.yaml"
    draft.write_bytes(draft_text())
    with demo_session(demo) as session:
        for _ in range(2):
            start_draft_job(session, draft, scope="run", run_id=demo.run_id, by="official")
        session.commit()
    response = submit(official, draft_text(), scope="run", run_id=str(demo.run_id))
    assert response.status_code == 429
    assert "2 项草案测算正在进行" in response.get_data(as_text=True)
