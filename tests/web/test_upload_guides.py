"""The upload page guides an official (issue 15): the import template is one click away, the
row report names the company of each bad row, and a whole program can be ticked at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from engine import load_catalog, read_table
from engine.store.models import Run
from tests.synthetic import synthetic_profile, write_applicants
from web.official.launch import wait_all

from .conftest import DemoData, csrf_token, demo_session


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


def _upload(client: FlaskClient, tmp_path: Path, profiles: list[dict[str, Any]]) -> str:
    path = tmp_path / "applicants.csv"
    write_applicants(path, profiles)
    response = client.post("/official/uploads", data={
        "csrf_token": csrf_token(client, "/official/"),
        "applicants": (io.BytesIO(path.read_bytes()), "applicants.csv")})
    assert response.status_code == 302
    return str(response.location)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_console_links_the_template_and_it_reads_back_as_a_list(
        official: FlaskClient, tmp_path: Path, lang: str) -> None:
    page = official.get(f"/official/?lang={lang}").get_data(as_text=True)
    assert 'href="/official/template.xlsx"' in page and 'href="/official/template.csv"' in page
    for fmt in ("xlsx", "csv"):
        response = official.get(f"/official/template.{fmt}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert "attachment" in disposition and f".{fmt}" in disposition
        path = tmp_path / f"template.{fmt}"
        path.write_bytes(response.data)
        table = read_table(path)  # what the uploader reads: the headers map, there are no rows
        assert "统一社会信用代码" in table.headers and list(table.rows) == []
    guide = load_workbook(tmp_path / "template.xlsx")["填写说明"]
    assert guide.max_row > 50  # one line per column, with what it takes
    assert official.get("/official/template.txt").status_code == 404
    assert (tmp_path / "template.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel


def test_the_row_report_names_the_company_of_each_bad_row(official: FlaskClient,
                                                         tmp_path: Path) -> None:
    profiles = [synthetic_profile(i) for i in range(4)]
    profiles[1]["st_staff"] = "十二"
    profiles[2]["name"] = ""  # a bad row without a name shows a dash, not another firm's name
    profiles[2]["fiscal_year"] = "明年"
    report = official.get(_upload(official, tmp_path, profiles)).get_data(as_text=True)
    rows = report.split('id="problems"')[1].split("</table>")[0]
    assert f"<td>3</td><td>{profiles[1]['name']}</td>" in rows
    assert "<td>4</td><td>—</td>" in rows
    assert profiles[0]["name"] not in rows and profiles[3]["name"] not in rows


def test_ticking_a_program_screens_all_its_items(official: FlaskClient, tmp_path: Path,
                                                 demo: DemoData) -> None:
    """Without JavaScript: the program's box is posted and the server adds its items to those
    ticked one by one, in catalog order."""
    report = _upload(official, tmp_path, [synthetic_profile(i) for i in range(2)])
    page = official.get(report).get_data(as_text=True)
    assert 'name="programs" value="national"' in page
    started = official.post(report + "/screen", data={
        "csrf_token": csrf_token(official, report), "as_of": "2020-06-01",
        "programs": ["national", "no.such.program"], "items": ["futian.rd_input"]})
    assert started.status_code == 302
    wait_all()
    catalog = load_catalog()
    expected = [i for i in catalog.versions
                if i == "futian.rd_input" or i in catalog.item_ids("national")]
    with demo_session(demo) as session:
        run = session.scalars(select(Run).order_by(Run.id.desc())).first()
        assert run is not None and run.items == expected and len(expected) == 4


@pytest.mark.parametrize(("lang", "reason"), [("zh", "应为整数"), ("en", "valid integer")])
def test_the_row_report_speaks_the_pages_language_and_offers_the_bad_rows(
        official: FlaskClient, tmp_path: Path, lang: str, reason: str) -> None:
    """Each reason in the page's language only; the refused rows come back as a file with the
    list's own headers, which uploads again once corrected."""
    profiles = [synthetic_profile(i) for i in range(3)]
    profiles[1]["st_staff"] = "十二"
    report_url = _upload(official, tmp_path, profiles)
    page = official.get(f"{report_url}?lang={lang}").get_data(as_text=True)
    rows = page.split('id="problems"')[1].split("</table>")[0]
    assert reason in rows
    assert ("valid integer" if lang == "zh" else "应为整数") not in rows
    assert 'id="bad-rows"' in page
    with official.get(report_url + "/bad-rows") as download:
        assert download.status_code == 200
        assert ".csv" in download.headers["Content-Disposition"]
        body = download.data
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(body)
    table = read_table(fixed)
    bad = [values for _, values in table.rows]
    assert len(bad) == 1 and "十二" in str(bad[0])
    corrected = body.decode("utf-8-sig").replace("十二", "12").encode("utf-8-sig")
    again = official.post("/official/uploads", data={
        "csrf_token": csrf_token(official, "/official/"),
        "applicants": (io.BytesIO(corrected), "fixed.csv")})
    assert again.status_code == 302
    assert 'id="rejected">0<' in official.get(again.location).get_data(as_text=True)


def test_no_bad_rows_no_file(official: FlaskClient, tmp_path: Path) -> None:
    report_url = _upload(official, tmp_path, [synthetic_profile(0)])
    assert 'id="bad-rows"' not in official.get(report_url).get_data(as_text=True)
    assert official.get(report_url + "/bad-rows").status_code == 404
    assert official.get("/official/uploads/999999/bad-rows").status_code == 404
