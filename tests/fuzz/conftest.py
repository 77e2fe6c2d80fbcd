"""The standing fuzz suite: bounded (a fixed number of examples), seeded (derandomised), so that
`make test` runs the same inputs every time and stays well under a minute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from web import create_app
from web.db import dispose

COUNTS: dict[str, list[int]] = {}  # test -> [requests, 500s], printed at the end


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for all examples of a module (the database is created once); CSRF off, since the
    fuzzer is after the handlers behind it. An empty, migrated database."""
    from engine.store.db import make_engine
    from engine.store.migrate import upgrade

    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    db = make_engine(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    app = create_app({"TESTING": True, "I18N_STRICT": True, "WTF_CSRF_ENABLED": False,
                      "SCREEN_WORKERS": 0, "DATABASE_URL": f"sqlite:///{path}"})
    yield app
    dispose(app)


def count(name: str, status: int) -> None:
    tally = COUNTS.setdefault(name, [0, 0])
    tally[0] += 1
    tally[1] += status >= 500


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for name, (requests, errors) in sorted(COUNTS.items()):
        terminalreporter.write_line(f"fuzz {name}: {requests} requests, {errors} answered 5xx")
