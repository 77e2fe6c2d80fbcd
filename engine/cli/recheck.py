"""`subsidy recheck [--company CODE]`: after a rules deploy, re-check every firm account's saved
profile versions against the rules in force and print what changed for each, with the reason;
a company that cannot be checked is reported and the others go on (exit status 1 then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from engine.decide.engine import Engine
from engine.errors import RuleError
from engine.explain import labels
from engine.export.draft_report import wan_text
from engine.rules.loader import load_catalog
from engine.store.models import Company, ProfileChange, ProfileVersion
from engine.store.rechecks import RecheckReport, recheck_accounts

from .common import fail
from .storage import open_sessions

KIND = {"new": "新增 new", "lost": "失去 lost", "amount": "金额变化 amount"}


def _status(name: str | None) -> str:
    return labels.status(name, "zh") if name else "—（规则中没有 not in the rules）"


def _reason(reason: dict[str, Any]) -> str:
    kind = reason["kind"]
    if kind == "criterion":
        return (f"{reason['id']} {(reason.get('text') or {}).get('zh', '')}: "
                f"{_status(reason['before'])} → {_status(reason['after'])}")
    if kind == "new_version":
        return f"规则新版本 new version {reason['before']} → {reason['after']}"
    if kind == "amount":
        return f"金额计算 amount {_steps(reason['before'])} → {_steps(reason['after'])}"
    return {"item_added": "规则新增该项目 item added to the rules",
            "item_removed": "规则删除该项目 item removed from the rules"}.get(
        kind, "原规则文件未存，无法比较 the earlier rules are not stored")


def _steps(steps: list[dict[str, str]]) -> str:
    return "；".join(s["zh"] for s in steps) or "—"


def _change(c: ProfileChange) -> list[str]:
    head = (f"    {KIND[c.kind]} {c.item_id} 「{c.title.get('zh', c.item_id)}」 "
            f"{_status(c.status_before)} → {_status(c.status_after)}; "
            f"{wan_text(c.amount_before) or '—'} → {wan_text(c.amount_after) or '—'} 万元")
    return [head] + [f"      因为 because {_reason(r)}" for r in c.reasons]


def _print(report: RecheckReport, versions: dict[int, tuple[int, int]]) -> None:
    for code, results in report.results:
        found = sum(len(r.changes) for r in results)
        click.echo(f"{code}: 核对 {len(results)} 个版本 versions checked, {found} 项变化 changes")
        for result in results:
            year, number = versions.get(result.profile_id, (0, 0))
            if result.baseline:
                click.echo(f"  {year} v{number}: 首次核对，记录基线 first check, baseline recorded")
            elif result.changes:
                click.echo(f"  {year} v{number} (规则版本 rules {result.changes[0].catalog_before} → "
                           f"{result.changes[0].catalog_after}, 评估日期 as of {result.changes[0].as_of})")
                for change in result.changes:
                    for line in _change(change):
                        click.echo(line)
    for code, reason in report.failures:
        click.echo(f"{code}: 无法核对 could not be checked: {reason}")
    click.echo(f"共 {report.companies} 家企业 companies, {report.checked} 个版本 versions, "
               f"{report.changes} 项变化 changes, {len(report.failures)} 家失败 failed")


@click.command("recheck")
@click.option("--company", "company", default=None, help="only this credit code")
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def recheck(company: str | None, rules_dir: Path | None) -> None:
    """Re-check the firm accounts' saved profile versions against the rules in force."""
    try:
        engine = Engine(load_catalog(rules_dir))
    except RuleError as exc:
        fail(exc.message)
    sessions = open_sessions()
    if company:
        with sessions() as session:
            if session.get(Company, company) is None:
                fail(f"未知企业 unknown company: {company}")
    report = recheck_accounts(sessions, engine, [company] if company else None)
    with sessions() as session:
        ids = [r.profile_id for _, results in report.results for r in results]
        versions = {i: (y, v) for i, y, v in session.execute(
            select(ProfileVersion.id, ProfileVersion.fiscal_year, ProfileVersion.version)
            .where(ProfileVersion.id.in_(ids)))}
    _print(report, versions)
    if report.failures:
        raise SystemExit(1)
