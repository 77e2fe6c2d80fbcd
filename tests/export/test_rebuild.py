"""Exports explain a decision exactly as the CLI and pages do, from its stored JSON form."""

from __future__ import annotations

import pytest

from engine.explain.decision_json import decision_from_dict, decision_to_dict
from engine.explain.text import decision_lines


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rebuilt_decisions_explain_the_same(seed_assessments, lang):
    for assessment in seed_assessments:
        for decision in assessment.decisions:
            rebuilt = decision_from_dict(decision_to_dict(decision))
            assert decision_lines(rebuilt, lang) == decision_lines(decision, lang)
            assert decision_to_dict(rebuilt) == decision_to_dict(decision)
