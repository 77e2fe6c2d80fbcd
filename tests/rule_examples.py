"""Pytest plugin: every `examples:` entry in rules/*.yaml becomes a test item.

A failure reads `file: item: example 'name': expected X, got Y`, naming the example as the policy
sentence it states.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.decide.engine import Engine
from engine.decide.examples import run_example
from engine.rules.loader import DEFAULT_RULES_DIR

_ENGINE: list[Engine] = []


def _engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and DEFAULT_RULES_DIR in file_path.parents:
        return RuleFile.from_parent(parent, path=file_path)
    return None


class RuleFile(pytest.File):
    def collect(self):  # type: ignore[no-untyped-def]
        engine = _engine()
        rel = self.path.relative_to(DEFAULT_RULES_DIR).as_posix()
        for item_id, versions in engine.catalog.versions.items():
            if engine.catalog.file_of[item_id] != rel:
                continue
            for index, item in enumerate(versions):
                for example in item.examples:
                    yield RuleExample.from_parent(
                        self, name=f"{item_id}[{index}]: {example.name}",
                        item_id=item_id, item=item, example=example)


class RuleExampleFailed(Exception):
    pass


class RuleExample(pytest.Item):
    def __init__(self, *, item_id, item, example, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.item_id, self.item, self.example = item_id, item, example

    def runtest(self) -> None:
        result = run_example(_engine(), self.item_id, self.item, self.example)
        if not result.ok:
            raise RuleExampleFailed(result.describe())

    def repr_failure(self, excinfo, style=None):  # type: ignore[no-untyped-def]
        if isinstance(excinfo.value, RuleExampleFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, None, self.name
