"""Web fixtures: an app in testing mode, its client, and helpers to post forms with a CSRF token."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.seeds import SEEDS_DIR
from web import create_app
from web.answers import raw_from_data

ROOT = Path(__file__).resolve().parents[2]

# One not-assessable item in its own program: the real catalog has none yet, and the pages must
# show such items with their reason.
NOT_ASSESSABLE_RULES = """
program:
  id: test.unpublished
  title: {zh: 测试计划（条件未公开）, en: "Test program (criteria unpublished)"}
  authority: {zh: 测试主管部门, en: "Test authority"}
items:
  - id: test.unpublished.grant
    title: {zh: 未公开条件的资助, en: "Grant with unpublished criteria"}
    source:
      document: 测试通知
      clause: 第一条
      evidence: news
      basis: verbatim
    valid_from: 2020-01-01
    not_assessable: {zh: 申报条件尚未公开发布, en: "The criteria have not been published"}
"""


@pytest.fixture
def app() -> Flask:
    return create_app({"TESTING": True, "I18N_STRICT": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def rules_with_unpublished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real rules plus one not-assessable item."""
    target = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "rules", target)
    (target / "unpublished.yaml").write_text(NOT_ASSESSABLE_RULES, encoding="utf-8")
    return target


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def post_form(client: FlaskClient) -> Callable[..., Any]:
    """POST a form with a valid CSRF token (fetched from the self-check page first)."""

    def post(path: str, data: dict[str, Any], **kw: Any) -> Any:
        return client.post(path, data={**data, "csrf_token": csrf_token(client)}, **kw)

    return post


def seed(name: str) -> dict[str, Any]:
    return json.loads((SEEDS_DIR / "profiles" / f"{name}.json").read_text(encoding="utf-8"))


def seed_form(name: str, as_of: str) -> dict[str, str]:
    """A seed profile as the self-check form would post it."""
    return {**raw_from_data(seed(name)), "as_of": as_of}
