"""The database commands and the screening progress bar, as a person sees them."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, inspect

from engine.cli import main
from engine.cli.screen import ProgressBar


def test_db_upgrade_and_downgrade_from_the_command_line(empty_db: Engine, db_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()

    refused = runner.invoke(main, ["runs", "list"])
    assert refused.exit_code == 1 and "subsidy db upgrade" in refused.output

    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert "decisions" in inspect(empty_db).get_table_names()
    assert runner.invoke(main, ["runs", "list"]).exit_code == 0

    assert runner.invoke(main, ["db", "downgrade", "base"]).exit_code == 0
    assert "decisions" not in inspect(empty_db).get_table_names()


class Terminal(io.StringIO):
    """click draws its bar only on a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_shows_rows_done_rate_and_eta() -> None:
    screen = Terminal()
    bar = ProgressBar(200, 20, file=screen)  # a resumed run: 20 rows were already done
    bar(120, 200)
    bar.close()

    shown = screen.getvalue()
    assert "120/200" in shown
    assert re.search(r"\d+ rows/s, ETA \d\d:\d\d", shown)
