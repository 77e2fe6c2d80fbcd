"""Configuration defaults; anything here can be set as SUBSIDY_<NAME> in the environment."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Flask


class Defaults:
    # Empty means "make one per process": fine for `make run`, set SUBSIDY_SECRET_KEY in production.
    SECRET_KEY = ""
    # Cookies: never readable by scripts, not sent on cross-site subrequests. Secure needs HTTPS,
    # so it is off for local runs and switched on by SUBSIDY_SESSION_COOKIE_SECURE=true.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # A login lasts a working day, then asks again.
    PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=8)
    # A profile is a few kilobytes; anything far larger is a mistake or an attack.
    MAX_CONTENT_LENGTH = 256 * 1024
    MAX_FORM_MEMORY_SIZE = 256 * 1024
    WTF_CSRF_TIME_LIMIT = None  # a firm may take an afternoon to gather its figures
    DEFAULT_LANG = "zh"
    # Raise on a translation key missing from the catalogue; None: on when TESTING, else off.
    I18N_STRICT = None
    RULES_DIR = None  # None: the catalog shipped in rules/
    # None: the DATABASE_URL environment variable, else SQLite in instance/subsidy.db.
    DATABASE_URL = None
    # Officials' applicant lists: a CSV row is ~1 KB, so 5 MB and 20,000 rows cover a district's
    # funding round; larger lists go through `subsidy screen FILE`.
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    UPLOAD_MAX_ROWS = 20_000
    # Logins: this many failures per username and client address within the window lock that
    # pair out until the window has passed.
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    # Worker processes of a screening started from the console (None: one per CPU).
    SCREEN_WORKERS = None
    # Runs of more applicants than this are exported in the background, not within a request.
    EXPORT_INLINE_MAX = 2000
    RESULTS_PER_PAGE = 50
    # Screenings at once: per user and for the whole server (each takes a process per CPU).
    RUNS_PER_USER = 2
    RUNS_PER_SERVER = 4
    # Policy-draft impact jobs one official may have running at once (each compiles the draft
    # and decides every firm twice in a process of its own).
    DRAFTS_PER_USER = 2
    # The console's searches and push lists: rows per page.
    SEARCH_PER_PAGE = 20
    PUSH_PER_PAGE = 50


def finish(app: Flask) -> None:
    """Fill in what depends on other settings."""
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if app.config["I18N_STRICT"] is None:
        app.config["I18N_STRICT"] = app.testing
