"""The Spark tests need Java and pyspark. A laptop without them skips with the reason; CI (the
environment variable CI is set) fails instead, so the Spark tests can never be silently skipped
there (.ci/run installs a headless JRE and `make test` installs the `spark` extra)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and os.path.exists(f"{java_home}/bin/java")):
        return "java is not installed (apt-get install default-jre-headless)"
    return None


def require_spark() -> None:
    reason = spark_missing()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: required under CI, where .ci/run and `make test` install it")
    pytest.skip(f"{reason}; the Spark tests are required under CI")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local[2] session, task retries allowed (local[2,2]), small shuffles, no UI."""
    require_spark()
    from engine.spark.session import spark_session

    session = spark_session("local[2,2]", {
        "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2", "spark.driver.memory": "1g",
        "spark.ui.showConsoleProgress": "false"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
