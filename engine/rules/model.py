"""The rule language: pydantic models for rule files, frozen and strict (unknown keys rejected).

A rule file holds one program's items. Criteria form a tree of `all` / `any` / `not` over leaf
tests and `use` references to named shared conditions; amounts are in amount_model.py and the base
texts and citations in base.py, both re-exported here so that rules have one model module.
See docs/rules.md for every key; tests/test_docs.py fails when a key here is undocumented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from engine.facts.enums import City, District

from .amount_model import (  # noqa: F401 - re-exported: the rule language in one module
    Amount,
    AmountBase,
    Case,
    Cases,
    Difference,
    FactAmount,
    Fixed,
    Least,
    Rate,
    Sum,
    Tier,
    Tiers,
    UpTo,
    When,
    amount_children,
    amount_nodes,
    amount_whens,
)
from .base import Citation, Source, Strict, Text, public_name  # noqa: F401 - re-exported
from .round_model import (  # noqa: F401 - re-exported
    NOT_PUBLISHED,
    SILENT_ROUND,
    Department,
    Material,
    Notice,
    Round,
    Silent,
    Window,
)

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between", "exists")
ITEM_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
LEAF_ID = r"^[a-z][a-z0-9_]*$"


class ZeroDenominator(Strict):
    """What a ratio test means when the ratio's denominator is zero (0 employees, no sales)."""

    status: Literal["pass", "fail"]
    reason: Text
    basis: Literal["verbatim", "reconstructed"] = "reconstructed"


class Leaf(Strict):
    """One test of one fact: `fact op value`, or `fact op ref` against another fact."""

    id: str = Field(pattern=LEAF_ID)
    text: Text
    fact: str
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in", "between", "exists"]
    value: Any = None
    ref: str | None = None
    cite: Citation | None = None
    zero_denominator: ZeroDenominator | None = None  # required for ratio facts

    @model_validator(mode="after")
    def _one_right_hand_side(self) -> Leaf:
        if self.op == "exists":
            if self.value is not None or self.ref is not None:
                raise ValueError("op `exists` takes neither `value` nor `ref`")
        elif (self.value is None) == (self.ref is None):
            raise ValueError(f"op `{self.op}` needs exactly one of `value` or `ref`")
        if self.ref is not None and self.op in ("in", "not_in", "between"):
            raise ValueError(f"op `{self.op}` compares with a `value` list, not a `ref`")
        return self


class Use(Strict):
    """A reference to a named shared condition (defined under `conditions:` in any file)."""

    use: str


class ItemRef(Strict):
    """A criterion that holds when the firm is eligible for another item on the same date (e.g.
    `national.tech_sme` as one route among several in an `any`); for an unconditional need use the
    item's `requires`."""

    item: str
    id: str = Field(pattern=LEAF_ID)
    text: Text
    cite: Citation | None = None


class AllOf(Strict):
    all: list[Node] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Node] = Field(min_length=1)


class NotOf(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    not_: Node = Field(alias="not")


def _node_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "use", "item"):
            if key in value:
                return key
        return "leaf"
    return {AllOf: "all", AnyOf: "any", NotOf: "not", Use: "use", Leaf: "leaf",
            ItemRef: "item"}.get(type(value))


Node = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Use, Tag("use")]
    | Annotated[ItemRef, Tag("item")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_node_tag),
]


for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


class Expect(Strict):
    status: Literal["eligible", "may_apply", "ineligible", "undetermined", "not_assessable",
                    "not_in_force"]
    amount: Decimal | None = None
    criteria: dict[str, Literal["pass", "fail", "unknown"]] = Field(default_factory=dict)
    missing: list[str] | None = None


class Example(Strict):
    """A test case in the rule file: a profile (fragment) and the expected decision."""

    name: str = Field(min_length=1)
    as_of: dt.date | None = None
    extends: str | None = None
    profile: dict[str, Any] = Field(default_factory=dict)
    expect: Expect


