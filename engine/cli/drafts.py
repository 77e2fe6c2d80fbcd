"""`subsidy draft-impact DRAFT`: what a policy draft would change before it is published: who
flips, because of which criterion, and the budget effect per item. The draft is never stored."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import click

from engine.errors import RuleError, SubsidyError
from engine.explain import labels
from engine.export.draft_report import DraftImpact, wan_text, write_draft_csv, write_draft_json
from engine.rules.loader import load_catalog
from engine.store import audit
from engine.store.draft_jobs import run_draft_job
from engine.store.drafts import draft_impact, load_draft

from .common import fail, iso_date, item_list
from .storage import current_user, open_sessions, transaction


def _text(report: DraftImpact, lang: str) -> str:
    lines = [f"现行规则 rules in force {report.current_version} → 草案 draft {report.draft_version}; "
             f"评估日期 as of {report.as_of.isoformat()}; {report.selection}: {report.applicants} 家 firms",
             f"{len(report.flips)} 项决定有变化 decisions change; 预计支出变化 payout change "
             f"{wan_text(report.budget_delta)} 万元"]
    for item in report.items:
        lines.append(f"  {item.item_id} {(item.title or {}).get(lang, '')}: 符合 eligible "
                     f"{item.eligible_before} → {item.eligible_after}, 预计 payout "
                     f"{wan_text(item.total_before)} → {wan_text(item.total_after)} 万元 "
                     f"({wan_text(item.delta)})")
    for flip in report.flips:
        lines.append(f"{flip.credit_code} {flip.name or ''} {flip.item_id}: "
                     f"{labels.status(flip.before, lang)} → {labels.status(flip.after, lang)}"
                     + (f"; 金额 amount {wan_text(flip.amount_before) or '—'} → "
                        f"{wan_text(flip.amount_after) or '—'} 万元" if flip.kind == "amount" else ""))
        for c in flip.criteria:
            lines.append(f"    {c.id} {(c.text or {}).get(lang, '')}: "
                         f"{labels.status(c.before, lang) if c.before else '—'} → "
                         f"{labels.status(c.after, lang) if c.after else '—'}")
    for failure in report.example_failures:
        lines.append(f"草案示例不符 draft example fails: {failure}")
    for code, reason in report.errors:
        lines.append(f"无法评估 could not decide {code}: {reason}")
    return "\n".join(lines)


@click.command("draft-impact")
@click.argument("draft", type=click.Path(exists=True, path_type=Path))
@click.option("--run", "run_id", type=int, default=None,
              help="Only this run's applicants (and its date, unless --as-of is given).")
@click.option("--as-of", callback=iso_date, help="YYYY-MM-DD; without --run: every stored firm.")
@click.option("--district", default=None, help="Only the firms of this district (e.g. futian).")
@click.option("--items", multiple=True, callback=item_list, help="Only these item ids.")
@click.option("--replaces", default=None,
              help="DRAFT is one rule file: the path under rules/ it replaces (default: the one "
                   "rule file of the same name).")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The rules in force (default: the package's rules/).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
@click.option("--by", default=None, help="Who asks (default: your login); audited.")
def draft_impact_command(draft: Path, run_id: int | None, as_of: dt.date | None,
                         district: str | None, items: list[str] | None, replaces: str | None,
                         rules_dir: Path | None,
                         fmt: str, lang: str, out: Path | None, by: str | None) -> None:
    """Run DRAFT (a rules directory, or one changed rule file) beside the rules in force over
    the stored profiles: who flips, why, and the budget effect per item."""
    if run_id is None and as_of is None:
        fail("请指定 --run 或 --as-of give --run RUN or --as-of YYYY-MM-DD")
    try:
        catalog = load_draft(draft, rules_dir, replaces)
        current = load_catalog(rules_dir)
    except RuleError as exc:
        fail(f"草案规则有误 rule error in the draft: {exc.message}")
    except SubsidyError as exc:
        fail(exc.message)
    with transaction(open_sessions()) as session:
        try:
            report = draft_impact(session, catalog, run_id=run_id, as_of=as_of, items=items,
                                  current=current, district=district)
        except SubsidyError as exc:
            fail(exc.message)
        audit.record(session, by or current_user(), "draft_impact", str(draft)[:300],
                     draft_version=report.draft_version, rules_version=report.current_version,
                     as_of=report.as_of.isoformat(), selection=report.selection,
                     flips=len(report.flips), budget_delta=format(report.budget_delta, "f"))
    buffer = io.BytesIO()
    if fmt == "csv":
        write_draft_csv(report, buffer, lang)
    elif fmt == "json":
        write_draft_json(report, buffer)
    else:
        buffer.write((_text(report, lang) + "\n").encode("utf-8"))
    if out is not None:
        out.write_bytes(buffer.getvalue())
        click.echo(f"{out}: {len(report.flips)} 项变化 changes", err=True)
    else:
        click.echo(buffer.getvalue(), nl=False)  # bytes: written as they are (the CSV's BOM too)


@click.command("draft-job", hidden=True)
@click.argument("job_id", type=int)
@click.option("--folder", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the flips are written (the web app's export folder).")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The rules in force (default: the package's rules/).")
def draft_job_command(job_id: int, folder: Path, rules_dir: Path | None) -> None:
    """Run a policy-draft impact the console recorded (the console starts this)."""
    try:
        job = run_draft_job(open_sessions(), job_id, folder, rules_dir)
    except SubsidyError as exc:
        fail(exc.message)
    if job.status != "complete":
        fail(f"draft job {job_id} failed: {job.error}")
    click.echo(f"draft job {job_id}: {job.rows_done} firms, {(job.summary or {}).get('flips')} flips")
