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
    catalog_rounds / latest_round / rounds_on / round_of   the rounds a catalog holds, the latest,
                                    what a date falls in, a version's details
    default_round(catalog, city, district, today)   the round (and its as_of) a form defaults to
    date_message / round_lines / round_text   rounds in words (来源未公布 where the source is silent)
    paths_to_eligibility(engine, assessment) / ranked_paths   the smallest confirmed changes per item
    summarize(engine, assessment) -> FirmSummary   groups 可申报/差一点/待补充资料/条件未公开/不符合,
                                    the total of computed amounts (ceilings apart), top paths
    items_for_region / outside_region   which programs are for a firm registered where
    FIRST_FACTS / fields_for_region / fields_read   the region-first form: where and what kind of
                                    firm first, then only the fields the region's items read
    narrow_by_first_facts(engine, profile, day) -> Narrowed   the region's items the first facts
                                    alone decide ineligible (RuledOut, with the criteria), the rest
    firm_letter_pdf(engine, assessment, lang)   the firm's PDF: the letter, then the appendix
"""

from __future__ import annotations

from .decide.compact import outcomes_by_id
from .decide.decision import Assessment, Decision
from .decide.engine import Engine
from .decide.paths import Change, EligibilityPath, ItemPaths, paths_to_eligibility, ranked_paths
from .decide.static import static_decisions
from .decide.usage import FactUse, fact_usage, fields_for_region, fields_read
from .errors import EngineError, ProfileError, RuleError, SubsidyError
from .explain import labels
from .explain.amount_words import amount_text as rule_amount_text
from .explain.clock import beijing, beijing_text, time_label
from .explain.decision_json import assessment_to_dict, decision_from_dict, decision_to_dict
from .explain.findings import decisive_ids, not_for_region
from .explain.firm_summary import (
    FirmSummary,
    SummaryItem,
    change_text,
    firm_summary,
    group_label,
    no_path_text,
    path_text,
    summarize,
    total_lines,
)
from .explain.narrowing import Narrowed, RuledOut, narrow_by_first_facts
from .explain.rounds_text import RoundLine, date_message, round_lines, round_text
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
    firm_letter_pdf,
    letter_pdf,
    records_from_assessment,
)
from .facts import namespace
from .facts.bounds import DATE_MAX, DATE_MIN, INPUT_MAX_CHARS, date_in_range
from .facts.enums import District
from .facts.money import wan, wan_cents, yuan
from .facts.numbers import NumberTextError, money_from_text, number_from_text
from .facts.parse import parse_profile
from .facts.profile import FACT_FIELDS, FIRST_FACTS, Profile
from .intake import ImportFileError, read_table, split_reason, write_bad_rows, write_template
from .intake.seeds import SEEDS_DIR
from .rules.catalog import Catalog
from .rules.loader import load_catalog
from .rules.model import AllOf, ItemRef, Leaf, NotOf, Use
from .rules.regions import (
    firm_location,
    items_for_region,
    location_conflict,
    outside_region,
    program_for,
)
from .rules.rounds import (
    CatalogRound,
    RoundsOnDate,
    catalog_rounds,
    default_round,
    latest_round,
    round_of,
    rounds_on,
)

__all__ = [
    "DATE_MAX", "DATE_MIN", "FACT_FIELDS", "INPUT_MAX_CHARS", "NumberTextError", "SEEDS_DIR",
    "AllOf", "Assessment", "Catalog", "Decision", "District", "Engine",
    "EngineError", "ExportMeta", "FactUse", "FontMissingError", "ImportFileError", "ItemRef",
    "Leaf", "NotOf", "Profile", "ProfileError", "RuleError", "SubsidyError", "Use",
    "assessment_text", "assessment_to_dict", "beijing", "beijing_text", "date_in_range", "decision_from_dict",
    "decision_lines", "decision_to_dict", "decisive_ids", "exclusion_head", "fact_usage",
    "format_gap", "format_value", "further_bases", "labels", "letter_pdf", "load_catalog",
    "namespace", "not_for_region", "outcomes_by_id", "number_from_text", "parse_profile", "read_table",
    "records_from_assessment", "requirement_text", "rule_amount_text", "static_decisions",
    "time_label", "CatalogRound", "RoundLine", "RoundsOnDate", "catalog_rounds", "date_message",
    "latest_round", "round_lines", "round_of", "round_text", "rounds_on",
    "Change", "EligibilityPath", "FirmSummary", "ItemPaths", "SummaryItem", "change_text",
    "firm_location", "firm_summary", "group_label", "items_for_region", "no_path_text",
    "outside_region", "path_text", "paths_to_eligibility", "ranked_paths", "summarize",
    "total_lines", "firm_letter_pdf", "money_from_text", "default_round",
    "unmet_summary", "wan", "wan_cents", "write_template", "split_reason", "write_bad_rows",
    "yuan", "FIRST_FACTS", "Narrowed", "RuledOut", "narrow_by_first_facts",
    "fields_for_region", "fields_read", "location_conflict", "program_for",
]
