"""The self-check form's fields, generated from the profile schema (engine.facts.profile.FACT_FIELDS).

Nothing here lists fields by name: a field added to the profile appears on the form with its
label, unit, topic and input type, and with the items that read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine import FACT_FIELDS, labels, namespace

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
                               extra.get("unit"), tuple(kind.members)))  # type: ignore[arg-type]
    return specs


def by_topic(specs: list[FieldSpec]) -> list[tuple[str, list[FieldSpec]]]:
    """Fields grouped by topic, topics in the order they first appear in the schema."""
    groups: dict[str, list[FieldSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.topic, []).append(spec)
    return list(groups.items())
