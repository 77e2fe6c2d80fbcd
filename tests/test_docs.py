"""docs/rules.md documents every key of the rule language and every operator."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from engine.rules import model as catalog

DOC = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")


def _models() -> list[type[BaseModel]]:
    return [obj for obj in vars(catalog).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel]


def test_every_rule_key_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)", DOC))
    missing = set()
    for model in _models():
        for name, info in model.model_fields.items():
            key = info.alias or name
            if key not in documented:
                missing.add(f"{model.__name__}.{key}")
    assert not missing, f"undocumented rule keys: {sorted(missing)}"


def test_every_operator_is_documented() -> None:
    for op in catalog.OPERATORS:
        assert f"| `{op}` |" in DOC, op
