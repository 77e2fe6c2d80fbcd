"""Web fixtures: an app in testing mode, its client, and helpers to post forms with a CSRF token."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from engine.decide.engine import Engine
from engine.intake.seeds import SEEDS_DIR
from engine.store.db import make_engine, make_sessionmaker
from engine.store.demo import FIRM_A, FIRM_B, seed_demo
from engine.store.migrate import upgrade
from engine.store.models import DecisionRow, ProfileVersion
from engine.store.screening import process_run, select_all, start_run
from web import create_app
from web.answers import raw_from_data
from web.db import dispose
from web.official.launch import wait_all

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2020, 6, 1)

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
def app(tmp_path: Path) -> Iterator[Flask]:
    """The app on a database of its own (empty until a test asks for `demo_app`)."""
    app = create_app({"TESTING": True, "I18N_STRICT": True, "SCREEN_WORKERS": 0,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}"})
    yield app
    wait_all()  # screenings a test started
    dispose(app)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoData:
    """A database built once: migrated, demo data seeded, one complete screening run of every
    stored company as of AS_OF. Tests get a copy (demo_app), so they may change it."""
    path = tmp_path_factory.mktemp("demo-db") / "demo.db"
    db = make_engine(f"sqlite:///{path}")
    upgrade(db)
    sessions = make_sessionmaker(db)
    with sessions() as session:
        seed_demo(session)
        run = start_run(session, Engine().catalog, select_all(session, AS_OF), AS_OF, None,
                        "official", "all")
        session.commit()
        run_id = run.id
    process_run(sessions, run_id, workers=0)
    with sessions() as session:
        ids = dict(session.execute(select(ProfileVersion.company_code, ProfileVersion.id)).all())
        decision = session.scalar(select(DecisionRow.id).join(
            ProfileVersion, ProfileVersion.id == DecisionRow.profile_id).where(
            ProfileVersion.company_code == FIRM_A).order_by(DecisionRow.id))
    db.dispose()
    return DemoData(path, run_id, ids[FIRM_A], ids[FIRM_B], decision or 0)


@dataclass(frozen=True)
class DemoData:
    path: Path
    run_id: int
    profile_a: int  # firm-a's profile version
    profile_b: int  # firm-b's
    decision_a: int  # a decision on firm-a in the run


@pytest.fixture
def demo(demo_template: DemoData, tmp_path: Path) -> DemoData:
    copy = tmp_path / "web.db"
    shutil.copy(demo_template.path, copy)
    return DemoData(copy, demo_template.run_id, demo_template.profile_a, demo_template.profile_b,
                    demo_template.decision_a)


@pytest.fixture
def demo_app(app: Flask, demo: DemoData) -> Flask:
    """`app` on a copy of the demo database (same path as `app`'s)."""
    assert app.config["DATABASE_URL"] == f"sqlite:///{demo.path}"
    return app


PASSWORDS = {"official": "official-demo", "admin": "admin-demo", "firm-a": "firm-a-demo",
             "firm-b": "firm-b-demo"}


@contextmanager
def demo_session(demo: DemoData) -> Iterator[Session]:
    """A session on a test's database, to check what a request left there."""
    db = make_engine(f"sqlite:///{demo.path}")
    with make_sessionmaker(db)() as session:
        yield session
    db.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app in a real server thread on 127.0.0.1 (for the browser tests); yields its address."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


def login(client: FlaskClient, username: str, password: str | None = None) -> Any:
    """Log in through the form, as a person would; returns the response."""
    return client.post("/login", data={"username": username,
                                       "password": password or PASSWORDS[username],
                                       "csrf_token": csrf_token(client, "/login")})


@pytest.fixture
def login_as(demo_app: Flask, client: FlaskClient) -> Callable[[str], FlaskClient]:
    """login_as("official") -> the client, logged in (demo database)."""

    def log_in(username: str) -> FlaskClient:
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return log_in


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
