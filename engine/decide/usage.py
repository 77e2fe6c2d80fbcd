"""Which items and clauses read each profile field: the "why we ask" line of the self-check form.

Computed from the compiled catalog (criteria, exclusions and amounts, derived quantities traced
back to the profile fields they read), so that a new field or a new rule shows up on the form
without anyone editing a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.facts import namespace
from engine.rules.model import FactAmount, Text, amount_nodes, amount_whens
from engine.rules.tree import leaves

from .compiler import CompiledCatalog


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
