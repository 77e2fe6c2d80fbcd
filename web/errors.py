"""One JSON error shape for the API, friendly pages for people.

Every error under /api/ answers `{"error": {"code", "message", "details"}}` (the shape of
engine errors' `to_dict()`), whether it comes from routing (404, 405), the request (400, 413,
415), the engine or a bug (500). Elsewhere the same errors render errors/error.html.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from engine import EngineError, SubsidyError

API_PREFIX = "/api/"

# HTTP status -> (stable code for API clients, message key for people)
HTTP_CODES = {
    400: ("bad_request", "error.400"),
    401: ("unauthorized", "error.401"),
    403: ("forbidden", "error.403"),
    404: ("not_found", "error.404"),
    405: ("method_not_allowed", "error.405"),
    413: ("payload_too_large", "error.413"),
    409: ("conflict", "error.409"),
    415: ("unsupported_media_type", "error.415"),
    422: ("unprocessable", "error.400"),
    429: ("too_many_requests", "error.429"),
    500: ("internal_error", "error.500"),
    503: ("unavailable", "error.503"),
}


class RequestError(SubsidyError):
    """A request the API cannot use (wrong shape, unknown item); `details` says where."""

    code = "invalid_request"


def is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, details: dict[str, Any] | None = None,
               ) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message, "details": details or {}}}), status


def _limit() -> int:
    """The body limit of this request (an upload view may raise the app's default)."""
    return int(request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"])


def _http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    code, key = HTTP_CODES.get(status, ("http_error", "error.400"))
    if isinstance(exc, CSRFError):
        code, key = "csrf_failed", "error.csrf"
    if is_api():
        details: dict[str, Any] = {}
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            details["allowed"] = sorted(exc.valid_methods)  # type: ignore[attr-defined]
        if status == 413:
            details["limit_bytes"] = _limit()
        response, status = json_error(status, code, exc.description or code, details)
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if status == 405:
            response.headers["Allow"] = ", ".join(details.get("allowed", []))
        return response, status
    args = {"limit": str(_limit() // 1024)} if status == 413 else {}
    return render_template("errors/error.html", status=status, key=key, args=args), status


def _engine_error(exc: SubsidyError) -> Any:
    """Engine errors: the caller's fault (400), except the engine failing to decide a profile
    (422): that profile cannot be assessed, the reason says which facts, and nothing is broken."""
    status = 422 if isinstance(exc, EngineError) else 400
    if exc.code == "not_reproducible":
        status = 409  # a stored decision the engine can no longer rebuild as it was made
    if status == 422:
        current_app.logger.error("engine error on %s: %s", request.path, exc.message)
    if is_api():
        return jsonify(exc.to_dict()), status
    return render_template("errors/error.html", status=status,
                           key="error.engine" if status == 422 else "error.400",
                           detail=exc.message), status


def _database_down(exc: DBAPIError) -> Any:
    """A lost or refused database connection: one clear 503, never a traceback. Anything else from
    the database is a bug and stays a 500 (logged)."""
    if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
        return _unexpected(exc)
    current_app.logger.error("database unavailable on %s: %s", request.path, exc)
    return _http_error(ServiceUnavailable("the database is unavailable; try again shortly"))


def _unexpected(exc: Exception) -> Any:
    current_app.logger.exception("unhandled error on %s", request.path)
    return _http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(SubsidyError, _engine_error)
    app.register_error_handler(DBAPIError, _database_down)
    app.register_error_handler(Exception, _unexpected)
