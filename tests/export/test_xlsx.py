"""The XLSX an official reviews: a summary sheet, one sheet per item, numbers Excel can add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from engine.export import ExportMeta
from engine.export.xlsx_export import write_xlsx

from .conftest import RD_FIRM


def item_ids(records) -> list[str]:
    """The items of a run, in catalog order (one sheet each)."""
    return list(dict.fromkeys(r["decision"]["item_id"] for r in records))


@pytest.fixture
def workbook(run_records, run_meta, tmp_path):
    path = tmp_path / "run.xlsx"
    budget = [{"项目": "futian.rd_input", "预算额度（万元）": Decimal("3000"),
               "预计支出（万元）": Decimal("148")}]
    assert write_xlsx(iter(run_records), run_meta, str(path), budget_impact=budget) == len(run_records)
    return openpyxl.load_workbook(path)


def companies(records) -> set:
    """The applicants of a run (one row each on an item's sheet)."""
    return {r["company"]["credit_code"] for r in records}


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_a_summary_sheet_then_one_sheet_per_item(workbook, run_records):
    assert workbook.sheetnames[0] == "汇总"
    assert len(workbook.sheetnames) == 1 + len(item_ids(run_records))


def test_every_sheet_states_the_rules_version_and_as_of(workbook, run_meta):
    for ws in workbook.worksheets:
        second = rows(ws)[1]
        assert second[:4] == ("规则版本", run_meta.rules_version, "评估日期", "2020-06-01"), ws.title


def test_summary_counts_each_status_and_totals_the_payout(workbook, run_records):
    table = rows(workbook["汇总"])
    header = table[3]
    assert header[:9] == ("项目编号", "支持项目", "符合条件", "可申报（条件未全部公开）", "不符合条件",
                          "待定（缺少资料）", "无法评估（未公开条件）", "不在有效期内", "合计")
    ids = item_ids(run_records)
    by_item = {r[0]: dict(zip(header, r, strict=True)) for r in table[4:4 + len(ids)]}
    assert list(by_item) == ids
    rd = by_item["futian.rd_input"]
    eligible = [r for r in run_records
                if r["decision"]["item_id"] == "futian.rd_input" and r["decision"]["status"] == "eligible"]
    assert rd["符合条件"] == len(eligible) == 3
    assert rd["合计"] == len(companies(run_records))
    expected = sum(Decimal(r["decision"]["amount"]) for r in eligible)
    assert Decimal(str(rd["符合条件企业预计金额（元）"])) == expected
    assert Decimal(str(rd["符合条件企业预计金额（万元）"])) == expected / 10000
    assert rd["预算额度（万元）"] == 3000
    assert by_item["futian.ip_pledge"]["不在有效期内"] == len(companies(run_records))


def test_budget_impact_table_is_shown_under_the_summary(workbook):
    table = rows(workbook["汇总"])
    start = next(i for i, r in enumerate(table) if r[0] == "预算影响")
    assert table[start + 1][:3] == ("项目", "预算额度（万元）", "预计支出（万元）")
    assert table[start + 2][:3] == ("futian.rd_input", 3000, 148)
    note = next(r[0] for r in table if r[0] and str(r[0]).startswith("说明：资金受年度总额控制"))
    assert "用完即止（先到先得），不按比例分配" in note


def test_the_budget_year_is_stated_when_it_is_not_the_rounds(run_records, run_meta, tmp_path):
    path = tmp_path / "run.xlsx"
    budget = [{"预算科目": "futian.st 9 R&D投入支持", "预算（元）": Decimal("30000000"), "预算年度": 2018}]
    write_xlsx(iter(run_records), run_meta, str(path), budget_impact=budget)
    table = rows(openpyxl.load_workbook(path)["汇总"])
    note = next(r[0] for r in table if r[0] and str(r[0]).startswith("说明："))
    assert note.endswith("对照的是2018年预算，并非本轮评估年度（2020年）的预算。")


def test_item_rows_carry_amounts_as_numbers_with_the_exact_figure(workbook, run_records):
    ws = workbook["futian.rd_input"]
    header = rows(ws)[3]
    assert header[:8] == ("统一社会信用代码", "企业名称", "所在区", "档案版本", "评估结果",
                          "预计金额（元）", "预计金额（元，精确值）", "预计金额（万元）")
    first = ws[5]
    assert first[1].value == RD_FIRM
    assert first[4].value == "符合条件"
    assert (first[5].value, first[5].number_format) == (320000, '"¥"#,##0.00')
    assert first[6].value == "320000.00"
    assert first[7].value == 32
    assert first[11].value.startswith("【R&D投入支持】符合条件")
    assert len(rows(ws)) == 4 + len(companies(run_records))


def test_english_sheet_labels(run_records, run_meta, tmp_path):
    meta = ExportMeta(run_meta.rules_version, dt.date(2020, 6, 1), lang="en")
    write_xlsx(run_records, meta, str(tmp_path / "en.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert wb.sheetnames[0] == "Summary"
    assert rows(wb["Summary"])[3][2:5] == ("Eligible", "May apply: conditions not fully published",
                                           "Not eligible")
    assert rows(wb["national.hnte"])[4][4] == "Not eligible"


def test_item_sheets_can_be_filtered_and_keep_their_header_in_view(workbook, run_records):
    ws = workbook["futian.rd_input"]
    assert ws.auto_filter.ref == f"A4:V{4 + len(companies(run_records))}"  # 15 + 7 review columns
    assert ws.freeze_panes == "C5"
