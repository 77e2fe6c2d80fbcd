"""The company profile: one firm's facts for one fiscal year, each optional.

A missing fact is unknown, never zero: criteria that need it come out `unknown` and the item
`undetermined`, listing the facts to supply. Money is Decimal yuan; counts are non-negative ints.
"y1" is the latest completed fiscal year (the year before the application), y2 and y3 the two
before it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from engine.errors import FactProblem, FactProblems

from . import bounds
from .enums import (
    City,
    Collateral,
    District,
    FactSource,
    IPOwner,
    LoanProduct,
    TalentClass,
    TalentProgramme,
    TechField,
)
from .uscc import uscc_problem


def _no_number_as_date(value: Any) -> Any:
    """A date must be written as one: pydantic would read 0 or "20200101" as seconds since 1970."""
    if isinstance(value, bool | int | float | Decimal) or (
            isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()):
        raise FactProblem("应为日期，如 2020-06-30，而不是数字", f"a date like 2020-06-30, "
                          f"not the number {value}")
    return value


# The limits of engine.facts.bounds, one place for every field (see there for why).
Yuan = Annotated[Decimal, Field(ge=0, le=bounds.MONEY_MAX, max_digits=bounds.MONEY_DIGITS,
                                decimal_places=bounds.MONEY_PLACES)]
SignedYuan = Annotated[Decimal, Field(ge=-bounds.MONEY_MAX, le=bounds.MONEY_MAX,  # profits may be negative
                                      max_digits=bounds.MONEY_DIGITS, decimal_places=bounds.MONEY_PLACES)]
Count = Annotated[int, Field(ge=0, le=bounds.COUNT_MAX)]
Points = Annotated[Decimal, Field(ge=0, le=100, decimal_places=bounds.POINTS_PLACES)]
Day = Annotated[dt.date, BeforeValidator(_no_number_as_date),
                Field(ge=bounds.DATE_MIN, le=bounds.DATE_MAX)]


class Provenance(BaseModel):
    """Where one fact came from and when it was stated; explanations show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: FactSource
    date: Day | None = None


def fact(zh: str, en: str, topic: str, unit: str | None = None, yearly: bool = False,
         fixed: bool = False, first: bool = False, **kw: Any) -> Any:
    """A profile field with the labels and unit that forms and explanations show; `yearly`
    marks a figure of the profile's fiscal year (revenue, R&D, staff), which decisions compare
    with the year the round reviews; `fixed` marks what the firm cannot change by acting now
    (where and when it registered, its history, past years' figures, records), as opposed to
    S&T staff, this year's R&D spend or a certificate: paths to eligibility say which is which;
    `first` marks where the firm is registered and what kind of firm it is, which a region-first
    form asks before the rest (then only the questions of the items for that region)."""
    extra: dict[str, Any] = {"zh": zh, "en": en, "topic": topic, "changeable": not fixed}
    if first:
        extra["ask_first"] = True
    if unit:
        extra["unit"] = unit
    if yearly:
        extra["yearly"] = True
    return Field(default=None, title=en, description=zh, json_schema_extra=extra, **kw)


