"""CSRF on forms, cookie flags, autoescaping, size limits and security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from web import create_app

from .conftest import seed_form


def test_a_form_post_without_its_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/check", data=seed_form("futian_rd_firm", "2020-06-01"))
    assert response.status_code == 400
    assert "页面已过期或来源无效" in response.get_data(as_text=True)


def test_a_forged_token_is_refused(client: FlaskClient) -> None:
    client.get("/")
    response = client.post("/check", data={"csrf_token": "forged", "as_of": "2020-06-01"})
    assert response.status_code == 400


def test_every_form_carries_a_token(client: FlaskClient, post_form: Callable[..., Any]) -> None:
    pages = [client.get("/").get_data(as_text=True),
             post_form("/check", seed_form("futian_rd_firm", "2020-06-01")).get_data(as_text=True)]
    for page in pages:
        assert page.count('method="post"') == page.count('name="csrf_token"') > 0


def test_the_session_cookie_is_httponly_and_lax(client: FlaskClient) -> None:
    cookie = client.get("/").headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_can_be_switched_on() -> None:
    client = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": True}).test_client()
    cookies = client.get("/?lang=en").headers.getlist("Set-Cookie")
    assert len(cookies) == 2 and all("Secure" in c for c in cookies)


def test_a_script_in_a_company_name_shows_as_text(post_form: Callable[..., Any]) -> None:
    name = "<script>alert('x')</script>有限公司"
    form = {**seed_form("futian_rd_firm", "2020-06-01"), "name": name}
    page = post_form("/check", form).get_data(as_text=True)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;有限公司" in page
    errors = post_form("/check", {**form, "employees_total": "x"}).get_data(as_text=True)
    assert "<script>" not in errors and 'value="&lt;script&gt;' in errors


def test_an_oversized_form_gets_a_clear_page(client: FlaskClient) -> None:
    response = client.post("/check", data={"name": "x" * 300_000})
    assert response.status_code == 413
    assert "提交的内容过大（上限 256 KB）" in response.get_data(as_text=True)


def test_security_headers_on_pages_and_api(client: FlaskClient) -> None:
    for path in ("/", "/rules/", "/api/v1/rules", "/missing"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_no_inline_scripts_or_styles(client: FlaskClient, post_form: Callable[..., Any]) -> None:
    pages = [client.get("/").get_data(as_text=True), client.get("/rules/futian.ip_pledge")
             .get_data(as_text=True),
             post_form("/check", seed_form("futian_rd_firm", "2020-06-01")).get_data(as_text=True)]
    for page in pages:
        assert "<script" not in page and "<style" not in page and " style=" not in page
        assert " onclick=" not in page and "javascript:" not in page


def test_the_api_needs_no_csrf_token(client: FlaskClient) -> None:
    assert client.post("/api/v1/assess", json={"profile": {}}).status_code == 200
