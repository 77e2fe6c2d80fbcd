"""The rule language's amount expressions: fixed sums, rates, tiers, least-of, cases (frozen, strict).

Amounts form a small expression tree; `amount_children` is its one traversal. See docs/rules.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from .base import Citation, Strict


class AmountBase(Strict):
    cap: Decimal | None = Field(default=None, ge=0)
    floor: Decimal | None = Field(default=None, ge=0)
    cite: Citation | None = None


class Fixed(AmountBase):
    fixed: Decimal = Field(ge=0)


class UpTo(AmountBase):
    """The source gives only a maximum: the estimate is shown as 'up to' this figure."""

    up_to: Decimal = Field(ge=0)


class FactAmount(AmountBase):
    fact: str


class Rate(AmountBase):
    rate: Decimal = Field(ge=0)
    of: Amount


class Sum(AmountBase):
    sum: list[Amount] = Field(min_length=1)


class Least(AmountBase):
    least: list[Amount] = Field(min_length=2)


class Tier(Strict):
    up_to: Decimal | None = Field(default=None, ge=0)
    rate: Decimal = Field(ge=0)


class Tiers(AmountBase):
    """Marginal rates: each tier's rate applies to the part of the base inside that tier."""

    tiers: list[Tier] = Field(min_length=1)
    of: Amount


class Difference(AmountBase):
    """The first amount less the second, never below zero (e.g. a base less costs funded
    elsewhere)."""

    difference: list[Amount] = Field(min_length=2, max_length=2)


class When(Strict):
    """The test that selects a case: an item the firm is eligible for, or one fact test."""

    item: str | None = None
    fact: str | None = None
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in"] | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_test(self) -> When:
        if (self.item is None) == (self.fact is None):
            raise ValueError("`when` names either an `item` or a `fact` test")
        if self.fact is not None and (self.op is None or self.value is None):
            raise ValueError("a `fact` test in `when` needs `op` and `value`")
        if self.item is not None and (self.op is not None or self.value is not None):
            raise ValueError("an `item` test in `when` takes no `op` or `value`")
        return self


class Case(Strict):
    """One branch of `cases`: used when `when` holds; a case without `when` is the otherwise."""

    when: When | None = None
    then: Amount
    cite: Citation | None = None


class Cases(AmountBase):
    """The first case whose `when` holds gives the amount (e.g. a rate that depends on firm type);
    when a `when` cannot be decided the amount is unknown."""

    cases: list[Case] = Field(min_length=1)


def _amount_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("fixed", "up_to", "fact", "rate", "sum", "least", "tiers", "difference",
                    "cases"):
            if key in value:
                return key
        return None
    return type(value).__name__.lower()


Amount = Annotated[
    Annotated[Fixed, Tag("fixed")]
    | Annotated[UpTo, Tag("up_to")]
    | Annotated[FactAmount, Tag("fact")]
    | Annotated[Rate, Tag("rate")]
    | Annotated[Sum, Tag("sum")]
    | Annotated[Least, Tag("least")]
    | Annotated[Tiers, Tag("tiers")]
    | Annotated[Difference, Tag("difference")]
    | Annotated[Cases, Tag("cases")],
    Discriminator(_amount_tag),
]


for _model in (Rate, Sum, Least, Tiers, Difference, Case, Cases):
    _model.model_rebuild()


_CHILD_KEYS: dict[type, tuple[str, ...]] = {}  # node class -> which of the child keys it has


def _child_keys(kind: type) -> tuple[str, ...]:
    """The child keys a node class declares, looked up once: asking a pydantic model for an
    attribute it does not have goes through its slow __getattr__ (amounts are walked per
    profile)."""
    keys = _CHILD_KEYS.get(kind)
    if keys is None:
        fields = getattr(kind, "model_fields", None)
        keys = _CHILD_KEYS[kind] = tuple(
            k for k in ("of", "sum", "least", "difference") if fields is None or k in fields)
    return keys


def amount_children(node: Any) -> list[tuple[str, Any]]:
    """(key path, child) for each sub-expression of an amount node, `cases` branches included."""
    found: list[tuple[str, Any]] = []
    for key in _child_keys(type(node)):
        child = getattr(node, key, None)
        subs = child if isinstance(child, list) else [child] if child is not None else []
        found += [(key, sub) for sub in subs]
    if isinstance(node, Cases):
        found += [(f"cases.{i}.then", case.then) for i, case in enumerate(node.cases)]
    return found


def amount_nodes(node: Any) -> list[Any]:
    """Every node of an amount expression, the root first (empty for no amount)."""
    if node is None:
        return []
    return [node, *(sub for _, child in amount_children(node) for sub in amount_nodes(child))]


def amount_whens(node: Any) -> list[When]:
    """The `when` tests of every case in an amount expression."""
    return [case.when for n in amount_nodes(node) if isinstance(n, Cases)
            for case in n.cases if case.when is not None]
