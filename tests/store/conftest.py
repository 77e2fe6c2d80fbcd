"""Storage fixtures over both backends: SQLite always, PostgreSQL when SUBSIDY_TEST_POSTGRES_URL
is set (each test in a schema of its own, dropped afterwards). With SUBSIDY_REQUIRE_POSTGRES=1
(as .ci/run sets) an unreachable PostgreSQL fails the tests instead of skipping them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from engine.cli import main
from engine.store.db import make_engine, make_sessionmaker
from engine.store.migrate import upgrade
from tests.synthetic import synthetic_profile, write_applicants

POSTGRES_URL = os.environ.get("SUBSIDY_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("SUBSIDY_REQUIRE_POSTGRES", "") not in ("", "0")


def _postgres_unavailable(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"SUBSIDY_REQUIRE_POSTGRES is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _postgres_admin() -> Iterator[Engine | None]:
    if not POSTGRES_URL:
        yield None
        return
    admin = create_engine(POSTGRES_URL, poolclass=NullPool)
    yield admin
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           _postgres_admin: Engine | None) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'subsidy.db'}"
        return
    if _postgres_admin is None:
        _postgres_unavailable("PostgreSQL tests need SUBSIDY_TEST_POSTGRES_URL, e.g. "
                              "postgresql+psycopg://postgres@127.0.0.1:5432/subsidy_test "
                              "(.ci/run sets it)")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    try:
        with _postgres_admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        _postgres_unavailable(f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc.orig}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with _postgres_admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def empty_db(db_url: str) -> Iterator[Engine]:
    db = make_engine(db_url)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Engine) -> Engine:
    """A database migrated to head."""
    upgrade(empty_db)
    return empty_db


@pytest.fixture
def sessions(db: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(db)


@pytest.fixture
def cli(db: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `subsidy ARGS...` against the test database; fails the test on a traceback."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Result:
        result = runner.invoke(main, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, result.output
        return result

    return run


@pytest.fixture
def applicants(tmp_path: Path) -> Callable[..., Path]:
    """Write a synthetic applicant list: applicants(n, name="a.csv", **overrides per index)."""

    def write(n: int, name: str = "applicants.csv", encoding: str = "utf-8-sig",
              changes: dict[int, dict[str, Any]] | None = None) -> Path:
        profiles = [{**synthetic_profile(i), **(changes or {}).get(i, {})} for i in range(n)]
        path = tmp_path / name
        write_applicants(path, profiles, encoding)
        return path

    return write
