"""Schemathesis against /api/v1/openapi.json: requests generated from the document itself (valid
and not), none may answer 5xx (issue 11, finding 9)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from engine.store import create_token, create_user, make_engine, make_sessionmaker, upgrade
from web import create_app

from .conftest import count


def _app_and_token() -> tuple[Any, str]:
    """The app on a migrated database with an official and a token, so that the runs endpoints
    are exercised past authentication too (no profiles are stored: no screening starts)."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-api-"))
    atexit.register(shutil.rmtree, folder, True)
    url = f"sqlite:///{folder / 'api.db'}"
    db = make_engine(url)
    upgrade(db)
    with make_sessionmaker(db)() as session:
        user = create_user(session, "api-fuzzer", "api-fuzzer-password", "official")
        token = create_token(session, user, "fuzz")
        session.commit()
    db.dispose()
    return create_app({"TESTING": True, "DATABASE_URL": url, "SCREEN_WORKERS": 0}), token


APP, TOKEN = _app_and_token()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    count("api (schemathesis)", response.status_code)
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
