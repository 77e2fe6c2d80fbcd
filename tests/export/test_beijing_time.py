"""Every time a reader sees is Beijing time, labelled: the letter, the XLSX sheets, JSON lines."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

from engine.explain.clock import beijing_text
from engine.export import ExportMeta, records_from_assessment
from engine.export.jsonl_export import write_jsonl
from engine.export.letter import letter_pdf
from engine.export.xlsx_export import write_xlsx

from .test_letter import text_of

UTC_0930 = dt.datetime(2020, 6, 2, 9, 30, tzinfo=dt.UTC)  # 17:30 in Beijing


def test_the_clock_reads_utc_and_naive_store_values_as_utc() -> None:
    assert beijing_text(UTC_0930) == "2020-06-02 17:30（北京时间）"
    assert beijing_text(UTC_0930.replace(tzinfo=None), "en") == "2020-06-02 17:30 (Beijing time)"
    late = dt.datetime(2020, 6, 2, 20, 0, tzinfo=dt.UTC)  # the next day in Beijing
    assert beijing_text(late, precision="date", label=False) == "2020-06-03"


def test_the_letter_shows_beijing_time_labelled(rd_firm) -> None:  # type: ignore[no-untyped-def]
    meta = ExportMeta(rules_version=rd_firm.rules_version, as_of=rd_firm.as_of,
                      generated_at=UTC_0930)
    text = text_of(letter_pdf(records_from_assessment(rd_firm), meta))
    assert "生成时间2020-06-0217:30（北京时间）" in text
    assert "UTC" not in text


def test_every_sheet_states_its_time_in_beijing_time(run_records, run_meta, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "run.xlsx"
    write_xlsx(iter(run_records), run_meta, str(path))
    for ws in openpyxl.load_workbook(path).worksheets:
        second = next(ws.iter_rows(min_row=2, max_row=2, values_only=True))
        assert second[6:8] == ("生成时间（北京时间）", "2020-06-02 17:30:00"), ws.title


def test_json_lines_give_the_time_with_its_beijing_offset(run_records, run_meta, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "run.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        write_jsonl(iter(run_records[:1]), run_meta, out)
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert "2020-06-02T17:30:00+08:00" in json.dumps(first)
