"""Login, logout and role checks for firms, officials and admins; the session is Flask-Login's.

A session names the user *and* the user's session version (`get_id()` is "id:version", the
"alternative token" Flask-Login documents): logging out bumps the version, so every session made
before, on any device or in any copy of the cookie, stops loading its user.

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
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from engine.store import User, authenticate, clear_failures, reserve_attempt

from .db import get_session

bp = Blueprint("auth", __name__)


login_manager = LoginManager()


class SessionUser(UserMixin):
    """What Flask-Login keeps for a logged-in user: the stored User and the session version the
    login was made with (engine.store stays free of Flask)."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_version}"


@login_manager.user_loader
def _load(session_id: str) -> SessionUser | None:
    """The user of a session, if its version is still the user's (else it has been logged out)."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    user = get_session().get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return SessionUser(user)


def _load_user() -> None:
    """g.user: the logged-in User or None, for views and templates."""
    g.user = current_user.user if current_user.is_authenticated else None


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
    # The attempt is counted before the password is checked, in one statement with the check of
    # the limit: parallel guesses cannot all slip under it.
    if not reserve_attempt(db, username, ip, _window(), current_app.config["LOGIN_MAX_FAILURES"]):
        db.rollback()
        return render_template("auth/login.html", error="login.locked",
                               minutes=current_app.config["LOGIN_WINDOW_MINUTES"], **page), 429
    db.commit()
    user = authenticate(db, username, password)
    if user is None:
        return render_template("auth/login.html", error="login.wrong", **page), 401
    clear_failures(db, username, ip, _window())
    db.commit()
    session.clear()  # a fresh session: nothing from before the login carries over
    login_user(SessionUser(user))
    session.permanent = True
    return redirect(_safe_next(page["next"]) or home_for(user))


@bp.post("/logout")
def logout() -> Any:
    """End the session here and on the server: a copy of the cookie no longer logs anyone in."""
    if g.user is not None:
        g.user.session_version += 1
        get_session().commit()
    logout_user()
    session.clear()
    return redirect(url_for("firm.check_form"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_load_user)
    app.register_blueprint(bp)
