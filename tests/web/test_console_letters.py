"""Batch letters from the results page (issue 15): the store's background job writes a zip of one
PDF letter per applicant the filter keeps; the job page shows progress in letters and offers the
zip; audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry
from web.official.launch import wait_exports

from .conftest import DemoData, csrf_token, demo_session


@pytest.fixture
def official(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("official")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch_letters_are_built_in_the_background_as_a_zip(official: FlaskClient, demo: DemoData,
                                                             lang: str) -> None:
    results = f"/official/runs/{demo.run_id}/results?district=futian&lang={lang}"
    page = official.get(results).get_data(as_text=True)
    assert 'id="export-letters"' in page and 'name="district" value="futian"' in page
    assert ("批量告知书" if lang == "zh" else "Batch letters") in page
    response = official.post(f"/official/runs/{demo.run_id}/exports", data={
        "fmt": "letters", "district": "futian", "csrf_token": csrf_token(official, results)})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    wait_exports(300)
    progress = official.get(job_url + ".json").get_json()
    assert progress["status"] == "complete", progress
    job_page = official.get(job_url + f"?lang={lang}").get_data(as_text=True)
    assert ("份告知书" if lang == "zh" else "letters written") in job_page
    assert 'id="export-download"' in job_page
    with official.get(job_url + "/download") as download:
        assert download.status_code == 200 and download.mimetype == "application/zip"
        assert ".letters.zip" in download.headers["Content-Disposition"]
        names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert any(FIRM_A in n for n in names)
    assert not any(n.startswith("9131") for n in names)  # Shanghai firms are filtered out
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert entry.details["format"] == "letters_zip"


def test_an_unknown_format_is_400(official: FlaskClient, demo: DemoData) -> None:
    token = csrf_token(official, f"/official/runs/{demo.run_id}")
    assert official.post(f"/official/runs/{demo.run_id}/exports",
                         data={"fmt": "exe", "csrf_token": token}).status_code == 400
    assert official.get(f"/official/runs/{demo.run_id}/export.letters").status_code == 404
