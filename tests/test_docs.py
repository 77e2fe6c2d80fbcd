"""Every key of the rule language is documented in docs/rules.md."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel

from engine import catalog

DOC = (Path(__file__).parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
MODELS = [m for _, m in inspect.getmembers(catalog, inspect.isclass)
          if issubclass(m, BaseModel) and m.__module__ == catalog.__name__]
KEYS = sorted({(field.alias or name) for m in MODELS for name, field in m.model_fields.items()})


@pytest.mark.parametrize("key", KEYS)
def test_rule_key_is_documented(key: str) -> None:
    documented = f"`{key}" in DOC or (key in ("zh", "en") and "{zh, en}" in DOC)
    assert documented, f"rule key `{key}` is not documented in docs/rules.md"
