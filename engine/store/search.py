"""Find companies by name or credit code, a page at a time, over every stored firm.

A query of credit-code characters (digits and capital letters, at least four) is a code prefix
(an exact code is a prefix of itself); anything else is a part of the name (Chinese or not,
case-insensitive for Latin letters). Both are index searches on PostgreSQL (a pattern-ops
B-tree for the prefix, a pg_trgm GIN index for the name part, migration 0005); on SQLite the
prefix is a range over the primary key and the name part a scan, which is quick for a district's
firms on one machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from engine.errors import SubsidyError
from engine.facts.uscc import ALPHABET

from .models import Company, ProfileVersion, RunProfile

QUERY_MAX = 100  # characters of a search
CODE_PREFIX_MIN = 4  # shorter runs of code characters are searched as names ("ABC", "2019")
_CODE_CHARS = re.compile(f"[{re.escape(ALPHABET)}]+")


class SearchError(SubsidyError):
    code = "bad_search"


@dataclass(frozen=True)
class CompanyHit:
    credit_code: str
    name: str | None
    district: str | None
    profile_versions: int  # stored versions, all fiscal years
    latest_year: int | None  # the latest fiscal year stored
    runs: int  # runs that screened one of its versions


@dataclass(frozen=True)
class CompanyPage:
    query: str
    by: str  # "code" or "name"
    hits: list[CompanyHit]
    total: int
    page: int
    pages: int


def _is_code_prefix(query: str) -> bool:
    return len(query) >= CODE_PREFIX_MIN and _CODE_CHARS.fullmatch(query) is not None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _code_filter(session: Session, prefix: str) -> object:
    if len(prefix) == 18:  # a whole code: the primary key
        return Company.credit_code == prefix
    if session.get_bind().dialect.name == "postgresql":
        return Company.credit_code.like(prefix + "%")  # code characters hold no wildcard
    # SQLite compares bytes (BINARY), so the codes with this prefix are one range of its key.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(Company.credit_code >= prefix, Company.credit_code < upper)


def _matching(session: Session, query: str) -> tuple[str, Select[tuple[str]]]:
    if _is_code_prefix(query.upper()):
        return "code", select(Company.credit_code).where(_code_filter(session, query.upper()))
    pattern = f"%{_escape_like(query)}%"
    return "name", select(Company.credit_code).where(Company.name.ilike(pattern, escape="\\"))


def search_companies(session: Session, query: str, page: int = 1,
                     per_page: int = 20) -> CompanyPage:
    """The companies whose credit code starts with `query` or whose name contains it, by code,
    page `page` (from 1; past the end gives the last page).

    Raises:
        SearchError: an empty or overlong query.
    """
    query = " ".join(query.split())
    if not query:
        raise SearchError("请输入企业名称或统一社会信用代码 enter a company name or credit code")
    if len(query) > QUERY_MAX:
        raise SearchError(f"查询过长（最多{QUERY_MAX}字）the search is longer than {QUERY_MAX} "
                          "characters", length=len(query))
    by, codes = _matching(session, query)
    total = session.scalar(select(func.count()).select_from(codes.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    if session.get_bind().dialect.name == "postgresql":
        # OFFSET 0 keeps the match inside its subquery (an optimisation fence): otherwise the
        # planner walks the primary key in order and filters every row to find a rare match.
        matched = codes.offset(0).subquery()
        ordered = select(matched.c.credit_code).order_by(matched.c.credit_code)
    else:
        ordered = codes.order_by(Company.credit_code)
    chosen = list(session.scalars(ordered.limit(per_page).offset((page - 1) * per_page)))
    return CompanyPage(query, by, _hits(session, chosen), total, page, pages)


def _hits(session: Session, codes: list[str]) -> list[CompanyHit]:
    """The page's companies with their counts: three grouped queries over these codes only."""
    if not codes:
        return []
    companies = {c.credit_code: c for c in session.scalars(
        select(Company).where(Company.credit_code.in_(codes)))}
    versions = {code: (n, year) for code, n, year in session.execute(
        select(ProfileVersion.company_code, func.count(), func.max(ProfileVersion.fiscal_year))
        .where(ProfileVersion.company_code.in_(codes)).group_by(ProfileVersion.company_code))}
    runs = dict(session.execute(
        select(ProfileVersion.company_code, func.count(func.distinct(RunProfile.run_id)))
        .join(RunProfile, RunProfile.profile_id == ProfileVersion.id)
        .where(ProfileVersion.company_code.in_(codes)).group_by(ProfileVersion.company_code)).all())
    return [CompanyHit(code, companies[code].name, companies[code].district,
                       versions.get(code, (0, None))[0], versions.get(code, (0, None))[1],
                       runs.get(code, 0)) for code in codes]
