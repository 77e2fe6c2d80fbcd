"""Logins: scrypt hashes, a fresh session, the rate limit, safe redirects; a firm's saved profiles."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.store.demo import FIRM_A
from engine.store.models import LoginFailure, ProfileVersion, User

from .conftest import DemoData, csrf_token, demo_session, login, seed, seed_form


def test_passwords_are_stored_as_scrypt_hashes(demo_app: Flask, demo: DemoData) -> None:
    with demo_session(demo) as session:
        hashes = session.scalars(select(User.password_hash)).all()
    assert hashes and all(h.startswith("scrypt:") for h in hashes)
    assert not any("demo" in h for h in hashes)


def test_an_official_logs_in_and_out(demo_app: Flask, client: FlaskClient) -> None:
    response = login(client, "official")
    assert response.status_code == 302 and response.location == "/official/"
    page = client.get("/official/").get_data(as_text=True)
    assert "筛查工作台" in page and "official" in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/official/")})
    assert client.get("/official/").status_code == 302


def test_a_firm_lands_on_its_account_and_the_next_page_is_kept_on_site(
        demo_app: Flask, client: FlaskClient) -> None:
    assert login(client, "firm-a").location == "/account/"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    token = csrf_token(client, "/login")
    bounced = client.post("/login", data={"username": "firm-a", "password": "firm-a-demo",
                                          "next": "https://evil.example/", "csrf_token": token})
    assert bounced.location == "/account/"


def test_a_wrong_password_is_refused_and_counted(demo_app: Flask, client: FlaskClient,
                                                 demo: DemoData) -> None:
    response = login(client, "official", "wrong")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    with demo_session(demo) as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_five_failures_lock_that_username_and_address_for_the_window(
        demo_app: Flask, client: FlaskClient) -> None:
    for _ in range(5):
        assert login(client, "official", "wrong").status_code == 401
    locked = login(client, "official")  # even the right password, for now
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.get_data(as_text=True)
    assert client.get("/official/").status_code == 302
    # Another address is not locked out, nor is another user from this one.
    other = demo_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other, "official").status_code == 302
    assert login(demo_app.test_client(), "admin").status_code == 302


def test_login_needs_its_csrf_token(demo_app: Flask, client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "official", "password": "official-demo"})
    assert response.status_code == 400


def test_the_session_is_new_after_login(demo_app: Flask, client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "official")
    with client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"]  # Flask-Login's key


def test_a_firm_saves_its_self_check_as_new_versions(login_as: Callable[[str], FlaskClient],
                                                     demo: DemoData) -> None:
    client = login_as("firm-a")
    form = seed_form("futian_rd_firm", "2020-06-01")
    form["employees_total"] = "120"  # a change: the next save is a new version
    result = client.post("/check", data={**form, "csrf_token": csrf_token(client)})
    page = result.get_data(as_text=True)
    assert 'id="save-profile"' in page
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = {"payload": html.unescape(payload), "as_of": "2020-06-01",
            "csrf_token": csrf_token(client)}
    saved = client.post("/account/profiles", data=data)
    assert saved.status_code == 302
    shown = client.get(saved.location).get_data(as_text=True)
    assert "已保存" in shown and "第 2 版" in shown
    with demo_session(demo) as session:
        versions = session.scalars(select(ProfileVersion).where(
            ProfileVersion.company_code == FIRM_A).order_by(ProfileVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["employees_total"] == 100  # the first version is untouched
    assert versions[1].entered_by == "firm-a"
    assert "第 2 版" in client.get("/account/").get_data(as_text=True)


def test_a_firm_cannot_file_under_another_company(login_as: Callable[[str], FlaskClient],
                                                  demo: DemoData) -> None:
    """The credit code in the payload is replaced by the account's own."""
    client = login_as("firm-b")
    data = seed("futian_rd_firm")  # firm A's facts and credit code
    response = client.post("/account/profiles", data={
        "payload": json.dumps(data, ensure_ascii=False), "as_of": "2020-06-01",
        "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    with demo_session(demo) as session:
        a_versions = session.scalar(select(func.count()).select_from(ProfileVersion).where(
            ProfileVersion.company_code == FIRM_A))
    assert a_versions == 1


def test_a_bumped_session_version_ends_every_session(login_as: Callable[[str], FlaskClient],
                                                     demo: DemoData) -> None:
    """What a password change does (the session version moves on): Flask-Login's user loader
    refuses the sessions made before, in every browser at once."""
    first, second = login_as("official"), login_as("official")
    assert first.get("/official/").status_code == second.get("/official/").status_code == 200
    with demo_session(demo) as session:
        user = session.scalars(select(User).where(User.username == "official")).one()
        user.session_version += 1
        session.commit()
    assert first.get("/official/").status_code == 302
    assert second.get("/official/").status_code == 302


def test_a_session_naming_a_user_without_the_version_logs_nobody_in(
        demo_app: Flask, client: FlaskClient, demo: DemoData) -> None:
    with demo_session(demo) as session:
        user_id = session.scalars(select(User.id).where(User.username == "official")).one()
    for forged in (str(user_id), f"{user_id}:", f"{user_id}:x", "x:0", f"{user_id}:0:0"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
            session["_fresh"] = True
        assert client.get("/official/").status_code == 302, forged
