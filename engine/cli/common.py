"""Pieces every `subsidy` command shares: failing with a message, dates, profile files."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from engine.errors import ProfileError
from engine.facts.parse import parse_profile
from engine.facts.profile import Profile


def fail(message: str, code: int = 1) -> NoReturn:
    """Print the message on stderr and exit with `code` (the CLI's one way of refusing)."""
    click.echo(message, err=True)
    sys.exit(code)


def iso_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """click callback: a YYYY-MM-DD option as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def item_list(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> list[str] | None:
    """click callback: item ids, comma-separated or the option repeated (None: every item)."""
    items = [part.strip() for v in value for part in v.split(",") if part.strip()]
    return items or None


def read_profile(path: Path) -> Profile:
    """A profile JSON file (BOM tolerated); a bad file fails naming the file and the fields."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except json.JSONDecodeError as exc:
        fail(f"{path}: not valid JSON: {exc}")
    try:
        return parse_profile(raw, source=str(path))
    except ProfileError as exc:
        fail(f"{path}: {exc.message}")
