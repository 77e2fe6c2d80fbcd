"""The Spark job on real pyspark in local mode: the same decisions as `subsidy screen`, exact
summaries, bad rows as counted error records, and identical output when a task is retried or the
job is run again."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from engine import Engine, parse_profile
from engine.intake import read_table, validate_rows
from tests.spark.outputs import (
    csv_parts,
    csv_rows,
    expanded_decisions,
    parquet_rows,
    run_totals,
    screen_decisions,
    spark_decisions,
)
from tests.synthetic import synthetic_profile, write_applicants

FIRMS = 2000
AS_OF = dt.date(2020, 6, 1)
# Every status occurs: computed amounts, may-apply ceilings (the seed firms), not assessable.
ITEMS = ["futian.rd_input", "futian.hnte_reward.new", "futian.hnte_reward.recertified",
         "futian.settlement", "futian.office.rent", "futian.relocation", "national.hnte",
         "national.tech_sme", "national.rd_super_deduction", "futian.competition"]
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "profiles"
SUBSIDY = Path(sys.executable).with_name("subsidy")


def seed(name: str) -> dict[str, Any]:
    return json.loads((SEEDS / name).read_text(encoding="utf-8-sig"))


@pytest.fixture(scope="module")
def applicants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "applicants.csv"
    profiles = [synthetic_profile(i) for i in range(FIRMS)]
    write_applicants(path, profiles + [seed("futian_newcomer.json"), seed("futian_ip_loan_firm.json")])
    return path


@pytest.fixture(scope="module")
def screened(spark: Any, applicants: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from engine.spark.job import run_job

    out = tmp_path_factory.mktemp("out") / "run"
    result = run_job(spark, str(applicants), str(out), AS_OF, ITEMS, partitions=4)
    print(f"spark: {FIRMS + 2} rows in {result.seconds:.1f} s")  # shown with pytest -s
    return out


def test_every_decision_equals_subsidy_screen(spark: Any, applicants: Path, screened: Path,
                                             tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'screen.db'}"}
    subprocess.run([str(SUBSIDY), "db", "upgrade"], env=env, check=True, capture_output=True)
    jsonl = tmp_path / "screen.jsonl"
    done = subprocess.run([str(SUBSIDY), "screen", str(applicants), "--as-of", AS_OF.isoformat(),
                           "--items", ",".join(ITEMS), "--workers", "2", "--by", "spark-test",
                           "--out", str(jsonl)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected, got = screen_decisions(jsonl), spark_decisions(spark, screened)
    assert len(expected) == (FIRMS + 2) * len(ITEMS)
    assert got.keys() == expected.keys()
    different = [key for key in expected if got[key] != expected[key]]
    assert not different, [(k, got[k], expected[k]) for k in different[:3]]
    statuses = {status for status, *_ in got.values()}
    assert statuses == {"eligible", "may_apply", "ineligible", "undetermined", "not_assessable"}
    assert any(ceiling for _, _, ceiling, _ in got.values())


def test_summary_totals_are_exact_and_leave_ceilings_out(spark: Any, screened: Path) -> None:
    decisions = expanded_decisions(spark, screened)
    summary = {row["item_id"]: row for row in parquet_rows(spark, screened, "summary")}
    assert sorted(summary) == sorted(ITEMS)
    ceilings = 0
    for item, row in summary.items():
        mine = [d for d in decisions if d["item_id"] == item]
        eligible = [d for d in mine if d["status"] == "eligible"]
        computed = [d["amount"] for d in eligible if not d["amount_is_ceiling"] and d["amount"] is not None]
        assert row["total_amount"] == sum(computed, Decimal(0))
        assert isinstance(row["total_amount"], Decimal)
        assert row["eligible"] == len(eligible) and row["eligible_computed"] == len(computed)
        assert row["eligible_ceiling"] == sum(1 for d in mine if d["amount_is_ceiling"]
                                              and d["status"] in ("eligible", "may_apply"))
        assert row["may_apply"] == sum(1 for d in mine if d["status"] == "may_apply")
        assert row["decisions"] == len(mine) == FIRMS + 2
        ceilings += row["eligible_ceiling"]
    assert ceilings >= 2 and summary["futian.rd_input"]["total_amount"] > 0
    assert summary["futian.settlement"]["total_amount"] == 0  # only ceilings there
    in_csv = {row["item_id"]: row["total_amount"] for row in csv_rows(screened, "summary")}
    assert in_csv == {item: format(row["total_amount"], "f") for item, row in summary.items()}
    assert run_totals(screened)["rows_error"] == 0


# Figures giving a ratio of 5e-05, which durable_rules once failed to parse (error 204).
TINY_RATIO = {"sales_revenue_y1": "2000000000", "total_revenue_y1": "2000000000",
              "rd_expense_y1": "100000", "rd_expense_y2": "0", "rd_expense_y3": "0",
              "rd_expense_domestic_3y": "100000", "high_tech_revenue_y1": "100000"}


def _bad_list(path: Path) -> list[str]:
    """Good rows 2, 4, 5 and 9 around bad ones (row 4 holds a 5e-05 ratio, which once crashed the
    engine); row 6 is blank; row 8 is not CSV at all."""
    write_applicants(path, [synthetic_profile(0)])
    header, good0 = path.read_text(encoding="utf-8-sig").splitlines()
    tmp = path.with_suffix(".tmp.csv")
    tiny_ratio = {**synthetic_profile(7), **TINY_RATIO}
    bad_code = {**synthetic_profile(3), "credit_code": "91440300MA5H1R9T4X"}
    bad_year = {**synthetic_profile(4), "fiscal_year": "明年"}
    write_applicants(tmp, [tiny_ratio, synthetic_profile(1), bad_code, bad_year, synthetic_profile(2)])
    _, tiny, good1, code, year, good2 = tmp.read_text(encoding="utf-8-sig").splitlines()
    lines = [header, good0, code, tiny, good1, "", year, '"unterminated,' + good2, good2]
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return lines


def test_bad_rows_become_error_records_with_their_row_numbers(spark: Any, tmp_path: Path,
                                                             engine: Engine) -> None:
    from engine.cli.spark import spark_screen

    source, out = tmp_path / "bad.csv", tmp_path / "out"
    lines = _bad_list(source)
    result = CliRunner().invoke(spark_screen, [str(source), str(out), "--as-of", AS_OF.isoformat(),
                                               "--items", ",".join(ITEMS), "--partitions", "2"])
    assert result.exit_code == 0, result.output
    errors = {row["row"]: row for row in parquet_rows(spark, out, "errors")}
    assert sorted(errors) == [3, 7, 8]
    assert {n: errors[n]["stage"] for n in errors} == {3: "validation", 7: "validation",
                                                      8: "validation"}
    assert "malformed CSV" in errors[8]["reason"]
    # The reasons are the intake's own row report (the same file without the malformed line).
    plain = tmp_path / "plain.csv"
    plain.write_text("\ufeff" + "\r\n".join(lines[:7]) + "\r\n", encoding="utf-8")
    report = {r.row: "; ".join(p.text() for p in r.problems)
              for r in validate_rows(read_table(plain)).rows if r.problems}
    assert report == {3: errors[3]["reason"], 7: errors[7]["reason"]}
    totals = run_totals(out)
    assert totals["rows_read"] == 7 and totals["rows_screened"] == 4
    assert (totals["rows_error"], totals["rows_error_validation"], totals["rows_error_engine"]) == (3, 3, 0)
    assert '"rows_error": 3' in result.output
    decided = expanded_decisions(spark, out)
    assert sorted({d["row"] for d in decided}) == [2, 4, 5, 9]
    for row, index in ((4, 7), (5, 1)):  # the tiny ratio and the row after it, as the engine says
        data = {**synthetic_profile(index), **(TINY_RATIO if row == 4 else {})}
        expected = engine.assess(parse_profile(data), AS_OF, ITEMS)
        assert {d["item_id"]: d["status"] for d in decided if d["row"] == row} == {
            d.item_id: d.status for d in expected.decisions}
    assert [r["row"] for r in csv_rows(out, "errors")] == ["3", "7", "8"]


def test_unreadable_headers_and_unknown_items_refuse_the_run(spark: Any, tmp_path: Path) -> None:
    from engine.cli.spark import spark_screen

    source = tmp_path / "odd.csv"
    source.write_text("统一社会信用代码,年度吗\n91440300MA5H1R9T43,2019\n", encoding="utf-8")
    result = CliRunner().invoke(spark_screen, [str(source), str(tmp_path / "out"), "--as-of", "2020-06-01"])
    assert result.exit_code == 1 and "未知列名 unknown column" in result.output
    assert "缺少必填列 missing required column" in result.output
    result = CliRunner().invoke(spark_screen, [str(source), str(tmp_path / "out"), "--as-of", "2020-06-01",
                                               "--items", "futian.nothing"])
    assert result.exit_code == 1 and "unknown item(s): futian.nothing" in result.output
    assert not (tmp_path / "out").exists()


def test_a_retried_task_and_a_rerun_write_identical_output(spark: Any, applicants: Path,
                                                           tmp_path: Path) -> None:
    from engine.spark.job import run_job

    source, out = tmp_path / "small.csv", tmp_path / "out"
    source.write_text("\n".join(applicants.read_text(encoding="utf-8-sig").splitlines()[:151]),
                      encoding="utf-8")
    run_job(spark, str(source), str(out), AS_OF, ITEMS, partitions=3)
    first = {name: csv_parts(out, name) for name in ("decisions", "static", "errors", "summary")}
    first_run = run_totals(out)
    context = spark.sparkContext
    context.setJobGroup("retried", "partition 0 dies after 40 records on its first attempt")
    try:
        run_job(spark, str(source), str(out), AS_OF, ITEMS, partitions=3, fail_after=40)
    finally:
        context.setJobGroup("", "")
    tracker = context.statusTracker()
    stages = [s for j in tracker.getJobIdsForGroup("retried") for s in tracker.getJobInfo(j).stageIds]
    assert sum(tracker.getStageInfo(s).numFailedTasks for s in stages if tracker.getStageInfo(s)) >= 1
    assert {name: csv_parts(out, name) for name in first} == first  # byte for byte, per partition
    assert run_totals(out) == first_run
    keys = [(d["row"], d["item_id"]) for d in expanded_decisions(spark, out)]
    assert len(keys) == len(set(keys)) == 150 * len(ITEMS)


def test_parquet_input_is_decided_like_the_csv(spark: Any, applicants: Path, screened: Path,
                                               tmp_path: Path) -> None:
    """Typed Parquet columns (ints, booleans, under the zh headers) go through the same cells."""
    from engine.spark.job import run_job

    frame = spark.read.csv(str(applicants), header=True, inferSchema=True, encoding="UTF-8").limit(100)
    frame.coalesce(1).write.parquet(str(tmp_path / "firms.parquet"))
    run_job(spark, str(tmp_path / "firms.parquet"), str(tmp_path / "out"), AS_OF, ITEMS)
    from_csv = {(d["row"], d["item_id"]): d for d in expanded_decisions(spark, screened)
                if d["row"] <= 101}
    from_parquet = {(d["row"], d["item_id"]): d for d in expanded_decisions(spark, tmp_path / "out")}
    assert from_parquet == from_csv and len(from_parquet) == 100 * len(ITEMS)


def test_each_python_worker_compiles_one_engine_and_the_driver_none(spark: Any) -> None:
    def probe(_rows: Any) -> Any:
        from engine.spark.worker import engine_for

        first, again = engine_for(None), engine_for(None)
        return [(os.getpid(), id(first), first is again)]

    seen = spark.sparkContext.parallelize(range(12), 12).mapPartitions(probe).collect()
    assert len(seen) == 12 and all(same for *_, same in seen)
    workers = {pid for pid, *_ in seen}
    assert len({(pid, engine) for pid, engine, _ in seen}) == len(workers) < 12  # reused, cached
    from engine.spark import worker

    assert worker._ENGINES == {}  # the driver only loads the catalog, never compiles it


def test_a_spark_run_loads_as_a_console_run_with_the_engines_explanations(
        spark: Any, applicants: Path, screened: Path, tmp_path: Path) -> None:
    from engine.explain.decision_json import decision_to_dict
    from engine.export.records import decision_dict_of
    from engine.store import iter_run_records, make_engine, make_sessionmaker, upgrade
    from engine.store.models import Run
    from engine.store.spark_load import load_spark_run

    db = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    upgrade(db)
    sessions = make_sessionmaker(db)
    engine = Engine()
    with sessions() as session:
        run, report = load_spark_run(session, engine, applicants, screened, "spark-test")
        session.commit()
        run_id = run.id
    with sessions() as session:
        run = session.get(Run, run_id)
        assert (run.status, run.rows_done, run.rows_total) == ("complete", FIRMS + 2, FIRMS + 2)
        assert run.items == ITEMS and run.as_of == AS_OF and report.added == FIRMS + 2
        got = {(r["company"]["credit_code"], r["decision"].item_id): decision_dict_of(r)
               for r in iter_run_records(session, run_id)}
    table = validate_rows(read_table(applicants))
    expected = {}
    for row in table.rows:
        for d in engine.assess(row.profile, AS_OF, ITEMS).decisions:
            expected[(row.profile.credit_code, d.item_id)] = decision_to_dict(d)
    assert got == expected
    assert sum(run.counts.values()) == len(expected) == (FIRMS + 2) * len(ITEMS)


def test_static_decisions_are_written_once_and_every_firm_still_counts(
        spark: Any, applicants: Path, tmp_path: Path) -> None:
    """An item whose criteria are unpublished is decided alike for every firm: one `static` row,
    no per-firm rows; the firms still count as screened and load back as a complete run."""
    from engine.explain.decision_json import decision_to_dict
    from engine.export.records import decision_dict_of
    from engine.spark.job import run_job
    from engine.store import iter_run_records, make_engine, make_sessionmaker, upgrade
    from engine.store.spark_load import load_spark_run

    source, out = tmp_path / "small.csv", tmp_path / "out"
    source.write_text("\n".join(applicants.read_text(encoding="utf-8-sig").splitlines()[:51]),
                      encoding="utf-8")
    run_job(spark, str(source), str(out), AS_OF, ["futian.competition"], partitions=2)
    (static,) = parquet_rows(spark, out, "static")
    assert (static["item_id"], static["status"]) == ("futian.competition", "not_assessable")
    assert static["reason_zh"] and static["reason_en"]
    assert parquet_rows(spark, out, "decisions") == []
    totals = run_totals(out)
    assert (totals["rows_screened"], totals["decisions"], totals["static_items"]) == (50, 0, 1)
    (summary,) = parquet_rows(spark, out, "summary")
    assert (summary["decisions"], summary["not_assessable"], summary["eligible"]) == (50, 50, 0)
    assert summary["total_amount"] == Decimal(0)

    db = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    upgrade(db)
    engine = Engine()
    with make_sessionmaker(db)() as session:
        run, _report = load_spark_run(session, engine, source, out, "spark-test")
        session.commit()
        assert (run.status, run.rows_done) == ("complete", 50)
        got = [decision_dict_of(r) for r in iter_run_records(session, run.id)]
    expected = [decision_to_dict(d) for row in validate_rows(read_table(source)).rows
                for d in engine.assess(row.profile, AS_OF, ["futian.competition"]).decisions]
    assert got == expected and len(got) == 50
