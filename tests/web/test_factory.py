"""The app factory: no module-level app, configuration layering, one engine per process."""

from __future__ import annotations

import pytest

import web
from web import create_app
from web.engine_ext import get_engine


def test_no_module_level_app() -> None:
    assert not hasattr(web, "app")


def test_each_call_builds_a_new_app() -> None:
    assert create_app({"TESTING": True}) is not create_app({"TESTING": True})


def test_blueprints_by_audience() -> None:
    app = create_app({"TESTING": True})
    assert {"firm", "rules", "api"} <= set(app.blueprints)
    rules = {r.rule: r.endpoint for r in app.url_map.iter_rules()}
    assert rules["/"] == "firm.check_form"
    assert rules["/rules/"] == "rules.index"
    assert rules["/api/v1/assess"] == "api.assess"


def test_environment_configures_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUBSIDY_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("SUBSIDY_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_a_secret_key_is_made_when_none_is_configured() -> None:
    assert len(create_app({"TESTING": True}).config["SECRET_KEY"]) >= 32


def test_one_engine_is_shared_between_apps() -> None:
    first, second = create_app({"TESTING": True}), create_app({"TESTING": True})
    with first.app_context():
        engine = get_engine()
    with second.app_context():
        assert get_engine() is engine


def test_missing_translations_raise_in_tests_only() -> None:
    assert create_app({"TESTING": True}).config["I18N_STRICT"] is True
    assert create_app().config["I18N_STRICT"] is False
