"""`subsidy runs list|diff|budget|load-spark`: what screening runs found, how two runs differ, and what the
eligible applicants would cost against each budget line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from engine.decide.engine import Engine
from engine.errors import SubsidyError
from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.facts.money import yuan
from engine.rules.loader import load_catalog
from engine.store.reviews import add_review
from engine.store.runs import get_run, list_runs, run_budget, run_changes
from engine.store.signoffs import sign_off
from engine.store.spark_load import load_spark_run

from .common import fail
from .storage import current_user, open_sessions, transaction


def run_summary(run: Any) -> str:
    counts = ", ".join(f"{labels.status(s)} {s} {n}" for s, n in sorted(run.counts.items()))
    return (f"run {run.id}: {run.status}, {run.rows_done}/{run.rows_total} rows, as of "
            f"{run.as_of.isoformat()}, rules {run.catalog_hash}; {counts or 'no decisions'}"
            + (f"; 无法评估 could not be assessed {run.errors} (see `subsidy export`)"
               if run.errors else ""))


@click.group()
def runs() -> None:
    """Screening runs: list them, compare two, see their budget impact."""


@runs.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
def runs_list(limit: int) -> None:
    """The latest runs, newest first."""
    with open_sessions()() as session:
        for run in list_runs(session, limit):
            click.echo(f"{run_summary(run)}; by {run.started_by} at "
                       f"{beijing_text(run.started_at, 'en')} ({run.selection})")


def _status(decision: dict[str, Any] | None) -> str:
    return "—" if decision is None else f"{labels.status(decision['status'])}({decision['status']})"


def _facts(facts: list[dict[str, Any]]) -> str:
    return ", ".join(f"{f['name']}={f['value']}" for f in facts) or "—"


def _describe(change: Any) -> list[str]:
    code, year, item = change.key
    head = f"{code} {year} {item}: {_status(change.before)} → {_status(change.after)}"
    if change.kind == "amount":
        head += f"; 金额 amount {change.before.get('amount')} → {change.after.get('amount')}"
    lines = [head]
    for c in change.criteria:
        text = (c.text or {}).get("zh", "")
        lines.append(f"    {c.id} {text}: {c.before or '—'} → {c.after or '—'} "
                     f"({_facts(c.facts_before)} → {_facts(c.facts_after)})")
    return lines


@runs.command("diff")
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
def runs_diff(run_a: int, run_b: int) -> None:
    """Applicants whose decision changed from RUN_A to RUN_B, and the criteria that changed."""
    changed = 0
    try:
        for change in run_changes(open_sessions(), run_a, run_b):
            changed += 1
            click.echo("\n".join(_describe(change)))
    except SubsidyError as exc:
        fail(exc.message)
    click.echo(f"{changed} 项决定有变化 decisions changed between run {run_a} and run {run_b}")


def _money(value: Decimal | None) -> str:
    return "—" if value is None else yuan(value, "zh")


@runs.command("budget")
@click.argument("run_id", type=int)
def runs_budget(run_id: int) -> None:
    """Eligible applicants and estimated payout per item and per budget line (computed amounts
    only; ceilings and may-apply items counted apart), and the excess where a line is
    oversubscribed (用完即止: first come, first served)."""
    with open_sessions()() as session:
        try:
            run = get_run(session, run_id)
        except SubsidyError as exc:
            fail(exc.message)
        impact = run_budget(session, run_id)
    click.echo(f"run {run_id}, as of {run.as_of.isoformat()}, rules {run.catalog_hash}")
    for item in impact.items.values():
        click.echo(f"  {item.item_id} {(item.title or {}).get('zh', '')}: 符合 eligible {item.eligible}, "
                   f"合计 total {_money(item.total)}"
                   + (f"（另{item.at_ceiling}项仅知上限，不计入 at ceiling, not summed）"
                      if item.at_ceiling else "")
                   + (f", 可申报（条件未全部公开，不计入）may apply {item.may_apply}"
                      if item.may_apply else "")
                   + (f", 无金额 unpriced {item.unpriced}" if item.unpriced else "")
                   + (f", 同组不可兼得 not receivable {item.not_receivable}" if item.not_receivable else "")
                   + f", 待定 undetermined {item.undetermined}; 预算 budget line {_money(item.budget_yuan)}")
    click.echo("预算科目 budget lines:")
    for line in impact.lines:
        factor = (f"超出 {_money(line.excess)}，受年度总额控制、用完即止 oversubscribed, first come "
                  "first served") if line.oversubscribed \
            else "未超额 within budget" if line.budget_yuan is not None else "无预算数 no budget given"
        click.echo(f"  {line.program} {line.line or '—'} {(line.title or {}).get('zh', '')}: "
                   f"{', '.join(line.items)}; 符合 {line.eligible}, 合计 {_money(line.total)} / "
                   f"预算 {_money(line.budget_yuan)}"
                   + (f"（{line.budget_year}年预算"
                      + (f"，非本轮 {run.as_of.year} 年预算 not the round's own" if
                         line.budget_year != run.as_of.year else "") + "）"
                      if line.budget_year else "")
                   + (f", 仅知上限 {line.at_ceiling}" if line.at_ceiling else "")
                   + (f", 可申报 {line.may_apply}" if line.may_apply else "") + f": {factor}")


@runs.command("load-spark")
@click.argument("output", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--input", "source", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The applicant list the Spark run screened (CSV or XLSX).")
@click.option("--by", default=None, help="Who loads it (default: your login).")
def runs_load_spark(output: Path, source: Path, by: str | None) -> None:
    """Load a `subsidy spark-screen` output as a run of the console (review, export, sign off)."""
    with open_sessions()() as session:
        try:
            run, report = load_spark_run(session, Engine(load_catalog()), source, output,
                                         by or current_user())
        except SubsidyError as exc:
            fail(exc.message)
        session.commit()
        click.echo(f"{source.name}: {report.rows} rows, {report.added} added, "
                   f"{report.bad_rows} rejected")
        click.echo(run_summary(run))


@runs.command("review")
@click.argument("run_id", type=int)
@click.argument("profile_id", type=int)
@click.argument("item_id")
@click.option("--action", type=click.Choice(["comment", "override", "request_materials"]),
              required=True)
@click.option("--text", required=True, help="The comment, the override's reason, or the "
              "materials requested.")
@click.option("--status", "override_status", default=None, help="override: the outcome set.")
@click.option("--amount", "override_amount", default=None, help="override to eligible: yuan.")
@click.option("--by", default=None, help="Who reviews (default: your login).")
def runs_review(run_id: int, profile_id: int, item_id: str, action: str, text: str,
                override_status: str | None, override_amount: str | None, by: str | None) -> None:
    """Comment on, override (with a reason) or ask for materials on one decision; audited. The
    engine's decision stays as it was; exports show both."""
    with transaction(open_sessions()) as session:
        try:
            add_review(session, run_id, profile_id, item_id, action, text, by or current_user(),
                       override_status=override_status, override_amount=override_amount)
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"run {run_id}, profile {profile_id}, {item_id}: {action} recorded")


@runs.command("sign-off")
@click.argument("run_id", type=int)
@click.option("--comment", default=None, help="The sign-off's comment (kept and audited).")
@click.option("--by", default=None, help="Who signs (default: your login).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def runs_sign_off(run_id: int, comment: str | None, by: str | None, yes: bool) -> None:
    """Sign off a complete run, after which it is read-only."""
    if not yes:
        click.confirm(f"签批后批次{run_id}不可再更改 run {run_id} becomes read-only. Sign off?",
                      abort=True)
    with transaction(open_sessions()) as session:
        try:
            row = sign_off(session, get_run(session, run_id), by or current_user(), comment)
        except SubsidyError as exc:
            fail(exc.message)
        click.echo(f"run {run_id} signed off by {row.signed_by} at {beijing_text(row.signed_at)}")
