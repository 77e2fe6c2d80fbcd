"""The self-check form's fields, generated from the profile schema (engine.facts.profile.FACT_FIELDS).

Nothing here lists fields by name: a field added to the profile appears on the form with its
label, unit, topic and input type, and with the items that read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import get_args

from engine import FACT_FIELDS, INPUT_MAX_CHARS, labels, namespace

# The HTML input each kind of fact gets; numbers are text inputs with inputmode so that
# "1,250,000" and full-width digits can be typed and parsed as Decimal (no float, no spinner).
INPUT = {"money": "money", "count": "integer", "number": "decimal", "date": "date",
         "bool": "yesno", "enum": "select", "text": "text"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # money, count, number, date, bool, enum, text
    topic: str
    unit: str | None
    choices: tuple[str, ...]
    signed: bool = False  # the schema admits negative values (a loss as net profit)
    first: bool = False  # asked in step 1: where the firm is registered, what kind of firm it is
    max_length: int | None = None  # the input's maxlength, from the schema (see _max_length)

    @property
    def input(self) -> str:
        return INPUT.get(self.kind, "text")

    def label(self, lang: str) -> str:
        return namespace.label(self.name, lang)

    def choice_label(self, value: str, lang: str) -> str:
        return labels.enum(value, lang)

    def unit_label(self, lang: str) -> str | None:
        """'元' / 'yuan', '人' / 'persons'; None when the field has no unit."""
        if self.unit == "yuan":
            return "元" if lang == "zh" else "yuan"
        if self.unit in labels.UNIT:
            return labels.pick(labels.UNIT[self.unit], lang).strip()
        return self.unit


def field_specs() -> list[FieldSpec]:
    """Every profile field in schema order."""
    specs = []
    for name, info in FACT_FIELDS.items():
        extra = info.json_schema_extra or {}
        kind = namespace.kind(name)
        specs.append(FieldSpec(name, kind.name, str(extra.get("topic", "other")),
                               extra.get("unit"), tuple(kind.members),  # type: ignore[arg-type]
                               _signed(info), bool(extra.get("ask_first")),
                               _max_length(info, kind.name)))
    return specs


def _max_length(info: object, kind: str) -> int | None:
    """The longest answer the schema takes: a text field's max_length; for numbers and dates
    the longest the parser reads (INPUT_MAX_CHARS). As the input's maxlength it keeps a browser's
    submission within the request limit, so that typed answers are never lost to a 413."""
    if kind in ("money", "count", "number", "date"):
        return INPUT_MAX_CHARS
    found = [m.max_length for m in getattr(info, "metadata", ()) if hasattr(m, "max_length")]
    for arg in get_args(getattr(info, "annotation", None)):
        for extra in get_args(arg)[1:]:
            found += [m.max_length for m in getattr(extra, "metadata", ())
                      if hasattr(m, "max_length")]
    return found[0] if found else None


def _signed(info: object) -> bool:
    """Whether a number field admits negative values (dates have bounds too, not signs)."""
    low = _minimum(info)
    return isinstance(low, int | Decimal) and low < 0


def _minimum(info: object) -> object:
    """The schema's lower bound of a field: pydantic keeps `ge` in the field's metadata, or, for
    an optional field, in the metadata of the Annotated type inside Optional."""
    found = [m.ge for m in getattr(info, "metadata", ()) if hasattr(m, "ge")]
    for arg in get_args(getattr(info, "annotation", None)):
        for extra in get_args(arg)[1:]:  # Annotated[T, FieldInfo(...)] inside Optional[...]
            found += [m.ge for m in getattr(extra, "metadata", ()) if hasattr(m, "ge")]
    return found[0] if found else None


def by_topic(specs: list[FieldSpec]) -> list[tuple[str, list[FieldSpec]]]:
    """Fields grouped by topic, topics in the order they first appear in the schema."""
    groups: dict[str, list[FieldSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.topic, []).append(spec)
    return list(groups.items())
