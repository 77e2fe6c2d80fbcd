"""Changed copies of the rules in force, as a deploy would bring them, for the tests of
re-checks (tests/store/test_rechecks.py, tests/web/test_account_changes.py): the Futian R&D
threshold raised tenfold (a stored firm loses the item), its rate doubled (the amount changes),
one item added (the firm gains it), and a new version of the R&D item from 2020 with the higher
threshold."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RD_RULE = 'op: ">"\n          value: 500000\n    exclusions: [futian.serious_dishonesty.borrowed]'
RD_RATE = 'rate: "0.10"\n      of: {fact: rd_expense_stats_verified}'
NEW_ITEM = """
program:
  id: test.new
  title: {zh: 测试新计划, en: "Test new programme"}
  authority: {zh: 测试主管部门, en: "Test authority"}
items:
  - id: test.new.grant
    title: {zh: 新设研发补贴, en: "New R&D grant"}
    source: {document: 测试通知, clause: 第二条, evidence: news, basis: verbatim}
    valid_from: 2020-01-01
    criteria:
      all:
        - id: rd_over_1m
          text: {zh: 研发投入超过100万元, en: "R&D input above 1 million yuan"}
          fact: rd_expense_stats_verified
          op: ">"
          value: 1000000
    amount: {fixed: 50000}
"""


def _replace(old: str, new: str) -> Callable[[Path], None]:
    def edit(rules: Path) -> None:
        path = rules / "futian" / "st_fund.yaml"
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise AssertionError(f"the rule to change is no longer in st_fund.yaml: {old!r}")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def add_file(name: str, text: str) -> Callable[[Path], None]:
    """A change that adds a rule file."""
    def edit(rules: Path) -> None:
        (rules / name).write_text(text, encoding="utf-8")
    return edit


def _new_version(rules: Path) -> None:
    """futian.rd_input ends on 2019-12-31; a 2020 version asks for 5 million yuan of R&D."""
    path = rules / "futian" / "st_fund.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: futian.rd_input\n")
    end = text.index("\n  - id: ", start + 1)
    block = text[start:end]
    new = (block[:block.index("    examples:")]
           .replace("version: {zh: 2017–2021年政策, en: 2017–2021 policy generation}",
                    "version: {zh: 2020年试行, en: 2020 trial}")
           .replace("valid_from: 2017-01-01\n    valid_to: 2021-04-27",
                    "valid_from: 2020-01-01\n    valid_to: 2021-04-27")
           .replace("value: 500000\n", "value: 5000000\n"))
    old = block.replace("valid_to: 2021-04-27", "valid_to: 2019-12-31", 1)
    path.write_text(text[:start] + old + "\n" + new.rstrip() + text[end:], encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "threshold": _replace(RD_RULE, RD_RULE.replace("500000", "5000000")),
    "amount": _replace(RD_RATE, RD_RATE.replace("0.10", "0.20")),
    "added": add_file("test_new.yaml", NEW_ITEM),
    "new_version": _new_version,
}


def rules_variant(base: Path, name: str, change: Callable[[Path], None] | None = None) -> Path:
    """A copy of rules/ under `base`, changed by CHANGES[name] (or `change`)."""
    target = base / name
    shutil.copytree(ROOT / "rules", target)
    (change or CHANGES[name])(target)
    return target
