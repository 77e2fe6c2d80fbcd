"""`subsidy screen`: screen an applicant list, every stored company, or finish a run."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from pathlib import Path
from typing import Any

import click

from engine.errors import SubsidyError
from engine.rules.loader import load_catalog
from engine.store.importing import import_file
from engine.store.runs import get_run
from engine.store.screening import process_run, request_stop, select_all, start_run, stop_requested

from .common import fail, iso_date, item_list
from .export import RUN_FORMATS, write_run_export
from .runs import run_summary
from .storage import current_user, open_sessions, print_report, transaction


def _stop_gracefully(_signum: int, _frame: Any) -> None:
    """`kill` or a first Ctrl-C: finish the batch being written, then stop (the run stays
    incomplete). Raising inside a database write instead can leave the connection unusable
    (psycopg's pipeline mode) before the run is marked. A second Ctrl-C stops at once."""
    if stop_requested():
        raise KeyboardInterrupt
    request_stop()


class ProgressBar:
    """Rows done, rows per second and ETA on stderr, fed by process_run after each batch."""

    def __init__(self, total: int, done: int, file: Any = None) -> None:
        self.start, self.first, self.rate, self.total = time.monotonic(), done, 0.0, total
        # Our own ETA from the overall rate: click's follows the last few batches and jumps.
        self.bar = click.progressbar(length=total, label="筛查 screening", file=file or sys.stderr,
                                     show_eta=False, show_pos=True, item_show_func=self._rate)
        self.bar.__enter__()
        self.bar.update(done)

    def _rate(self, done: int | None) -> str:
        if not self.rate or done is None:
            return ""
        left = int((self.total - done) / self.rate)
        return f"{self.rate:.0f} rows/s, ETA {left // 60:02d}:{left % 60:02d}"

    def __call__(self, done: int, _total: int) -> None:
        elapsed = time.monotonic() - self.start
        self.rate = (done - self.first) / elapsed if elapsed > 0 else 0.0
        self.bar.update(done - self.bar.pos, current_item=done)

    def close(self) -> None:
        self.bar.__exit__(None, None, None)


def _new_run(sessions: Any, file: Path | None, everything: bool, as_of: dt.date,
             items: list[str] | None, by: str, rules_dir: Path | None) -> int:
    catalog = load_catalog(rules_dir)
    with transaction(sessions) as session:
        if file is not None:
            report = import_file(session, file, by)
            print_report(report)
            ids, selection = report.profile_ids, f"file:{file.name}"
        else:
            ids, selection = select_all(session, as_of), "all"
        if not ids:
            fail("没有可筛查的企业 nothing to screen")
        run = start_run(session, catalog, ids, as_of, items, by, selection)
    return run.id


def _write_out(sessions: Any, run_id: int, out: Path) -> None:
    """Export the finished run to `out`, the format chosen by the file's suffix."""
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in RUN_FORMATS:
        fail(f"no exporter for {out.suffix} files; use one of: {', '.join(RUN_FORMATS)}")
    with sessions() as session:
        count = write_run_export(session, run_id, fmt, out, by=current_user())
        session.commit()
    click.echo(f"{count} rows written to {out}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--all", "everything", is_flag=True, help="Screen every company's latest profile.")
@click.option("--resume", "resume", type=int, help="Finish an interrupted run.")
@click.option("--as-of", callback=iso_date, help="Assessment date YYYY-MM-DD (default: today).")
@click.option("--items", "items", multiple=True, callback=item_list,
              help="Only these item ids (comma-separated or repeated).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Export the results.")
@click.option("--by", default=None, help="Who runs the screening (default: your login).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: one per CPU; 0: in this process).")
@click.option("--batch-size", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--rules-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--max-batches", type=click.IntRange(min=1), default=None, hidden=True,
              help="Stop after N batches, leaving the run incomplete (tests interruption).")
def screen(file: Path | None, everything: bool, resume: int | None, as_of: dt.date | None,
           items: list[str] | None, out: Path | None, by: str | None, workers: int | None,
           batch_size: int, rules_dir: Path | None, max_batches: int | None) -> None:
    """Screen an applicant list (FILE), every stored company (--all), or finish a run (--resume)."""
    if sum((file is not None, everything, resume is not None)) != 1:
        fail("give exactly one of FILE, --all or --resume RUN_ID")
    sessions = open_sessions()
    run_id = resume
    try:
        run_id = resume if resume is not None else _new_run(
            sessions, file, everything, as_of or dt.date.today(), items, by or current_user(),
            rules_dir)
        with sessions() as session:
            run = get_run(session, run_id)
            bar = ProgressBar(run.rows_total, run.rows_done)
        signal.signal(signal.SIGTERM, _stop_gracefully)
        signal.signal(signal.SIGINT, _stop_gracefully)
        try:
            run = process_run(sessions, run_id, workers=workers, batch_size=batch_size,
                              rules_dir=rules_dir, progress=bar, max_batches=max_batches)
        finally:
            bar.close()
        if stop_requested():
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        if run_id is None:
            fail("\n已中断 interrupted before the run started; nothing was stored", 130)
        fail(f"\n已中断 interrupted: run {run_id} is incomplete; finish it with "
             f"`subsidy screen --resume {run_id}`", 130)
    except SubsidyError as exc:
        fail(exc.message)
    click.echo(run_summary(run))
    if run.status != "complete":
        click.echo(f"未完成 incomplete: finish it with `subsidy screen --resume {run.id}`")
    elif out is not None:
        _write_out(sessions, run.id, out)
