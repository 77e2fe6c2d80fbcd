"""The officials' results query over many decisions seeded straight into the tables: the right
rows in the right order on every page, and (on SQLite) an index plan rather than a sort of the run.
Timing at 100,000 rows is measured by bench/results_page_bench.py, not asserted here."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bench.many_decisions import ITEMS, expected, seed_decisions
from engine.store.models import DecisionRow
from engine.store.results import ResultFilter, _filtered, result_page

COMPANIES = 4000  # × 5 items = 20,000 decisions


def _seed(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        run_id = seed_decisions(session, COMPANIES)
        session.commit()
    return run_id


def test_a_filtered_page_holds_the_right_rows(sessions: sessionmaker[Session]) -> None:
    run_id = _seed(sessions)
    f = ResultFilter(item="futian.rd_input", status="eligible", district="futian")
    n = ITEMS.index("futian.rd_input")
    wanted = [i for i in range(COMPANIES)
              if expected(i, n)[:2] == ("eligible", "futian")]
    with sessions() as session:
        first = result_page(session, run_id, f, 1, per_page=50)
        last = result_page(session, run_id, f, 10_000, per_page=50)  # past the end: the last page
    assert first.total == len(wanted) and first.pages == -(-len(wanted) // 50)
    assert [r.name for r in first.rows] == [f"企业{i}" for i in wanted[:50]]
    assert {(r.item_id, r.status, r.district) for r in first.rows} == {
        ("futian.rd_input", "eligible", "futian")}
    assert last.page == first.pages
    assert [r.name for r in last.rows] == [f"企业{i}" for i in wanted[(last.page - 1) * 50:]]


def test_sorting_by_amount_puts_the_largest_first(sessions: sessionmaker[Session]) -> None:
    run_id = _seed(sessions)
    with sessions() as session:
        page = result_page(session, run_id, ResultFilter(status="eligible", sort="amount"), 1)
        total = result_page(session, run_id, ResultFilter(), 1).total
    amounts = [r.amount for r in page.rows]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] == 500000
    assert total == COMPANIES * len(ITEMS)


def test_filtered_pages_use_an_index_not_a_sort_of_the_whole_run(
        db: Engine, sessions: sessionmaker[Session]) -> None:
    if db.dialect.name != "sqlite":
        return  # the plan text is SQLite's; PostgreSQL plans by statistics
    run_id = _seed(sessions)
    for f in (ResultFilter(), ResultFilter(status="eligible"),
              ResultFilter(item="futian.rd_input", status="eligible")):
        codes = {"futian.rd_input": 0}
        query = _filtered(run_id, f, (DecisionRow.id,), codes).order_by(DecisionRow.id).limit(50)
        sql = str(query.compile(db, compile_kwargs={"literal_binds": True}))
        with db.connect() as conn:
            plan = " ".join(row[-1] for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "ix_decisions_run_id" in plan, (f, plan)
        assert "TEMP B-TREE" not in plan, (f, plan)
