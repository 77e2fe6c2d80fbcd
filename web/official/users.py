"""Users without the CLI, for admins: list, create, disable or enable, reset a password, set a
role (a firm user names its company).

The rules are the store's (engine.store.accounts): a disabled user cannot log in or use a token
and their sessions end; an admin cannot disable themselves or the last enabled admin; a password
has at least 8 characters; every change is audited (never the password). The views check what a
form can get wrong first (a role outside the list, a company not stored) so that the reason is
shown in the page's language, and refuse everything for officials (403): the console is theirs,
the accounts are not.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for

from engine import SubsidyError
from engine.store import (
    Company,
    User,
    admin_create_user,
    list_users,
    reset_password,
    set_role,
    set_user_disabled,
)

from ..db import get_session
from .base import actor, bp, store_text

ROLES = ("firm", "official", "admin")


@bp.before_request
def _admins_only_here() -> Any:
    """Every /official/users page: admins only (the blueprint's rule lets officials in)."""
    if (request.endpoint or "").startswith("official.user") and g.user is not None \
            and g.user.role != "admin":
        abort(403)
    return None


def _page(error: str | None = None, detail: str = "", form: dict[str, str] | None = None,
          status: int = 200, target: int | None = None) -> Any:
    return render_template("official/users.html", users=list_users(get_session()), roles=ROLES,
                           error=error, detail=detail, form=form or {}, target=target), status


@bp.get("/users")
def users() -> Any:
    return _page()


def _company(code: str) -> str | None:
    """The stored company a firm user belongs to, or None if no such company is stored."""
    code = code.strip().upper()
    if not code or len(code) > 18 or get_session().get(Company, code) is None:
        return None
    return code


def _role_and_company(form: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """(role, company code, error key) from a form."""
    role = form.get("role", "")
    if role not in ROLES:
        return None, None, "users.error.role"
    if role != "firm":
        return role, None, None
    company = _company(form.get("company_code", ""))
    if company is None:
        return None, None, "users.error.company"
    return role, company, None


@bp.post("/users")
def user_create() -> Any:
    form = {k: request.form.get(k, "") for k in ("username", "role", "company_code")}
    password = request.form.get("password", "")
    role, company, error = _role_and_company(form)
    if error:
        return _page(error, form=form, status=422)
    db = get_session()
    try:
        admin_create_user(db, form["username"], password, role or "", actor(), company)
    except SubsidyError as exc:
        db.rollback()
        return _page("users.error.store", store_text(exc), form, 422)
    db.commit()
    return redirect(url_for("official.users") + "#users")


def _user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _apply(user_id: int, change: Any) -> Any:
    """Run one store change on a user; its refusal is the list page with the reason (422)."""
    user = _user(user_id)
    db = get_session()
    try:
        change(db, user)
    except SubsidyError as exc:
        db.rollback()
        return _page("users.error.store", store_text(exc), status=422, target=user_id)
    db.commit()
    return redirect(url_for("official.users") + f"#user-{user_id}")


@bp.post("/users/<int:user_id>/disable")
def user_disable(user_id: int) -> Any:
    return _apply(user_id, lambda db, u: set_user_disabled(db, u.username, True, actor()))


@bp.post("/users/<int:user_id>/enable")
def user_enable(user_id: int) -> Any:
    return _apply(user_id, lambda db, u: set_user_disabled(db, u.username, False, actor()))


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int) -> Any:
    password = request.form.get("password", "")
    return _apply(user_id, lambda db, u: reset_password(db, u.username, password, actor()))


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int) -> Any:
    _user(user_id)
    form = {k: request.form.get(k, "") for k in ("role", "company_code")}
    role, company, error = _role_and_company(form)
    if error:
        return _page(error, status=422, target=user_id)
    return _apply(user_id, lambda db, u: set_role(db, u.username, role or "", actor(), company))
