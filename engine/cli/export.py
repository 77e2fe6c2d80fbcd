"""`subsidy letter` and `subsidy export`: the export formats from the command line.

A thin shell over engine.export, like the rest of the CLI: read profiles, assess, write the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from engine.decide.decision import Assessment
from engine.decide.engine import Engine
from engine.errors import SubsidyError
from engine.explain.firm_summary import summarize
from engine.export import ExportMeta, records_from_assessment, write_csv, write_jsonl
from engine.export.letter import write_letter
from engine.export.xlsx_export import write_xlsx
from engine.rules.loader import load_catalog
from engine.store.export_jobs import run_export_job
from engine.store.run_export import export_letters, export_table

from .common import fail, iso_date, read_profile
from .storage import current_user, open_sessions

FORMATS = ("csv", "xlsx", "jsonl")


def _assessments(files: tuple[Path, ...], as_of: dt.date | None,
                 rules_dir: Path | None) -> Iterator[Assessment]:
    """Assess each profile file in turn; a bad file stops with its name and the reason."""
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
    """Write the PDF decision letter for one company profile (a JSON file): the letter with the
    paths to eligibility, then the criteria tables."""
    try:
        engine = Engine(load_catalog(rules_dir))
        assessment = engine.assess(read_profile(profile_file), as_of)
        write_letter(records_from_assessment(assessment), ExportMeta.from_assessment(assessment, lang),
                     out, summary=summarize(engine, assessment))
    except SubsidyError as exc:
        fail(exc.message)
    click.echo(f"{out}: {len(assessment.decisions)} decisions, rules version {assessment.rules_version}")


@click.command("export-profiles")
@click.argument("profile_files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@_as_of
@_lang
@_rules_dir
@_out
def export_profiles(profile_files: tuple[Path, ...], fmt: str, as_of: dt.date | None, lang: str,
                    rules_dir: Path | None, out: Path) -> None:
    """Assess company profiles (JSON files) and export every decision as CSV, XLSX or JSON lines."""
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


RUN_FORMATS = ("xlsx", "csv", "jsonl", "outcomes", "outcomes_jsonl", "pdf")


def write_run_export(session: Any, run_id: int, fmt: str, out: Path, *, company: str | None = None,
                     lang: str = "zh", by: str = "cli", workers: int = 1) -> int:
    """Export a stored run to `out` (for PDF without a company: a directory of letters)."""
    if fmt != "pdf":
        return export_table(session, run_id, fmt, out, actor=by, lang=lang, company=company,
                            workers=workers)
    count = export_letters(session, run_id, out, actor=by, lang=lang, company=company)
    if company is not None and count == 0:
        fail("该企业不在此次筛查中 the company is not in this run")
    return count


@click.command("export")
@click.argument("run_id", type=int)
@click.option("--format", "fmt", type=click.Choice(RUN_FORMATS), required=True)
@click.option("--company", default=None, help="Only this unified social credit code.")
@_lang
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="File to write (for PDF without --company: a directory, one letter each).")
@click.option("--workers", type=click.IntRange(min=1), default=1,
              help="Processes for XLSX, CSV and JSON lines of a whole run (the same file).")
def export(run_id: int, fmt: str, company: str | None, lang: str, out: Path,
           workers: int) -> None:
    """Export a screening run: XLSX, CSV (UTF-8 BOM), JSON lines, the outcomes as CSV or JSON
    lines (no explanation text: fast), or PDF decision letters."""
    with open_sessions()() as session:
        try:
            count = write_run_export(session, run_id, fmt, out, company=company, lang=lang,
                                     by=current_user(), workers=workers)
        except SubsidyError as exc:
            fail(exc.message)
        session.commit()
    unit = "letters" if fmt == "pdf" else "decisions"
    click.echo(f"{out}: {count} {unit} of run {run_id}")


@click.command("export-job", hidden=True)
@click.argument("job_id", type=int)
@click.option("--folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the file is written (the web app's export folder).")
def export_job_command(job_id: int, folder: Path) -> None:
    """Write a background export the console recorded (the console starts this)."""
    try:
        job = run_export_job(open_sessions(), job_id, folder)
    except SubsidyError as exc:
        fail(exc.message)
    if job.status != "complete":
        fail(f"export job {job_id} failed: {job.error}")
    click.echo(f"{folder / (job.file or '')}: {job.rows_done} rows of run {job.run_id}")
