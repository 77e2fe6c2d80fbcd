"""The closed vocabularies of a profile: cities, districts, fields, products, fact sources."""

from __future__ import annotations

from enum import StrEnum


class City(StrEnum):
    shenzhen = "shenzhen"
    shanghai = "shanghai"
    huizhou = "huizhou"
    other = "other"


class District(StrEnum):
    """Districts the encoded items name; `other` for everywhere else."""

    futian = "futian"
    luohu = "luohu"
    nanshan = "nanshan"
    longgang = "longgang"
    baoan = "baoan"
    huangpu = "huangpu"
    pudong = "pudong"
    minhang = "minhang"
    songjiang = "songjiang"
    changning = "changning"
    putuo = "putuo"
    jingan = "jingan"
    fengxian = "fengxian"
    other = "other"


# The city each named district lies in: where a firm registered in a district is, for the region
# of a program (Program.region) and "items of other regions".
DISTRICT_CITY: dict[str, str] = {
    "futian": "shenzhen", "luohu": "shenzhen", "nanshan": "shenzhen", "longgang": "shenzhen",
    "baoan": "shenzhen", "huangpu": "shanghai", "pudong": "shanghai", "minhang": "shanghai",
    "songjiang": "shanghai", "changning": "shanghai", "putuo": "shanghai", "jingan": "shanghai",
    "fengxian": "shanghai",
}


class TechField(StrEnum):
    """The eight fields of 《国家重点支持的高新技术领域》, plus none."""

    electronic_information = "electronic_information"
    biology_new_medicine = "biology_new_medicine"
    aerospace = "aerospace"
    new_materials = "new_materials"
    high_tech_services = "high_tech_services"
    new_energy_energy_saving = "new_energy_energy_saving"
    resources_environment = "resources_environment"
    advanced_manufacturing_automation = "advanced_manufacturing_automation"
    none = "none"


class Collateral(StrEnum):
    patent = "patent"
    trademark = "trademark"
    copyright = "copyright"
    mixed = "mixed"


class IPOwner(StrEnum):
    borrower = "borrower"
    parent_or_subsidiary = "parent_or_subsidiary"
    controlling_shareholder = "controlling_shareholder"
    other = "other"


class TalentProgramme(StrEnum):
    """The talent-team programme whose grant Futian matches (line 8)."""

    pearl_river = "pearl_river"
    peacock = "peacock"
    other = "other"


class TalentClass(StrEnum):
    """A team's tier or class in its programme."""

    tier1 = "tier1"
    tier2 = "tier2"
    tier3 = "tier3"
    applied_basic = "applied_basic"
    other = "other"


class LoanProduct(StrEnum):
    """Futian S&T finance loan products (line 19)."""

    incubation = "incubation"
    growth = "growth"
    other = "other"


class FactSource(StrEnum):
    self_declared = "self_declared"
    tax_bureau = "tax_bureau"
    market_regulator = "market_regulator"
    statistics_bureau = "statistics_bureau"
