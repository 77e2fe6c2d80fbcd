"""A repeated decision is worded once and its text reused, so its key must tell apart any two
decisions that print differently: every field is keyed, and values that are equal in Python but
print differently (Decimal("1.0") and Decimal("1.00"), True and 1) get different keys. The caches
stay bounded."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest

from engine.decide.decision import Decision
from engine.explain.decision_json import decision_to_dict
from engine.export import ExportMeta, jsonl_lines
from engine.export.columns import decision_values
from engine.export.csv_export import DECISION_KEYS, CsvLines
from engine.export.repeats import KEYED_FIELDS, Bounded, decision_key, exact


def test_the_key_reads_every_field_of_a_decision() -> None:
    for cls, keyed in KEYED_FIELDS.items():
        assert keyed == tuple(f.name for f in dataclasses.fields(cls)), cls.__name__


@pytest.mark.parametrize(("one", "other"), [
    (Decimal("1.0"), Decimal("1.00")), (True, 1), (0, False), (1.0, Decimal("1.0")), ("1", 1),
    ([1, 2], (1, 2)), (0.0, -0.0)])
def test_equal_values_that_print_differently_have_different_keys(one: Any, other: Any) -> None:
    assert exact(one) != exact(other)
    assert exact(one) == exact(one) and hash(exact(one)) == hash(exact(one))


def _with_read_value(decision: Decision, value: Any) -> Decision:
    """The decision with its first fact read replaced by `value`."""
    index = next(i for i, c in enumerate(decision.criteria) if c.reads)
    criterion = decision.criteria[index]
    changed = dataclasses.replace(criterion, reads=(
        dataclasses.replace(criterion.reads[0], value=value), *criterion.reads[1:]))
    return dataclasses.replace(decision, criteria=(
        *decision.criteria[:index], changed, *decision.criteria[index + 1:]))


def _decided(rd_firm: Any) -> Decision:
    return next(d for d in rd_firm.decisions if d.item_id == "futian.rd_input")


def test_a_decision_that_prints_differently_is_not_served_another_s_text(
        rd_firm: Any, run_meta: ExportMeta) -> None:
    """Two firms whose figures differ only in how the number is written (3200000 and
    3200000.00): each JSON line and CSV row shows its own, though the values are equal."""
    base = _decided(rd_firm)
    one, other = _with_read_value(base, Decimal("3200000")), _with_read_value(base, Decimal("3200000.00"))
    assert one == other and decision_key(one) != decision_key(other)
    records = [{"company": {"credit_code": "X", "name": "A", "district": "futian"},
                "profile_version": 1, "decision": d} for d in (one, other, one)]
    lines = [json.loads(line)["decision"] for line in jsonl_lines(records, run_meta)]
    assert lines == [json.loads(json.dumps(decision_to_dict(d))) for d in (one, other, one)]
    assert lines[0] != lines[1]
    rows = CsvLines(run_meta)
    for record in records:
        values = decision_values(record["decision"], "zh")
        assert rows.decision(record) == rows.part(values, DECISION_KEYS)


def test_a_key_with_an_unhashable_value_is_worded_every_time() -> None:
    cache: Bounded[Any, str] = Bounded(4)
    key = ("item", {"a": [1]})
    assert cache.put(key, "text") == "text"
    assert cache.get(key) is None and not cache.entries


def test_a_cache_forgets_everything_when_full() -> None:
    cache: Bounded[int, int] = Bounded(3)
    for n in range(3):
        cache.put(n, n)
    assert cache.get(2) == 2 and len(cache.entries) == 3
    cache.put(3, 3)
    assert cache.entries == {3: 3}
