"""One namespace for everything a rule may test: profile fields and derived quantities."""

from __future__ import annotations

from .derived import REGISTRY
from .kinds import FactKind, kind_of_field
from .profile import FACT_FIELDS, field_label, field_unit

_clash = set(REGISTRY) & set(FACT_FIELDS)
if _clash:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"derived quantities shadow profile fields: {sorted(_clash)}")


def fact_names() -> set[str]:
    return set(FACT_FIELDS) | set(REGISTRY)


def is_derived(name: str) -> bool:
    return name in REGISTRY


def kind(name: str) -> FactKind:
    return REGISTRY[name].kind if name in REGISTRY else kind_of_field(name)


def label(name: str, lang: str = "zh") -> str:
    if name in REGISTRY:
        quantity = REGISTRY[name]
        return quantity.en if lang == "en" else quantity.zh
    return field_label(name, lang)


def unit(name: str) -> str | None:
    if name in REGISTRY:
        quantity = REGISTRY[name]
        return "ratio" if quantity.kind.name == "ratio" else quantity.unit
    return field_unit(name)


def inputs(name: str) -> tuple[str, ...]:
    """The profile fields a fact depends on (itself, for a profile field)."""
    return REGISTRY[name].inputs if name in REGISTRY else (name,)


def all_inputs(name: str) -> tuple[str, ...]:
    """The profile fields a fact reads: `inputs` and, for a derived quantity, the optional ones
    that refine it without making it unknown (the firm's age decides which R&D years count)."""
    return REGISTRY[name].inputs + REGISTRY[name].optional if name in REGISTRY else (name,)
