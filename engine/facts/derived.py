"""Derived quantities: named values computed from profile facts and the assessment date.

Formulas live here because they are arithmetic, not law: thresholds and amounts stay in the rule
files. Each quantity names its inputs, so explanations can show them, and ratios name their
numerator and denominator, so a failed threshold can say how much more of the numerator is needed.
All arithmetic is Decimal; a quantity is None (unknown) when an input it needs is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from .kinds import UNDEFINED, FactKind
from .profile import Profile

Value = Decimal | bool | int | dt.date | object | None  # object: kinds.UNDEFINED


@dataclass(frozen=True)
class Derived:
    """A derived quantity: its labels, kind, inputs and formula."""

    name: str
    zh: str
    en: str
    kind: FactKind
    inputs: tuple[str, ...]  # needed: the quantity is unknown while one is missing
    compute: Callable[[Profile, dt.date], Value]
    formula: dict[str, str] = field(default_factory=dict)
    # For ratios: the parts, so a gap can be stated in units of the numerator.
    parts: Callable[[Profile, dt.date], tuple[Decimal, Decimal] | None] | None = None
    numerator_unit: str | None = None
    optional: tuple[str, ...] = ()  # refine the result when known, never make it unknown
    numerator: dict[str, str] = field(default_factory=dict)  # what a ratio's gap is counted in
    unit: str | None = None  # days, years: how a value and a gap are shown


REGISTRY: dict[str, Derived] = {}


def derived(**spec: Any) -> Callable[[Callable[[Profile, dt.date], Value]], Derived]:
    """Register a derived quantity whose formula is the decorated function."""

    def register(func: Callable[[Profile, dt.date], Value]) -> Derived:
        quantity = Derived(compute=func, **spec)
        REGISTRY[quantity.name] = quantity
        return quantity

    return register


_RATIO_CONTEXT = Context(prec=40)  # a context of its own: no per-call localcontext to enter


def _ratio(parts: tuple[Decimal, Decimal] | None) -> Value:
    """numerator ÷ denominator to 40 significant digits: enough that rounding to the 1e-9 unit the
    engine compares ratios in is exact for any money or count the profile can hold. A zero
    denominator is known but has no ratio: UNDEFINED, which each rule decides as it says."""
    if parts is None:
        return None
    if parts[1] == 0:
        return UNDEFINED
    return _RATIO_CONTEXT.divide(parts[0], parts[1])


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if any(v is None for v in values) else sum(values, Decimal(0))  # type: ignore[arg-type]


def _years_in_period(profile: Profile) -> list[int]:
    """Which of y1..y3 count: the last three years, or fewer if the firm is younger."""
    if profile.fiscal_year and profile.registration_date:
        first = profile.registration_date.year
        return [i for i in (1, 2, 3) if profile.fiscal_year - i + 1 >= first] or [1]
    return [1, 2, 3]


def _rd_parts(profile: Profile, _as_of: dt.date) -> tuple[Decimal, Decimal] | None:
    years = _years_in_period(profile)
    rd = _sum([getattr(profile, f"rd_expense_y{i}") for i in years])
    sales = _sum([getattr(profile, f"sales_revenue_y{i}") for i in years])
    return None if rd is None or sales is None else (rd, sales)


def _domestic_parts(profile: Profile, _as_of: dt.date) -> tuple[Decimal, Decimal] | None:
    years = _years_in_period(profile)
    rd = _sum([getattr(profile, f"rd_expense_y{i}") for i in years])
    if rd is None or profile.rd_expense_domestic_3y is None:
        return None
    return (profile.rd_expense_domestic_3y, rd)


def _staff_parts(profile: Profile, _as_of: dt.date) -> tuple[Decimal, Decimal] | None:
    if profile.st_staff is None or profile.employees_total is None:
        return None
    return (Decimal(profile.st_staff), Decimal(profile.employees_total))


def _high_tech_parts(profile: Profile, _as_of: dt.date) -> tuple[Decimal, Decimal] | None:
    if profile.high_tech_revenue_y1 is None or profile.total_revenue_y1 is None:
        return None
    return (profile.high_tech_revenue_y1, profile.total_revenue_y1)


@derived(
    name="rd_intensity_3y",
    numerator={"zh": "近三年研发费用", "en": "R&D expense over the period"},
    zh="近三年研发费用占同期销售收入比例",
    en="R&D expense as a share of sales revenue over the last three years",
    kind=FactKind("ratio"),
    inputs=("rd_expense_y1", "rd_expense_y2", "rd_expense_y3", "sales_revenue_y1",
            "sales_revenue_y2", "sales_revenue_y3"),
    optional=("fiscal_year", "registration_date"),
    formula={"zh": "研发费用合计 ÷ 销售收入合计（成立不足三年的按实际年数）",
             "en": "total R&D ÷ total sales (fewer years if the firm is younger)"},
    parts=_rd_parts,
    numerator_unit="yuan",
)
def rd_intensity_3y(profile: Profile, as_of: dt.date) -> Value:
    return _ratio(_rd_parts(profile, as_of))


@derived(
    name="domestic_rd_share_3y",
    numerator={"zh": "境内研发费用", "en": "R&D spent in China"},
    zh="境内研发费用占全部研发费用比例（近三年）",
    en="Share of R&D spent in China, last three years",
    kind=FactKind("ratio"),
    inputs=("rd_expense_domestic_3y", "rd_expense_y1", "rd_expense_y2", "rd_expense_y3"),
    formula={"zh": "境内研发费用 ÷ 研发费用合计", "en": "domestic R&D ÷ total R&D"},
    parts=_domestic_parts,
    numerator_unit="yuan",
)
def domestic_rd_share_3y(profile: Profile, as_of: dt.date) -> Value:
    return _ratio(_domestic_parts(profile, as_of))


@derived(
    name="st_staff_share",
    numerator={"zh": "科技人员", "en": "S&T staff"},
    zh="科技人员占职工总数比例",
    en="S&T staff as a share of total employees",
    kind=FactKind("ratio"),
    inputs=("st_staff", "employees_total"),
    formula={"zh": "科技人员数 ÷ 职工总数", "en": "S&T staff ÷ total employees"},
    parts=_staff_parts,
    numerator_unit="persons",
)
def st_staff_share(profile: Profile, as_of: dt.date) -> Value:
    return _ratio(_staff_parts(profile, as_of))


@derived(
    name="high_tech_revenue_share",
    numerator={"zh": "高新技术产品（服务）收入", "en": "high-tech revenue"},
    zh="高新技术产品（服务）收入占总收入比例",
    en="High-tech product and service revenue as a share of total revenue",
    kind=FactKind("ratio"),
    inputs=("high_tech_revenue_y1", "total_revenue_y1"),
    formula={"zh": "高新技术产品（服务）收入 ÷ 总收入", "en": "high-tech revenue ÷ total revenue"},
    parts=_high_tech_parts,
    numerator_unit="yuan",
)
def high_tech_revenue_share(profile: Profile, as_of: dt.date) -> Value:
    return _ratio(_high_tech_parts(profile, as_of))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_between(start: dt.date, end: dt.date) -> Decimal:
    """Exact years from `start` to `end`: whole anniversaries passed, plus the days since the last
    one as a share of that anniversary year. A whole number exactly on an anniversary, so "three
    years" compares as the calendar does (leap days included); negative when `end` is earlier."""
    if end < start:
        return -years_between(end, start)
    whole = end.year - start.year
    if _add_years(start, whole) > end:
        whole -= 1
    last, following = _add_years(start, whole), _add_years(start, whole + 1)
    return whole + Decimal((end - last).days) / Decimal((following - last).days)


