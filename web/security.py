"""CSRF protection on every form and security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# No inline scripts or styles anywhere: pages are server-rendered and work without JavaScript.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")


# Public pages a shared cache may keep; everything else (console pages, exports, a firm's results,
# the API's runs) may hold someone's data and is never stored by a browser or proxy.
CACHEABLE = ("/static/", "/rules")


def _headers(response: Response) -> Response:
    if not request.path.startswith(CACHEABLE):
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


# Endpoints whose body may exceed MAX_CONTENT_LENGTH -> the config key of their limit in bytes.
LARGE_BODIES = {"official.upload": "UPLOAD_MAX_BYTES"}


def _body_limit() -> None:
    """Raise the body limit for uploads before anything reads the body: the CSRF check parses the
    form, so a limit set later (in the blueprint) came too late and lists over ~256 KB got 413.
    The slack covers the multipart framing; the exact limit is checked on the saved file."""
    key = LARGE_BODIES.get(request.endpoint or "")
    if key:
        request.max_content_length = current_app.config[key] + 64 * 1024


def init_app(app: Flask) -> None:
    app.before_request(_body_limit)  # registered before CSRFProtect's check, so it runs first
    csrf.init_app(app)
    app.after_request(_headers)
