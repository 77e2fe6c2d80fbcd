"""Without Java or pyspark the Spark tests skip on a laptop and fail under CI (no Spark here)."""

from __future__ import annotations

import pytest

from tests.spark import conftest


def test_missing_spark_skips_on_a_laptop_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest.shutil, "which", lambda _name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert conftest.spark_missing() == "java is not installed (apt-get install default-jre-headless)"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="java is not installed.*required under CI"):
        conftest.require_spark()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"java is not installed \(.*\): required under CI"):
        conftest.require_spark()


def test_pyspark_missing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest.importlib.util, "find_spec", lambda _name: None)
    assert "pyspark is not installed" in (conftest.spark_missing() or "")


def test_this_machine_runs_the_spark_tests() -> None:
    """Java 17 and the `spark` extra are installed wherever `make test` ran."""
    conftest.require_spark()
    assert conftest.spark_missing() is None
