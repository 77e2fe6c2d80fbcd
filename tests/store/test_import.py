"""Importing applicant lists: what the row report says, what the database holds afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine import FACT_FIELDS, parse_profile
from engine.intake import ImportFileError
from engine.store.importing import import_file
from engine.store.models import AuditEntry, Company, ProfileVersion
from tests.synthetic import synthetic_profile, write_applicants

INVALID = Path(__file__).resolve().parent.parent / "data" / "invalid"


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _import(sessions: sessionmaker[Session], path: Path, **kw: str):  # type: ignore[no-untyped-def]
    with sessions() as session, session.begin():
        return import_file(session, path, kw.get("entered_by", "李官员"),
                           kw.get("source", "self_declared"))


def test_row_report_gives_row_number_column_and_reason(sessions: sessionmaker[Session],
                                                       tmp_path: Path) -> None:
    rows = [synthetic_profile(i) for i in range(7)]
    rows[1]["st_staff"] = "十二"  # row 3
    rows[2]["credit_code"] = rows[2]["credit_code"][:-1] + "0"  # row 4: wrong check character
    del rows[3]["fiscal_year"]  # row 5
    rows[4]["st_staff"], rows[4]["employees_total"] = 50, 10  # row 6: more S&T staff than staff
    rows[5]["registered_district"] = "罗马区"  # row 7
    path = tmp_path / "list.csv"
    write_applicants(path, rows)

    report = _import(sessions, path)

    found = {(p.row, p.field): p for p in report.problems}
    assert sorted({p.row for p in report.problems}) == [3, 4, 5, 6, 7]
    assert "「科技人员数」(st_staff)" in found[3, "st_staff"].column
    assert "“十二”应为整数" in found[3, "st_staff"].reason
    assert "统一社会信用代码" in found[4, "credit_code"].column
    assert "check character" in found[4, "credit_code"].reason
    assert found[5, "fiscal_year"].reason.startswith("必填")
    assert {(6, "st_staff"), (6, "employees_total")} <= set(found)
    assert "福田区(futian)" in found[7, "registered_district"].reason
    assert "第3行" in found[3, "st_staff"].text() and "row 3" in found[3, "st_staff"].text()
    assert (report.rows, report.added, report.bad_rows) == (7, 2, 5)
    with sessions() as session:
        stored = set(session.scalars(select(ProfileVersion.company_code)))
    assert stored == {rows[0]["credit_code"], rows[6]["credit_code"]}


def test_good_rows_become_version_one_with_who_and_source(sessions: sessionmaker[Session],
                                                          applicants: Callable[..., Path]) -> None:
    report = _import(sessions, applicants(3), entered_by="王五", source="verified")

    assert (report.added, report.unchanged, report.problems) == (3, 0, [])
    with sessions() as session:
        versions = session.scalars(select(ProfileVersion).order_by(ProfileVersion.id)).all()
        company = session.get(Company, synthetic_profile(0)["credit_code"])
        assert company is not None and company.name == "测试企业00000有限公司"
        assert company.district == synthetic_profile(0)["registered_district"]
    assert [(v.version, v.entered_by, v.source) for v in versions] == [(1, "王五", "verified")] * 3
    assert parse_profile(versions[0].data) == parse_profile(synthetic_profile(0))
    assert versions[0].fiscal_year == 2019 and len(versions[0].content_hash) == 64


def test_reimporting_the_same_file_adds_nothing(sessions: sessionmaker[Session],
                                                applicants: Callable[..., Path]) -> None:
    path = applicants(4)
    _import(sessions, path)
    again = _import(sessions, path)

    assert (again.added, again.unchanged) == (0, 4)
    with sessions() as session:
        assert _count(session, ProfileVersion) == 4
        assert _count(session, Company) == 4


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(
        sessions: sessionmaker[Session], applicants: Callable[..., Path]) -> None:
    _import(sessions, applicants(2, "first.csv"))
    corrected = applicants(2, "second.csv", changes={1: {"employees_total": 999}})
    report = _import(sessions, corrected)

    assert (report.added, report.unchanged) == (1, 1)
    code = synthetic_profile(1)["credit_code"]
    with sessions() as session:
        versions = session.scalars(select(ProfileVersion).where(ProfileVersion.company_code == code)
                                   .order_by(ProfileVersion.version)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["employees_total"] == synthetic_profile(1)["employees_total"]
    assert versions[1].data["employees_total"] == 999


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_with_or_without_bom(sessions: sessionmaker[Session],
                                                 applicants: Callable[..., Path], encoding: str) -> None:
    path = applicants(3, encoding=encoding)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")

    report = _import(sessions, path)

    assert (report.added, report.problems) == (3, [])
    with sessions() as session:
        names = set(session.scalars(select(Company.name)))
    assert names == {f"测试企业{i:05d}有限公司" for i in range(3)}


def test_xlsx_with_typed_cells_and_the_way_officials_type(sessions: sessionmaker[Session],
                                                          tmp_path: Path) -> None:
    """Excel numbers and dates, 是/否, 2014/6/18, thousands separators, 福田区, English headers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["credit_code", "企业名称", "数据所属年度", "注册登记所在区", "注册成立日期",
                  "纳入本区规模以上统计（规上企业）", "职工总数", "研发费用（最近一年）",
                  "迁入或新注册于本区日期"])
    sheet.append(["91440300MA5F3K7L04", "深圳市福田启明智能科技有限公司", 2019, "福田区",
                  dt.datetime(2014, 6, 18), "是", 100.0, "2,600,000.50", "2014/6/18"])
    sheet.append([None] * 9)  # a blank row Excel leaves behind
    path = tmp_path / "list.xlsx"
    book.save(path)

    report = _import(sessions, path)

    assert (report.rows, report.added, report.problems) == (1, 1, [])
    with sessions() as session:
        profile = parse_profile(session.scalars(select(ProfileVersion.data)).one())
    assert profile.registered_district == "futian"
    assert profile.registration_date == dt.date(2014, 6, 18)
    assert profile.settled_in_district_date == dt.date(2014, 6, 18)
    assert profile.above_scale is True and profile.employees_total == 100
    assert str(profile.rd_expense_y1) == "2600000.50"


