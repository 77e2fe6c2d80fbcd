"""Run compiled rulesets in durable_rules and report which rules fired for one profile's facts.

durable_rules keeps its state in process-global C memory that is not safe for concurrent use, so
every call holds one process-wide lock; parallel work uses processes. One session id serves all
profiles: a profile's fact is asserted, the fired rules are drained, and the fact is retracted.

The rulesets are created through durable_rules' C extension directly (the same calls its Python
`Ruleset` makes) so that no `Host` dispatch threads run beside ours, and fired rules are read from
the action messages without decoding the whole fact each time.

`durable_seconds` adds up the time spent inside durable_rules' own calls (assert, reading the
fired actions, retract) while `timed` is set: the benchmark's share of decision time.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import Any

import durable_rules_engine as _dre

from engine.errors import EngineError

from .compiler import CompiledCatalog

_LOCK = threading.Lock()
_NAMES = itertools.count()
_NOT_HANDLED = 1
SID = "0"


class DurableRuntime:
    """The compiled catalog loaded into durable_rules, ready to decide."""

    def __init__(self, compiled: CompiledCatalog) -> None:
        self.compiled = compiled
        self._rulesets: list[tuple[int, tuple[str, ...], str]] = []
        self._fact_ids = itertools.count()
        self.timed = False
        self.durable_seconds = 0.0
        with _LOCK:
            for ruleset in compiled.rulesets:
                name = f"{ruleset.name}_{next(_NAMES)}"
                try:
                    handle = _dre.create_ruleset(name, json.dumps(ruleset.definition))
                except Exception as exc:  # the C extension raises plain Exceptions
                    raise EngineError(f"durable_rules refused ruleset {name}: {exc}",
                                      ruleset=name) from exc
                self._rulesets.append((handle, ruleset.reads, name))
        # The rulesets a profile's encoded message goes to; the by-value ones are asked one
        # categorical fact at a time (fired_value), by engine.decide.value_tests.
        self._general = [entry for entry, ruleset in zip(self._rulesets, compiled.rulesets,
                                                         strict=True) if not ruleset.by_value]

    def fired(self, facts: dict[str, Any]) -> set[str]:
        """Names of the rules that fire for these (encoded) facts, over every ruleset.

        Args:
            facts: fact name -> encoded value; missing facts are simply absent.
        """
        fired: set[str] = set()
        self._assert_all(facts, fired.add)
        return fired

    def fired_bits(self, facts: dict[str, Any], bits: dict[str, int]) -> int:
        """The rules that fire for these (encoded) facts as one integer: the OR of their `bits`
        (engine.decide.plan.test_bits)."""
        found: list[str] = []
        self._assert_all(facts, found.append)
        passed = 0
        for name in found:
            passed |= bits[name]
        return passed

    @property
    def ruleset_reads(self) -> list[tuple[str, ...]]:
        """The message properties each ruleset fired_parts asserts reads, in the order it takes
        them (the by-value rulesets are not among them)."""
        return [reads for _, reads, _ in self._general]

    def fired_value(self, index: int, body: str, bits: dict[str, int]) -> int:
        """The bits of the rules of ruleset `index` (of compiled.rulesets) that fire for one
        message whose `"key":value` parts are `body`."""
        handle, _reads, name = self._rulesets[index]
        found: list[str] = []
        run = self._run_timed if self.timed else self._run_one
        with _LOCK:
            run(handle, name, self._message(body), found.append)
        passed = 0
        for rule in found:
            passed |= bits[rule]
        return passed

    def fired_parts(self, parts: list[list[str]], bits: dict[str, int]) -> int:
        """fired_bits for messages already written (engine.decide.encoding.MessageEncoder):
        per ruleset, its `"key":value` JSON parts.

        The hot path of every decision: the fired rules' bits are read as the actions come,
        without a callback per rule (_run_one says the same in the general form).
        """
        if self.timed:
            return self._fired_parts_timed(parts, bits)
        passed = 0
        with _LOCK:
            for (handle, _reads, name), mine in zip(self._general, parts, strict=True):
                if not mine:
                    continue
                message = self._message(",".join(mine))
                try:
                    result = _dre.assert_fact(handle, message)
                    if result[0] != _NOT_HANDLED:
                        action = _dre.start_action_for_state(handle, result[1])
                        text = action[1] if action else None
                        while text:
                            passed |= bits[text[2:text.index('"', 2)]]
                            text = _dre.complete_and_start_action(handle, result[1])
                except Exception as exc:
                    raise _failure(name, message, exc) from exc
                finally:
                    _retract(handle, message)
        return passed

    def _fired_parts_timed(self, parts: list[list[str]], bits: dict[str, int]) -> int:
        """fired_parts, adding the time inside durable_rules' calls to durable_seconds."""
        found: list[str] = []
        with _LOCK:
            for (handle, _reads, name), mine in zip(self._general, parts, strict=True):
                if mine:
                    self._run_timed(handle, name, self._message(",".join(mine)), found.append)
        passed = 0
        for rule in found:
            passed |= bits[rule]
        return passed

    def _message(self, body: str) -> str:
        """A fact of these `"key":value` parts, in the one session, with an id of its own."""
        return f'{{{body},"sid":"{SID}","id":"{next(self._fact_ids)}"}}'

    def _assert_all(self, facts: dict[str, Any], fired: Any) -> None:
        run = self._run_timed if self.timed else self._run_one
        with _LOCK:
            for handle, reads, name in self._rulesets:
                fact = {key: facts[key] for key in reads if key in facts}
                if not fact:
                    continue
                fact["sid"] = SID
                fact["id"] = str(next(self._fact_ids))
                run(handle, name, json.dumps(fact), fired)

    def _run_timed(self, handle: int, name: str, message: str, fired: Any) -> None:
        start = time.perf_counter()
        try:
            self._run_one(handle, name, message, fired)
        finally:
            self.durable_seconds += time.perf_counter() - start

    @staticmethod
    def _run_one(handle: int, name: str, message: str, fired: Any) -> None:
        """Assert one message, report each fired rule's name to `fired`, retract it."""
        try:
            result = _dre.assert_fact(handle, message)
            if result[0] != _NOT_HANDLED:
                action = _dre.start_action_for_state(handle, result[1])
                text = action[1] if action else None
                while text:
                    # A message is {"<rule name>": {...fact}}: the rule name is its first key.
                    fired(text[2:text.index('"', 2)])
                    text = _dre.complete_and_start_action(handle, result[1])
        except Exception as exc:
            raise _failure(name, message, exc) from exc
        finally:
            _retract(handle, message)


def _failure(name: str, message: str, exc: Exception) -> EngineError:
    """The error for a message durable_rules could not take, naming the facts and values sent:
    rulesets are shared between items, so the fact is what a person can look for in the
    profile."""
    facts = {k: v for k, v in json.loads(message).items() if k not in ("sid", "id")}
    shown = ", ".join(f"{k}={v}" for k, v in sorted(facts.items()))
    return EngineError(f"durable_rules failed in ruleset {name} on facts {shown}: {exc}",
                       ruleset=name, facts=facts)


def _retract(handle: int, message: str) -> None:
    try:
        _dre.retract_fact(handle, message)
    except Exception:  # noqa: S110 - the fact may not have been stored at all
        pass
