"""The firm's account lists what changed since the last check when the rules change: opening
the account re-checks the saved versions (a baseline first), lists new and lost items and
changed amounts with the reason, in Chinese and English, and "mark as seen" ends the list."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry, ProfileChange, ProfileCheck, ProfileVersion
from tests.rules_variants import rules_variant

from .conftest import DemoData, csrf_token, demo_session, seed_form


@pytest.fixture(scope="module")
def threshold_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rules_variant(tmp_path_factory.mktemp("deploy"), "threshold")


def _page(client: FlaskClient, path: str = "/account/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _text(client: FlaskClient, path: str = "/account/") -> str:
    """The page's text as a reader sees it: tags dropped, spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page(client, path))))


def test_opening_the_account_after_a_rules_deploy_lists_the_lost_item_with_its_reason(
        login_as: Callable[[str], FlaskClient], demo_app: Flask, demo: DemoData,
        threshold_rules: Path) -> None:
    client = login_as("firm-a")
    first = _text(client)
    assert "自上次核对以来的变化" in first and "自上次核对以来没有变化" in first
    with demo_session(demo) as session:
        baseline = session.get(ProfileCheck, demo.profile_a)
        assert baseline is not None and baseline.items["futian.rd_input"][0] == "eligible"
        before = baseline.catalog_hash

    demo_app.config["RULES_DIR"] = str(threshold_rules)  # the deploy
    page = _text(client)
    assert "没有变化" not in page
    changes = page[page.index("自上次核对以来的变化"):page.index("已保存的版本")]
    assert "2019 年度资料 第 1 版" in changes
    assert "不再符合" in changes and "R&D投入支持" in changes
    assert "条件“上年度经统计部门核定的研发投入超过50万元”由“符合”变为“不符合”" in changes
    assert "32.00万元 → —" in changes
    with demo_session(demo) as session:
        after = session.get(ProfileCheck, demo.profile_a).catalog_hash
    assert f"规则版本 {before} → {after}" in changes and "评估日期 2020-06-01" in changes

    english = _text(client, "/account/?lang=en")
    assert "Changes since the last check" in english and "No longer open to you" in english
    assert ("the criterion \"Prior-year R&D verified by the statistics bureau above 500,000 yuan\" "
            "went from Pass to Fail") in english
    assert "CNY 320,000.00 → —" in english
    with demo_session(demo) as session:  # opening twice found the change once
        assert len(session.scalars(select(ProfileChange)).all()) == 1


def test_mark_as_seen_ends_the_list_for_every_user_of_the_firm_and_is_audited(
        login_as: Callable[[str], FlaskClient], demo_app: Flask, demo: DemoData,
        threshold_rules: Path) -> None:
    client = login_as("firm-a")
    _text(client)
    demo_app.config["RULES_DIR"] = str(threshold_rules)
    assert "不再符合" in _text(client)
    response = client.post("/account/changes/seen", data={
        "profile_id": demo.profile_a, "csrf_token": csrf_token(client, "/account/")})
    assert response.status_code == 302
    page = _text(client, response.location)
    assert "已将 1 项变化标记为已读" in page and "不再符合" not in page
    assert "自上次核对以来没有变化" in page
    with demo_session(demo) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "changes_seen")).one()
    assert (entry.actor, entry.target) == ("firm-a", FIRM_A)


def test_another_firm_cannot_mark_the_changes_seen(
        login_as: Callable[[str], FlaskClient], demo_app: Flask, demo: DemoData,
        threshold_rules: Path) -> None:
    client = login_as("firm-a")
    _text(client)
    demo_app.config["RULES_DIR"] = str(threshold_rules)
    _text(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    other = login_as("firm-b")
    other.post("/account/changes/seen", data={"profile_id": demo.profile_a,
                                              "csrf_token": csrf_token(other, "/account/")})
    with demo_session(demo) as session:
        assert session.scalars(select(ProfileChange.seen_at)).one() is None


def test_a_version_that_cannot_be_checked_again_still_shows_the_page(
        login_as: Callable[[str], FlaskClient], demo_app: Flask, demo: DemoData,
        threshold_rules: Path) -> None:
    client = login_as("firm-a")
    _text(client)
    with demo_session(demo) as session:  # a stored value from before the bounds
        data = session.get(ProfileVersion, demo.profile_a).data
        session.execute(update(ProfileVersion).where(ProfileVersion.id == demo.profile_a)
                        .values(data={**data, "employees_total": -5}))
        session.commit()
    demo_app.config["RULES_DIR"] = str(threshold_rules)
    page = _page(client)
    assert 'id="recheck-failed"' in page and "暂时无法用现行规则重新核对您的档案" in page


def test_saving_a_profile_records_its_first_check(
        login_as: Callable[[str], FlaskClient], demo: DemoData) -> None:
    client = login_as("firm-a")
    form = seed_form("futian_rd_firm", "2020-06-01")
    form["employees_total"] = "120"
    result = client.post("/check", data={**form, "csrf_token": csrf_token(client)})
    payload = re.search(r'name="payload" value="([^"]+)"', result.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    saved = client.post("/account/profiles", data={
        "payload": html.unescape(payload), "as_of": "2020-06-01", "csrf_token": csrf_token(client)})
    assert saved.status_code == 302
    new_id = int(saved.location.split("/profiles/")[1].split("?")[0])
    with demo_session(demo) as session:
        check = session.get(ProfileCheck, new_id)
        assert check is not None and check.items["futian.rd_input"][:2] == ["eligible", "320000.00"]
        assert session.get(ProfileCheck, demo.profile_a) is None  # not opened yet
        assert session.scalars(select(ProfileChange)).all() == []
