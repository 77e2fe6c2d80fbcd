"""Admin user pages (issue 15): create, disable/enable, reset a password, set a role; admins only;
audited; the store's rules (not yourself, not the last admin, 8 characters) shown as reasons."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.store.demo import FIRM_A
from engine.store.models import AuditEntry, User

from .conftest import DemoData, csrf_token, demo_session, login


@pytest.fixture
def admin(login_as: Callable[[str], FlaskClient]) -> FlaskClient:
    return login_as("admin")


def post(client: FlaskClient, url: str, **data: str) -> object:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, "/official/")})


def user_id(demo: DemoData, name: str) -> int:
    with demo_session(demo) as session:
        return session.scalar(select(User.id).where(User.username == name))


@pytest.mark.parametrize(("lang", "title"), [("zh", "用户管理"), ("en", "Users")])
def test_the_list_shows_every_user(admin: FlaskClient, lang: str, title: str) -> None:
    page = admin.get(f"/official/users?lang={lang}").get_data(as_text=True)
    assert title in page and "firm-a" in page and FIRM_A in page and 'id="user-create"' in page
    assert 'href="/official/users"' in admin.get("/official/").get_data(as_text=True)


def test_create_disable_enable_reset_and_role(admin: FlaskClient, client: FlaskClient,
                                              demo: DemoData) -> None:
    assert post(admin, "/official/users", username="wang", password="wang-pass-1",
                role="official").status_code == 302
    wang = user_id(demo, "wang")
    other = client.application.test_client()
    assert login(other, "wang", "wang-pass-1").status_code == 302
    assert post(admin, f"/official/users/{wang}/disable").status_code == 302
    assert other.get("/official/").status_code == 302  # the session ended
    assert login(other, "wang", "wang-pass-1").status_code == 401
    assert "已于" in admin.get("/official/users").get_data(as_text=True)
    assert post(admin, f"/official/users/{wang}/enable").status_code == 302
    assert post(admin, f"/official/users/{wang}/password", password="new-pass-22").status_code == 302
    assert login(other, "wang", "new-pass-22").status_code == 302
    assert post(admin, f"/official/users/{wang}/role", role="firm",
                company_code=FIRM_A.lower()).status_code == 302
    with demo_session(demo) as session:
        user = session.get(User, wang)
        assert (user.role, user.company_code, user.disabled_at) == ("firm", FIRM_A, None)
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "admin")))
        assert {"user_create", "user_disable", "user_enable", "user_password_reset",
                "user_role"} <= actions
        assert "new-pass-22" not in str(session.scalars(select(AuditEntry.details)).all())


@pytest.mark.parametrize(("url", "fields", "zh", "en"), [
    ("/official/users",
     {"username": "li", "password": "short", "role": "official"}, "密码至少8位", "at least 8"),
    ("/official/users",
     {"username": "admin", "password": "long-enough", "role": "official"}, "已存在", "exists"),
    ("/official/users",
     {"username": "", "password": "long-enough", "role": "official"}, "用户名应为", "1 to 64"),
    ("/official/users",
     {"username": "li", "password": "long-enough", "role": "root"}, "请选择角色", "Choose a role"),
    ("/official/users", {"username": "li", "password": "long-enough", "role": "firm", "company_code": "nope"},
     "已入库企业", "stored company"),
    ("/official/users/{admin}/disable", {}, "不能停用自己", "cannot disable yourself"),
    ("/official/users/{admin}/role", {"role": "official"}, "唯一管理员", "last admin"),
    ("/official/users/{official}/password", {"password": "1234"}, "密码至少8位", "at least 8"),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refusals_give_the_reason(admin: FlaskClient, demo: DemoData, url: str,
                                  fields: dict[str, str], zh: str, en: str, lang: str) -> None:
    target = url.format(admin=user_id(demo, "admin"), official=user_id(demo, "official"))
    response = post(admin, target, **fields, lang=lang)
    assert response.status_code == 422
    assert (zh if lang == "zh" else en) in response.get_data(as_text=True)


def test_officials_and_firms_cannot_manage_users(login_as: Callable[[str], FlaskClient],
                                                 demo: DemoData) -> None:
    official = login_as("official")
    assert official.get("/official/users").status_code == 403
    assert post(official, f"/official/users/{user_id(demo, 'firm-a')}/disable").status_code == 403
    assert 'href="/official/users"' not in official.get("/official/").get_data(as_text=True)


def test_unknown_users_are_404(admin: FlaskClient) -> None:
    for action in ("disable", "enable", "password", "role"):
        assert post(admin, f"/official/users/999999/{action}", password="long-enough",
                    role="official").status_code == 404
