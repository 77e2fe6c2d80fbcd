"""Tests of categorical facts, asked of durable_rules once per value and remembered.

Most of the catalog's tests read one bool or enum fact and nothing else (`listed_company ==
false`, `registered_district in [...]`): compiler.by_value. What durable_rules fires for such a
test depends on that fact's value alone, and a categorical fact has few values, so each
(fact, value) is asserted once, alone, to the rulesets holding its tests, and the bits of the
rules that fired are kept. Every later profile with that value reads the same bits: durable_rules
still decided them, for exactly this value; only the repeated question is saved. (Numbers are
sent with the rest of the profile; one read only by tests of its own is remembered the same way
once it has been sent, while its values keep repeating: encoding.MessageEncoder.learn.)

The memo is per engine (per compiled catalog) and bounded per fact, so a fact with an unbounded
set of values cannot grow it without limit.
"""

from __future__ import annotations

import json
from typing import Any

from engine.facts.kinds import UNDEFINED

from .compiler import CompiledCatalog
from .encoding import scalar_text
from .runtime import DurableRuntime

MAX_VALUES_PER_FACT = 1024  # a memo that outgrows this starts again


class ValueTests:
    """The bits of the by-value tests that pass for a profile's categorical facts."""

    def __init__(self, compiled: CompiledCatalog, runtime: DurableRuntime,
                 bits: dict[str, int], missing_masks: dict[str, int] | None = None) -> None:
        """Args: missing_masks: per fact, the tests it leaves unknown when it is missing."""
        self._runtime = runtime
        self._bits = bits
        owners: dict[str, list[int]] = {}
        for index, ruleset in enumerate(compiled.rulesets):
            if ruleset.by_value:
                for fact in ruleset.reads:
                    owners.setdefault(fact, []).append(index)
        masks = missing_masks or {}
        # (fact, its missing mask, the rulesets holding its tests, its JSON property prefix,
        # the memo)
        self._facts: tuple[tuple[str, int, tuple[int, ...], str, dict[Any, int]], ...] = tuple(
            (fact, masks.get(fact, 0), tuple(indexes), json.dumps(fact) + ":", {})
            for fact, indexes in sorted(owners.items()))

    @property
    def facts(self) -> tuple[str, ...]:
        """The categorical facts decided here."""
        return tuple(fact for fact, _, _, _, _ in self._facts)

    def passed_missing(self, facts: dict[str, Any]) -> tuple[int, int]:
        """The OR of the bits of the by-value tests that pass on these (Python-valued) facts,
        and the OR of the missing masks of these facts that are missing (one pass does both)."""
        passed = missing = 0
        get = facts.get
        for fact, mask, indexes, prefix, memo in self._facts:
            value = get(fact)
            if value is None:
                missing |= mask
                continue
            if value is UNDEFINED:  # no test of theirs reads a zero flag
                continue
            found = memo.get(value)
            if found is None:
                found = self._ask(indexes, prefix, memo, value)
            passed |= found
        return passed, missing

    def _ask(self, indexes: tuple[int, ...], prefix: str, memo: dict[Any, int],
             value: Any) -> int:
        """durable_rules' answer for one value of one fact, kept for the next profile."""
        body = prefix + scalar_text(value)
        found = 0
        for index in indexes:
            found |= self._runtime.fired_value(index, body, self._bits)
        if len(memo) >= MAX_VALUES_PER_FACT:
            memo.clear()
        memo[value] = found
        return found
