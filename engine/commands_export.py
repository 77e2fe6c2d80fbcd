"""`subsidy letter` and `subsidy export`: the export formats from the command line.

A thin shell over engine.export, like the rest of the CLI: read profiles, assess, write the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import click

from .cli_common import fail, iso_date, read_profile
from .decision import Assessment
from .errors import SubsidyError

FORMATS = ("csv", "xlsx", "jsonl")


def _assessments(files: tuple[Path, ...], as_of: dt.date | None,
                 rules_dir: Path | None) -> Iterator[Assessment]:
    """Assess each profile file in turn; a bad file stops with its name and the reason."""
    from .evaluate import Engine
    from .loader import load_catalog

    try:
        engine = Engine(load_catalog(rules_dir))
    except SubsidyError as exc:
        fail(exc.message)
    for path in files:
        profile = read_profile(path)
        try:
            yield engine.assess(profile, as_of)
        except SubsidyError as exc:
            fail(exc.message)


_as_of = click.option("--as-of", callback=iso_date, help="Assessment date YYYY-MM-DD (default: today).")
_lang = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
_rules_dir = click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
_out = click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                    help="File to write.")


@click.command("letter")
@click.argument("profile_file", type=click.Path(dir_okay=False, path_type=Path))
@_as_of
@_lang
@_rules_dir
@_out
def letter(profile_file: Path, as_of: dt.date | None, lang: str, rules_dir: Path | None,
           out: Path) -> None:
    """Write the PDF decision letter for one company profile (a JSON file)."""
    from .export import ExportMeta, records_from_assessment
    from .export.letter import write_letter

    assessment = next(_assessments((profile_file,), as_of, rules_dir))
    try:
        write_letter(records_from_assessment(assessment), ExportMeta.from_assessment(assessment, lang),
                     out)
    except SubsidyError as exc:
        fail(exc.message)
    click.echo(f"{out}: {len(assessment.decisions)} decisions, rules version {assessment.rules_version}")


@click.command("export")
@click.argument("profile_files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@_as_of
@_lang
@_rules_dir
@_out
def export(profile_files: tuple[Path, ...], fmt: str, as_of: dt.date | None, lang: str,
           rules_dir: Path | None, out: Path) -> None:
    """Assess company profiles (JSON files) and export every decision as CSV, XLSX or JSON lines."""
    from .export import ExportMeta, records_from_assessment, write_csv, write_jsonl
    from .export.xlsx_export import write_xlsx

    day = as_of or dt.date.today()
    assessments = _assessments(profile_files, day, rules_dir)
    first = next(assessments)
    meta = ExportMeta.from_assessment(first, lang)
    records = (r for a in itertools.chain([first], assessments) for r in records_from_assessment(a))
    if fmt == "xlsx":
        count = write_xlsx(records, meta, str(out))
    else:
        writer = write_csv if fmt == "csv" else write_jsonl
        with out.open("wb") as stream:
            count = writer(records, meta, stream)
    click.echo(f"{out}: {count} decisions of {len(profile_files)} companies, "
               f"rules version {meta.rules_version}, as of {meta.as_of.isoformat()}")
