"""`subsidy rules list` and `subsidy rules show`: what an official reads."""

from __future__ import annotations

from click.testing import CliRunner

from engine.cli import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_list_shows_each_futian_line_with_its_budget_and_status() -> None:
    result = run("rules", "list", "--program", "futian.st")
    assert result.exit_code == 0
    assert "26,380万元" in result.output
    assert "26条预算科目合计26,380万元，与总额一致；每条科目均有对应项目" in result.output
    assert "(26) 500万元 一事一议项目" in result.output
    assert "无法评估" in result.output and "部分推定" in result.output
    assert "shanghai" not in result.output


def test_list_in_english() -> None:
    result = run("rules", "list", "--lang", "en")
    assert result.exit_code == 0
    assert "Huangpu HNTE reward: first certification" in result.output
    assert "not assessable" in result.output


def test_list_refuses_an_unknown_program() -> None:
    result = run("rules", "list", "--program", "futian")
    assert result.exit_code == 1
    assert "unknown program `futian`" in result.output


def test_show_prints_criteria_with_citations_and_the_amount() -> None:
    result = run("rules", "show", "futian.rd_input")
    assert result.exit_code == 0
    assert "预算科目：(9) 3,000万元" in result.output
    assert "上年度经统计部门核定的研发投入超过50万元" in result.output
    assert "10% × 统计部门核定的上年度研发投入，最高200万元" in result.output
    assert "排除情形：列入严重失信主体名单" in result.output


def test_show_as_of_picks_the_version_in_force() -> None:
    result = run("rules", "show", "futian.ip_pledge", "--as-of", "2022-05-01", "--lang", "en")
    assert result.exit_code == 0
    assert "2022 application guide" in result.output
    assert "2021 application guide" not in result.output
    assert "No second Futian interest subsidy" in result.output


def test_show_without_a_version_in_force_says_so() -> None:
    result = run("rules", "show", "shanghai.tech_sme_fund", "--as-of", "2024-01-01", "--lang", "en")
    assert result.exit_code == 0
    assert "no version in force on 2024-01-01" in result.output


def test_show_not_assessable_gives_the_reason() -> None:
    result = run("rules", "show", "shanghai.art16_vouchers", "--lang", "en")
    assert "Why not assessable: Art. 16" in result.output
    assert "第十六条" in result.output


def test_show_suggests_a_close_item_id() -> None:
    result = run("rules", "show", "futian.rd_inputs")
    assert result.exit_code == 1
    assert "did you mean `futian.rd_input`" in result.output
