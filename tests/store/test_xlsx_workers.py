"""A run's XLSX written by several processes has every cell of every sheet of the one a single
process writes, with reviews present and under every results filter."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from sqlalchemy.orm import Session, sessionmaker

from engine.store.results import ResultFilter
from engine.store.reviews import add_review
from engine.store.run_export import export_table

from .test_reviews import _target
from .test_screening import AS_OF

GENERATED_AT = (1, 7)  # row, column of 生成时间 on every sheet: differs between two exports


def _sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        rows[GENERATED_AT[0]][GENERATED_AT[1]] = None
        sheets[ws.title] = [tuple(row) for row in rows]
    return sheets


@pytest.mark.parametrize("filters", [None, ResultFilter(status="eligible"),
                                     ResultFilter(item="futian.rd_input"),
                                     ResultFilter(district="futian")])
def test_an_xlsx_over_several_processes_has_the_cells_one_process_writes(
        cli: Callable[..., Result], applicants: Callable[..., Path],
        sessions: sessionmaker[Session], filters: ResultFilter | None) -> None:
    cli("screen", applicants(30), "--as-of", AS_OF, "--workers", "0")
    pid, key, _ = _target(sessions)
    with sessions() as session:
        add_review(session, 1, pid, key.split("|")[1], "override", "=现场核查不符", "张审核",
                   override_status="eligible", override_amount="1,000.50")
        add_review(session, 1, pid, key.split("|")[1], "comment", "已电话核实", "李复核")
        session.commit()
    books, counts = [], []
    for workers in (1, 2):
        out = io.BytesIO()
        with sessions() as session:
            counts.append(export_table(session, 1, "xlsx", out, actor="test", filters=filters,
                                       workers=workers))
        books.append(_sheets(out.getvalue()))
    assert counts[0] == counts[1] > 0
    assert list(books[0]) == list(books[1]) and len(books[0]) > 1
    for name in books[0]:
        assert books[0][name] == books[1][name], name
    cells = {v for rows in books[0].values() for row in rows for v in row}
    if filters is None or filters.status == "eligible":
        assert "'=现场核查不符" in cells and 1000.5 in cells  # the review, neutralised
