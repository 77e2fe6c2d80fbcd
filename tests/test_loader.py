"""Broken rule files: each failure mode gives a RuleError naming file, item and key."""

import shutil
from pathlib import Path

import pytest

from engine.errors import RuleError
from engine.rules.loader import code_digest, decision_code_digest, load_catalog

INVALID = Path(__file__).parent / "data" / "invalid"

CASES = {
    "duplicate_key.yaml": (None, "criteria", "duplicate key"),
    "unknown_key.yaml": ("test.item", "criterion", "Extra inputs are not permitted"),
    "unknown_fact.yaml": ("test.item", "a.fact", "did you mean `rd_expense_y1`"),
    "operator_for_kind.yaml": ("test.item", "a.op", "does not apply to bool fact `above_scale`"),
    "bad_enum_value.yaml": ("test.item", "a.value", "did you mean `futian`"),
    "reversed_between.yaml": ("test.item", "a.value", "can never pass"),
    "number_expected.yaml": ("test.item", "a.value", "expected a number"),
    # literals the engine could not compare exactly are refused when the rules load
    "literal_too_precise.yaml": ("test.item", "a.value", "more than 9 decimal places"),
    "literal_too_large.yaml": ("test.item", "a.value", "beyond the magnitude compared exactly"),
    "ref_not_exact.yaml": ("test.item", "a.ref", "cannot compare them with each other"),
    "ratio_without_zero_rule.yaml": ("test.item", "a.zero_denominator", "say what a zero denominator"),
    "reconstructed_without_assumption.yaml": ("test.item", "source", "needs an `assumption`"),
    "unknown_condition.yaml": ("test.item", "use", "unknown condition `no.such.condition`"),
    "unknown_stacking_group.yaml": ("test.item", "stacking", "unknown stacking group"),
    "stacking_project_not_text.yaml": ("test.item", "stacking_project", "names a text fact"),
    "overlapping_versions.yaml": ("test.item", "valid_to", "versions overlap"),
    "requires_cycle.yaml": ("test.item", "requires", "cycle"),
    "duplicate_criterion_id.yaml": ("test.item", "criteria", "appears twice"),
    "amount_not_a_number.yaml": ("test.item", "amount.of", "not a number"),
    "unknown_budget_line.yaml": ("test.item", "budget_line", "not among the program's lines"),
    "not_yaml.yaml": (None, None, "not valid YAML"),
    "example_extends_unknown.yaml": ("test.item", "examples", "extends unknown profile `nobody`"),
    # criteria that can never pass, citations, amounts by case, budget lines
    "contradictory_bounds.yaml": ("demo.item", "criteria.big+small", "can never pass"),
    "contradictory_equals.yaml": ("demo.item", "criteria.in_luohu+in_nanshan", "can never pass"),
    "contradictory_in_not_in.yaml": ("demo.item", "criteria.one_of+none_of", "can never pass"),
    "contradictory_between.yaml": ("demo.item", "criteria.range+above", "can never pass"),
    "blank_clause.yaml": ("demo.item", "criteria.big.cite", "non-empty `clause`"),
    "unknown_case_item.yaml": ("demo.item", "amount.when.item", "unknown item `demo.missing`"),
    "otherwise_not_last.yaml": ("demo.item", "amount.cases.0", "only the last case may omit `when`"),
    "missing_budget_line.yaml": ("demo.item", "budget_line", "name this item's `budget_line`"),
    # users never read an internal source file name as a document's name
    "internal_file_name.yaml": ("demo.item", "source.document", "internal file 002_718dc356a2b2d93e.txt"),
}


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in INVALID.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_rule_file_is_reported_precisely(name: str, tmp_path: Path) -> None:
    shutil.copy(INVALID / name, tmp_path / name)
    item, key, words = CASES[name]
    with pytest.raises(RuleError) as caught:
        load_catalog(tmp_path)
    error = caught.value
    assert error.file == name
    assert error.item == item
    if key is not None:
        assert error.key == key
    assert words in error.message
    assert name in error.message


def test_the_real_catalog_loads_and_has_a_stable_version() -> None:
    first, second = load_catalog(), load_catalog()
    assert first.version == second.version and len(first.version) == 16


def test_the_version_covers_the_code_that_decides(tmp_path: Path) -> None:
    """A changed derived formula or comparison is a new rules version; changed wording is not."""
    engine_dir = Path(__file__).resolve().parent.parent / "engine"
    copy = tmp_path / "engine"
    shutil.copytree(engine_dir, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_digest(copy) == decision_code_digest()
    formula = copy / "facts" / "derived.py"
    formula.write_text(formula.read_text().replace("Context(prec=40)", "Context(prec=39)"))
    assert code_digest(copy) != decision_code_digest()
    wording = tmp_path / "wording" / "engine"
    shutil.copytree(engine_dir, wording, ignore=shutil.ignore_patterns("__pycache__"))
    labels = wording / "explain" / "labels.py"
    labels.write_text(labels.read_text() + "\n# reworded\n")
    assert code_digest(wording) == decision_code_digest()


def test_changing_a_rule_changes_the_version(tmp_path: Path) -> None:
    rules = Path(__file__).resolve().parent.parent / "rules"
    shutil.copytree(rules, tmp_path / "rules")
    before = load_catalog(tmp_path / "rules").version
    path = tmp_path / "rules" / "futian" / "st_fund.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 500000", "value: 600000"),
                    encoding="utf-8")
    assert load_catalog(tmp_path / "rules").version != before


def test_an_empty_rules_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no rule files"):
        load_catalog(tmp_path)
