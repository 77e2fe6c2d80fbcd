"""A result a firm can act on: its items grouped, the total of computed amounts, the next steps.

Groups, in the order a firm reads them:
    eligible     可申报: eligible, with a computed amount (or a status without money, a self-check)
    near         差一点: not eligible (or not decided) but a confirmed path within the firm's reach
                 exists (engine.decide.paths)
    to_supply    待补充资料: cannot be decided until the firm gives the facts named (no change of
                 its own is proposed); "cannot tell yet" is not "not eligible"
    unpublished  条件未公开: conditions not fully published (may apply), criteria unpublished, or
                 an amount known only by its ceiling
    ineligible   不符合: not eligible, and no change within the firm's reach helps
Items of another region and items not in force on the date are kept apart (`other_region`,
`not_in_force`), never shown as failed rows.

The total adds the computed payments the firm can receive together (stacking applied); ceilings
and tax deductions are listed apart, never added.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from engine.decide.decision import Assessment, Decision
from engine.decide.paths import EligibilityPath, ItemPaths, paths_to_eligibility, ranked_paths
from engine.decide.stacking import receivable
from engine.facts import namespace
from engine.facts.money import yuan
from engine.rules.catalog import Catalog
from engine.rules.model import Round
from engine.rules.regions import firm_location, outside_region, program_for
from engine.rules.rounds import RoundsOnDate, catalog_rounds, round_of, rounds_on

from . import labels
from .findings import not_for_region
from .phrases import format_value

if TYPE_CHECKING:
    from engine.decide.engine import Engine

GROUPS = ("eligible", "near", "to_supply", "unpublished", "ineligible")
APART = ("other_region", "not_in_force")
GROUP_LABEL = {
    "eligible": ("可申报", "You can apply"),
    "near": ("差一点", "Nearly there"),
    "to_supply": ("待补充资料", "Facts needed to decide"),
    "unpublished": ("条件未公开", "Conditions not (fully) published"),
    "ineligible": ("不符合", "Not eligible"),
    "other_region": ("其他地区的项目", "Items of other regions"),
    "not_in_force": ("不在有效期内的项目", "Items not in force on this date"),
}


@dataclass(frozen=True)
class SummaryItem:
    """One item as the firm sees it: its decision, its round's details, its paths."""

    decision: Decision
    group: str
    round: Round | None
    paths: tuple[EligibilityPath, ...] = ()  # within reach; for `ineligible`, those out of reach

    @property
    def receivable_amount(self) -> Decimal | None:
        a = self.decision.amount
        return None if a is None or a.ceiling else a.value


@dataclass(frozen=True)
class FirmSummary:
    """The result page and the letter read this: groups, total, ceilings apart, top paths."""

    as_of: object  # dt.date
    rules_version: str
    items: tuple[SummaryItem, ...]
    total: Decimal  # computed payments receivable together; never a ceiling or a tax deduction
    counted: tuple[tuple[SummaryItem, Decimal], ...]  # what the total adds, after stacking
    ceilings: tuple[SummaryItem, ...]  # "up to" amounts, listed apart
    deductions: tuple[tuple[SummaryItem, Decimal], ...]  # tax deductions, listed apart
    top_paths: tuple[EligibilityPath, ...]
    rounds: tuple[RoundsOnDate, ...]  # per program of the firm's region, in catalog order

    @property
    def rounds_in_force(self) -> tuple[object, ...]:
        return tuple(r for on in self.rounds for r in on.in_force)

    @property
    def nothing_in_force(self) -> tuple[RoundsOnDate, ...]:
        """The programs of the firm's region with no round on the date (with the nearest)."""
        return tuple(on for on in self.rounds if on.nothing_in_force)

    def group(self, name: str) -> tuple[SummaryItem, ...]:
        return tuple(i for i in self.items if i.group == name)


def summarize(engine: Engine, assessment: Assessment, top: int = 5) -> FirmSummary:
    """Group an assessment for the firm, searching the paths of its ineligible and undetermined
    items of its own region (each confirmed by `engine`)."""
    wanted = [d.item_id for d in assessment.decisions
              if d.status in ("ineligible", "undetermined") and not not_for_region(d)
              and not outside_region(engine.catalog, d.item_id, assessment.profile)]
    found = paths_to_eligibility(engine, assessment, wanted)
    return firm_summary(assessment, engine.catalog, found, top)


def firm_summary(assessment: Assessment, catalog: Catalog, found: list[ItemPaths] | None = None,
                 top: int = 5) -> FirmSummary:
    """Group an assessment given the paths already searched (none: no item is `near`)."""
    by_item = {f.item_id: f for f in found or []}
    profile = assessment.profile
    items = tuple(_item(d, catalog, by_item.get(d.item_id),
                        outside_region(catalog, d.item_id, profile)) for d in assessment.decisions)
    chosen = receivable(assessment.decisions, catalog)
    entry = {i.decision.item_id: i for i in items}
    counted, deductions = [], []
    for d, value in chosen:
        if d.amount is None or d.amount.value is None or d.amount.ceiling:
            continue
        (deductions if _benefit(catalog, d) == "tax_deduction" else counted).append(
            (entry[d.item_id], value))
    total = sum((v for _, v in counted), Decimal(0))
    ceilings = tuple(i for i in items if i.decision.amount and i.decision.amount.ceiling
                     and i.decision.amount.value is not None
                     and i.decision.status in ("eligible", "may_apply"))
    # A path that only supplies a missing fact is not a change, and one whose item would then
    # pay nothing (buying an office for a cent, say) is not worth proposing.
    paths = [p for p in ranked_paths(list(by_item.values()))
             if not p.supplies_only and not _brings_nothing(p)]
    return FirmSummary(assessment.as_of, assessment.rules_version, items, total, tuple(counted),
                       ceilings, tuple(deductions), tuple(paths[:top]),
                       tuple(rounds_on(catalog, assessment.as_of, program)
                             for program in _programs_for(catalog, profile)))


