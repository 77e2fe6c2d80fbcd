"""The `subsidy` command line: a thin shell over the engine's public API."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from engine.cli.common import fail, iso_date
from engine.decide.engine import Engine
from engine.decide.examples import run_all_examples
from engine.errors import RuleError, suggest
from engine.explain.catalog_view import catalog_list, catalog_show
from engine.rules.loader import load_catalog


@click.group()
def rules() -> None:
    """Check and browse the rule catalog."""


@rules.command("check")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def rules_check(rules_dir: Path | None) -> None:
    """Load, validate and compile the rules, run every example and check criterion coverage."""
    try:
        engine = Engine(load_catalog(rules_dir))
    except RuleError as exc:
        fail(f"rule error: {exc.message}")
    results, coverage = run_all_examples(engine)
    failures = [r for r in results if not r.ok]
    for failure in failures:
        click.echo(f"FAIL {failure.describe()}", err=True)
    gaps = coverage.gaps()
    for item, leaf, statuses in gaps:
        file = engine.catalog.file_of[item]
        click.echo(f"COVERAGE {file}: {item}: criterion {leaf} is never {'/'.join(statuses)} "
                   "in any example", err=True)
    items = sum(len(v) for v in engine.catalog.versions.values())
    click.echo(f"rules version {engine.rules_version}: {items} item versions, "
               f"{len(engine.compiled.tests)} tests in {len(engine.compiled.rulesets)} rulesets, "
               f"{len(results)} examples ({len(failures)} failed), "
               f"{len(coverage.seen)} criteria ({len(gaps)} not fully covered)")
    if failures or gaps:
        sys.exit(1)


def _catalog():  # type: ignore[no-untyped-def]

    try:
        return load_catalog()
    except RuleError as exc:
        fail(f"rule error: {exc.message}")


@rules.command("list")
@click.option("--program", default=None, help="Only this program id (e.g. futian.st).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def rules_list(program: str | None, lang: str) -> None:
    """List every item version: status, validity, budget line and source."""
    catalog = _catalog()
    if program and program not in catalog.programs:
        fail(f"unknown program `{program}`; known: {', '.join(sorted(catalog.programs))}")
    click.echo("\n".join(catalog_list(catalog, program, lang)))


@rules.command("show")
@click.argument("item_id")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--as-of", callback=iso_date, help="Only the version in force on this date.")
def rules_show(item_id: str, lang: str, as_of: dt.date | None) -> None:
    """Show one item as an official reads it: criteria with citations, amount, stacking."""

    catalog = _catalog()
    if item_id not in catalog.versions:
        fail(f"unknown item `{item_id}`" + suggest(item_id, set(catalog.versions)))
    click.echo("\n".join(catalog_show(catalog, item_id, lang, as_of)))
