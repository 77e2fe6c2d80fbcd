"""Display labels (zh-CN first, English second) for statuses, operators and enumerations."""

from __future__ import annotations

STATUS = {
    "eligible": ("符合条件", "Eligible"),
    "may_apply": ("可申报（条件未全部公开）", "May apply: conditions not fully published"),
    "ineligible": ("不符合条件", "Not eligible"),
    "undetermined": ("待定（缺少资料）", "Undetermined (facts missing)"),
    "not_assessable": ("无法评估（未公开条件）", "Not assessable (criteria unpublished)"),
    "not_in_force": ("不在有效期内", "Not in force on this date"),
    "pass": ("符合", "pass"),
    "fail": ("不符合", "fail"),
    "unknown": ("未知", "unknown"),
}

OPERATOR = {
    "==": ("为", "is"), "!=": ("不为", "is not"), "<": ("<", "<"), "<=": ("≤", "≤"),
    ">": (">", ">"), ">=": ("≥", "≥"), "in": ("属于", "one of"), "not_in": ("不属于", "none of"),
    "between": ("介于", "between"), "exists": ("已填报", "is given"),
}

# What a criterion requires, as a sentence rather than an operator ("须超过 500,000元", not
# "> 500,000元"); `{v}` is the threshold as a person reads it. Dates read as earlier / later.
REQUIREMENT = {
    "==": ("须为 {v}", "must be {v}"), "!=": ("不得为 {v}", "must not be {v}"),
    ">": ("须超过 {v}", "must exceed {v}"), ">=": ("须不低于 {v}", "must be at least {v}"),
    "<": ("须低于 {v}", "must be below {v}"), "<=": ("须不超过 {v}", "must be at most {v}"),
    "in": ("须为以下之一：{v}", "must be one of: {v}"),
    "not_in": ("不得为以下任一：{v}", "must be none of: {v}"),
    "between": ("须在 {v} 之间（含两端）", "must be between {v}, both included"),
    "exists": ("须填报", "must be given"),
}
DATE_REQUIREMENT = {
    ">": ("须晚于 {v}", "must be after {v}"), ">=": ("须不早于 {v}", "must be on or after {v}"),
    "<": ("须早于 {v}", "must be before {v}"), "<=": ("须不晚于 {v}", "must be on or before {v}"),
}
BOOL_REQUIREMENT = {True: ("须为“是”", "must be yes"), False: ("须为“否”", "must be no")}


def requirement(op: str, shown: str, lang: str, kind: str = "", value: object = None) -> str:
    """The requirement sentence for `op` against a threshold already formatted as `shown`."""
    if kind == "bool" and op == "==" and isinstance(value, bool):
        return pick(BOOL_REQUIREMENT[value], lang)
    table = DATE_REQUIREMENT if kind == "date" and op in DATE_REQUIREMENT else REQUIREMENT
    return pick(table[op], lang).format(v=shown)


ENUM = {
    # districts
    "futian": ("福田区", "Futian"), "luohu": ("罗湖区", "Luohu"), "nanshan": ("南山区", "Nanshan"),
    "longgang": ("龙岗区", "Longgang"), "baoan": ("宝安区", "Bao'an"),
    "huangpu": ("黄浦区", "Huangpu"), "pudong": ("浦东新区", "Pudong"),
    "minhang": ("闵行区", "Minhang"), "songjiang": ("松江区", "Songjiang"),
    "changning": ("长宁区", "Changning"), "putuo": ("普陀区", "Putuo"),
    "jingan": ("静安区", "Jing'an"), "fengxian": ("奉贤区", "Fengxian"),
    "other": ("其他", "other"),
    # cities
    "shenzhen": ("深圳市", "Shenzhen"), "shanghai": ("上海市", "Shanghai"),
    "huizhou": ("惠州市", "Huizhou"),
    # HNTE fields
    "electronic_information": ("电子信息", "electronic information"),
    "biology_new_medicine": ("生物与新医药", "biology and new medicine"),
    "aerospace": ("航空航天", "aerospace"), "new_materials": ("新材料", "new materials"),
    "high_tech_services": ("高技术服务", "high-tech services"),
    "new_energy_energy_saving": ("新能源与节能", "new energy and energy saving"),
    "resources_environment": ("资源与环境", "resources and environment"),
    "advanced_manufacturing_automation": ("先进制造与自动化",
                                          "advanced manufacturing and automation"),
    "none": ("不属于上述领域", "none of the eight fields"),
    # IP loans
    "patent": ("专利权", "patent"), "trademark": ("商标权", "trademark"),
    "copyright": ("著作权", "copyright"), "mixed": ("多种知识产权", "mixed IP"),
    "borrower": ("借款企业", "the borrower"),
    "parent_or_subsidiary": ("母公司或子公司", "parent or subsidiary"),
    "controlling_shareholder": ("控股股东个人", "the controlling shareholder personally"),
    # talent teams and loans
    "pearl_river": ("广东省珠江人才计划", "Guangdong Pearl River Talent Programme"),
    "peacock": ("深圳市孔雀计划", "Shenzhen Peacock Programme"),
    "tier1": ("一档（一类）", "tier or class 1"), "tier2": ("二档（二类）", "tier or class 2"),
    "tier3": ("三档（三类）", "tier or class 3"),
    "applied_basic": ("应用基础研究类", "applied basic research"),
    "incubation": ("科技孵化贷", "tech incubation loan"), "growth": ("科技成长贷", "tech growth loan"),
    # provenance
    "self_declared": ("企业自报", "self-declared"), "tax_bureau": ("税务部门", "tax bureau"),
    "market_regulator": ("市场监管部门", "market regulator"),
    "statistics_bureau": ("统计部门", "statistics bureau"),
}

UNIT = {
    "persons": ("人", " persons"), "days": ("天", " days"), "months": ("个月", " months"),
    "points": ("分", " points"), "years": ("年", " years"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def status(name: str, lang: str = "zh") -> str:
    return pick(STATUS[name], lang)


def enum(value: str, lang: str = "zh") -> str:
    return pick(ENUM[value], lang) if value in ENUM else value
