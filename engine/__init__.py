"""subsidy-eligibility engine: rules in rules/*.yaml, decided by durable_rules, explained.

The public API the CLI and the web layer use:
    Engine(catalog=None)            compile the catalog into durable_rules (thread-safe assess)
    Engine.assess(profile, as_of, items) -> Assessment
    load_catalog(rules_dir=None)    strict loading, RuleError on any problem
    parse_profile(data) -> Profile  ProfileError naming the fields
    assessment_to_dict / decision_to_dict   the stable JSON form (docs/output.md)
    assessment_text / decision_lines        zh-CN or English text
"""

from .catalog_model import Catalog
from .decision import Assessment, Decision, assessment_to_dict, decision_to_dict
from .errors import EngineError, ProfileError, RuleError, SubsidyError
from .evaluate import Engine
from .explain import assessment_text, decision_lines
from .loader import load_catalog
from .profile import FACT_FIELDS, Profile, parse_profile

__all__ = [
    "FACT_FIELDS", "Assessment", "Catalog", "Decision", "Engine", "EngineError", "Profile",
    "ProfileError", "RuleError", "SubsidyError", "assessment_text", "assessment_to_dict",
    "decision_lines", "decision_to_dict", "load_catalog", "parse_profile",
]
