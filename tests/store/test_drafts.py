"""A policy draft run beside the rules in force: exactly the firms between the old and the new
bound flip, because of the criterion that moved; the budget effect is the sum of their amounts;
the draft is never stored and a self-check still uses the rules in force."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine import Engine, load_catalog, parse_profile
from engine.errors import RuleError
from engine.facts.uscc import make_code
from engine.store.drafts import DraftError, draft_impact, load_draft
from engine.store.models import AuditEntry, CatalogVersion
from engine.store.profiles import add_profiles

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "seeds" / "profiles" / "futian_rd_firm.json").read_text(encoding="utf-8"))
DAY = dt.date(2020, 6, 1)
# Verified R&D (yuan) per firm; rd_input needs more than 500,000 now, more than 1,000,000 in the
# draft, and pays 10% of it.
RD = ["500000", "500000.01", "750000", "1000000", "1000000.01", "3200000"]
FLIPPING = {1, 2, 3}  # above the old bound, not above the new one


def _firm(i: int) -> dict[str, Any]:
    return {**SEED, "credit_code": make_code(f"91440300MA5F{i:05d}"), "name": f"草案测试企业{i}",
            "rd_expense_stats_verified": RD[i]}


@pytest.fixture
def stored(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        add_profiles(session, [parse_profile(_firm(i)) for i in range(len(RD))], "测试")
        session.commit()
    return [_firm(i)["credit_code"] for i in range(len(RD))]


@pytest.fixture
def draft_dir(tmp_path: Path) -> Path:
    rules = tmp_path / "draft"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "futian" / "st_fund.yaml"
    text = path.read_text(encoding="utf-8")
    old = "fact: rd_expense_stats_verified\n          op: \">\"\n          value: 500000\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("500000", "1000000")), encoding="utf-8")
    return rules


def test_exactly_the_firms_between_the_old_and_the_new_bound_flip(
        sessions: sessionmaker[Session], stored: list[str], draft_dir: Path) -> None:
    draft = load_draft(draft_dir)
    assert draft.version != load_catalog().version
    with sessions() as session:
        report = draft_impact(session, draft, as_of=DAY)
    assert report.applicants == len(RD) and report.errors == []
    assert {(f.credit_code, f.item_id) for f in report.flips} == {
        (stored[i], "futian.rd_input") for i in FLIPPING}
    for flip in report.flips:
        assert (flip.kind, flip.before, flip.after) == ("status", "eligible", "ineligible")
        assert [(c.id, c.before, c.after) for c in flip.criteria] == [
            ("rd_verified_over_500k", "pass", "fail")]
        assert flip.criteria[0].facts[0]["name"] == "rd_expense_stats_verified"
    amounts = {f.credit_code: f.amount_before for f in report.flips}
    assert amounts == {stored[1]: Decimal("50000.00"), stored[2]: Decimal("75000.00"),
                       stored[3]: Decimal("100000.00")}
    (effect,) = report.items
    assert (effect.item_id, effect.eligible_before, effect.eligible_after) == (
        "futian.rd_input", 5, 2)
    assert effect.delta == report.budget_delta == Decimal("-225000.00")
    assert effect.total_after == Decimal("100000.00") + Decimal("320000.00")


def test_the_draft_is_never_stored_and_a_self_check_keeps_the_rules_in_force(
        sessions: sessionmaker[Session], stored: list[str], draft_dir: Path) -> None:
    draft = load_draft(draft_dir)
    with sessions() as session:
        draft_impact(session, draft, as_of=DAY)
        assert session.get(CatalogVersion, draft.version) is None
    decision = next(d for d in Engine().assess(parse_profile(_firm(2)), DAY).decisions
                    if d.item_id == "futian.rd_input")
    assert decision.status == "eligible"


def test_one_changed_file_is_a_draft_too_and_a_broken_one_is_refused(
        sessions: sessionmaker[Session], stored: list[str], draft_dir: Path, tmp_path: Path) -> None:
    changed = draft_dir / "futian" / "st_fund.yaml"
    assert load_draft(changed).version == load_draft(draft_dir).version
    broken = tmp_path / "st_fund.yaml"
    broken.write_text(changed.read_text(encoding="utf-8").replace(
        "fact: rd_expense_stats_verified\n          op", "fact: rd_expense_stats_verifed\n          op"),
        encoding="utf-8")
    with pytest.raises(RuleError, match="did you mean `rd_expense_stats_verified`"):
        load_draft(broken)
    stray = tmp_path / "no_such_rules.yaml"
    stray.write_text("programs: []\n", encoding="utf-8")
    with pytest.raises(DraftError, match="matches 0 rule files"):
        load_draft(stray)


def test_a_draft_over_one_run_on_its_date(
        cli: Callable[..., Result], sessions: sessionmaker[Session], stored: list[str],
        draft_dir: Path) -> None:
    cli("screen", "--all", "--as-of", DAY.isoformat(), "--workers", "0",
        "--items", "futian.rd_input,national.hnte")
    with sessions() as session:
        report = draft_impact(session, load_draft(draft_dir), run_id=1)
    assert report.selection == "run 1" and report.as_of == DAY
    assert len(report.flips) == len(FLIPPING)


def test_the_command_writes_csv_with_a_bom_and_json_and_is_audited(
        cli: Callable[..., Result], sessions: sessionmaker[Session], stored: list[str],
        draft_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "impact.csv"
    cli("draft-impact", draft_dir, "--as-of", DAY.isoformat(), "--format", "csv", "--out", out,
        "--by", "政策科")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    head = rows.index(next(r for r in rows if r and r[0] == "统一社会信用代码"))
    flips = rows[head + 1:]
    assert sorted(r[0] for r in flips) == sorted(stored[i] for i in FLIPPING)
    assert {(r[6], r[7]) for r in flips} == {("符合条件", "不符合条件")}
    assert {r[8] for r in flips} == {"5.00", "7.50", "10.00"}  # 万元, two decimals
    budget = rows[3]
    assert budget[0] == "futian.rd_input" and budget[6] == "-22.50"
    doc = json.loads(cli("draft-impact", draft_dir, "--as-of", DAY.isoformat(),
                         "--format", "json").output)
    assert doc["budget_delta"] == "-225000.00" and len(doc["flips"]) == 3
    with sessions() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "draft_impact")).all()
        assert [e.actor for e in entries][0] == "政策科" and entries[0].details["flips"] == 3
    result = cli("draft-impact", draft_dir, code=1)
    assert "--as-of" in result.output
