"""JSON lines for machines: every line stands alone with the rules version and as-of date."""

from __future__ import annotations

import io
import json

from engine.explain.decision_json import decision_to_dict
from engine.export import jsonl_lines, records_from_assessment, write_jsonl
from engine.export.meta import ExportMeta


def test_one_line_per_record_with_the_metadata(run_records, run_meta):
    out = io.BytesIO()
    assert write_jsonl(run_records, run_meta, out) == len(run_records)
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) == len(run_records)
    first = json.loads(lines[0])
    assert first["rules_version"] == run_meta.rules_version
    assert (first["as_of"], first["run_id"], first["generated_at"]) == (
        "2020-06-01", 42, "2020-06-02T17:30:00+08:00")  # the same instant, Beijing time
    assert first["company"]["name"] == "深圳市福田启明智能科技有限公司"  # not \\u-escaped
    assert "深圳市福田启明智能科技有限公司" in lines[0]


def test_a_self_check_round_trips_to_the_stable_json_form(rd_firm):
    meta = ExportMeta.from_assessment(rd_firm)
    parsed = [json.loads(line) for line in jsonl_lines(records_from_assessment(rd_firm), meta)]
    assert [p["decision"] for p in parsed] == [decision_to_dict(d) for d in rd_firm.decisions]
    assert {p["as_of"] for p in parsed} == {rd_firm.as_of.isoformat()}