@derived(
    name="days_since_registration",
    zh="注册成立天数（至评估日期）",
    en="Days since incorporation, to the assessment date",
    kind=FactKind("count"),
    unit="days",
    inputs=("registration_date",),
    formula={"zh": "评估日期 − 注册成立日期（天）", "en": "assessment date − incorporation date, in days"},
)
def days_since_registration(profile: Profile, as_of: dt.date) -> Value:
    registered = profile.registration_date
    return None if registered is None else (as_of - registered).days


@derived(
    name="years_since_registration",
    zh="注册成立年限（至评估日期）",
    en="Years since incorporation, to the assessment date",
    kind=FactKind("number"),
    unit="years",
    inputs=("registration_date",),
    formula={"zh": "自注册成立日期起的周年数（不足一年按天折算）",
             "en": "anniversaries since incorporation (part years in days)"},
)
def years_since_registration(profile: Profile, as_of: dt.date) -> Value:
    registered = profile.registration_date
    return None if registered is None else years_between(registered, as_of)


@derived(
    name="years_since_hnte_certificate",
    zh="高新技术企业证书发证年限（至评估日期）",
    en="Years since the HNTE certificate was issued, to the assessment date",
    kind=FactKind("number"),
    unit="years",
    inputs=("hnte_certificate_date",),
    formula={"zh": "自发证日期起的周年数（不足一年按天折算；尚未发证为负数）",
             "en": "anniversaries since the certificate date (part years in days; negative "
                   "before it)"},
)
def years_since_hnte_certificate(profile: Profile, as_of: dt.date) -> Value:
    issued = profile.hnte_certificate_date
    return None if issued is None else years_between(issued, as_of)


