"""The SparkSession a run uses: local mode on one machine, or whatever spark-submit set up.

In local mode the Python workers must run this interpreter (the one that has the engine and
durable_rules installed), not whichever `python3` is first on PATH.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def default_master() -> str | None:
    """None under spark-submit (it passes the master itself), else all local cores."""
    return None if "PYSPARK_GATEWAY_PORT" in os.environ else "local[*]"


def spark_session(master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    from pyspark.sql import SparkSession

    master = master or default_master()
    if master is not None and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("subsidy-spark-screen")
    if master is not None:
        builder = builder.master(master)
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@contextmanager
def owned_session(master: str | None = None) -> Iterator[Any]:
    """A session for one command: stopped afterwards only if this call started it (a caller's
    running session, e.g. a notebook's or a test's, is left running)."""
    from pyspark.sql import SparkSession

    existing = SparkSession.getActiveSession()
    session = existing or spark_session(master)
    try:
        yield session
    finally:
        if existing is None:
            session.stop()
