"""The screening console through Flask's test client: what officials see and what is stored."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from engine import beijing_text
from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry, Company, Run, RunSignoff
from tests.synthetic import synthetic_profile, write_applicants
from web.official.launch import wait_all, wait_exports

from .conftest import AS_OF, DemoData, csrf_token, demo_session

SCRIPT_NAME = "<script>alert('x')</script>深圳测试公司"




@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def applicant_csv(tmp_path: Any, n: int = 3, bad_row: bool = True) -> bytes:
    """n synthetic applicants (the first named with a script tag), plus a row with a bad code."""
    profiles = [synthetic_profile(i) for i in range(n)]
    profiles[0]["name"] = SCRIPT_NAME
    if bad_row:
        profiles.append({**synthetic_profile(n), "credit_code": "NOT-A-CODE"})
    path = tmp_path / "applicants.csv"
    write_applicants(path, profiles)
    return path.read_bytes()


def upload(client: FlaskClient, data: bytes, name: str = "applicants.csv") -> Any:
    return client.post("/official/uploads", data={
        "csrf_token": csrf_token(client, "/official/"), "applicants": (io.BytesIO(data), name)})


def test_an_upload_reports_bad_rows_and_keeps_the_good_ones(official: FlaskClient, tmp_path: Any,
                                                            demo: DemoData) -> None:
    response = upload(official, applicant_csv(tmp_path))
    assert response.status_code == 302
    page = official.get(response.location).get_data(as_text=True)
    assert "名单校验结果" in page
    assert '<td>5</td>' in page  # the bad row: header is row 1, so the 4th applicant is row 5
    assert "NOT-A-CODE" in page
    assert "将筛查 3 家企业的资料" in page
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "upload")).one()
        assert entry.actor == "official" and entry.details["rejected"] == 1
        assert len(entry.details["profile_ids"]) == 3
        assert session.scalar(select(Company.name).where(Company.name == SCRIPT_NAME))


def test_limits_and_unreadable_files_get_a_clear_message(demo_app: Flask, official: FlaskClient,
                                                        tmp_path: Any) -> None:
    demo_app.config["UPLOAD_MAX_ROWS"] = 2
    too_many = upload(official, applicant_csv(tmp_path, 3, bad_row=False))
    assert too_many.status_code == 422
    assert "文件超过 2 行上限" in too_many.get_data(as_text=True)
    demo_app.config["UPLOAD_MAX_BYTES"] = 100
    too_big = upload(official, applicant_csv(tmp_path, 3))
    assert too_big.status_code == 413 and "上限" in too_big.get_data(as_text=True)
    demo_app.config["UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024
    wrong = upload(official, b"hello", "applicants.txt")
    assert wrong.status_code == 422 and "只支持 .csv 和 .xlsx" in wrong.get_data(as_text=True)
    empty = upload(official, b"", "applicants.csv")
    assert empty.status_code == 422 and "无法读取此文件" in empty.get_data(as_text=True)


def test_screening_runs_in_the_background_to_completion(official: FlaskClient, tmp_path: Any,
                                                       demo: DemoData) -> None:
    report = upload(official, applicant_csv(tmp_path)).location
    started = official.post(report + "/screen", data={
        "csrf_token": csrf_token(official, report), "as_of": "2020-06-01",
        "items": ["futian.rd_input"]})
    assert started.status_code == 302
    run_page = started.location
    assert official.get(run_page).status_code == 200  # answers at once, whatever the progress
    wait_all()
    progress = official.get(run_page + "/progress.json").get_json()
    assert progress["status"] == "complete" and progress["percent"] == 100
    assert progress["rows_total"] == progress["rows_done"] == 3
    results = official.get(run_page + "/results").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;深圳测试公司" in results
    assert "<script>alert" not in results
    with demo_session(demo) as session:
        run = session.scalars(select(Run).order_by(Run.id.desc())).first()
        assert run is not None and run.items == ["futian.rd_input"] and run.started_by == "official"
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "screen",
                                                       AuditEntry.target == f"run {run.id}"))


def _total(page: str) -> int:
    match = re.search(r"共 (\d+) 条", page)
    assert match, "no result count on the page"
    return int(match.group(1))


def test_results_are_filtered_sorted_and_paged(demo_app: Flask, official: FlaskClient,
                                              demo: DemoData) -> None:
    base = f"/official/runs/{demo.run_id}/results"
    everything = official.get(base).get_data(as_text=True)
    eligible = official.get(base + "?status=eligible").get_data(as_text=True)
    assert "badge-ineligible" in everything
    assert "badge-eligible" in eligible and "badge-ineligible" not in eligible
    assert _total(eligible) < _total(everything)
    shanghai = official.get(base + "?district=pudong").get_data(as_text=True)
    assert FIRM_A not in shanghai and "91310115MA1K4A2B3A" in shanghai
    demo_app.config["RESULTS_PER_PAGE"] = 5
    first = official.get(base + "?sort=amount").get_data(as_text=True)
    assert "第 1 / " in first and 'id="next-page"' in first
    item = official.get(base + "?item=futian.rd_input").get_data(as_text=True)
    assert _total(item) == 5  # one decision per stored seed company for the item


def test_a_decision_page_explains_with_the_profile_version(official: FlaskClient,
                                                          demo: DemoData) -> None:
    page = official.get(f"/official/decisions/{demo.decision_a}").get_data(as_text=True)
    assert FIRM_A in page
    assert "2019 年度 第 1 版（seed" in page
    assert 'class="criteria"' in page or "result.others" not in page
    assert f"/official/runs/{demo.run_id}/letters/{FIRM_A}.pdf" in page


def test_sign_off_is_audited_and_makes_the_run_read_only(official: FlaskClient,
                                                         demo: DemoData) -> None:
    run_page = f"/official/runs/{demo.run_id}"
    signed = official.post(run_page + "/signoff", data={"csrf_token": csrf_token(official, run_page),
                                                        "confirm": "yes"})
    assert signed.status_code == 302
    page = official.get(run_page).get_data(as_text=True)
    assert "已由 official 于" in page and 'id="sign-off"' not in page
    with demo_session(demo) as session:
        signed_at = session.scalars(select(RunSignoff)).one().signed_at
    assert f"于 {beijing_text(signed_at)} 签批" in page and "UTC" not in page
    again = official.post(run_page + "/signoff", data={"csrf_token": csrf_token(official, run_page),
                                                       "confirm": "yes"})
    assert again.status_code == 409
    resumed = official.post(run_page + "/resume", data={"csrf_token": csrf_token(official, run_page)})
    assert resumed.status_code == 409
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off")).one()
        assert entry.actor == "official" and entry.target == f"run {demo.run_id}"


def test_sign_off_needs_the_csrf_token(official: FlaskClient, demo: DemoData) -> None:
    assert official.post(f"/official/runs/{demo.run_id}/signoff").status_code == 400


@pytest.mark.parametrize(("fmt", "magic"), [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("jsonl", b"{"),
                                           ("outcomes", b"\xef\xbb\xbf"), ("outcomes_jsonl", b"{")])
def test_exports_are_downloaded_and_audited(official: FlaskClient, demo: DemoData, fmt: str,
                                            magic: bytes) -> None:
    with official.get(f"/official/runs/{demo.run_id}/export.{fmt}") as response:
        assert response.status_code == 200
        assert response.data.startswith(magic)
        suffix = fmt.replace("_", ".") if fmt.startswith("outcomes") else fmt
        suffix = "outcomes.csv" if fmt == "outcomes" else suffix
        assert f"run-{demo.run_id}-2020-06-01.{suffix}" in response.headers["Content-Disposition"]
        body = response.data
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(body), read_only=True).sheetnames
    if fmt.endswith("jsonl"):
        lines = [json.loads(line) for line in body.decode("utf-8").splitlines()]
        assert lines and all(line["run_id"] == demo.run_id for line in lines)
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert entry.details["format"] == fmt and entry.actor == "official"


def test_a_background_export_keeps_the_results_filter_and_offers_the_file(
        official: FlaskClient, demo: DemoData, demo_app: Flask) -> None:
    page = official.get(f"/official/runs/{demo.run_id}/results?status=eligible").get_data(as_text=True)
    assert 'name="status" value="eligible"' in page  # the export form carries the filter
    token = csrf_token(official, f"/official/runs/{demo.run_id}")
    response = official.post(f"/official/runs/{demo.run_id}/exports",
                             data={"fmt": "csv", "status": "eligible", "csrf_token": token})
    assert response.status_code == 302 and "/official/exports/" in response.headers["Location"]
    job_url = response.headers["Location"]
    wait_exports(180)
    progress = official.get(job_url + ".json").get_json()
    assert progress["status"] == "complete" and progress["filters"] == {"status": "eligible"}
    with official.get(job_url + "/download") as download:
        assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert len(rows) - 1 == progress["rows_done"] > 0
    assert {row[6] for row in rows[1:]} == {"符合条件"}  # status column, eligible only
    with official.get(f"/official/runs/{demo.run_id}/export.csv") as whole:
        every = list(csv.reader(io.StringIO(whole.data.decode("utf-8-sig"))))
    assert len(rows) < len(every)
    assert sorted(rows[1:]) == sorted(r for r in every[1:] if r[6] == "符合条件")


def test_a_large_run_is_not_exported_within_a_request(official: FlaskClient, demo: DemoData,
                                                      demo_app: Flask) -> None:
    demo_app.config["EXPORT_INLINE_MAX"] = 0
    assert official.get(f"/official/runs/{demo.run_id}/export.csv").status_code == 409


def test_a_letter_per_applicant(official: FlaskClient, demo: DemoData) -> None:
    with official.get(f"/official/runs/{demo.run_id}/letters/{FIRM_A}.pdf") as response:
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert official.get(f"/official/runs/{demo.run_id}/letters/91440300000000000X.pdf").status_code == 404


def test_may_apply_results_have_their_own_filter(official: FlaskClient, demo: DemoData) -> None:
    base = f"/official/runs/{demo.run_id}/results"
    page = official.get(base + "?status=may_apply").get_data(as_text=True)
    assert '<option value="may_apply" selected>可申报（条件未全部公开）</option>' in page
    assert "badge-may_apply" in page and "badge-eligible" not in page and _total(page) > 0


def test_budget_and_diff_pages(official: FlaskClient, demo: DemoData) -> None:
    budget = official.get(f"/official/runs/{demo.run_id}/budget").get_data(as_text=True)
    assert "按预算科目" in budget and "万元" in budget
    assert "用完即止" in budget and "按比例" not in budget  # first come, first served, not pro rata
    assert "可申报（条件未全部公开）" in budget and "2018 年预算" in budget
    assert f"2018 年预算，非本轮（{AS_OF.year} 年）预算" in budget  # the year compared against
    diff = official.get(f"/official/diff?a={demo.run_id}&b={demo.run_id}").get_data(as_text=True)
    assert "0 项变化" in diff and "两次筛查结果相同" in diff
    assert official.get(f"/official/diff?a={demo.run_id}&b=999").status_code == 404


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_console_pages_render_in_both_languages(official: FlaskClient, demo: DemoData,
                                                lang: str) -> None:
    """I18N_STRICT: a missing key fails the status check."""
    for path in ("/official/", f"/official/runs/{demo.run_id}", f"/official/runs/{demo.run_id}/results",
                 f"/official/runs/{demo.run_id}/budget", f"/official/decisions/{demo.decision_a}",
                 f"/official/diff?a={demo.run_id}&b={demo.run_id}", "/official/tokens"):
        response = official.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status_code == 200, path
    english = official.get(f"/official/runs/{demo.run_id}/results?lang=en").get_data(as_text=True)
    assert "Results of run" in english


def test_every_console_form_posts_with_a_csrf_token(official: FlaskClient, demo: DemoData,
                                                    tmp_path: Any) -> None:
    report = upload(official, applicant_csv(tmp_path)).location
    for path in ("/official/", report, f"/official/runs/{demo.run_id}", "/official/tokens"):
        page = official.get(path).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, re.S)
        assert forms, path
        assert all('name="csrf_token"' in form for form in forms), path


def test_without_javascript_a_running_run_refreshes_itself(official: FlaskClient,
                                                          demo: DemoData) -> None:
    with demo_session(demo) as session:
        run = session.get(Run, demo.run_id)
        assert run is not None
        run.status, run.rows_done = "running", 2
        session.commit()
    page = official.get(f"/official/runs/{demo.run_id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'id="refresh"' in page and 'src="/static/progress.js"' in page
    assert 'value="2"' in page and 'id="results-link"' not in page


def test_a_screening_process_that_dies_early_leaves_a_resumable_run(
        demo_app: Flask, official: FlaskClient, tmp_path: Any) -> None:
    demo_app.config["SCREEN_WORKERS"] = -1  # the CLI refuses it and exits before claiming the run
    report = upload(official, applicant_csv(tmp_path)).location
    run_page = official.post(report + "/screen", data={
        "csrf_token": csrf_token(official, report), "as_of": "2020-06-01"}).location
    wait_all()
    assert official.get(run_page + "/progress.json").get_json()["status"] == "incomplete"
    page = official.get(run_page).get_data(as_text=True)
    assert "继续完成筛查" in page and "<noscript>" not in page
    demo_app.config["SCREEN_WORKERS"] = 0
    resumed = official.post(run_page + "/resume", data={"csrf_token": csrf_token(official, run_page)})
    assert resumed.status_code == 302
    wait_all()
    assert official.get(run_page + "/progress.json").get_json()["status"] == "complete"


def test_an_admin_reads_the_audit_log(login_as: Callable[[str], FlaskClient], demo: DemoData) -> None:
    admin = login_as("admin")
    with admin.get(f"/official/runs/{demo.run_id}/export.csv"):
        pass
    page = admin.get("/official/audit?action=export").get_data(as_text=True)
    assert "导出" in page and f"run {demo.run_id}" in page and "admin" in page
    everything = admin.get("/official/audit?lang=en").get_data(as_text=True)
    assert "Screening" in everything  # the demo run's start
    assert "时间（北京时间）" in page and "UTC" not in page and "Time (Beijing time)" in everything