@derived(
    name="calendar_years_since_hnte_certificate",
    zh="评估年份与高新技术企业证书发证年份之差",
    en="Assessment year less the year the HNTE certificate was issued",
    kind=FactKind("count"),
    unit="years",
    inputs=("hnte_certificate_date",),
    formula={"zh": "评估年份 − 发证年份", "en": "assessment year − certificate year"},
)
def calendar_years_since_hnte_certificate(profile: Profile, as_of: dt.date) -> Value:
    issued = profile.hnte_certificate_date
    return None if issued is None else as_of.year - issued.year


@derived(
    name="calendar_years_since_settlement",
    zh="评估年份与迁入或新注册于本区年份之差",
    en="Assessment year less the year the firm moved into or registered in its district",
    kind=FactKind("count"),
    unit="years",
    inputs=("settled_in_district_date",),
    formula={"zh": "评估年份 − 迁入年份", "en": "assessment year − year moved in"},
)
def calendar_years_since_settlement(profile: Profile, as_of: dt.date) -> Value:
    moved = profile.settled_in_district_date
    return None if moved is None else as_of.year - moved.year


def _rd_y1_parts(profile: Profile, _as_of: dt.date) -> tuple[Decimal, Decimal] | None:
    if profile.rd_expense_y1 is None or profile.total_revenue_y1 is None:
        return None
    return (profile.rd_expense_y1, profile.total_revenue_y1)


@derived(
    name="rd_intensity_y1",
    numerator={"zh": "上年度研发费用", "en": "latest-year R&D expense"},
    zh="上年度研发费用占营业收入比例",
    en="Latest-year R&D expense as a share of revenue",
    kind=FactKind("ratio"),
    inputs=("rd_expense_y1", "total_revenue_y1"),
    formula={"zh": "研发费用（最近一年）÷ 总收入（最近一年）",
             "en": "R&D expense, latest year ÷ total revenue, latest year"},
    parts=_rd_y1_parts,
    numerator_unit="yuan",
)
def rd_intensity_y1(profile: Profile, as_of: dt.date) -> Value:
    return _ratio(_rd_y1_parts(profile, as_of))


@derived(
    name="net_profit_avg_2y",
    zh="近两年平均净利润",
    en="Average net profit over the last two years",
    kind=FactKind("money"),
    inputs=("net_profit_y1", "net_profit_y2"),
    formula={"zh": "（最近一年净利润 + 前第二年净利润）÷ 2",
             "en": "(net profit, latest year + net profit, year before) ÷ 2"},
)
def net_profit_avg_2y(profile: Profile, as_of: dt.date) -> Value:
    total = _sum([profile.net_profit_y1, profile.net_profit_y2])
    return None if total is None else total / 2


def compute_all(profile: Profile, as_of: dt.date, names: set[str] | None = None) -> dict[str, Value]:
    """Compute the named derived quantities (all when `names` is None), None where unknown."""
    chosen = REGISTRY.values() if names is None else (REGISTRY[n] for n in names)
    return {q.name: q.compute(profile, as_of) for q in chosen}
