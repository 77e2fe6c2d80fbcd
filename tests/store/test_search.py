"""Finding a firm among many: by a part of its name or a prefix of its credit code, a page at a
time; and one firm across its profile versions and the runs that screened it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.store.company import UnknownCompany, company_history
from engine.store.models import DecisionRow
from engine.store.search import SearchError, search_companies
from tests.synthetic import synthetic_profile

from .test_screening import AS_OF


def _code(i: int) -> str:
    return synthetic_profile(i)["credit_code"]


def test_a_part_of_the_name_finds_those_firms_a_page_at_a_time(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("import", applicants(12))
    with sessions() as session:
        # 测试企业00000..00009 contain "企业0000"; 00010 and 00011 do not.
        first = search_companies(session, "企业0000", per_page=4)
        assert (first.by, first.total, first.pages, len(first.hits)) == ("name", 10, 3, 4)
        last = search_companies(session, " 企业0000 ", page=3, per_page=4)
        assert len(last.hits) == 2
        assert search_companies(session, "企业0000", page=99, per_page=4).page == 3
        every = {h.credit_code for p in (1, 2, 3)
                 for h in search_companies(session, "企业0000", page=p, per_page=4).hits}
        assert every == {_code(i) for i in range(10)}
        assert search_companies(session, "企业00011").hits[0].name == "测试企业00011有限公司"
        # Wildcards typed by an official are searched for, not obeyed.
        assert search_companies(session, "%").total == 0
        assert search_companies(session, "企业_0001").total == 0


def test_a_credit_code_prefix_or_the_whole_code_finds_the_firm(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("import", applicants(40))
    code = _code(33)
    with sessions() as session:
        exact = search_companies(session, code.lower())
        assert exact.by == "code" and [h.credit_code for h in exact.hits] == [code]
        prefix = search_companies(session, code[:16], per_page=100)
        expected = sorted(_code(i) for i in range(40) if _code(i).startswith(code[:16]))
        assert [h.credit_code for h in prefix.hits] == expected and code in expected
        assert search_companies(session, "91440300", per_page=100).total == 40
        assert search_companies(session, "91440301").total == 0
        hit = exact.hits[0]
        assert (hit.profile_versions, hit.latest_year, hit.runs) == (1, 2019, 0)


@pytest.mark.parametrize("query", ["", "   ", "企" * 101])
def test_an_empty_or_overlong_search_is_refused_with_a_reason(
        sessions: sessionmaker[Session], query: str) -> None:
    with sessions() as session, pytest.raises(SearchError) as error:
        search_companies(session, query)
    assert "企业名称" in error.value.message or "100" in error.value.message


def test_a_company_across_its_versions_and_runs(
        cli: Callable[..., Result], sessions: sessionmaker[Session],
        applicants: Callable[..., Path]) -> None:
    cli("import", applicants(3), "--entered-by", "李四")
    cli("screen", "--all", "--as-of", AS_OF, "--workers", "0")
    corrected = applicants(3, name="更正.csv", changes={1: {"employees_total": 401, "st_staff": 1}})
    cli("import", corrected, "--entered-by", "王五", "--source", "verified")
    cli("screen", "--all", "--as-of", AS_OF, "--workers", "0")
    with sessions() as session:
        history = company_history(session, _code(1).lower())
        assert history.name == "测试企业00001有限公司"
        newest, oldest = history.versions
        assert (newest.version, newest.source, newest.entered_by) == (2, "verified", "王五")
        assert newest.origin == "导入名单 imported list 更正.csv"
        assert oldest.origin == "导入名单 imported list applicants.csv" and oldest.changed == ()
        assert set(newest.changed) == {"employees_total", "st_staff"}
        assert [(r.run_id, r.version) for r in history.runs] == [(2, 2), (1, 1)]
        for run in history.runs:
            stored = session.scalar(select(func.count()).select_from(DecisionRow).where(
                DecisionRow.run_id == run.run_id, DecisionRow.profile_id == run.profile_id))
            assert len(run.decisions) == stored > 0 and run.static > 0
            assert not run.signed_off and run.error is None
        # The same facts, now verified, are a version of their own with no fact changed.
        other = company_history(session, _code(0))
        assert [r.version for r in other.runs] == [2, 1] and other.versions[0].changed == ()
        with pytest.raises(UnknownCompany):
            company_history(session, "91440300MA5F3K7L05")


def test_the_commands_find_a_firm_and_show_it_across_runs(
        cli: Callable[..., Result], applicants: Callable[..., Path]) -> None:
    cli("screen", applicants(5), "--as-of", AS_OF, "--workers", "0")
    found = cli("companies", "search", "企业0000", "--per-page", "2").output
    assert "5 家企业" in found and "第1/3页" in found and _code(0) in found
    shown = cli("companies", "show", _code(2)).output
    assert "测试企业00002有限公司" in shown and "run 1 as of 2020-06-01" in shown
    assert "导入名单 imported list applicants.csv" in shown
    assert "no company" in cli("companies", "show", "91440300MA5F3K7L05", code=1).output
