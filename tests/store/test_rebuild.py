"""Compact runs: the explanation rebuilt on demand is the one the engine produced at screening
time, also after the rule files have changed; a stored decision the engine would now decide
otherwise is refused, never explained wrongly; and the migration converts stored runs both ways
without losing a decision."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import Engine as Database
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from engine import Engine, decision_to_dict, parse_profile
from engine.export.records import decision_dict_of
from engine.rules.loader import load_catalog
from engine.store import rebuild
from engine.store.migrate import downgrade, upgrade
from engine.store.models import DecisionRow, ProfileVersion
from engine.store.rebuild import ReproductionError
from engine.store.runs import DecisionReader, iter_run_records
from engine.store.screening import process_run
from tests.synthetic import synthetic_profile

from .test_screening import AS_OF

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date.fromisoformat(AS_OF)


def _engine_decisions(rules: Path, n: int) -> dict[tuple[str, str], dict[str, Any]]:
    """What the engine decides at screening time, straight from the rule files: the reference."""
    engine = Engine(load_catalog(rules))
    out = {}
    for i in range(n):
        data = synthetic_profile(i)
        for d in engine.assess(parse_profile(data), DAY).decisions:
            out[(data["credit_code"], d.item_id)] = decision_to_dict(d)
    return out


def _stored(sessions: sessionmaker[Session], run_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    with sessions() as session:
        return {(r["company"]["credit_code"], r["decision"].item_id): decision_dict_of(r)
                for r in iter_run_records(session, run_id)}


def test_rebuilt_explanations_equal_the_screening_time_ones_after_the_rules_change(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    at_screening = _engine_decisions(rules, 8)
    cli("import", applicants(8))
    with sessions() as session:
        ids = list(session.scalars(select(ProfileVersion.id).order_by(ProfileVersion.id)))
    cli("screen", "--all", "--as-of", AS_OF, "--workers", "0", "--rules-dir", rules)

    # The R&D threshold changes in the files: a new rules version that decides differently.
    st_fund = rules / "futian" / "st_fund.yaml"
    st_fund.write_text(st_fund.read_text(encoding="utf-8").replace("value: 500000", "value: 5000000"),
                       encoding="utf-8")
    assert _engine_decisions(rules, 8) != at_screening
    rebuild._ENGINES.clear()  # nothing compiled before the change may serve the rebuild

    assert _stored(sessions, 1) == at_screening
    with sessions() as session:
        reader = DecisionReader(session, 1)
        one = {d.item_id: decision_to_dict(d) for d in reader.applicant(ids[3])}
    code = synthetic_profile(3)["credit_code"]
    assert one == {item: d for (c, item), d in at_screening.items() if c == code}
    assert len(ids) == 8


def test_a_stored_decision_the_engine_would_decide_otherwise_is_refused(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(3), "--as-of", AS_OF, "--workers", "0")
    with sessions() as session:
        row = session.scalars(select(DecisionRow).where(DecisionRow.outcomes != "")
                              .order_by(DecisionRow.id)).first()
        assert row is not None
        flipped = "".join({"p": "f", "f": "p", "u": "p"}[c] for c in row.outcomes)
        session.execute(update(DecisionRow).where(DecisionRow.id == row.id)
                        .values(outcomes=flipped))
        session.commit()
        with pytest.raises(ReproductionError, match="no longer decides this"):
            list(iter_run_records(session, 1))


def test_an_applicant_with_only_static_items_is_done_and_exported(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    # futian.little_giant is known only from a budget line: not assessable for everyone.
    cli("screen", applicants(2), "--as-of", AS_OF, "--workers", "0", "--items",
        "futian.little_giant")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(DecisionRow)) == 0
    records = _stored(sessions, 1)
    assert len(records) == 2 and {d["status"] for d in records.values()} == {"not_assessable"}
    assert cli("screen", "--resume", "1", "--workers", "0").exit_code == 0
    assert len(_stored(sessions, 1)) == 2


def _legacy_table(db: Database) -> dict[tuple[int, str], tuple[str, Any]]:
    """The decisions table as revision 0003 keeps it: (profile, item) -> (status, explanation)."""
    with db.connect() as conn:
        rows = conn.execute(text("SELECT profile_id, item_id, status, explanation FROM decisions "
                                 "WHERE run_id = 1")).all()
    return {(pid, item): (status, _json(explanation)) for pid, item, status, explanation in rows}


def _json(value: Any) -> Any:
    """A JSON column read with plain SQL: text on SQLite, parsed on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def test_migration_0004_converts_runs_down_and_up_without_losing_a_decision(
        db: Database, cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(6), "--as-of", AS_OF, "--workers", "0")
    compact = _stored(sessions, 1)

    downgrade(db, "0003")  # every decision gets its full explanation back, static ones per row
    legacy = _legacy_table(db)
    assert len(legacy) == len(compact) == 6 * len(load_catalog().versions)
    with db.connect() as conn:
        codes = dict(conn.execute(text("SELECT p.id, p.company_code FROM profiles p")).all())
    for (pid, item), (status, explanation) in legacy.items():
        assert explanation == compact[(codes[pid], item)] and status == explanation["status"]

    upgrade(db)  # a run from before: compact rows, explanations kept as they were
    assert _stored(sessions, 1) == compact
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(DecisionRow))
        assert rows < len(compact)  # the static decisions are stored once per run
    downgrade(db, "0003")
    assert _legacy_table(db) == legacy
    upgrade(db)
    assert _stored(sessions, 1) == compact
    process_run(sessions, 1, workers=0)  # complete: nothing to do, nothing breaks
