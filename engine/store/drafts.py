"""Policy-draft impact: a draft rule set run beside the rules in force over the stored profiles,
before the draft is published: who flips (from → to), because of which criterion, and the budget
effect per item.

The draft is loaded and checked like any rules (engine.rules: strict YAML, pydantic models, the
load-time checks; its own examples are run and their failures reported) and decided by an Engine
of its own. Nothing of it is stored: it is never recorded as a catalog, so no screening, self-
check or rebuilt explanation can use it until its files are adopted into the rules directory.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from engine.decide.decision import Decision
from engine.decide.engine import Engine
from engine.decide.examples import ExampleResult, run_all_examples
from engine.errors import EngineError, ProfileError, SubsidyError
from engine.explain.decision_json import decision_to_dict
from engine.export.budget import BudgetGroup, BudgetImpact, budget_impact_of_groups
from engine.export.draft_report import ERRORS_KEPT, CriterionFlip, DraftImpact, Flip, ItemEffect
from engine.facts.parse import parse_profile
from engine.rules.catalog import Catalog
from engine.rules.loader import catalog_from_sources, load_catalog, rule_sources

from .catalogs import budget_lines, catalog_content
from .diff import criterion_changes
from .models import Company, ProfileVersion, RunErrorRow, RunProfile
from .runs import get_run
from .screening import check_items, select_all

CHUNK = 500  # profiles read at a time


class DraftError(SubsidyError):
    code = "bad_draft"


def load_draft(draft: Path, rules_dir: Path | None = None, replaces: str | None = None) -> Catalog:
    """The draft's Catalog: a whole rules directory, or one changed rule file put in place of
    its namesake among the rules in force (`replaces`: its path under the rules directory, when
    the file name alone is ambiguous).

    Raises:
        RuleError: the draft does not load or fails a check (file, item, key and reason named).
        DraftError: the file matches no rule file, or several.
    """
    if draft.is_dir():
        return load_catalog(draft)
    if not draft.is_file():
        raise DraftError(f"草案不存在 no such draft: {draft}", draft=str(draft))
    sources = rule_sources(rules_dir)
    if replaces is None:
        matches = [rel for rel in sources if Path(rel).name == draft.name]
        if len(matches) != 1:
            raise DraftError(
                f"{draft.name}: 现行规则中有{len(matches)}个同名文件 matches {len(matches)} rule files "
                f"({', '.join(matches) or 'none'}); name the one it replaces", draft=str(draft))
        replaces = matches[0]
    elif replaces not in sources:
        raise DraftError(f"现行规则中没有 {replaces} no rule file {replaces}", draft=str(draft))
    try:
        text = draft.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise DraftError(f"{draft.name}: 不是 UTF-8 文本 not UTF-8 text", draft=str(draft)) from None
    return catalog_from_sources({**sources, replaces: text})


ProfileRow = tuple[int, str, str | None, int, dict[str, Any]]  # id, code, name, year, data


def _profiles(session: Session, ids: list[int]) -> Iterator[ProfileRow]:
    for start in range(0, len(ids), CHUNK):
        yield from session.execute(
            select(ProfileVersion.id, ProfileVersion.company_code, Company.name,
                   ProfileVersion.fiscal_year, ProfileVersion.data)
            .join(Company, Company.credit_code == ProfileVersion.company_code)
            .where(ProfileVersion.id.in_(ids[start:start + CHUNK]))
            .order_by(ProfileVersion.company_code, ProfileVersion.fiscal_year)).all()


def _summary(decision: Decision) -> tuple[str, Decimal | None, bool]:
    amount = decision.amount
    return (decision.status, amount.value if amount is not None else None,
            bool(amount and amount.ceiling))


class _Budget:
    """Budget groups counted as decisions arrive (engine.export.budget's own arithmetic)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[Any, ...]] = Counter()
        self.totals: dict[tuple[Any, ...], Decimal] = {}
        self.shells: dict[str, dict[str, Any]] = {}

    def add(self, decision: Decision) -> None:
        if decision.status not in ("eligible", "may_apply", "undetermined"):
            return
        if decision.item_id not in self.shells:
            self.shells[decision.item_id] = decision_to_dict(decision)
        status, amount, ceiling = _summary(decision)
        stacking = decision.stacking
        key = (decision.item_id, status, ceiling, None if stacking is None else stacking.receivable,
               amount is None)
        self.counts[key] += 1
        self.totals[key] = self.totals.get(key, Decimal(0)) + (amount or Decimal(0))

    def impact(self, lines: dict[str, dict[str, Any]]) -> BudgetImpact:
        return budget_impact_of_groups(
            [BudgetGroup(self.shells[key[0]], key[1], key[2], key[3], key[4], count,
                         self.totals[key]) for key, count in self.counts.items()], lines)


def _flips(pid: int, code: str, name: str | None, year: int, before: list[Decision],
           after: list[Decision]) -> Iterator[Flip]:
    old = {d.item_id: d for d in before}
    for new in after:
        was = old.get(new.item_id)
        if was is None:
            continue
        a, b = _summary(was), _summary(new)
        if a == b:
            continue
        kind = "status" if a[0] != b[0] else "amount"
        changed = criterion_changes(decision_to_dict(was), decision_to_dict(new))
        yield Flip(code, name, year, pid, new.item_id, {"zh": new.title.zh, "en": new.title.en},
                   kind, a[0], b[0], a[1], b[1], a[2], b[2],
                   tuple(CriterionFlip(c.id, c.text, c.before, c.after, c.facts_after or c.facts_before)
                         for c in changed))


def _effects(before: BudgetImpact, after: BudgetImpact) -> list[ItemEffect]:
    out = []
    for item_id in sorted(set(before.items) | set(after.items)):
        a, b = before.items.get(item_id), after.items.get(item_id)
        ref = b or a
        effect = ItemEffect(item_id, ref.title if ref else None, a.eligible if a else 0,
                            b.eligible if b else 0, a.total if a else Decimal(0),
                            b.total if b else Decimal(0), a.at_ceiling if a else 0,
                            b.at_ceiling if b else 0)
        if (effect.eligible_before, effect.total_before, effect.at_ceiling_before) != (
                effect.eligible_after, effect.total_after, effect.at_ceiling_after):
            out.append(effect)
    return out


def _in_district(session: Session, ids: list[int], district: str) -> list[int]:
    keep: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        keep.update(session.scalars(
            select(ProfileVersion.id)
            .join(Company, Company.credit_code == ProfileVersion.company_code)
            .where(ProfileVersion.id.in_(ids[start:start + CHUNK]), Company.district == district)))
    return [i for i in ids if i in keep]


def draft_selection(session: Session, run_id: int | None = None, as_of: dt.date | None = None,
                    district: str | None = None) -> tuple[list[int], dt.date, list[str] | None, str]:
    """The profile versions a draft is run over, its date, the run's items and the scope's
    name: a run's applicants (those it decided) on its date, or every stored firm's latest
    version as `subsidy screen --all` picks them on `as_of`, optionally one district's. Only
    the ids are held (one integer per firm); profiles are read CHUNK at a time."""
    if run_id is not None:
        run = get_run(session, run_id)
        failed = exists().where(RunErrorRow.run_id == run.id,
                                RunErrorRow.profile_id == RunProfile.profile_id)
        ids = list(session.scalars(select(RunProfile.profile_id).where(
            RunProfile.run_id == run.id, ~failed).order_by(RunProfile.position)))
        if district:
            ids = _in_district(session, ids, district)
        return ids, as_of or run.as_of, run.items, f"run {run.id}"
    if as_of is None:
        raise DraftError("请指定批次或评估日期 give a run or an as-of date")
    if district:
        return (_in_district(session, select_all(session, as_of), district), as_of, None,
                f"district {district}")
    return select_all(session, as_of), as_of, None, "all stored firms"


def draft_impact(session: Session, draft: Catalog, *, run_id: int | None = None,
                 as_of: dt.date | None = None, items: list[str] | None = None,
                 current: Catalog | None = None, district: str | None = None,
                 on_flip: Callable[[Flip], None] | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 on_example: Callable[[ExampleResult], None] | None = None) -> DraftImpact:
    """Decide the stored profiles with the rules in force and with the draft, and compare.

    Args:
        draft: the draft catalog (load_draft).
        run_id: the run's applicants (the profile versions it screened) on its date, or on
            `as_of` if given; without a run, every stored firm's latest version (as `subsidy
            screen --all` picks them) on `as_of`.
        items: only these items (default: the run's items, or every item).
        current: the rules in force (default: the rules directory).
        district: only the firms of this district.
        on_flip: takes each flip as it is found; then the report keeps none (its flip_count
            counts them), so memory stays flat however many firms there are.
        progress: called with (firms done, firms in all) after each chunk.
        on_example: takes each of the draft's failing examples whole (the report keeps their
            English text, as the CLI prints it), so that a page can word them in its language.

    Raises:
        DraftError: neither a run nor a date. RunError: unknown run or item.
    """
    current = current or load_catalog()
    ids, day, run_items, selection = draft_selection(session, run_id, as_of, district)
    items = items or run_items
    check_items(current, items)
    now, then = Engine(current), Engine(draft)
    report = DraftImpact(current.version, draft.version, day, selection)
    failing = [r for r in run_all_examples(then)[0] if not r.ok]
    report.example_failures = [r.describe() for r in failing]
    for result in failing if on_example is not None else ():
        on_example(result)
    before, after = _Budget(), _Budget()
    draft_items = [i for i in items if i in draft.versions] if items else None
    take = on_flip or report.flips.append
    done = 0
    for pid, code, name, year, data in _profiles(session, ids):
        done += 1
        if progress is not None and done % CHUNK == 0:
            progress(done, len(ids))
        try:
            profile = parse_profile(data, source=f"profile {pid}")
            decided = now.assess(profile, day, items).decisions
            drafted = then.assess(profile, day, draft_items).decisions
        except (EngineError, ProfileError, ArithmeticError) as exc:
            report.error_count += 1
            if len(report.errors) < ERRORS_KEPT:
                report.errors.append((code, getattr(exc, "message", None) or str(exc)))
            continue
        report.applicants += 1
        for decision in decided:
            before.add(decision)
        for decision in drafted:
            after.add(decision)
        for flip in _flips(pid, code, name or data.get("name"), year, decided, drafted):
            report.flip_count += 1
            take(flip)
    if progress is not None:
        progress(done, len(ids))
    report.items = _effects(before.impact(budget_lines(catalog_content(current), day)),
                            after.impact(budget_lines(catalog_content(draft), day)))
    return report
