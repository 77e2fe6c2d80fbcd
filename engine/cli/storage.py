"""`subsidy db upgrade`, `subsidy import`, `subsidy import-template`: the database and applicant
lists. Commands open and commit sessions; the functions they call take one."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from engine.errors import SubsidyError
from engine.intake import write_bad_rows, write_template
from engine.store.db import make_engine, make_sessionmaker
from engine.store.importing import import_file
from engine.store.migrate import downgrade, upgrade

from .common import fail

if TYPE_CHECKING:
    from engine.store.importing import ImportReport


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def cli_engine() -> Engine:
    """The DATABASE_URL engine without a pool: a command's connections close with its sessions."""
    return make_engine(poolclass=NullPool)


def open_sessions() -> sessionmaker[Session]:
    """Sessions on DATABASE_URL, refusing a database that has not been migrated."""
    db = cli_engine()
    if not inspect(db).has_table("runs"):
        fail(f"数据库未初始化 the database at {db.url.render_as_string()} has no tables: "
             "run `subsidy db upgrade` first")
    return make_sessionmaker(db)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed if the block finishes, rolled back if anything escapes it."""
    with sessions() as session, session.begin():
        yield session


@click.group()
def db() -> None:
    """The database schema (changed only through migrations)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database DATABASE_URL names (default instance/subsidy.db) to REVISION."""
    engine = cli_engine()
    upgrade(engine, revision)
    click.echo(f"database {engine.url.render_as_string()} is at {revision}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (`base` drops every table)."""
    downgrade(cli_engine(), revision)
    click.echo(f"database is at {revision}")


@click.command("import-template")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def import_template(fmt: str, out: Path) -> None:
    """Write an empty applicant list with the Chinese column headers."""
    write_template(out, fmt)
    click.echo(f"模板已写入 template written to {out}")


def print_report(report: ImportReport) -> None:
    """The row report: one line per problem (row, column, reason), then the counts."""
    for problem in report.problems:
        click.echo(problem.text())
    click.echo(report.summary())


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--entered-by", default=None, help="Who entered the data (default: your login).")
@click.option("--source", type=click.Choice(["self_declared", "verified"]), default="self_declared",
              show_default=True, help="Self-declared by the firms, or verified by an official.")
@click.option("--bad-rows", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the refused rows here (.csv or .xlsx) to correct and import again.")
def import_command(file: Path, entered_by: str | None, source: str, bad_rows: Path | None) -> None:
    """Import an applicant list (CSV or XLSX): bad rows are reported, good rows stored."""
    sessions = open_sessions()
    try:
        with transaction(sessions) as session:
            report = import_file(session, file, entered_by or current_user(), source)
    except SubsidyError as exc:
        fail(f"未导入任何数据 nothing imported: {exc.message}")
    print_report(report)
    if bad_rows is not None and report.problems:
        written = write_bad_rows(file, report.problems, bad_rows)
        click.echo(f"{bad_rows}: {written} 行待更正 rows to correct and import again")
