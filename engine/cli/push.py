"""`subsidy push create|show|exclude|restore|publish|export`: 免申即享 lists, from a run (or by
screening every stored firm on a round's date) to the notices firms see in their accounts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.errors import SubsidyError
from engine.export.draft_report import wan_text
from engine.store.push_export import PUSH_FORMATS, export_push_list
from engine.store.push_lists import (
    create_push_list,
    exclude_entry,
    get_push_list,
    publish_push_list,
    push_entries,
    restore_entry,
    screen_for_push_list,
)

from .common import fail, iso_date, item_list
from .storage import current_user, open_sessions, transaction


@click.group()
def push() -> None:
    """免申即享: firms eligible without applying, reviewed, published, told."""


@push.command("create")
@click.option("--run", "run_id", type=int, default=None, help="A complete run to list from.")
@click.option("--as-of", callback=iso_date,
              help="Without --run: screen every stored firm on this date first (a new run).")
@click.option("--district", default=None, help="Only this district's firms (e.g. futian).")
@click.option("--items", multiple=True, callback=item_list, help="Only these item ids.")
@click.option("--confirm-by", callback=iso_date, help="The date firms are asked to confirm by.")
@click.option("--workers", type=int, default=None, help="Screening processes (with --as-of).")
@click.option("--by", default=None, help="Who makes the list (default: your login).")
def push_create(run_id: int | None, as_of: dt.date | None, district: str | None,
                items: list[str] | None, confirm_by: dt.date | None, workers: int | None,
                by: str | None) -> None:
    """Make a draft list: eligible decisions with a computed amount, with their facts."""
    by = by or current_user()
    if (run_id is None) == (as_of is None):
        fail("请指定 --run 或 --as-of 之一 give exactly one of --run RUN and --as-of YYYY-MM-DD")
    sessions = open_sessions()
    try:
        if run_id is not None:
            with transaction(sessions) as session:
                list_id = create_push_list(session, run_id, by, district, items, confirm_by).id
        else:
            list_id = screen_for_push_list(sessions, as_of, by, district=district, items=items,
                                           confirm_by=confirm_by, workers=workers)
    except SubsidyError as exc:
        fail(exc.message)
    _show(list_id)


def _show(list_id: int) -> None:
    with open_sessions()() as session:
        try:
            push_list = get_push_list(session, list_id)
            entries = list(push_entries(session, list_id))
        except SubsidyError as exc:
            fail(exc.message)
        listed = [e for e in entries if not e["excluded"]]
        click.echo(f"push list {list_id} ({push_list.status}), run {push_list.run_id}: "
                   f"{len({e['credit_code'] for e in listed})} 家企业 firms, {len(listed)} 项 entries "
                   f"listed, {len(entries) - len(listed)} excluded")
        for e in entries:
            mark = f"已移出 excluded: {e['exclude_reason']}" if e["excluded"] else "列入 listed"
            click.echo(f"  [{e['id']}] {e['credit_code']} {e['name'] or ''} {e['item_id']} "
                       f"{wan_text(e['amount'])}万元 — {mark}")


@push.command("show")
@click.argument("list_id", type=int)
def push_show(list_id: int) -> None:
    """The list's entries, listed and excluded."""
    _show(list_id)


@push.command("exclude")
@click.argument("list_id", type=int)
@click.argument("entry_id", type=int)
@click.option("--reason", required=True, help="Why the entry comes off the list (audited).")
@click.option("--by", default=None)
def push_exclude(list_id: int, entry_id: int, reason: str, by: str | None) -> None:
    """Take an entry off a draft list, with the reason."""
    with transaction(open_sessions()) as session:
        try:
            exclude_entry(session, list_id, entry_id, by or current_user(), reason)
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"entry {entry_id} excluded from push list {list_id}")


@push.command("restore")
@click.argument("list_id", type=int)
@click.argument("entry_id", type=int)
@click.option("--by", default=None)
def push_restore(list_id: int, entry_id: int, by: str | None) -> None:
    """Put an excluded entry back on a draft list."""
    with transaction(open_sessions()) as session:
        try:
            restore_entry(session, list_id, entry_id, by or current_user())
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"entry {entry_id} restored to push list {list_id}")


@push.command("publish")
@click.argument("list_id", type=int)
@click.option("--by", default=None)
def push_publish(list_id: int, by: str | None) -> None:
    """Publish the reviewed list: each listed firm gets a notice in its account."""
    with transaction(open_sessions()) as session:
        try:
            firms = publish_push_list(session, list_id, by or current_user())
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"push list {list_id} published: {firms} 家企业已通知 firms notified")


@push.command("export")
@click.argument("list_id", type=int)
@click.option("--format", "fmt", type=click.Choice(PUSH_FORMATS), default="xlsx", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--by", default=None)
def push_export(list_id: int, fmt: str, out: Path, lang: str, by: str | None) -> None:
    """Write the list as XLSX or CSV (UTF-8 with BOM)."""
    with transaction(open_sessions()) as session:
        try:
            rows = export_push_list(session, list_id, fmt, out, actor=by or current_user(), lang=lang)
        except SubsidyError as exc:
            fail(exc.message)
    click.echo(f"{out}: {rows} rows")
