"""Configuration defaults; anything here can be set as SUBSIDY_<NAME> in the environment."""

from __future__ import annotations

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
    # A profile is a few kilobytes; anything far larger is a mistake or an attack.
    MAX_CONTENT_LENGTH = 256 * 1024
    MAX_FORM_MEMORY_SIZE = 256 * 1024
    WTF_CSRF_TIME_LIMIT = None  # a firm may take an afternoon to gather its figures
    DEFAULT_LANG = "zh"
    # Raise on a translation key missing from the catalogue; None: on when TESTING, else off.
    I18N_STRICT = None
    RULES_DIR = None  # None: the catalog shipped in rules/


def finish(app: Flask) -> None:
    """Fill in what depends on other settings."""
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if app.config["I18N_STRICT"] is None:
        app.config["I18N_STRICT"] = app.testing