def test_rows_repeating_a_company_and_year(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    same, other = synthetic_profile(0), {**synthetic_profile(0), "name": "改名后的企业"}
    path = tmp_path / "dupes.csv"
    write_applicants(path, [same, same, other])

    report = _import(sessions, path)

    assert (report.added, report.unchanged) == (1, 1)
    assert [(p.row, p.field) for p in report.problems] == [(4, "credit_code")]
    assert "第2行" in report.problems[0].reason


@pytest.mark.parametrize(("name", "words"), [
    ("unknown_column.csv", ["未知列名", "备注说明"]),
    ("no_credit_code_column.csv", ["缺少必填列", "统一社会信用代码"]),
    ("repeated_column.csv", ["第4列", "重复", "职工总数"]),
    ("empty.csv", ["文件为空"]),
    ("undecodable.csv", ["not UTF-8 or GBK"]),
    ("corrupt.xlsx", ["不是有效的 xlsx"]),
    ("applicants.txt", [".csv", ".xlsx"]),
    ("missing.csv", ["无法读取"]),
])
def test_unreadable_files_store_nothing(sessions: sessionmaker[Session], name: str,
                                        words: list[str]) -> None:
    with pytest.raises(ImportFileError) as caught:
        _import(sessions, INVALID / name)

    for word in words:
        assert word in caught.value.message
    with sessions() as session:
        assert [_count(session, m) for m in (Company, ProfileVersion, AuditEntry)] == [0, 0, 0]


def test_a_file_failing_halfway_leaves_nothing_half_written(sessions: sessionmaker[Session],
                                                            tmp_path: Path) -> None:
    """Past the row limit the file is refused while its rows stream: the rows already stored in
    the transaction go with the rollback."""
    path = tmp_path / "broken.csv"
    write_applicants(path, [synthetic_profile(i) for i in range(5)])

    with sessions() as session:
        with pytest.raises(ImportFileError, match="超过 3 行上限"):
            import_file(session, path, "test", max_rows=3)
        session.rollback()
        assert [_count(session, m) for m in (Company, ProfileVersion, AuditEntry)] == [0, 0, 0]


def test_an_overlong_line_is_that_rows_problem(cli: Callable[..., Result],
                                               sessions: sessionmaker[Session],
                                               tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    write_applicants(path, [synthetic_profile(i) for i in range(5)])
    with path.open("a", encoding="utf-8") as stream:
        stream.write('91440300MA5F3K7L04,"' + "x" * 200_000 + '"\n')

    result = cli("import", path)

    assert "第7行" in result.output and "新增5 added" in result.output


def test_import_command_prints_the_row_report(cli: Callable[..., Result], tmp_path: Path,
                                              sessions: sessionmaker[Session]) -> None:
    rows = [synthetic_profile(0), {**synthetic_profile(1), "employees_total": "很多"}]
    path = tmp_path / "list.csv"
    write_applicants(path, rows, "gbk")

    first = cli("import", path, "--entered-by", "赵六")
    second = cli("import", path)

    assert "第3行 row 3, 列 column 「职工总数」(employees_total): “很多”应为整数" in first.output
    assert "新增1 added" in first.output and "有误1 rejected" in first.output
    assert "新增0 added, 未变1 unchanged" in second.output
    with sessions() as session:
        assert session.scalars(select(ProfileVersion.entered_by)).all() == ["赵六"]
        assert session.scalars(select(AuditEntry.action)).all() == ["import", "import"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_every_profile_field_in_chinese_and_imports(
        cli: Callable[..., Result], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"template.{fmt}"
    cli("import-template", "--format", fmt, "--out", out)

    if fmt == "csv":
        header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header == [info.json_schema_extra["zh"] for info in FACT_FIELDS.values()]
    result = cli("import", out)
    assert "共0行 0 rows" in result.output
