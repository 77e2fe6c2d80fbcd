"""The Flask front end: an app factory with one blueprint per audience.

    firm    /              self-check for firms (guided form, results, JSON download)
    rules   /rules         the public rule browser
    api     /api/v1        JSON API with its OpenAPI document
    auth    /login         login and logout for firms, officials and admins
    account /account       a firm's saved profile versions and their results (firm users)
    official /official     screening console (officials and admins)
    api_runs /api/v1/runs  screening runs over the API (bearer tokens)
    api_reference /docs/api  the API reference page, rendered from the OpenAPI document

The web layer calls only the engine's public API; the engine never imports web.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from . import auth, config, db, errors, formats, i18n, params, security


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then SUBSIDY_* environment variables, then `overrides`."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config.Defaults)
    app.config.from_prefixed_env("SUBSIDY")
    if overrides:
        app.config.update(overrides)
    config.finish(app)

    params.init_app(app)  # before any blueprint builds its routes
    security.init_app(app)
    i18n.init_app(app)
    formats.init_app(app)
    errors.init_app(app)
    db.init_app(app)
    auth.init_app(app)

    from . import account, api, api_reference, api_runs, firm, official, rules_browser

    app.register_blueprint(firm.bp)
    app.register_blueprint(rules_browser.bp, url_prefix="/rules")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(api_runs.bp, url_prefix="/api/v1")
    app.register_blueprint(api_reference.bp, url_prefix="/docs/api")
    security.csrf.exempt(api.bp)  # JSON only, no cookies read: see api.py
    security.csrf.exempt(api_runs.bp)  # bearer tokens, no cookies read
    app.register_blueprint(account.bp, url_prefix="/account")
    app.register_blueprint(official.bp, url_prefix="/official")
    return app
