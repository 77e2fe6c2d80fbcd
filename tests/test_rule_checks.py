"""Rule-set checks that must not fire: touching bounds and alternatives are not contradictions.

The broken fixtures (contradictory criteria, blank citations, misplaced cases, missing budget
lines) are in tests/data/invalid/ and checked by tests/test_loader.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.rules.loader import load_catalog

DATA = Path(__file__).parent / "data"


def test_touching_bounds_and_alternatives_are_not_contradictions(tmp_path: Path) -> None:
    shutil.copy(DATA / "valid_bounds.yaml", tmp_path / "demo.yaml")
    assert "demo.item" in load_catalog(tmp_path).versions
