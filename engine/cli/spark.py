"""`subsidy spark-screen INPUT OUTPUT --as-of DATE`: screen a city's firms on Apache Spark.

pyspark is an optional extra (`pip install '.[spark]'`), so engine.spark is imported only when the
command runs: `subsidy --help` works without it. Under spark-submit the application file is
engine/cli/__main__.py with `spark-screen` as its first argument (docs/scale.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from engine import SubsidyError

from .common import iso_date, item_list


@click.command("spark-screen")
@click.argument("source", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--as-of", required=True, callback=iso_date, help="Assessment date YYYY-MM-DD.")
@click.option("--master", default=None,
              help="Spark master, e.g. local[2] (default: spark-submit's, else local[*]).")
@click.option("--rules-dir", envvar="SUBSIDY_RULES_DIR", default=None,
              help="Rules directory on every node, or the name of a shipped archive "
                   "(--archives rules.zip#rules); env SUBSIDY_RULES_DIR. Default: the package's.")
@click.option("--items", multiple=True, callback=item_list,
              help="Only these item ids (comma-separated or repeated).")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Spread the rows over N partitions (default: 4 per core Spark offers).")
@click.option("--fail-first-attempt-after", "fail_after", type=click.IntRange(min=0), hidden=True,
              help="Tests only: partition 0's first attempt dies after N records (retry test).")
def spark_screen(source: str, output: str, as_of: dt.date, master: str | None, rules_dir: str | None,
                 items: list[str] | None, partitions: int | None, fail_after: int | None) -> None:
    """Screen every firm in INPUT (CSV or Parquet) on Spark; write decisions, errors and a
    per-item summary under OUTPUT as Parquet and CSV."""
    try:
        from engine.spark.job import run_job
        from engine.spark.session import owned_session
    except ImportError as exc:
        click.echo(f"pyspark is not installed (pip install '.[spark]'): {exc}", err=True)
        sys.exit(1)
    try:
        with owned_session(master) as spark:
            result = run_job(spark, source, output, as_of, items, rules_dir,
                             partitions or 4 * spark.sparkContext.defaultParallelism, fail_after)
    except SubsidyError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    run = result.run
    click.echo(json.dumps(run, ensure_ascii=False, sort_keys=True))
    click.echo(f"{run['rows_read']} rows: {run['rows_screened']} screened, {run['rows_error']} refused "
               f"(see {output}/csv/errors), {run['decisions']} decisions in {result.seconds:.1f} s")
