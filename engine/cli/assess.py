"""The `subsidy` command line: a thin shell over the engine's public API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from engine.cli.common import fail, iso_date, read_profile
from engine.decide.engine import Engine
from engine.errors import SubsidyError
from engine.explain import labels
from engine.explain.decision_json import assessment_to_dict
from engine.explain.text import amount_text, assessment_text
from engine.facts.profile import Profile
from engine.intake.seeds import demo_profiles
from engine.rules.loader import load_catalog


@click.command()
def schema() -> None:
    """Print the JSON Schema of a company profile."""
    click.echo(json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2))


@click.command()
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


@click.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def demo(lang: str) -> None:
    """Assess the demo profiles in seeds/ and print what each firm can apply for."""

    engine = Engine()
    for profile, day in demo_profiles():
        result = engine.assess(profile, day)
        click.echo(f"\n{profile.name}  ({profile.credit_code or '—'})  "
                   f"{'评估日期' if lang == 'zh' else 'as of'} {day.isoformat()}")
        for d in result.decisions:
            if d.status in ("eligible", "may_apply", "undetermined"):
                money = amount_text(d, lang) or ""
                click.echo(f"  {labels.status(d.status, lang):<12} {d.title.get(lang)}  {money}")
    click.echo(f"\nrules version {engine.rules_version}; "
               "details: subsidy assess seeds/profiles/<file>.json --as-of <date>")
