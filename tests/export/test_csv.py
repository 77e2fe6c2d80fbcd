"""The CSV an official opens in Excel: BOM, headers, one row per company × item, readable cells."""

from __future__ import annotations

import csv
import gc
import io
import tracemalloc
from collections.abc import Iterator

from engine.export import ExportMeta, Record, csv_chunks, write_csv

from .conftest import RD_FIRM

ZH_HEADERS = ["统一社会信用代码", "企业名称", "所在区", "档案版本", "项目编号", "支持项目",
              "评估结果", "预计金额（元）", "预计金额（万元）", "金额为上限", "需补充资料",
              "未满足条件及差距", "评估说明", "审核状态", "审核改定结果", "审核改定金额（元）", "改定理由",
              "审核意见或补充材料要求", "审核人", "审核时间（北京时间）", "规则版本", "评估日期", "批次编号"]


def read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def export(records: list[Record], meta: ExportMeta) -> bytes:
    out = io.BytesIO()
    write_csv(records, meta, out)
    return out.getvalue()


def row(rows: list[dict[str, str]], name: str, item: str) -> dict[str, str]:
    key = "企业名称" if "企业名称" in rows[0] else "Company name"
    item_key = "项目编号" if "项目编号" in rows[0] else "Item id"
    return next(r for r in rows if r[key] == name and r[item_key] == item)


def test_starts_with_a_bom_and_chinese_headers(run_records, run_meta):
    data = export(run_records, run_meta)
    assert data[:3] == b"\xef\xbb\xbf"
    assert data[3:].decode("utf-8").splitlines()[0].split(",") == ZH_HEADERS


def test_one_row_per_company_and_item(run_records, run_meta):
    rows = read(export(run_records, run_meta))
    companies = {r["company"]["credit_code"] for r in run_records}
    items = {r["decision"]["item_id"] for r in run_records}
    assert len(rows) == len(run_records) == len(companies) * len(items)


def test_rules_hash_and_as_of_on_every_row(run_records, run_meta):
    rows = read(export(run_records, run_meta))
    assert {r["规则版本"] for r in rows} == {run_meta.rules_version}
    assert {r["评估日期"] for r in rows} == {"2020-06-01"}
    assert {r["批次编号"] for r in rows} == {"42"}


def test_amounts_in_yuan_and_wan_with_localised_labels(run_records, run_meta):
    rd = row(read(export(run_records, run_meta)), RD_FIRM, "futian.rd_input")
    assert rd["评估结果"] == "符合条件"
    assert rd["预计金额（元）"] == "320000.00"
    assert rd["预计金额（万元）"] == "32"
    assert rd["金额为上限"] == "否"
    assert rd["所在区"] == "福田区"
    assert rd["评估说明"].startswith("【R&D投入支持】符合条件 — 预计 32万元（320,000元）")


def test_unmet_criteria_show_the_gap_and_only_the_decisive_ones(run_records, run_meta):
    hnte = row(read(export(run_records, run_meta)), RD_FIRM, "national.hnte")
    assert hnte["评估结果"] == "不符合条件"
    assert hnte["未满足条件及差距"] == (
        "科技人员占当年职工总数不低于10%（差距：还需增加 1人（科技人员，其他数据不变））")
    # the firm is in the first revenue band; failing the other bands' tests is not a reason
    assert "销售收入" not in hnte["未满足条件及差距"]


def test_missing_facts_are_listed_by_their_labels(run_records, run_meta):
    rows = read(export(run_records, run_meta))
    startup = row(rows, "上海闵行初创机器人科技有限公司", "national.hnte")
    assert startup["评估结果"] == "待定（缺少资料）"
    assert "研发费用（最近一年）" in startup["需补充资料"].split("、")


def test_english_on_request(run_records, run_meta):
    meta = ExportMeta(run_meta.rules_version, run_meta.as_of, lang="en")
    rows = read(export(run_records, meta))
    rd = row(rows, RD_FIRM, "futian.rd_input")
    assert list(rows[0])[:3] == ["Unified social credit code", "Company name", "District"]
    assert (rd["Status"], rd["Estimated amount (CNY)"], rd["District"]) == ("Eligible", "320000.00", "Futian")
    assert rd["Explanation"].startswith("[R&D input support] Eligible")


def test_text_stream_gets_the_same_bytes(run_records, run_meta, tmp_path):
    path = tmp_path / "run.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        count = write_csv(run_records, run_meta, stream)
    assert count == len(run_records)
    assert path.read_bytes() == export(run_records, run_meta)


def test_chunks_stream_for_a_web_response(run_records, run_meta):
    chunks = csv_chunks(iter(run_records), run_meta)
    assert next(chunks) == "\ufeff"
    assert next(chunks).startswith("统一社会信用代码,")
    assert "".join(chunks).count("\r\n") >= len(run_records)


def _many(records: list[Record], n: int) -> Iterator[Record]:
    for i in range(n):
        yield records[i % len(records)]


class _Sink(io.RawIOBase):
    """A binary sink that counts and keeps nothing, as a network socket would."""

    mode = "wb"
    written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.written += len(data)
        return len(data)


def test_memory_stays_far_below_the_size_of_the_output(run_records, run_meta):
    sink = _Sink()
    gc.collect()
    tracemalloc.start()
    try:
        write_csv(_many(run_records, 3000), run_meta, sink)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sink.written > 2_000_000
    assert peak < sink.written / 4, (peak, sink.written)
