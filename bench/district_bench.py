"""District benchmark: N synthetic applicants imported, screened and exported through the CLI's
own code paths, on SQLite (default) or the database DATABASE_URL names.

Prints bytes stored per applicant for the run, import / screen / export times and rates, the
process's peak memory, and the engine against the plain-Python reference on --ratio-profiles
generated profiles (bench/assess_bench.py's interleaved CPU-time measure; `make bench` runs it
alone at 1,000 and 100,000).

    .venv/bin/python bench/district_bench.py 100000            # SQLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/district_bench.py 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from engine.rules.loader import load_catalog  # noqa: E402
from engine.store import (  # noqa: E402
    ResultFilter,
    export_table,
    import_file,
    make_engine,
    make_sessionmaker,
    process_run,
    result_page,
    run_budget,
    select_all,
    start_run,
    upgrade,
)
from engine.store.models import DecisionRow  # noqa: E402
from tests.synthetic import synthetic_profile, write_applicants  # noqa: E402

AS_OF = dt.date(2020, 6, 1)
RUN_TABLES = ("decisions", "run_items", "run_profiles", "run_errors", "runs")


class Counting(io.RawIOBase):
    """A sink that counts the bytes an export writes (the disk is not what is measured)."""

    def __init__(self) -> None:
        self.bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.bytes += len(data)
        return len(data)


def _run_bytes(db, run_id: int) -> int:  # noqa: ANN001
    """Bytes the run's rows and index entries take (SQLite: dbstat pages; PostgreSQL: relations)."""
    with db.connect() as conn:
        if db.dialect.name == "postgresql":
            return sum(conn.execute(text("SELECT pg_total_relation_size(:t)"), {"t": t}).scalar()
                       for t in RUN_TABLES)
        rows = conn.execute(text(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
            "WHERE tbl_name IN ('decisions','run_items','run_profiles','run_errors','runs')) "
            "GROUP BY name")).all()
        return sum(size for _, size in rows)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int, nargs="?", default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ratio-profiles", type=int, default=10_000,
                        help="profiles for the engine/reference ratios (0: skip)")
    parser.add_argument("--formats", default="csv,jsonl,xlsx",
                        help="exports to time, comma-separated (default: csv,jsonl,xlsx)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="district-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'district.db'}"
    db = make_engine(url)
    upgrade(db)
    sessions = make_sessionmaker(db)
    catalog = load_catalog()
    print(f"N = {args.size:,} applicants, {db.dialect.name}, rules {catalog.version}, "
          f"as of {AS_OF}, {args.workers} workers; load average {os.getloadavg()[0]:.1f}")

    path = folder / "applicants.csv"
    write_applicants(path, [synthetic_profile(i) for i in range(args.size)])
    start = time.perf_counter()
    with sessions() as session:
        report = import_file(session, path, entered_by="bench", source="self_declared")
        session.commit()
    imported = time.perf_counter() - start
    print(f"import  {imported:8.1f} s  {args.size / imported:9,.0f} applicants/s  "
          f"({report.added} added, {report.bad_rows} bad rows)")

    start = time.perf_counter()
    with sessions() as session:
        run = start_run(session, catalog, select_all(session, AS_OF), AS_OF, None, "bench", "all")
        session.commit()
        run_id = run.id
    process_run(sessions, run_id, workers=args.workers, batch_size=200)
    screened = time.perf_counter() - start
    print(f"screen  {screened:8.1f} s  {args.size / screened:9,.0f} applicants/s")

    stored = _run_bytes(db, run_id)
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(DecisionRow)
                              .where(DecisionRow.run_id == run_id))
    print(f"stored  {stored / args.size:8.0f} bytes per applicant ({rows:,} decision rows for "
          f"{args.size * len(catalog.versions):,} decisions; {stored / 2**20:.1f} MiB)")

    # What once held a web worker for 11-23 s at 95,000 decisions (issue 11, finding 12): the
    # budget page's sums and a filtered results page, both from the compact rows.
    for name, query in (("budget", lambda s: run_budget(s, run_id)),
                        ("results page (eligible, page 1)",
                         lambda s: result_page(s, run_id, ResultFilter(status="eligible"), 1))):
        start = time.perf_counter()
        with sessions() as session:
            query(session)
        print(f"{name:<32} {time.perf_counter() - start:7.2f} s")

    for fmt in args.formats.split(","):
        sink = Counting()
        start = time.perf_counter()
        with sessions() as session:
            written = export_table(session, run_id, fmt, sink, actor="bench",
                                   workers=args.workers)
            session.commit()
        took = time.perf_counter() - start
        print(f"export {fmt:<5} {took:7.1f} s  {written / took:9,.0f} rows/s  ({written:,} rows, "
              f"{sink.bytes / 2**20:.0f} MiB)")
    print(f"total import + screen + CSV export: see above; peak RSS {_peak_mib():.0f} MiB")
    if args.ratio_profiles:
        _engine_ratios(args.ratio_profiles)


def _engine_ratios(size: int) -> None:
    """The engine against the plain-Python reference, decisions and full explanations."""
    from bench.assess_bench import _interleaved, ratio_cases, settled  # noqa: PLC0415

    spent, _peak = _interleaved(size, settled(ratio_cases()), seed=size)
    for kind in ("decisions", "explanations"):
        ratio = spent[f"reference {kind}"] / spent[f"engine {kind}"]
        print(f"engine/reference {kind:<12} {ratio:5.2f}x  ({size:,} profiles, CPU time, "
              f"interleaved; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
