"""Rule-set checks: a broken rule file fails to load with the file, item and key a user needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import RuleError
from engine.loader import load_catalog

DATA = Path(__file__).parent / "data"

CASES = [
    ("contradictory_bounds", "key criteria.big+small", "can never pass"),
    ("contradictory_equals", "key criteria.in_luohu+in_nanshan", "can never pass"),
    ("contradictory_in_not_in", "key criteria.one_of+none_of", "can never pass"),
    ("contradictory_between", "key criteria.range+above", "can never pass"),
    ("blank_clause", "key criteria.big.cite", "non-empty `clause`"),
    ("unknown_case_item", "key amount.when.item", "unknown item `demo.missing`"),
    ("otherwise_not_last", "key amount.cases.0", "only the last case may omit `when`"),
    ("missing_budget_line", "key budget_line", "name this item's `budget_line`"),
]


def _load(tmp_path: Path, source: Path) -> None:
    shutil.copy(source, tmp_path / "demo.yaml")
    load_catalog(tmp_path)


@pytest.mark.parametrize(("name", "where", "why"), CASES)
def test_broken_rule_files_are_refused(tmp_path: Path, name: str, where: str, why: str) -> None:
    with pytest.raises(RuleError) as info:
        _load(tmp_path, DATA / "invalid" / f"{name}.yaml")
    message = info.value.message
    assert "file demo.yaml" in message and "item demo.item" in message
    assert where in message and why in message


def test_touching_bounds_and_alternatives_are_not_contradictions(tmp_path: Path) -> None:
    _load(tmp_path, DATA / "valid_bounds.yaml")
