"""The full CSV and JSON lines exports of a run, written with their reuse of repeated wording
(engine.export.repeats, CsvLines), are byte for byte what formatting every cell of every row
writes: under every results filter, in both languages, with reviews and overrides, with the run's
errors, in one process and over two, and for two runs of different dates exported one after the
other in one process (what one run's caches hold must not leak into another's text).

The reference writers below are the straightforward ones: each row's columns from the wording
functions (decision_values, decision_to_dict) with no cache, written by one csv.writer or
json.dumps per line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from engine import Engine
from engine.decide.decision import Decision
from engine.explain import labels
from engine.explain.decision_json import decision_to_dict
from engine.export import ExportMeta
from engine.export.columns import COLUMNS, decision_values, error_values, headers, review_values
from engine.export.csv_export import BOM, csv_cell
from engine.export.jsonl_export import review_json
from engine.export.records import decision_of
from engine.store.importing import import_file
from engine.store.models import DecisionRow, ProfileVersion, RunItem
from engine.store.results import ResultFilter, run_item_ids
from engine.store.reviews import add_review
from engine.store.run_export import export_table
from engine.store.runs import iter_run_errors, iter_run_records, run_metadata
from engine.store.screening import process_run, start_run

DATES = (dt.date(2020, 6, 1), dt.date(2023, 6, 1))
NAMES = {0: '=HYPERLINK("http://x.example","点我")', 1: 'A, "B" 有限公司', 2: "@SUM(A1)"}


def reference_values(record: dict[str, Any], meta: ExportMeta) -> dict[str, Any]:
    """Every column of one row, worded from scratch."""
    if "error" in record:
        return error_values(record, meta)  # type: ignore[arg-type]
    company, lang = record["company"], meta.lang
    district = company.get("district")
    return {"credit_code": company.get("credit_code"), "name": company.get("name"),
            "district": labels.enum(district, lang) if district else None,
            "profile_version": record.get("profile_version"),
            **decision_values(decision_of(record), lang),  # type: ignore[arg-type]
            **review_values(record.get("review"), lang),
            "rules_version": meta.rules_version, "as_of": meta.as_of, "run_id": meta.run_id}


def reference_csv(records: Iterable[dict[str, Any]], meta: ExportMeta) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers(meta.lang)])
    for record in records:
        values = reference_values(record, meta)
        writer.writerow([csv_cell(values[key]) for key, _zh, _en in COLUMNS])
    return (BOM + buffer.getvalue()).encode("utf-8")


def reference_jsonl(records: Iterable[dict[str, Any]], meta: ExportMeta) -> bytes:
    lines = []
    for record in records:
        doc: dict[str, Any] = {**meta.to_dict(), "company": record["company"],
                               "profile_version": record.get("profile_version")}
        if "error" in record:
            doc["error"] = record["error"]
        else:
            decision = record["decision"]
            doc["decision"] = (decision_to_dict(decision) if isinstance(decision, Decision)
                               else decision)
            if record.get("review"):
                doc["review"] = review_json(record["review"])
        lines.append(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines).encode("utf-8")


def _no_clock(data: bytes) -> bytes:
    """The JSON lines without their generation time (the only thing two exports differ in)."""
    return re.sub(rb'"generated_at":"[^"]*"', b'"generated_at":""', data)


def _screen(sessions: sessionmaker[Session], path: Path, engine: Engine, day: dt.date) -> int:
    """A run of the list on `day`, with row 5's stored profile made undecidable (a date the old
    schema let through), so the run has an error row; returns the run id."""
    with sessions() as session:
        report = import_file(session, path, "test")
        bad = report.profile_ids[5]
        data = session.get(ProfileVersion, bad).data
        session.execute(update(ProfileVersion).where(ProfileVersion.id == bad).values(
            data={**data, "registration_date": "9999-12-31"}))
        run = start_run(session, engine.catalog, report.profile_ids, day, None, "test", "file")
        session.commit()
        run_id = run.id
    process_run(sessions, run_id, workers=0, batch_size=7)
    return run_id


def _review(sessions: sessionmaker[Session], run_id: int) -> None:
    """Overrides, comments and a request for materials on a few decisions, one text formula-like."""
    with sessions() as session:
        ids = run_item_ids(session, run_id)
        rows = session.scalars(select(DecisionRow).where(DecisionRow.run_id == run_id)
                               .order_by(DecisionRow.id)).all()
        for n, row in enumerate(rows[:: max(1, len(rows) // 6)][:6]):
            item = ids[row.item]
            if n % 3 == 0:
                add_review(session, run_id, row.profile_id, item, "override", "=现场核查不符",
                           "张审核", override_status="eligible", override_amount="1,000.50")
            elif n % 3 == 1:
                add_review(session, run_id, row.profile_id, item, "comment", "已电话核实", "李复核")
            else:
                add_review(session, run_id, row.profile_id, item, "request_materials",
                           "+补充材料", "王审核")
        session.commit()


@pytest.fixture
def runs(sessions: sessionmaker[Session], applicants: Callable[..., Path],
         engine: Engine) -> list[int]:
    """Two runs (one per date in DATES) of 36 applicants, with odd names, reviews and an error."""
    path = applicants(36, changes={i: {"name": name} for i, name in NAMES.items()})
    run_ids = [_screen(sessions, path, engine, day) for day in DATES]
    for run_id in run_ids:
        _review(sessions, run_id)
    return run_ids


def _static_item(sessions: sessionmaker[Session], run_id: int) -> str:
    with sessions() as session:
        return session.scalars(select(RunItem.item_id).where(
            RunItem.run_id == run_id, RunItem.static).order_by(RunItem.code)).first()


def _expected(sessions: sessionmaker[Session], run_id: int, fmt: str, lang: str,
              f: ResultFilter | None) -> bytes:
    with sessions() as session:
        meta = ExportMeta(**run_metadata(session, run_id), lang=lang)
        kept = f if f is not None and (f.item or f.status or f.district) else None
        records: list[dict[str, Any]] = list(iter_run_records(session, run_id, None, kept))
        if kept is None:
            records += list(iter_run_errors(session, run_id))
    return reference_csv(records, meta) if fmt == "csv" else reference_jsonl(records, meta)


def _exported(sessions: sessionmaker[Session], run_id: int, fmt: str, lang: str,
              f: ResultFilter | None, workers: int) -> bytes:
    out = io.BytesIO()
    with sessions() as session:
        export_table(session, run_id, fmt, out, actor="test", lang=lang, filters=f,
                     workers=workers)
        session.commit()
    return out.getvalue()


def _filters(sessions: sessionmaker[Session], run_id: int) -> list[ResultFilter | None]:
    return [None, ResultFilter(status="eligible"), ResultFilter(status="ineligible"),
            ResultFilter(item="futian.rd_input"), ResultFilter(item=_static_item(sessions, run_id)),
            ResultFilter(district="futian")]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_process_writes_what_formatting_every_row_writes(
        sessions: sessionmaker[Session], runs: list[int], fmt: str, lang: str) -> None:
    for run_id in runs:
        for f in _filters(sessions, run_id):
            expected = _expected(sessions, run_id, fmt, lang, f)
            got = _exported(sessions, run_id, fmt, lang, f, workers=1)
            assert _no_clock(got) == _no_clock(expected), (run_id, f)
            if run_id == runs[0]:  # on the first date, every filter keeps some rows
                assert got.count(b"\n") > (1 if fmt == "csv" else 0), f


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_two_processes_write_what_formatting_every_row_writes(
        sessions: sessionmaker[Session], runs: list[int], fmt: str) -> None:
    run_id = runs[0]
    for lang, f in (("zh", None), ("en", None), ("zh", ResultFilter(status="eligible")),
                    ("en", ResultFilter(district="futian"))):
        expected = _expected(sessions, run_id, fmt, lang, f)
        assert _no_clock(_exported(sessions, run_id, fmt, lang, f, workers=2)) == \
            _no_clock(expected), (lang, f)


def test_the_reference_sees_what_the_exports_must_keep(
        sessions: sessionmaker[Session], runs: list[int]) -> None:
    """The comparison above is worth something: the run has reviews, an error, neutralised
    names, and decided items that repeat across applicants as well as ones that do not."""
    text = _exported(sessions, runs[0], "csv", "zh", None, workers=1).decode("utf-8")
    assert "'=现场核查不符" in text and "'+补充材料" in text and "1000.50" in text
    assert "'=HYPERLINK(" in text and "'@SUM(A1)" in text and '"A, ""B"" 有限公司"' in text
    assert ",errors,无法评估的申请人," in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip(BOM))))
    explained = [(r["项目编号"], r["评估说明"]) for r in rows if r["评估结果"] != "不在有效期内"]
    assert len(set(explained)) < len(explained)  # some decided explanations repeat...
    assert len({e for _, e in explained}) > 36  # ...and many do not
