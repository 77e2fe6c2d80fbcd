"""Screening runs: recorded with their counts, reproducible, resumable without duplicates."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine import Engine, decision_to_dict, parse_profile
from engine.export.records import decision_dict_of
from engine.rules.loader import load_catalog
from engine.store.models import AuditEntry, CatalogVersion, DecisionRow, ProfileVersion, Run, RunProfile
from engine.store.runs import iter_run_records, run_metadata
from engine.store.screening import RunError, process_run
from tests.synthetic import synthetic_profile

ITEMS = len(load_catalog().versions)  # one decision per item of the catalog per applicant

AS_OF = "2020-06-01"
# Items whose decision depends on the applicant on AS_OF: the ones a run stores a row for.
IN_FORCE = sum(Engine(load_catalog()).static_decision(i, dt.date(2020, 6, 1)).status
               not in ("not_in_force", "not_assessable") for i in load_catalog().versions)


def decisions_of(sessions: sessionmaker[Session], run_id: int) -> dict[tuple[str, str], Any]:
    """(credit code, item id) -> the decision with its explanation, as the run's exports read it
    (compact rows rebuilt, static decisions included)."""
    with sessions() as session:
        return {(r["company"]["credit_code"], r["decision"].item_id): decision_dict_of(r)
                for r in iter_run_records(session, run_id)}


def as_dicts(records: list[Any]) -> list[Any]:
    return [{"company": r["company"], "profile_version": r["profile_version"],
             "decision": decision_dict_of(r)} for r in records]


def get_run(sessions: sessionmaker[Session], run_id: int) -> Run:
    with sessions() as session:
        run = session.get(Run, run_id)
        assert run is not None
        return run


def latest_run_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.max(Run.id))) or 0


def test_a_run_is_recorded_with_who_when_rules_and_counts(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path], engine: Engine) -> None:
    result = cli("screen", applicants(12), "--as-of", AS_OF, "--by", "钱官员", "--workers", "0",
                 "--batch-size", "5")

    run = get_run(sessions, latest_run_id(sessions))
    assert (run.status, run.rows_total, run.rows_done) == ("complete", 12, 12)
    assert (run.started_by, run.as_of, run.catalog_hash) == ("钱官员", dt.date(2020, 6, 1),
                                                             engine.rules_version)
    assert run.finished_at is not None and run.items is None
    with sessions() as session:
        by_status = Counter(r["decision"].status for r in iter_run_records(session, run.id))
        stored = session.scalar(select(func.count()).where(DecisionRow.run_id == run.id))
        catalog = session.get(CatalogVersion, engine.rules_version)
        assert catalog is not None and catalog.sources == engine.catalog.sources
        assert session.scalars(select(AuditEntry.action)).all() == ["import", "screen"]
    assert run.counts == dict(by_status)
    assert sum(by_status.values()) == 12 * len(engine.catalog.versions)
    # Only the decisions that depend on the applicant have rows: the rest are stored once.
    day = dt.date(2020, 6, 1)
    in_force = [i for i in engine.catalog.versions
                if engine.static_decision(i, day).status not in ("not_in_force", "not_assessable")]
    assert stored == 12 * len(in_force) < 12 * ITEMS
    assert f"run {run.id}: complete, 12/12 rows" in result.output


def test_stored_decisions_are_the_engines_own(sessions: sessionmaker[Session], engine: Engine,
                                              cli: Callable[..., Result],
                                              applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(4), "--as-of", AS_OF, "--workers", "0")
    run_id = latest_run_id(sessions)

    with sessions() as session:
        records = as_dicts(list(iter_run_records(session, run_id)))
        meta = run_metadata(session, run_id)
        one = as_dicts(list(iter_run_records(session, run_id,
                                             company=synthetic_profile(2)["credit_code"])))
        amounts = session.execute(select(DecisionRow.amount).where(
            DecisionRow.amount.is_not(None))).scalars().all()

    assert meta == {"rules_version": engine.rules_version, "as_of": dt.date(2020, 6, 1),
                    "run_id": run_id}
    expected = []
    for i in sorted(range(4), key=lambda i: synthetic_profile(i)["credit_code"]):
        data = synthetic_profile(i)
        company = {"credit_code": data["credit_code"], "name": data["name"],
                   "district": data["registered_district"]}
        assessment = engine.assess(parse_profile(data), dt.date(2020, 6, 1))
        expected += [{"company": company, "profile_version": 1, "decision": decision_to_dict(d)}
                     for d in assessment.decisions]
    assert records == expected
    assert one == [r for r in expected if r["company"]["credit_code"] == synthetic_profile(2)["credit_code"]]
    stored = sorted(a for a in amounts)
    assert stored and stored == sorted(Decimal(r["decision"]["amount"]) for r in expected
                                       if r["decision"]["amount"] is not None
                                       and r["decision"]["status"] not in ("not_in_force",
                                                                           "not_assessable"))


def test_same_rules_and_profile_versions_give_identical_decisions(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    path = applicants(10)
    cli("screen", path, "--as-of", AS_OF, "--workers", "0")
    cli("screen", path, "--as-of", AS_OF, "--workers", "2", "--batch-size", "3")

    first, second = decisions_of(sessions, 1), decisions_of(sessions, 2)
    assert len(first) == 10 * ITEMS and first == second
    assert cli("runs", "diff", "1", "2").output.strip().endswith(
        "0 项决定有变化 decisions changed between run 1 and run 2")


def test_a_run_stopped_after_some_batches_resumes_to_the_same_result(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    path = applicants(20)
    cli("screen", path, "--as-of", AS_OF, "--workers", "0")  # run 1, uninterrupted

    stopped = cli("screen", path, "--as-of", AS_OF, "--workers", "0", "--batch-size", "3",
                  "--max-batches", "2")
    run = get_run(sessions, 2)
    assert (run.status, run.rows_done) == ("incomplete", 6)
    assert len(decisions_of(sessions, 2)) == 6 * ITEMS
    with sessions() as session:
        assert session.scalar(select(func.count(RunProfile.position)).where(
            RunProfile.run_id == 2, RunProfile.done)) == 6
    assert "subsidy screen --resume 2" in stopped.output

    cli("screen", "--resume", "2", "--workers", "1", "--batch-size", "4")
    run = get_run(sessions, 2)
    assert (run.status, run.rows_done, sum(run.counts.values())) == ("complete", 20, 20 * ITEMS)
    assert decisions_of(sessions, 2) == decisions_of(sessions, 1)
    assert run.counts == get_run(sessions, 1).counts


def test_resuming_a_complete_run_adds_nothing(cli: Callable[..., Result],
                                              sessions: sessionmaker[Session],
                                              applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(3), "--as-of", AS_OF, "--workers", "0")
    before = decisions_of(sessions, 1)
    cli("screen", "--resume", "1", "--workers", "0")
    assert decisions_of(sessions, 1) == before


def test_resume_refuses_other_rules(sessions: sessionmaker[Session], cli: Callable[..., Result],
                                    applicants: Callable[..., Path], tmp_path: Path) -> None:
    cli("screen", applicants(6), "--as-of", AS_OF, "--workers", "0", "--batch-size", "2",
        "--max-batches", "1")
    rules, original = tmp_path / "rules", Path(__file__).resolve().parents[2] / "rules"
    for source in original.rglob("*.yaml"):
        target = rules / source.relative_to(original)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes() + b"\n# a changed file is another rules version\n")

    with pytest.raises(RunError, match="cannot be finished reproducibly"):
        process_run(sessions, 1, workers=0, rules_dir=rules)
    assert get_run(sessions, 1).status == "incomplete"
    assert len(decisions_of(sessions, 1)) == 2 * ITEMS


def test_workers_that_cannot_load_the_rules_stop_the_run_instead_of_hanging_it(
        sessions: sessionmaker[Session], cli: Callable[..., Result],
        applicants: Callable[..., Path], tmp_path: Path) -> None:
    """multiprocessing.Pool replaces a worker whose initializer raises, forever: the worker keeps
    the reason and the first batch brings it back, so the run stops with it."""
    cli("screen", applicants(4), "--as-of", AS_OF, "--workers", "0", "--batch-size", "2",
        "--max-batches", "1")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yaml").write_text("program: [unclosed\n", encoding="utf-8")

    with pytest.raises(RunError, match="could not load the rules") as raised:
        process_run(sessions, 1, workers=1, batch_size=2, rules_dir=rules)
    assert "broken.yaml" in str(raised.value) or "YAML" in str(raised.value).upper()
    assert get_run(sessions, 1).status == "incomplete"
    assert len(decisions_of(sessions, 1)) == 2 * ITEMS  # the first batch's decisions are kept


def test_all_takes_each_companys_latest_version_of_its_latest_year(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("import", applicants(3, "v1.csv"))
    cli("import", applicants(3, "v2.csv", changes={0: {"employees_total": 500}}))
    later = {**synthetic_profile(1), "fiscal_year": 2021}
    cli("import", applicants(2, "future.csv", changes={1: later, 0: {"fiscal_year": 2021}}))

    cli("screen", "--all", "--as-of", AS_OF, "--workers", "0")

    with sessions() as session:
        screened = session.execute(
            select(ProfileVersion.company_code, ProfileVersion.fiscal_year, ProfileVersion.version)
            .join(RunProfile, RunProfile.profile_id == ProfileVersion.id).distinct()).all()
    codes = [synthetic_profile(i)["credit_code"] for i in range(3)]
    assert sorted(screened) == sorted([(codes[0], 2019, 2), (codes[1], 2019, 1), (codes[2], 2019, 1)])


def test_item_filter_and_unknown_items(cli: Callable[..., Result], sessions: sessionmaker[Session],
                                       applicants: Callable[..., Path]) -> None:
    path = applicants(2)
    cli("screen", path, "--as-of", AS_OF, "--workers", "0", "--items", "futian.rd_input")
    assert {item for _, item in decisions_of(sessions, 1)} == {"futian.rd_input"}
    assert get_run(sessions, 1).items == ["futian.rd_input"]

    result = cli("screen", path, "--items", "futian.rd_inptu", "--workers", "0", code=1)
    assert "unknown item `futian.rd_inptu` (did you mean `futian.rd_input`?)" in result.output
    assert latest_run_id(sessions) == 1


def test_the_database_refuses_a_duplicate_decision(cli: Callable[..., Result],
                                                   sessions: sessionmaker[Session],
                                                   applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(1), "--as-of", AS_OF, "--workers", "0", "--items", "futian.rd_input")
    with sessions() as session:
        row = session.scalars(select(DecisionRow)).one()
        session.add(DecisionRow(run_id=row.run_id, profile_id=row.profile_id, item=row.item,
                                status=row.status, amount=row.amount, outcomes=row.outcomes))
        with pytest.raises(IntegrityError):
            session.commit()
