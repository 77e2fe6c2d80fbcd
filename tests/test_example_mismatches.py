"""A rule file's failing examples as data (engine.decide.examples.Mismatch) and as the checker's
English, which `subsidy rules check`, pytest and the CLI's draft report print unchanged."""

from __future__ import annotations

from pathlib import Path

from engine import Engine
from engine.decide.examples import Mismatch, run_all_examples
from engine.store.drafts import load_draft

ROOT = Path(__file__).resolve().parents[1]
OLD = "fact: rd_expense_stats_verified\n          op: \">\"\n          value: 500000\n"


def test_a_drafts_failing_example_keeps_each_aspect_and_the_checkers_text(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "futian" / "st_fund.yaml").read_text(encoding="utf-8")
    draft = tmp_path / "st_fund.yaml"
    draft.write_text(text.replace(OLD, OLD.replace("500000", "5000000")), encoding="utf-8")
    failing = [r for r in run_all_examples(Engine(load_draft(draft)))[0] if not r.ok]
    first = next(r for r in failing if r.name.startswith("a Futian firm with 3.2 million"))
    assert first.describe() == (
        "futian/st_fund.yaml: futian.rd_input: example 'a Futian firm with 3.2 million verified R&D "
        "receives 10%, 320,000 yuan': expected status eligible, got ineligible; expected amount "
        "320000.00, got None; expected criterion rd_verified_over_500k pass, got fail")
    data = first.as_dict()
    assert [m["aspect"] for m in data["mismatches"]] == ["status", "amount", "criterion"]
    assert data["mismatches"][1] == {"aspect": "amount", "expected": "320000.00", "got": None,
                                     "criterion": None, "criterion_text": None}
    assert data["mismatches"][2]["criterion_text"]["zh"] == "上年度经统计部门核定的研发投入超过50万元"
    assert data["text"] == first.describe()
    missing = next(r for r in failing if "district of registration" in r.name)
    assert missing.problems[-1] == "expected missing ['registered_district'], got []"


def test_the_other_aspects_read_as_the_checker_always_wrote_them() -> None:
    assert Mismatch("no_criterion", criterion="c1").text == \
        "expected criterion c1, which the item does not have"
    assert Mismatch("profile", got={"message": "m", "zh": "z", "en": "e"}).text == "bad profile: m"
