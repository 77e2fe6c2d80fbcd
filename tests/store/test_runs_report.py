"""`subsidy runs diff` and `subsidy runs budget` on real runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from click.testing import Result
from sqlalchemy.orm import Session, sessionmaker

from engine.facts.money import yuan
from engine.store.firms import firm_counts
from engine.store.models import Run
from engine.store.runs import iter_run_records, run_changes
from tests.synthetic import write_applicants

from .test_screening import AS_OF

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "profiles"
RD_FIRM = json.loads((SEEDS / "futian_rd_firm.json").read_text(encoding="utf-8"))
NEWCOMER = json.loads((SEEDS / "futian_newcomer.json").read_text(encoding="utf-8"))


def _list(tmp_path: Path, name: str, *profiles: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    write_applicants(path, [{k: v for k, v in p.items() if k != "provenance"} for p in profiles])
    return path


def test_diff_names_the_applicant_and_the_criterion_that_changed(
        cli: Callable[..., Result], sessions: sessionmaker[Session], tmp_path: Path) -> None:
    cli("screen", _list(tmp_path, "a.csv", RD_FIRM, NEWCOMER), "--as-of", AS_OF, "--workers", "0")
    corrected = {**RD_FIRM, "rd_expense_stats_verified": "400000"}  # below the 500,000 needed
    cli("screen", _list(tmp_path, "b.csv", corrected, NEWCOMER), "--as-of", AS_OF, "--workers", "0")

    changes = list(run_changes(sessions, 1, 2))
    rd = [c for c in changes if c.key == (RD_FIRM["credit_code"], 2019, "futian.rd_input")]
    assert len(rd) == 1 and rd[0].kind == "status"
    assert (rd[0].before["status"], rd[0].after["status"]) == ("eligible", "ineligible")
    assert [(c.id, c.before, c.after) for c in rd[0].criteria] == [
        ("rd_verified_over_500k", "pass", "fail")]
    assert {c.key[0] for c in changes} == {RD_FIRM["credit_code"]}

    output = cli("runs", "diff", "1", "2").output
    assert (f"{RD_FIRM['credit_code']} 2019 futian.rd_input: 符合条件(eligible) → "
            "不符合条件(ineligible)") in output
    assert "rd_verified_over_500k 上年度经统计部门核定的研发投入超过50万元: pass → fail " \
           "(rd_expense_stats_verified=3200000 → rd_expense_stats_verified=400000)" in output


def test_diff_lists_applicants_in_only_one_run(cli: Callable[..., Result], tmp_path: Path) -> None:
    cli("screen", _list(tmp_path, "a.csv", RD_FIRM), "--as-of", AS_OF, "--workers", "0",
        "--items", "futian.rd_input")
    cli("screen", _list(tmp_path, "b.csv", NEWCOMER), "--as-of", AS_OF, "--workers", "0",
        "--items", "futian.rd_input")

    output = cli("runs", "diff", "1", "2").output
    assert f"{RD_FIRM['credit_code']} 2019 futian.rd_input: 符合条件(eligible) → —" in output
    assert f"{NEWCOMER['credit_code']} 2019 futian.rd_input: — → " in output
    assert "2 项决定有变化" in output


def test_budget_report_adds_up_the_stored_amounts_per_line(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(60), "--as-of", AS_OF, "--workers", "0")

    output = cli("runs", "budget", "1").output

    # Summed here from the rebuilt decisions; the report sums the compact rows in the database.
    with sessions() as session:
        decisions = [r["decision"] for r in iter_run_records(session, 1)]
    paid = [(d.item_id, d.amount.value) for d in decisions
            if d.status == "eligible" and d.amount is not None and d.amount.value is not None
            and not d.amount.ceiling and (d.stacking is None or d.stacking.receivable)]
    line10 = sum((a for i, a in paid if i.startswith("futian.hnte_reward.")), Decimal(0))
    rd = sum((a for i, a in paid if i == "futian.rd_input"), Decimal(0))
    assert line10 > 0 and rd > 0
    assert ("futian.st 10 国高企业认定支持: futian.hnte_reward.moved_in, futian.hnte_reward.new, "
            "futian.hnte_reward.recertified; 符合 ") in output
    assert f"合计 {yuan(line10)} / 预算 60,000,000元" in output
    assert "futian.st 9 R&D投入支持: futian.rd_input; 符合 " in output
    assert output.index("futian.st 9 ") < output.index("futian.st 10 ")
    assert f"合计 {yuan(rd)} / 预算 30,000,000元" in output


def test_a_run_counted_in_firms_agrees_with_its_decisions(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(40), "--as-of", AS_OF, "--workers", "0")
    with sessions() as session:
        run = session.get(Run, 1)
        counts = firm_counts(session, run)
        by_firm: dict[str, set[str]] = {}
        total = Decimal(0)
        for record in iter_run_records(session, 1):
            d = record["decision"]
            by_firm.setdefault(record["company"]["credit_code"], set()).add(d.status)
            if (d.status == "eligible" and d.amount is not None and d.amount.value is not None
                    and not d.amount.ceiling and (d.stacking is None or d.stacking.receivable)):
                total += d.amount.value
    assert counts["decided"] == len(by_firm) == 40
    for status in ("eligible", "may_apply", "undetermined"):
        assert counts[status] == sum(status in s for s in by_firm.values())
    assert counts["eligible"] > 0
    assert Decimal(counts["total_yuan"]) == total > 0
    with sessions() as session:
        assert session.get(Run, 1).firms == counts  # kept with the complete run
