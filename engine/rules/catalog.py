"""The Catalog: every program, item version, shared condition and stacking group, by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine.errors import RuleError

from .model import Condition, Item, Program, RuleFile, StackingGroup


@dataclass(frozen=True)
class Catalog:
    """All rules, validated. `version` (a content hash) identifies the rules for reproducibility."""

    version: str
    programs: dict[str, Program]
    versions: dict[str, list[Item]]  # item id -> its versions, oldest first
    program_of: dict[str, str]  # item id -> program id
    file_of: dict[str, str]  # item id -> rule file
    conditions: dict[str, Condition]
    stacking_groups: dict[str, StackingGroup]
    example_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The rule files it was loaded from, {relative path: text}: stored with a screening run so
    # that the run's explanations can be rebuilt exactly after the files have changed.
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def assemble(cls, files: list[tuple[str, RuleFile]], version: str) -> Catalog:
        """Merge parsed files, refusing duplicate ids across them."""
        programs: dict[str, Program] = {}
        versions: dict[str, list[Item]] = {}
        program_of: dict[str, str] = {}
        file_of: dict[str, str] = {}
        conditions: dict[str, Condition] = {}
        groups: dict[str, StackingGroup] = {}
        bases: dict[str, dict[str, Any]] = {}
        for name, rule_file in files:
            if rule_file.program:
                _add_unique(programs, rule_file.program.id, rule_file.program, name, "program")
            _merge_unique(conditions, rule_file.conditions, name, "conditions")
            _merge_unique(bases, rule_file.example_profiles, name, "example_profiles")
            for group in rule_file.stacking_groups:
                _add_unique(groups, group.id, group, name, "stacking_groups")
            for item in rule_file.items:
                if item.id in program_of and file_of[item.id] != name:
                    raise RuleError("versions of one item must live in one file",
                                    file=name, item=item.id, key="id")
                versions.setdefault(item.id, []).append(item)
                program_of[item.id] = rule_file.program_id  # type: ignore[assignment]
                file_of[item.id] = name
        for item_id, program_id in program_of.items():
            if program_id not in programs:
                raise RuleError(f"program `{program_id}` is not defined in any file",
                                file=file_of[item_id], item=item_id, key="in_program")
        for item_list in versions.values():
            item_list.sort(key=lambda i: i.valid_from)
        return cls(version, programs, versions, program_of, file_of, conditions, groups, bases)

    def item_ids(self, program: str | None = None) -> list[str]:
        return [i for i in self.versions if program is None or self.program_of[i] == program]

    def all_items(self) -> Iterator[Item]:
        for item_list in self.versions.values():
            yield from item_list

    def budget_line_wan(self, item_id: str, item: Item) -> Decimal | None:
        """The budget (万元) of the program line an item version belongs to, if the source gives
        one."""
        budget = self.programs[self.program_of[item_id]].budget
        if budget is None or item.budget_line is None:
            return None
        return next((line.wan for line in budget.lines if line.id == item.budget_line), None)

    def version_for(self, item_id: str, day: dt.date) -> Item | None:
        """The version of an item in force on `day`, or None."""
        return next((i for i in self.versions[item_id] if i.in_force(day)), None)

    def nearest_version(self, item_id: str, day: dt.date) -> Item:
        """The version to describe when none is in force: the latest that started before `day`,
        else the first one."""
        started = [i for i in self.versions[item_id] if i.valid_from <= day]
        return started[-1] if started else self.versions[item_id][0]


def _add_unique(target: dict[str, Any], key: str, value: Any, file: str, section: str) -> None:
    if key in target:
        raise RuleError(f"`{key}` is defined twice", file=file, key=section)
    target[key] = value


def _merge_unique(target: dict[str, Any], new: dict[str, Any], file: str, section: str) -> None:
    for key, value in new.items():
        _add_unique(target, key, value, file, section)
