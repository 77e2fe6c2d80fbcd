"""subsidy-eligibility engine: rules in rules/*.yaml, decided by durable_rules, explained.

The packages, in the one direction their imports run (docs/architecture.md):
    facts    the profile schema, credit codes, fact kinds, derived quantities, money
    rules    the rule language, loading, tree walks, checks        (imports facts)
    decide   compiler, durable_rules runtime, evaluator, amounts    (imports rules, facts)
    explain  labels, zh/en text, the decision JSON, catalog view    (imports decide and below)
    intake   applicant lists in;  export  CSV, XLSX, JSON lines, PDF out
    store    SQLAlchemy persistence and screening runs (its own public module: engine.store)
    cli      the `subsidy` command

This module is the public API of the pure core, intake and export: the web layer imports from
here (and from engine.store), never from the packages' modules.
    Engine(catalog=None)            compile the catalog into durable_rules (thread-safe assess)
    Engine.assess(profile, as_of, items) -> Assessment
    static_decisions(catalog, items, day)  the decisions the same for every profile on a date
    load_catalog(rules_dir=None)    strict loading, RuleError on any problem
    parse_profile(data) -> Profile  ProfileError naming the fields
    assessment_to_dict / decision_to_dict / decision_from_dict   the stable JSON form
    assessment_text / decision_lines / amount_text / format_gap   zh-CN or English text
"""

from __future__ import annotations

from .decide.decision import Assessment, Decision
from .decide.engine import Engine
from .decide.static import static_decisions
from .decide.usage import FactUse, fact_usage
from .errors import EngineError, ProfileError, RuleError, SubsidyError
from .explain import labels
from .explain.amount_words import amount_text as rule_amount_text
from .explain.clock import beijing, beijing_text, time_label
from .explain.decision_json import assessment_to_dict, decision_from_dict, decision_to_dict
from .explain.findings import decisive_ids, not_for_region
from .explain.text import (
    assessment_text,
    decision_lines,
    exclusion_head,
    format_gap,
    format_value,
    further_bases,
    requirement_text,
    unmet_summary,
)
from .export import (
    ExportMeta,
    FontMissingError,
    letter_pdf,
    records_from_assessment,
)
from .facts import namespace
from .facts.bounds import DATE_MAX, DATE_MIN, INPUT_MAX_CHARS, date_in_range
from .facts.enums import District
from .facts.money import wan, wan_cents, yuan
from .facts.numbers import NumberTextError, number_from_text
from .facts.parse import parse_profile
from .facts.profile import FACT_FIELDS, Profile
from .intake import ImportFileError, read_table, write_template
from .intake.seeds import SEEDS_DIR
from .rules.catalog import Catalog
from .rules.loader import load_catalog
from .rules.model import AllOf, ItemRef, Leaf, NotOf, Use

__all__ = [
    "DATE_MAX", "DATE_MIN", "FACT_FIELDS", "INPUT_MAX_CHARS", "NumberTextError", "SEEDS_DIR",
    "AllOf", "Assessment", "Catalog", "Decision", "District", "Engine",
    "EngineError", "ExportMeta", "FactUse", "FontMissingError", "ImportFileError", "ItemRef",
    "Leaf", "NotOf", "Profile", "ProfileError", "RuleError", "SubsidyError", "Use",
    "assessment_text", "assessment_to_dict", "beijing", "beijing_text", "date_in_range", "decision_from_dict",
    "decision_lines", "decision_to_dict", "decisive_ids", "exclusion_head", "fact_usage",
    "format_gap", "format_value", "further_bases", "labels", "letter_pdf", "load_catalog",
    "namespace", "not_for_region", "number_from_text", "parse_profile", "read_table",
    "records_from_assessment", "requirement_text", "rule_amount_text", "static_decisions",
    "time_label",
    "unmet_summary", "wan", "wan_cents", "write_template",
    "yuan",
]
