"""CSV, JSON lines and XLSX exports of a large run over several processes: rebuilding
explanations and formatting rows is the cost of an export, and it is the same work for every
applicant, so applicants are handed out in chunks, in the export's order, and what each process
returns is written in that same order. A CSV or JSON lines file is byte for byte the one a single
process writes; an XLSX workbook has the same cells (workers return each item sheet's rows as the
XML XlsxWriter would write, engine.export.xlsx_rows, and the tally of their decisions).

Each worker opens its own database connection and compiles its own engine (durable_rules state
is per process); the parent only reads applicant keys and writes text.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

from sqlalchemy import Engine as Database
from sqlalchemy.orm import Session, sessionmaker

from engine.export import ExportMeta
from engine.export.csv_export import BOM, csv_body, csv_header
from engine.export.jsonl_export import jsonl_lines
from engine.export.records import Counted
from engine.export.xlsx_export import ITEM_KEYS, ItemRows, XlsxBook
from engine.export.xlsx_rows import RowXml

from .results import ResultFilter
from .runs import applicant_keys, iter_run_errors, iter_run_records_of
from .worker import settle_heap

CHUNK = 200  # applicants per task
# An XLSX chunk comes back as rows of XML (about 2 KB each, 59 per applicant): smaller chunks keep
# the chunks in flight (3 per worker) to tens of MB.
XLSX_CHUNK = 100

_SESSIONS: sessionmaker[Session] | None = None
_SETTLED = False  # the worker's long-lived objects are out of the collector's sight


def _init(url: str) -> None:
    import signal

    from .db import make_engine, make_sessionmaker

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _SESSIONS
    _SESSIONS = make_sessionmaker(make_engine(url, pool_size=1))


def _format(args: tuple[int, list[int], str, dict[str, Any], dict[str, Any] | None,
                         dict[str, int | None] | None]) -> tuple[Any, int]:
    """In a worker: these applicants' rows (CSV or JSON lines as UTF-8 bytes, or an XLSX ItemRows)
    and how many rows it holds. Text is encoded here, not in the parent: the parent is one
    process for all the workers, and bytes cross the pipe without being decoded and encoded again."""
    run_id, profile_ids, fmt, meta_args, filters, xf = args
    assert _SESSIONS is not None  # the initializer ran
    meta = ExportMeta(**meta_args)
    f = ResultFilter(**filters) if filters else None
    with _SESSIONS() as session:
        records = Counted(iter_run_records_of(session, run_id, profile_ids, f))
        if fmt == "xlsx":
            assert xf is not None
            chunk = ItemRows(RowXml(ITEM_KEYS, xf, meta))
            for record in records:
                chunk.add(record)
            _settle_once()
            return chunk, chunk.count
        if fmt == "csv":
            data = csv_body(records, meta).encode("utf-8")
        else:
            data = "".join(jsonl_lines(records, meta)).encode("utf-8")
    _settle_once()
    return data, records.count


def _settle_once() -> None:
    """After a worker's first chunk its engine is compiled and its modules loaded: from then
    on the garbage collector leaves them be (worker.settle_heap)."""
    global _SETTLED
    if not _SETTLED:
        settle_heap()
        _SETTLED = True


def _results(session: Session, run_id: int, fmt: str, meta: ExportMeta, workers: int,
             filters: ResultFilter | None, xf: dict[str, int | None] | None = None) -> Iterator[Any]:
    """What the workers make of the run's applicants, chunk by chunk, in the export's order; at
    most 3 chunks per worker in flight, so memory does not grow with the run."""
    bind = session.get_bind()
    assert isinstance(bind, Database)
    url = bind.url.render_as_string(hide_password=False)
    meta_args = {**asdict(meta)}
    filter_args = asdict(filters) if filters is not None else None
    size = XLSX_CHUNK if fmt == "xlsx" else CHUNK
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init, initargs=(url,)) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(applicant_keys(session, run_id, filters), size):
            pending.append(pool.apply_async(_format, ((run_id, chunk, fmt, meta_args,
                                                       filter_args, xf),)))
            if len(pending) >= 3 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def write_parallel(session: Session, run_id: int, fmt: str, meta: ExportMeta, stream: IO[bytes],
                   workers: int, filters: ResultFilter | None, progress: Any = None) -> int:
    """Write the run's CSV (with BOM and header) or JSON lines to a binary stream."""
    if fmt == "csv":
        stream.write((BOM + csv_header(meta)).encode("utf-8"))
    count = 0
    for data, rows in _results(session, run_id, fmt, meta, workers, filters):
        count += _drain(data, rows, stream, progress, count)
    if filters is None:
        errors = list(iter_run_errors(session, run_id))
        if errors:
            text = csv_body(errors, meta) if fmt == "csv" else "".join(jsonl_lines(errors, meta))
            stream.write(text.encode("utf-8"))
            count += len(errors)
    if progress is not None:
        progress(count)
    return count


def write_parallel_xlsx(session: Session, run_id: int, meta: ExportMeta, target: str | IO[bytes],
                        workers: int, filters: ResultFilter | None, progress: Any = None,
                        budget_impact: list[dict[str, Any]] | None = None) -> int:
    """Write the run's workbook (engine.export.write_xlsx's) with `workers` processes making the
    rows; this one only splices them into the sheets and writes the summary."""
    book = XlsxBook(meta, target)
    count = 0
    for chunk, rows in _results(session, run_id, "xlsx", meta, workers, filters, book.xf):
        book.add_rows(chunk)
        count += rows
        if progress is not None:
            progress(count)
    if filters is None:
        count += book.add_records(iter_run_errors(session, run_id))
    book.close(budget_impact)
    if progress is not None:
        progress(count)
    return count


def _drain(data: bytes, rows: int, stream: IO[bytes], progress: Any, before: int) -> int:
    stream.write(data)
    if progress is not None:
        progress(before + rows)
    return rows


def _chunks(keys: Iterator[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for key in keys:
        chunk.append(key)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
