"""Login, logout and role checks for firms, officials and admins.

Failed logins are counted in the database (login_failures), not in memory: the app may run as
several processes behind a WSGI server, each with its own memory, and a restart must not reset
the count. Five failures per username and client address in 15 minutes lock that pair out for
the rest of the window; other users and addresses are unaffected, so one attacker cannot lock an
official out from everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from engine.store import User, authenticate, clear_failures, recent_failures, record_failure

from .db import get_session

bp = Blueprint("auth", __name__)


def _load_user() -> None:
    user_id = session.get("user_id")
    g.user = get_session().get(User, user_id) if user_id is not None else None


def home_for(user: User) -> str:
    return url_for("account.index") if user.role == "firm" else url_for("official.index")


def role_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous visitors go to the login page (and come back); other roles get 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if g.user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    ip = request.remote_addr or "unknown"
    db = get_session()
    page = {"next": request.form.get("next", ""), "username": username}
    if recent_failures(db, username, ip, _window()) >= current_app.config["LOGIN_MAX_FAILURES"]:
        return render_template("auth/login.html", error="login.locked",
                               minutes=current_app.config["LOGIN_WINDOW_MINUTES"], **page), 429
    user = authenticate(db, username, password)
    if user is None:
        record_failure(db, username, ip)
        db.commit()
        return render_template("auth/login.html", error="login.wrong", **page), 401
    clear_failures(db, username, ip, _window())
    db.commit()
    session.clear()  # a fresh session: nothing from before the login carries over
    session["user_id"] = user.id
    session.permanent = True
    return redirect(_safe_next(page["next"]) or home_for(user))


@bp.post("/logout")
def logout() -> Any:
    session.clear()
    return redirect(url_for("firm.check_form"))


def init_app(app: Flask) -> None:
    app.before_request(_load_user)
    app.register_blueprint(bp)
