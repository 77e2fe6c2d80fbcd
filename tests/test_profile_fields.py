"""Every profile fact carries labels in both languages and a topic; every enum member a label."""

from __future__ import annotations

import typing
from enum import Enum

import pytest

from engine.explain import labels
from engine.facts.derived import REGISTRY
from engine.facts.kinds import _unwrap_optional
from engine.facts.profile import FACT_FIELDS


@pytest.mark.parametrize("name", sorted(FACT_FIELDS))
def test_fact_has_labels_and_topic(name: str) -> None:
    extra = FACT_FIELDS[name].json_schema_extra or {}
    assert extra.get("zh") and extra.get("en") and extra.get("topic")
    assert FACT_FIELDS[name].default is None


@pytest.mark.parametrize("name", sorted(FACT_FIELDS))
def test_enum_members_have_display_labels(name: str) -> None:
    base = _unwrap_optional(FACT_FIELDS[name].annotation)
    if isinstance(base, type) and issubclass(base, Enum):
        assert all(m.value in labels.ENUM for m in base)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_derived_quantity_names_inputs_and_formula(name: str) -> None:
    quantity = REGISTRY[name]
    assert quantity.inputs and set(quantity.inputs) <= set(FACT_FIELDS)
    assert quantity.formula.get("zh") and quantity.formula.get("en")
    if quantity.kind.name == "ratio":
        assert quantity.parts is not None and quantity.numerator


def test_money_is_yuan_and_counts_are_ints() -> None:
    for name in ("total_assets_y1", "carrier_support_prior_year", "st_loan_principal"):
        assert (FACT_FIELDS[name].json_schema_extra or {}).get("unit") == "yuan"
    assert _unwrap_optional(FACT_FIELDS["st_loan_term_months"].annotation) is int
    assert typing.get_origin(FACT_FIELDS["net_profit_y1"].annotation) is not None
