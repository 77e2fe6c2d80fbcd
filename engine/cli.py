"""The `subsidy` command line: a thin shell over the engine's public API."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from .cli_common import fail, iso_date, read_profile
from .commands_export import export, export_profiles, letter
from .commands_runs import runs
from .commands_screen import screen
from .commands_seed import seed
from .commands_store import db, import_command, import_template
from .errors import RuleError, SubsidyError


@click.group()
def main() -> None:
    """Subsidy eligibility: which support items a firm qualifies for, how much, and why."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of a company profile."""
    from .profile import Profile

    click.echo(json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("profile_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", callback=iso_date, help="Assessment date YYYY-MM-DD (default: today).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--item", "items", multiple=True, help="Only these item ids (repeatable).")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def assess(profile_file: Path, as_of: dt.date | None, lang: str, fmt: str,
           items: tuple[str, ...], rules_dir: Path | None) -> None:
    """Assess one company profile (a JSON file) against every support item."""
    from .decision import assessment_to_dict
    from .evaluate import Engine
    from .explain import assessment_text
    from .loader import load_catalog

    profile = read_profile(profile_file)
    try:
        engine = Engine(load_catalog(rules_dir))
        result = engine.assess(profile, as_of, list(items) or None)
    except SubsidyError as exc:
        fail(exc.message)
    if fmt == "json":
        click.echo(json.dumps(assessment_to_dict(result), ensure_ascii=False, indent=2))
    else:
        click.echo(assessment_text(result, lang, engine.catalog))


@main.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def demo(lang: str) -> None:
    """Assess the demo profiles in seeds/ and print what each firm can apply for."""
    from . import labels
    from .evaluate import Engine
    from .explain import amount_text
    from .seeds import demo_profiles

    engine = Engine()
    for profile, day in demo_profiles():
        result = engine.assess(profile, day)
        click.echo(f"\n{profile.name}  ({profile.credit_code or '—'})  "
                   f"{'评估日期' if lang == 'zh' else 'as of'} {day.isoformat()}")
        for d in result.decisions:
            if d.status in ("eligible", "undetermined"):
                money = amount_text(d, lang) or ""
                click.echo(f"  {labels.status(d.status, lang):<12} {d.title.get(lang)}  {money}")
    click.echo(f"\nrules version {engine.rules_version}; "
               "details: subsidy assess seeds/profiles/<file>.json --as-of <date>")


@main.group()
def rules() -> None:
    """Check and browse the rule catalog."""


@rules.command("check")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def rules_check(rules_dir: Path | None) -> None:
    """Load, validate and compile the rules, run every example and check criterion coverage."""
    from .evaluate import Engine
    from .examples import run_all_examples
    from .loader import load_catalog

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
    from .loader import load_catalog

    try:
        return load_catalog()
    except RuleError as exc:
        fail(f"rule error: {exc.message}")


@rules.command("list")
@click.option("--program", default=None, help="Only this program id (e.g. futian.st).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def rules_list(program: str | None, lang: str) -> None:
    """List every item version: status, validity, budget line and source."""
    from .catalog_view import catalog_list

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
    from .catalog_view import catalog_show
    from .loader import suggest

    catalog = _catalog()
    if item_id not in catalog.versions:
        fail(f"unknown item `{item_id}`" + suggest(item_id, set(catalog.versions)))
    click.echo("\n".join(catalog_show(catalog, item_id, lang, as_of)))


for command in (letter, export, export_profiles, db, import_command, import_template, screen, runs,
                seed):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