class Profile(BaseModel):
    """One company's facts for one fiscal year."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    # identity and location
    credit_code: str | None = fact("统一社会信用代码", "Unified social credit code", "identity", fixed=True,
                                max_length=bounds.INPUT_MAX_CHARS)
    name: str | None = fact("企业名称", "Company name", "identity",
                            max_length=bounds.NAME_MAX, fixed=True)
    fiscal_year: int | None = fact("数据所属年度", "Fiscal year of the figures", "identity",
                                   ge=1990, le=2100, fixed=True)
    city: City | None = fact("所在城市", "City", "identity", fixed=True, first=True)
    registered_district: District | None = fact("注册登记所在区", "District of registration",
                                                "identity", fixed=True, first=True)
    tax_district: District | None = fact("税务关系所在区", "District of tax registration",
                                         "identity", fixed=True)
    statistics_district: District | None = fact("统计关系所在区",
                                                "District of statistical reporting", "identity", fixed=True)
    registration_date: Day | None = fact("注册成立日期", "Date of incorporation", "identity", fixed=True)
    settled_in_district_date: Day | None = fact(
        "迁入或新注册于本区日期", "Date it registered in or moved into its district", "identity", fixed=True)
    moved_in_from_elsewhere: bool | None = fact(
        "由其他区县或城市迁入本区（非在本区新设立）",
        "Moved in from another district or city (not founded in its district)", "identity", fixed=True)
    independent_legal_person: bool | None = fact("具有独立法人资格", "Independent legal person",
                                                 "identity", first=True)
    above_scale: bool | None = fact("纳入本区规模以上统计（规上企业）",
                                    "Counted as above-scale in district statistics", "identity",
                                    first=True)
    registered_in_mainland: bool | None = fact("在中国境内（不含港澳台）注册的居民企业",
                                               "Resident enterprise registered in mainland China",
                                               "identity", fixed=True, first=True)
    small_micro_enterprise: bool | None = fact("属于小微企业", "Small or micro enterprise",
                                               "identity", first=True)
    listed_company: bool | None = fact("上市企业", "Listed company", "identity", fixed=True,
                                       first=True)
    zhangjiang_zone: bool | None = fact("位于张江国家自主创新示范区",
                                        "Located in the Zhangjiang National Innovation "
                                        "Demonstration Zone", "identity", fixed=True)

    # compliance
    serious_dishonesty_listed: bool | None = fact(
        "列入严重失信主体名单", "On the serious-dishonesty list", "compliance", fixed=True)
    major_incident_prior_year: bool | None = fact(
        "申请前一年内发生重大安全、质量事故或严重环境违法",
        "Major safety or quality accident, or serious environmental violation, in the year "
        "before applying", "compliance", fixed=True)

    restricted_industry: bool | None = fact(
        "产品（服务）属于国家禁止、限制或淘汰类",
        "Products or services in a prohibited, restricted or eliminated category", "compliance", fixed=True)
    major_incident_or_misconduct_2y: bool | None = fact(
        "填报上一年及当年发生重大安全、质量事故，严重环境违法或科研严重失信行为",
        "Major safety or quality accident, serious environmental violation or serious research "
        "misconduct in the reporting year or the year before", "compliance", fixed=True)
    abnormal_operations_listed: bool | None = fact("列入经营异常名录",
                                                   "On the abnormal-operations list", "compliance",
                                                   fixed=True)

    # staff
    employees_total: Count | None = fact("职工总数", "Total employees", "staff", "persons", yearly=True)
    st_staff: Count | None = fact("科技人员数", "S&T staff (R&D and related innovation)",
                                  "staff", "persons", yearly=True)
    social_insurance_records: bool | None = fact("在本地有社会保险缴纳记录",
                                                 "Pays social insurance locally", "staff")

    # finance
    sales_revenue_y1: Yuan | None = fact("销售收入（最近一年）", "Sales revenue, latest year",
                                         "finance", "yuan", yearly=True)
    sales_revenue_y2: Yuan | None = fact("销售收入（前第二年）", "Sales revenue, year before",
                                         "finance", "yuan", yearly=True, fixed=True)
    sales_revenue_y3: Yuan | None = fact("销售收入（前第三年）", "Sales revenue, two years before",
                                         "finance", "yuan", yearly=True, fixed=True)
    total_revenue_y1: Yuan | None = fact("总收入（最近一年）", "Total revenue, latest year",
                                         "finance", "yuan", yearly=True)
    high_tech_revenue_y1: Yuan | None = fact(
        "高新技术产品（服务）收入（最近一年）", "High-tech product and service revenue, latest year",
        "finance", "yuan", yearly=True)
    total_assets_y1: Yuan | None = fact("资产总额（最近一年）", "Total assets, latest year",
                                        "finance", "yuan", yearly=True)
    net_profit_y1: SignedYuan | None = fact("净利润（最近一年）", "Net profit, latest year",
                                            "finance", "yuan", yearly=True)
    net_profit_y2: SignedYuan | None = fact("净利润（前第二年）", "Net profit, year before",
                                            "finance", "yuan", yearly=True, fixed=True)
    equity_financing_raised: Yuan | None = fact("已获股权融资额", "Equity financing raised",
                                                "finance", "yuan")
    rd_expense_y1: Yuan | None = fact("研发费用（最近一年）", "R&D expense, latest year",
                                      "rd", "yuan", yearly=True)
    rd_expense_y2: Yuan | None = fact("研发费用（前第二年）", "R&D expense, year before",
                                      "rd", "yuan", yearly=True, fixed=True)
    rd_expense_y3: Yuan | None = fact("研发费用（前第三年）", "R&D expense, two years before",
                                      "rd", "yuan", yearly=True, fixed=True)
    rd_expense_domestic_3y: Yuan | None = fact(
        "境内研发费用（近三年合计）", "R&D spent in China, last three years in total", "rd", "yuan",
        yearly=True)
    rd_expense_stats_verified: Yuan | None = fact(
        "统计部门核定的上年度研发投入", "Prior-year R&D input verified by the statistics bureau",
        "rd", "yuan", yearly=True)
    rd_expense_current_year: Yuan | None = fact(
        "本纳税年度可加计扣除的研发费用（费用化部分）",
        "R&D expense of the current tax year eligible for the super deduction (expensed part)",
        "rd", "yuan", yearly=True)
    rd_expense_declared: Yuan | None = fact("申报的上年度研发投入",
                                            "Prior-year R&D declared in the application", "rd",
                                            "yuan", yearly=True)
    rd_expense_audited: Yuan | None = fact("专项审计报告经专家核定的研发投入",
                                           "R&D found by expert review of the special R&D audit",
                                           "rd", "yuan", yearly=True)
    rd_expense_tax_reported: Yuan | None = fact("税务部门反馈的研发费用",
                                                "R&D reported back by the tax authority", "rd",
                                                "yuan", yearly=True)
    rd_ic_programme_funded: Yuan | None = fact(
        "已获市集成电路专项资助的研发费用", "R&D costs already funded by the city's "
        "integrated-circuit programme", "rd", "yuan", yearly=True)
    main_business_high_tech: bool | None = fact("主要从事高新技术产品研发、生产和服务",
                                                "Mainly engaged in high-tech products and "
                                                "services", "rd")

    # technology and certification
    owns_core_ip: bool | None = fact("拥有对主要产品（服务）起核心支持作用的知识产权所有权",
                                     "Owns IP that is core to its main products or services",
                                     "technology")
    tech_field: TechField | None = fact("核心技术所属国家重点支持的高新技术领域",
                                        "Field of its core technology (eight supported fields)",
                                        "technology")
    innovation_score: Points | None = fact(
        "企业创新能力评价得分", "Innovation capability score", "technology", "points")
    hnte_certificate_date: Day | None = fact("高新技术企业证书发证日期",
                                                 "Date of the HNTE certificate", "technology", fixed=True)
    received_futian_hnte_reward_before: bool | None = fact(
        "曾获福田区国高企业认定支持", "Has received the Futian HNTE reward before", "technology", fixed=True)
    tech_enterprise: bool | None = fact("科技型企业", "Recognised technology-based enterprise",
                                        "technology")
    on_strategic_emerging_list: bool | None = fact(
        "列入福田区战略性新兴产业企业名录", "On Futian's strategic-emerging-industry list",
        "technology")
    hnte_first_certification: bool | None = fact(
        "现有高新技术企业证书为首次认定", "The current HNTE certificate is the firm's first",
        "technology", fixed=True)
    tech_sme_score: Points | None = fact("科技型中小企业评价得分", "Tech-based SME evaluation score",
                                         "technology", "points")
    tech_sme_staff_score: Points | None = fact("科技型中小企业评价科技人员指标得分",
                                               "Tech-based SME evaluation: S&T staff score",
                                               "technology", "points")

    # innovation carriers, R&D institutions, talent teams, start-ups
    carrier_national_level: bool | None = fact(
        "承担国家级创新载体建设（重点实验室、工程实验室、工程（技术）研究中心、技术创新中心、企业技术中心、"
        "临床医学研究中心、制造业创新中心）", "Builds a national-level innovation carrier (key lab, "
        "engineering lab, engineering or technology research centre, technology innovation centre, "
        "enterprise technology centre, clinical research centre, manufacturing innovation centre)",
        "carriers")
    carrier_support_prior_year: Yuan | None = fact(
        "上年度获市级及以上创新载体资助额", "Prior-year municipal-or-higher support for the carrier",
        "carriers", "yuan", yearly=True)
    rd_institution_new_independent: bool | None = fact(
        "在福田区新设立的独立法人研发机构", "Newly established independent-legal-person R&D "
        "institution in Futian", "carriers")
    rd_institution_industry_relevant: bool | None = fact(
        "研发方向与福田区产业相关", "Its research is relevant to Futian's industries", "carriers")
    rd_institution_support_prior_year: Yuan | None = fact(
        "上年度获市级及以上研发机构资助额", "Prior-year municipal-or-higher support for the R&D "
        "institution", "carriers", "yuan", yearly=True)
    talent_team_programme: TalentProgramme | None = fact("人才团队所获计划", "Talent-team programme",
                                                         "carriers")
    talent_team_class: TalentClass | None = fact("人才团队层级（类别）", "Talent-team tier or class",
                                                 "carriers")
    talent_team_grant: Yuan | None = fact("人才团队获省、市资助额",
                                          "Grant the team received from the province or city",
                                          "carriers", "yuan")
    competition_top3_industry_final: bool | None = fact(
        "获中国（深圳）创新创业大赛行业决赛前三名", "Top 3 in an industry final of the China (or China "
        "(Shenzhen)) Innovation & Entrepreneurship Competition", "carriers")
    filed_outstanding_startup: bool | None = fact("列入福田区优秀创业企业备案",
                                                  "Filed as an outstanding start-up", "carriers")

    # S&T finance loans (Futian line 19)
    st_loan_product: LoanProduct | None = fact("科技金融贷款产品", "S&T finance loan product",
                                               "st_loan")
    st_loan_partner_bank: bool | None = fact("贷款来自合作银行", "Loan from a partner bank",
                                             "st_loan")
    st_loan_term_months: Count | None = fact("科技贷款期限", "S&T loan term", "st_loan", "months")
    st_loan_principal: Yuan | None = fact("科技贷款本金", "S&T loan principal", "st_loan", "yuan")
    st_loan_filed_in_grant_year: bool | None = fact(
        "贷款当年已在区科技主管部门备案", "Loan filed with the district S&T bureau in the year "
        "granted", "st_loan")
    st_loan_overdue: bool | None = fact("贷款存在逾期", "Loan has overdue payments", "st_loan")
    st_loan_repaid: bool | None = fact("科技贷款已还本付息", "S&T loan fully repaid", "st_loan")
    st_loan_interest_paid: Yuan | None = fact("科技贷款已付利息", "S&T loan interest paid",
                                              "st_loan", "yuan")
    st_loan_guarantee_fee: Yuan | None = fact("经指定担保机构发生的担保费",
                                              "Guarantee fee paid to a designated guarantor",
                                              "st_loan", "yuan")
    st_loan_project: str | None = fact(
        "科技贷款所融资的项目（名称或编号）", "Project the S&T finance loan finances (name or number)",
        "st_loan", max_length=bounds.NAME_MAX)

    # IP pledge loan
    ip_loan_collateral: Collateral | None = fact("质押物类型", "Pledged IP type", "ip_loan")
    ip_loan_term_months: Count | None = fact("贷款期限", "Loan term", "ip_loan", "months")
    ip_loan_drawn: bool | None = fact("贷款已实际发放", "Loan was drawn", "ip_loan")
    ip_loan_filed: bool | None = fact("贷款已在区科技主管部门备案",
                                      "Loan filed with the district S&T bureau", "ip_loan")
    ip_loan_repaid: bool | None = fact("贷款已还本付息", "Loan fully repaid", "ip_loan")
    ip_loan_principal: Yuan | None = fact("贷款本金", "Loan principal", "ip_loan", "yuan")
    ip_loan_interest_paid: Yuan | None = fact("已付利息", "Interest paid", "ip_loan", "yuan")
    ip_loan_service_fees: Yuan | None = fact(
        "经服务机构发生的担保、评估、服务费", "Guarantee, appraisal and service fees via a service "
        "institution", "ip_loan", "yuan")
    ip_owner: IPOwner | None = fact("质押知识产权权属", "Owner of the pledged IP", "ip_loan")
    ip_loan_other_subsidy_claimed: bool | None = fact(
        "同一项目已申请福田区其他贴息支持",
        "Same project already claims another Futian interest subsidy", "ip_loan")
    ip_loan_project: str | None = fact(
        "知识产权质押贷款所融资的项目（名称或编号）",
        "Project the IP pledge loan finances (name or number)", "ip_loan",
        max_length=bounds.NAME_MAX)

    # premises and relocation
    office_purchase_price: Yuan | None = fact("自购办公用房实际价格",
                                              "Price paid for purchased office premises",
                                              "premises", "yuan")
    office_annual_rent: Yuan | None = fact("办公用房年租金", "Annual office rent", "premises",
                                           "yuan")

    provenance: dict[str, Provenance] = Field(
        default_factory=dict,
        description="Where each fact came from: field name -> {source, date}.",
    )

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.strip().upper()
        problem = uscc_problem(value)
        if problem:
            raise FactProblem("统一社会信用代码有误", f"unified social credit code {problem}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        """The cross-field checks, all of them: a form shows every inconsistency at once."""
        problems = [p for p in (
            _not_above(self, "st_staff", "employees_total", "科技人员数大于职工总数",
                       "S&T staff above total staff"),
            _not_above(self, "high_tech_revenue_y1", "total_revenue_y1",
                       "高新技术产品（服务）收入大于总收入", "high-tech revenue above total revenue"),
        ) if p is not None]
        domestic, total = self.rd_expense_domestic_3y, _three_year_rd(self)
        if domestic is not None and total is not None and domestic > total:
            problems.append(FactProblem(
                "境内研发费用大于三年研发费用合计", "domestic R&D above total R&D of the three years",
                ("rd_expense_domestic_3y", "rd_expense_y1", "rd_expense_y2", "rd_expense_y3")))
        unknown = sorted(set(self.provenance) - set(type(self).model_fields))
        if unknown:
            names = ", ".join(unknown)
            problems.append(FactProblem(f"来源说明中有不存在的字段：{names}",
                                        f"names no profile field: {names}", ("provenance",)))
        if problems:
            raise FactProblems(problems)
        return self

    def known(self) -> dict[str, Any]:
        """The facts present, field name -> value (provenance excluded)."""
        return {
            name: value
            for name, value in self
            if value is not None and name != "provenance"
        }


def _not_above(profile: Profile, low: str, high: str, zh: str, en: str) -> FactProblem | None:
    lo, hi = getattr(profile, low), getattr(profile, high)
    if lo is not None and hi is not None and lo > hi:
        return FactProblem(f"{zh}（{lo} > {hi}）", f"{en} ({lo} > {hi})", (low, high))
    return None


def _three_year_rd(profile: Profile) -> Decimal | None:
    years = (profile.rd_expense_y1, profile.rd_expense_y2, profile.rd_expense_y3)
    return None if any(v is None for v in years) else sum(years, Decimal(0))


FACT_FIELDS: dict[str, Any] = {
    name: info for name, info in Profile.model_fields.items() if name != "provenance"
}


def field_label(name: str, lang: str = "zh") -> str:
    """The label of a profile field in the given language."""
    extra = FACT_FIELDS[name].json_schema_extra or {}
    return str(extra.get(lang, name))


def field_unit(name: str) -> str | None:
    extra = FACT_FIELDS[name].json_schema_extra or {}
    return extra.get("unit")  # type: ignore[return-value]




def field_changeable(name: str) -> bool:
    """Whether the firm can change this fact by acting (hire, spend, get certified), not only
    report it: False for registration, location and history (see `fact(fixed=...)`)."""
    extra = FACT_FIELDS[name].json_schema_extra or {}
    return bool(extra.get("changeable", True))


FIRST_FACTS: tuple[str, ...] = tuple(
    name for name, info in FACT_FIELDS.items() if (info.json_schema_extra or {}).get("ask_first"))
"""Where the firm is registered and what kind of firm it is: step 1 of the self-check."""

YEARLY_FACTS: frozenset[str] = frozenset(
    name for name, info in FACT_FIELDS.items() if (info.json_schema_extra or {}).get("yearly"))
