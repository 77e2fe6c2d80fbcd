"""Which items and clauses read each profile field: the "why we ask" line of the self-check form.

Computed from the compiled catalog (criteria, exclusions and amounts, derived quantities traced
back to the profile fields they read), so that a new field or a new rule shows up on the form
without anyone editing a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.facts import namespace
from engine.rules.model import FactAmount, Text, amount_nodes, amount_whens
from engine.rules.regions import items_for_region
from engine.rules.tree import item_nodes, item_refs, leaves

from .compiler import CompiledCatalog, CompiledItem


@dataclass(frozen=True)
class FactUse:
    """One item that reads a field, with the clauses of its criteria or amount that do."""

    item_id: str
    title: Text
    clauses: tuple[str, ...]


def amount_facts(node: Any) -> list[str]:
    """Every fact an amount expression reads: its `fact:` nodes and its cases' `when` tests."""
    facts = [n.fact for n in amount_nodes(node) if isinstance(n, FactAmount)]
    return facts + [w.fact for w in amount_whens(node) if w.fact is not None]


def _reads(compiled: CompiledCatalog) -> list[tuple[str, Text, str, str]]:
    """(item id, title, clause, fact or derived name) for every test and amount in the catalog."""
    out: list[tuple[str, Text, str, str]] = []
    conditions = compiled.catalog.conditions
    for (item_id, _index), item in compiled.items.items():
        source = item.item.source.clause
        trees = [(item.tree, source)] if item.tree is not None else []
        trees += [(tree, conditions[name].cite.clause) for name, tree in item.exclusions]
        for tree, default_clause in trees:
            for leaf in leaves(tree):
                clause = leaf.cite.clause if leaf.cite else default_clause
                out += [(item_id, item.item.title, clause, n) for n in (leaf.fact, leaf.ref) if n]
        amount = item.item.amount
        if amount is not None:
            clause = amount.cite.clause if amount.cite else source
            out += [(item_id, item.item.title, clause, n) for n in amount_facts(amount)]
    return out


def fact_usage(compiled: CompiledCatalog) -> dict[str, tuple[FactUse, ...]]:
    """Profile field -> the items (latest title) and clauses that read it, in catalog order.

    Fields no rule reads (the company name, say) are absent from the result.
    """
    found: dict[str, dict[str, tuple[Text, list[str]]]] = {}
    for item_id, title, clause, name in _reads(compiled):
        for field in namespace.inputs(name):
            per_item = found.setdefault(field, {})
            _, clauses = per_item.get(item_id, (title, []))
            if clause not in clauses:
                clauses.append(clause)
            per_item[item_id] = (title, clauses)
    return {
        field: tuple(FactUse(i, title, tuple(clauses)) for i, (title, clauses) in items.items())
        for field, items in found.items()
    }


def _version_reads(item: CompiledItem) -> tuple[set[str], set[str]]:
    """(facts, item ids) one compiled version reads: its tests, exclusions, amount, stacking
    project, and the items it requires or names (decided first, so their facts count too)."""
    trees = ([item.tree] if item.tree is not None else []) + [t for _n, t in item.exclusions]
    facts = {n for tree in trees for leaf in leaves(tree) for n in (leaf.fact, leaf.ref) if n}
    refs = {ref.item for tree in trees for ref in item_nodes(tree)} | set(item.item.requires)
    if item.item.amount is not None:
        facts |= set(amount_facts(item.item.amount))
        refs |= set(item_refs(item.item.amount))
    if item.item.stacking_project:
        facts.add(item.item.stacking_project)
    return facts, refs


def fields_read(compiled: CompiledCatalog, item_ids: Iterable[str] | None = None,
                day: dt.date | None = None, settled: Iterable[str] = ()) -> frozenset[str]:
    """The profile fields that deciding these items (all when None) reads, counting only the
    versions in force on `day` (every version when None).

    What a region-first form asks: a field outside this set changes none of these decisions.

    Args:
        compiled: the compiled catalog.
        item_ids: the items to decide; the items they require or name are followed.
        day: the assessment date.
        settled: items whose decision is already fixed (ineligible on facts no other answer can
            change): neither read nor followed when another item names them, since naming
            them reads only that fixed outcome.
    Returns:
        The profile field names.
    """
    seen: set[str] = set(settled)
    wanted = (set(compiled.catalog.versions) if item_ids is None else set(item_ids)) - seen
    facts: set[str] = set()
    while wanted - seen:
        item_id = (wanted - seen).pop()
        seen.add(item_id)
        for (version_id, _index), item in compiled.items.items():
            if version_id == item_id and (day is None or item.item.in_force(day)):
                read, refs = _version_reads(item)
                facts |= read
                wanted |= refs & set(compiled.catalog.versions)
    return frozenset(f for name in facts for f in namespace.all_inputs(name))


def fields_for_region(compiled: CompiledCatalog, city: str | None, district: str | None,
                      day: dt.date | None = None) -> frozenset[str]:
    """The profile fields the items for a firm in (city, district) read on `day`
    (engine.rules.regions.items_for_region): step 2 of the self-check asks these."""
    return fields_read(compiled, items_for_region(compiled.catalog, city, district), day)