def _brings_nothing(path: EligibilityPath) -> bool:
    return path.amount is not None and path.amount == 0 and not path.ceiling


def _programs_for(catalog: Catalog, profile: object) -> list[str]:
    """The programs for the firm's region (all whose region cannot be ruled out) that hold any
    assessable round, in catalog order."""
    city, district = firm_location(profile)  # type: ignore[arg-type]
    return [p for p in catalog.programs if program_for(catalog, p, city, district) is not False
            and catalog_rounds(catalog, p)]


def _benefit(catalog: Catalog, d: Decision) -> str:
    version = next((i for i in catalog.versions.get(d.item_id, []) if i.valid_from == d.valid_from), None)
    return version.benefit if version is not None else "payment"


def _item(d: Decision, catalog: Catalog, found: ItemPaths | None, elsewhere: bool) -> SummaryItem:
    application = round_of(catalog, d.item_id, d.valid_from)
    group = group_of(d, found, elsewhere)
    if group in ("near", "to_supply"):
        paths = found.reachable if found else ()
    else:
        paths = found.paths if found else ()
    return SummaryItem(d, group, application, tuple(paths))


def group_of(d: Decision, found: ItemPaths | None = None, elsewhere: bool = False) -> str:
    """The group of one decision, given the paths searched for it and whether its program is
    for another region than the firm's (engine.rules.regions.outside_region)."""
    if elsewhere or not_for_region(d):
        return "other_region"
    if d.status == "not_in_force":
        return "not_in_force"
    if d.status in ("may_apply", "not_assessable"):
        return "unpublished"
    if d.status == "eligible":
        return "unpublished" if d.amount is not None and d.amount.ceiling else "eligible"
    reachable = found.reachable if found else ()
    if any(not p.supplies_only for p in reachable):
        return "near"
    return "to_supply" if d.status == "undetermined" else "ineligible"


# --- words ------------------------------------------------------------------------------------

def group_label(name: str, lang: str = "zh") -> str:
    return labels.pick(GROUP_LABEL[name], lang)


def change_text(change, lang: str = "zh") -> str:  # noqa: ANN001 - engine.decide.paths.Change
    """"科技人员数：9 → 10（企业可改变）" or "请填报：…（须满足：…）"."""
    label = namespace.label(change.fact, lang)
    if change.supplied:
        need = (change.criterion.get(lang) if change.criterion
                else format_value(change.fact, change.after, lang))
        return f"请填报{label}（须满足：{need}）" if lang == "zh" else f"give {label} (it must meet: {need})"
    before = format_value(change.fact, change.before, lang)
    after = format_value(change.fact, change.after, lang)
    if lang == "zh":
        reach = "企业可改变" if change.changeable else "企业无法改变"
        return f"{label}：{before} → {after}（{reach}）"
    reach = "the firm can change this" if change.changeable else "the firm cannot change this"
    return f"{label}: {before} → {after} ({reach})"


def path_text(path: EligibilityPath, lang: str = "zh") -> str:
    """One path in a sentence: the changes, then what it brings."""
    sep = "；" if lang == "zh" else "; "
    changes = sep.join(change_text(c, lang) for c in path.changes)
    title = path.title.get(lang)
    status = labels.status(path.status, lang)
    if path.amount is not None:
        prefix = ("最高 " if lang == "zh" else "up to ") if path.ceiling else ""
        brings = f"{title}{status}，预计 {prefix}{yuan(path.amount, lang)}" if lang == "zh" else \
            f"{title}: {status}, estimated {prefix}{yuan(path.amount, lang)}"
    else:
        brings = f"{title}{status}" if lang == "zh" else f"{title}: {status}"
    return f"{changes} ⇒ {brings}" if lang == "zh" else f"{changes} => {brings}"


def no_path_text(lang: str = "zh") -> str:
    return ("在企业可改变的范围内，没有能使本项符合条件的改变。" if lang == "zh"
            else "No change within the firm's reach makes this item eligible.")


def total_lines(summary: FirmSummary, lang: str = "zh") -> list[str]:
    """The total of computed amounts, then ceilings and tax deductions apart."""
    zh = lang == "zh"
    lines = [(f"可申报金额合计（金额已确定的拨款，已按叠加规则取舍）：{yuan(summary.total, lang)}" if zh
              else f"Total of computed payments (stacking rules applied): {yuan(summary.total, lang)}")]
    for item in summary.ceilings:
        value = yuan(item.decision.amount.value, lang)  # type: ignore[union-attr, arg-type]
        lines.append(f"另：{item.decision.title.get(lang)} 最高 {value}（仅知上限，不计入合计）" if zh
                     else f"Also: {item.decision.title.get(lang)} up to {value} "
                          "(only a ceiling is known; not in the total)")
    for item, value in summary.deductions:
        lines.append(f"另：{item.decision.title.get(lang)} {yuan(value, lang)}"
                     "（税前加计扣除额，非拨款，不计入合计）"
                     if zh else f"Also: {item.decision.title.get(lang)} {yuan(value, lang)} "
                                "(a tax deduction, not a payment; not in the total)")
    return lines
