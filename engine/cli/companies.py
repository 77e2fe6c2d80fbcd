"""`subsidy companies search|show`: find a firm among many by name or credit code, and see it
across its profile versions and the runs that screened it."""

from __future__ import annotations

import click

from engine.errors import SubsidyError
from engine.explain import labels
from engine.explain.clock import beijing_text
from engine.export.draft_report import wan_text
from engine.store.company import company_history
from engine.store.search import search_companies

from .common import fail
from .storage import open_sessions


@click.group()
def companies() -> None:
    """Stored companies: search, and one company across runs."""


@companies.command("search")
@click.argument("query")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=20, show_default=True)
def companies_search(query: str, page: int, per_page: int) -> None:
    """Companies whose name contains QUERY or whose credit code starts with it."""
    with open_sessions()() as session:
        try:
            found = search_companies(session, query, page, max(1, min(per_page, 200)))
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"{found.total} 家企业 companies ({'信用代码' if found.by == 'code' else '名称'} "
               f"{found.by}); 第{found.page}/{found.pages}页 page {found.page}/{found.pages}")
    for hit in found.hits:
        click.echo(f"  {hit.credit_code} {hit.name or ''} {labels.enum(hit.district or '')}: "
                   f"{hit.profile_versions} 个档案版本 versions (latest year {hit.latest_year}), "
                   f"{hit.runs} 次筛查 runs")


@companies.command("show")
@click.argument("credit_code")
def companies_show(credit_code: str) -> None:
    """One company's profile versions and its decisions in every run (newest first)."""
    with open_sessions()() as session:
        try:
            history = company_history(session, credit_code)
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"{history.credit_code} {history.name or ''} {labels.enum(history.district or '')}")
    for v in history.versions:
        click.echo(f"  {v.fiscal_year} v{v.version} ({v.source}) {v.origin or ''} by {v.entered_by} "
                   f"{beijing_text(v.created_at)}"
                   + (f"; changed: {', '.join(v.changed)}" if v.changed else ""))
    for run in history.runs:
        click.echo(f"run {run.run_id} as of {run.as_of.isoformat()} ({run.status}"
                   f"{', 已签批 signed off' if run.signed_off else ''}): {run.fiscal_year} v{run.version}"
                   + (f"; 无法评估 {run.error}" if run.error else ""))
        for d in run.decisions:
            amount = "" if d.amount is None else (
                f" {wan_text(d.amount)}万元" + ("（上限 ceiling）" if d.amount_is_ceiling else ""))
            review = (f"; 审核 {d.review.state}" + (f" → {d.review.override_status}"
                                                     if d.review.override_status else "")
                      if d.review else "")
            click.echo(f"    {d.item_id} {labels.status(d.status)}{amount}{review}")
