"""Run the `examples` written in rule files, and measure how well they cover the criteria.

Each example is a profile (optionally extending a named base profile) and the decision expected
for its item. Coverage counts, for every leaf criterion, whether some example made it pass, fail
and come out unknown; a gap in coverage is an error in `subsidy rules check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.errors import ProfileError
from engine.facts.parse import parse_profile
from engine.rules.model import Example, Item, Text

from .decision import Decision
from .engine import Engine


@dataclass(frozen=True)
class Mismatch:
    """One way an example's decision differs from what it expects, kept as data (the aspect,
    what was expected, what came out) so that a page can word it in its own language; `text`
    is the checker's own English, as `subsidy rules check` and pytest print it.

    aspect: status | amount | criterion | no_criterion (the item has no such criterion) |
    missing | profile (the example's profile is invalid: `got` is its reason in zh and en).
    """

    aspect: str
    expected: Any = None
    got: Any = None
    criterion: str | None = None  # for criterion and no_criterion
    criterion_text: Text | None = None  # the criterion's words, when the item has it

    @property
    def text(self) -> str:
        if self.aspect == "profile":
            return f"bad profile: {self.got['message']}"
        if self.aspect == "no_criterion":
            return f"expected criterion {self.criterion}, which the item does not have"
        if self.aspect == "criterion":
            return f"expected criterion {self.criterion} {self.expected}, got {self.got}"
        return f"expected {self.aspect} {self.expected}, got {self.got}"

    def as_dict(self) -> dict[str, Any]:
        """JSON values: amounts as decimal strings, texts as {zh, en}."""
        def plain(value: Any) -> Any:
            return format(value, "f") if isinstance(value, Decimal) else value
        text = self.criterion_text
        return {"aspect": self.aspect, "expected": plain(self.expected), "got": plain(self.got),
                "criterion": self.criterion,
                "criterion_text": {"zh": text.zh, "en": text.en} if text else None}


@dataclass(frozen=True)
class ExampleResult:
    file: str
    item_id: str
    name: str
    mismatches: tuple[Mismatch, ...]
    decision: Decision | None = None

    @property
    def ok(self) -> bool:
        return not self.mismatches

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(m.text for m in self.mismatches)

    def describe(self) -> str:
        return f"{self.file}: {self.item_id}: example '{self.name}': " + "; ".join(self.problems)

    def as_dict(self) -> dict[str, Any]:
        """The failure for a page to word in its language; `text` is describe()'s English."""
        return {"file": self.file, "item_id": self.item_id, "name": self.name,
                "mismatches": [m.as_dict() for m in self.mismatches], "text": self.describe()}


@dataclass
class Coverage:
    """For each criterion: the statuses some example produced.

    A criterion shared by several items (a `use:`d condition, an exclusion, a YAML anchor) is one
    criterion: identical id and test pool their coverage, reported under the first item seen.
    """

    seen: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    first_item: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, decision: Decision) -> None:
        for c in decision.criteria:
            if c.role == "requirement" and c.id.startswith("requires."):
                continue  # an item's `requires`: covered by the required item's own examples
            key = (c.id, repr((c.fact, c.op, c.value, c.ref)))
            self.seen.setdefault(key, set()).add(c.status)
            self.first_item.setdefault(key, decision.item_id)

    def gaps(self) -> list[tuple[str, str, list[str]]]:
        """(item id, criterion id, statuses never produced) for every under-covered criterion."""
        return [
            (self.first_item[key], key[0],
             [s for s in ("pass", "fail", "unknown") if s not in statuses])
            for key, statuses in sorted(self.seen.items())
            if len(statuses) < 3
        ]


def example_profile(example: Example, bases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = dict(bases[example.extends]) if example.extends else {}
    data.update(example.profile)
    return {k: v for k, v in data.items() if v is not None}


def run_example(engine: Engine, item_id: str, item: Item, example: Example) -> ExampleResult:
    file = engine.catalog.file_of[item_id]
    try:
        profile = parse_profile(example_profile(example, engine.catalog.example_profiles))
    except ProfileError as exc:
        reasons = [text for _fields, text in exc.reasons]
        got = {"message": exc.message, "zh": "；".join(r["zh"] for r in reasons) or exc.message,
               "en": "; ".join(r["en"] for r in reasons) or exc.message}
        return ExampleResult(file, item_id, example.name, (Mismatch("profile", got=got),))
    day = example.as_of or item.valid_from
    decision = engine.assess(profile, day, items=[item_id]).decision(item_id)
    return ExampleResult(file, item_id, example.name, tuple(_compare(example, decision)),
                         decision)


def _compare(example: Example, decision: Decision) -> list[Mismatch]:
    expect = example.expect
    problems = []
    if decision.status != expect.status:
        problems.append(Mismatch("status", expect.status, decision.status))
    if "amount" in expect.model_fields_set:
        got = decision.amount.value if decision.amount else None
        if (got is None) != (expect.amount is None) or (
            got is not None and Decimal(got) != expect.amount
        ):
            problems.append(Mismatch("amount", expect.amount, got))
    found = {c.id: c for c in decision.criteria}
    for leaf, status in expect.criteria.items():
        if leaf not in found:
            problems.append(Mismatch("no_criterion", criterion=leaf))
        elif found[leaf].status != status:
            problems.append(Mismatch("criterion", status, found[leaf].status, leaf,
                                     found[leaf].text))
    if expect.missing is not None and list(decision.missing) != expect.missing:
        problems.append(Mismatch("missing", expect.missing, list(decision.missing)))
    return problems


def run_all_examples(engine: Engine) -> tuple[list[ExampleResult], Coverage]:
    """Run every example of every item version; return results and criterion coverage."""
    results: list[ExampleResult] = []
    coverage = Coverage()
    for item_id, versions in engine.catalog.versions.items():
        for item in versions:
            for example in item.examples:
                result = run_example(engine, item_id, item, example)
                results.append(result)
                if result.decision is not None and result.decision.item_id == item_id:
                    coverage.add(result.decision)
    return results, coverage
