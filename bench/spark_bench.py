"""Profiles per second on Spark local[1] and local[2] against the single-process engine, on the
same generated applicant list, every item, compact decisions out (docs/benchmarks.md).

Run: `.venv/bin/python bench/spark_bench.py 200000` (needs Java and the `spark` extra). The Spark
times are the job's (read, decide, write every output), after the session has started; the
single-process time is parse + assess of the same rows in this process.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import Engine, parse_profile  # noqa: E402
from tests.synthetic import synthetic_profile, write_applicants  # noqa: E402

DAY = dt.date(2020, 6, 1)


def single_process(count: int) -> float:
    engine = Engine()
    start = time.perf_counter()
    for index in range(count):
        engine.assess(parse_profile(synthetic_profile(index)), DAY)
    return time.perf_counter() - start


def on_spark(master: str, source: Path, out: Path) -> tuple[float, float, dict[str, object]]:
    from engine.spark.job import run_job
    from engine.spark.session import spark_session

    start = time.perf_counter()
    spark = spark_session(master, {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"})
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - start
    try:
        cores = spark.sparkContext.defaultParallelism
        result = run_job(spark, str(source), str(out), DAY, partitions=8 * cores)
    finally:
        spark.stop()
    return started, result.seconds, result.run


def main() -> None:
    """The single-process rate, then each Spark master in a process of its own: at 200,000 firms
    a second session in the same driver JVM once died where a fresh one finished."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    if len(sys.argv) > 3 and sys.argv[2] == "--spark-only":
        source, cores = Path(sys.argv[3]), int(sys.argv[4])
        with tempfile.TemporaryDirectory() as tmp:
            started, seconds, run = on_spark(f"local[{cores}]", source, Path(tmp) / "out")
        assert run["rows_screened"] == count, run
        print(f"| Spark local[{cores}] (session start {started:.0f} s) | {cores} | {seconds:.1f} s "
              f"| {count / seconds:,.0f} | {count / seconds / cores:,.0f} |", flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "applicants.csv"
        write_applicants(source, [synthetic_profile(i) for i in range(count)])
        base = single_process(count)
        print(f"| single process | 1 | {base:.1f} s | {count / base:,.0f} | {count / base:,.0f} |",
              flush=True)
        for cores in (1, 2):
            subprocess.run([sys.executable, __file__, str(count), "--spark-only", str(source),
                            str(cores)], check=True)


if __name__ == "__main__":
    main()
