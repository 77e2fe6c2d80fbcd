"""The architecture contract ([tool.importlinter] in pyproject.toml) holds, and it bites.

Each broken case copies the packages into a temporary folder, adds one forbidden import and runs
the same `lint-imports` that `make lint` runs: the contract must name what was broken.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGE_DIRS = ("engine", "web")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
                          capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path) -> Path:
    for name in PACKAGE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("web/i18n.py", "from engine.facts import money",
         "web imports only the public API: engine and engine.store"),
        ("web/db.py", "from engine.store.models import Run",
         "web imports only the public API: engine and engine.store"),
        ("engine/facts/uscc.py", "import flask",
         "the pure core imports neither flask, sqlalchemy nor click"),
        ("engine/explain/labels.py", "import sqlalchemy",
         "the pure core imports neither flask, sqlalchemy nor click"),
        ("engine/rules/tree.py", "from engine.decide import logic",
         "engine layers: facts <- rules <- decide <- explain <- intake | export <- store <- cli"),
        ("engine/export/safe.py", "from engine.store import models",
         "intake, export and spark touch no database and no web framework"),
        ("engine/store/audit.py", "import web",
         "engine never imports web"),
        ("engine/decide/compiler.py", "import durable_rules_engine",
         "only engine.decide.runtime talks to durable_rules"),
    ],
    ids=["web-internal", "web-store-models", "core-flask", "core-sqlalchemy", "layer-upward",
         "export-store", "engine-web", "durable-outside-runtime"],
)
def test_a_forbidden_import_breaks_the_contract(tmp_path: Path, module: str, line: str,
                                                contract: str) -> None:
    root = _copy(tmp_path)
    target = root / module
    target.write_text(target.read_text() + f"\n{line}  # the forbidden import\n")
    result = _lint(root)
    assert result.returncode != 0
    report = " ".join(result.stdout.split())  # lint-imports wraps long contract names
    assert f"{contract} BROKEN" in report, result.stdout