class Item(Strict):
    """One support item (one version of it) with its criteria, amount and examples."""

    id: str = Field(pattern=ITEM_ID)
    title: Text
    version: Text | None = None
    source: Source
    valid_from: dt.date
    valid_to: dt.date | None = None
    not_assessable: Text | None = None
    # `partial`: the source publishes only some conditions (a ceiling and a date trigger, "按条件"),
    # so meeting them makes the firm one that may apply, never one the sources call eligible.
    conditions_published: Literal["full", "partial"] = "full"
    criteria: Node | None = None
    exclusions: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    amount: Amount | None = None
    stacking: str | None = None
    # The fact naming what the claim is for (a loan's project): in a `one_of` group only members
    # for the same project exclude each other (Futian: 同一项目不得重复享受贴息).
    stacking_project: str | None = None
    budget_line: str | None = None
    benefit: Literal["payment", "tax_deduction"] = "payment"
    # The fiscal year whose figures the round reviews: `prior` (上年度: the year before the
    # assessment date, as Futian rounds read the prior year's R&D, revenue and tax certificate)
    # or `current` (the assessment year itself: the tax year of the super deduction).
    figures_year: Literal["prior", "current"] = "prior"
    notes: Text | None = None
    # The application round: window, department, materials, notice; `not_published` when the
    # source publishes none of them. Required on assessable items (engine.rules.checks).
    round: Round | Silent | None = None
    examples: list[Example] = Field(default_factory=list)

    @property
    def application(self) -> Round | None:
        """The round's details, the all-silent round for `round: not_published`."""
        return SILENT_ROUND if self.round == NOT_PUBLISHED else self.round  # type: ignore[return-value]

    @model_validator(mode="after")
    def _shape(self) -> Item:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.not_assessable is not None and (self.criteria or self.amount):
            raise ValueError("a not_assessable item carries no criteria and no amount")
        if self.not_assessable is None and self.criteria is None:
            raise ValueError("an assessable item needs `criteria` (or say `not_assessable`)")
        if self.conditions_published == "partial" and self.source.basis != "reconstructed":
            raise ValueError("an item with `conditions_published: partial` has `basis: "
                             "reconstructed` and says in `assumption` what is not published")
        return self

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class BudgetLine(Strict):
    """One support line of a program's budget, e.g. Futian 2018 line (9) R&D input, 3,000万."""

    id: str
    title: Text
    wan: Decimal = Field(ge=0)


class Budget(Strict):
    """A program's budget as its source gives it, in 万元, with its support lines."""

    total_wan: Decimal = Field(ge=0)
    year: int
    document: str
    file: str | None = None  # the copy in ../shared/sources, for maintainers; never shown
    clause: str
    lines: list[BudgetLine] = Field(default_factory=list)

    @field_validator("document")
    @classmethod
    def _public(cls, document: str) -> str:
        return public_name(document)  # type: ignore[return-value]


class ProgramRegion(Strict):
    """Where a program's firms must be: a city, and a district for a district's fund. Items of a
    program outside the firm's region are shown apart, never as failed rows."""

    city: City
    district: District | None = None


class Program(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    title: Text
    authority: Text
    budget: Budget | None = None
    region: ProgramRegion | None = None  # None: national, for firms anywhere


class StackingGroup(Strict):
    """Items that may not all be received: `one_of` keeps the best, `cap` limits their sum."""

    id: str = Field(pattern=ITEM_ID)
    title: Text
    rule: Literal["one_of", "cap"]
    cap: Decimal | None = Field(default=None, ge=0)
    cite: Citation

    @model_validator(mode="after")
    def _cap_given(self) -> StackingGroup:
        if (self.rule == "cap") != (self.cap is not None):
            raise ValueError("`cap` is given exactly when rule is `cap`")
        return self


class Condition(Strict):
    """A named shared condition: a criteria tree reused by items (`use:`) or as an exclusion."""

    title: Text
    criteria: Node
    cite: Citation
    document: str
    cleared: Text | None = None  # as an exclusion that does not hold: "未列入严重失信主体名单"


class RuleFile(Strict):
    """One YAML file: a program's definition (or `in_program` to add to one) and its items."""

    program: Program | None = None
    in_program: str | None = None
    conditions: dict[str, Condition] = Field(default_factory=dict)
    stacking_groups: list[StackingGroup] = Field(default_factory=list)
    example_profiles: dict[str, dict[str, Any]] = Field(default_factory=dict)
    items: list[Item] = Field(default_factory=list)

    @model_validator(mode="after")
    def _items_have_a_program(self) -> RuleFile:
        if self.program is not None and self.in_program is not None:
            raise ValueError("give either `program` or `in_program`, not both")
        if self.items and self.program is None and self.in_program is None:
            raise ValueError("a file with items needs `program` or `in_program`")
        return self

    @property
    def program_id(self) -> str | None:
        return self.program.id if self.program else self.in_program
