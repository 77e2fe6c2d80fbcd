"""The `subsidy` command line, as a user runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from engine.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "profiles"
RULES = Path(__file__).resolve().parent.parent / "rules"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rules_check_passes_with_full_coverage() -> None:
    code, out, err = run("rules", "check")
    assert code == 0, err
    assert "(0 failed)" in out and "(0 not fully covered)" in out


def test_rules_check_reports_a_broken_file(tmp_path: Path) -> None:
    shutil.copytree(RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "futian" / "st_fund.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "fact: rd_expense_stats_verified\n          op", "fact: rd_expense_stats_verifed\n          op"),
        encoding="utf-8")
    code, _, err = run("rules", "check", "--rules-dir", str(tmp_path / "rules"))
    assert code == 1
    assert "futian/st_fund.yaml" in err and "futian.rd_input" in err
    assert "did you mean `rd_expense_stats_verified`" in err


def test_rules_check_fails_on_a_wrong_example(tmp_path: Path) -> None:
    shutil.copytree(RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "futian" / "st_fund.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('amount: "320000.00"', 'amount: "320001.00"'),
                    encoding="utf-8")
    code, _, err = run("rules", "check", "--rules-dir", str(tmp_path / "rules"))
    assert code == 1
    assert "expected amount 320001.00, got 320000.00" in err


def test_assess_prints_a_chinese_explanation_by_default() -> None:
    code, out, _ = run("assess", str(SEEDS / "futian_rd_firm.json"), "--as-of", "2020-06-01")
    assert code == 0
    assert "深圳市福田启明智能科技有限公司" in out
    assert "【R&D投入支持】符合条件 — 预计 32万元（320,000元）" in out
    assert "差距：还需增加 1人（科技人员，其他数据不变）" in out


def test_assess_json_is_the_documented_shape() -> None:
    code, out, _ = run("assess", str(SEEDS / "futian_rd_firm.json"), "--as-of", "2020-06-01",
                       "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"rules_version", "as_of", "company", "decisions"}
    assert doc["as_of"] == "2020-06-01"
    rd = next(d for d in doc["decisions"] if d["item_id"] == "futian.rd_input")
    assert rd["status"] == "eligible" and rd["amount"] == "320000.00" and rd["missing"] == []
    criterion = rd["criteria"][1]
    assert {"id", "status", "facts", "threshold", "gap", "citation"} <= set(criterion)
    assert criterion["facts"][0]["source"] == "statistics_bureau"
    statuses = {d["status"] for d in doc["decisions"]}
    assert statuses <= {"eligible", "ineligible", "undetermined", "not_assessable", "not_in_force"}


def test_assess_in_english() -> None:
    code, out, _ = run("assess", str(SEEDS / "futian_rd_firm.json"), "--as-of", "2020-06-01",
                       "--lang", "en")
    assert code == 0 and "[R&D input support] Eligible" in out


def test_a_bad_profile_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"employees_total": 5, "st_staff": 9}), encoding="utf-8")
    code, _, err = run("assess", str(bad))
    assert code == 1
    assert "st_staff, employees_total" in err and "bad.json" in err


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run("assess", str(bad))
    assert code == 1 and "not valid JSON" in err


def test_a_bad_date_is_refused() -> None:
    code, _, err = run("assess", str(SEEDS / "futian_rd_firm.json"), "--as-of", "2020-13-01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_demo_lists_what_each_seed_firm_can_apply_for() -> None:
    code, out, _ = run("demo")
    assert code == 0
    assert "深圳市福田迁入新材料股份有限公司" in out and "国高企业认定支持（迁入）" in out
