"""Walks of a criteria tree: children, leaves, `item:` references, and `use:` expansion.

One traversal each, shared by the checks, the compiler, the evaluator and the catalog view.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.errors import RuleError, suggest

from .catalog import Catalog
from .model import AllOf, AnyOf, Citation, ItemRef, Leaf, NotOf, Use, amount_whens


def expand(node: Any, catalog: Catalog, trail: tuple[str, ...] = ()) -> Any:
    """Replace every `use:` by the named condition's criteria (recursively, refusing cycles)."""
    if isinstance(node, Use):
        if node.use not in catalog.conditions:
            raise RuleError(f"unknown condition `{node.use}`"
                            + suggest(node.use, set(catalog.conditions)), key="use")
        if node.use in trail:
            raise RuleError(f"condition `{node.use}` uses itself", key="use")
        condition = catalog.conditions[node.use]
        return _cited(expand(condition.criteria, catalog, (*trail, node.use)), condition)
    if isinstance(node, AllOf):
        return AllOf(all=[expand(n, catalog, trail) for n in node.all])
    if isinstance(node, AnyOf):
        return AnyOf(any=[expand(n, catalog, trail) for n in node.any])
    if isinstance(node, NotOf):
        return NotOf(**{"not": expand(node.not_, catalog, trail)})
    return node


def expand_condition(name: str, catalog: Catalog) -> Any:
    """A named condition's criteria, expanded, each leaf carrying the condition's citation."""
    condition = catalog.conditions[name]
    return _cited(expand(condition.criteria, catalog, (name,)), condition)


def _cited(node: Any, condition: Any) -> Any:
    """Give a shared condition's leaves the condition's citation where they carry none."""
    if isinstance(node, Leaf):
        if node.cite is not None:
            return node
        cite = Citation(clause=condition.cite.clause, document=condition.document,
                        url=condition.cite.url, basis=condition.cite.basis or "verbatim",
                        assumption=condition.cite.assumption)
        return node.model_copy(update={"cite": cite})
    if isinstance(node, AllOf):
        return AllOf(all=[_cited(n, condition) for n in node.all])
    if isinstance(node, AnyOf):
        return AnyOf(any=[_cited(n, condition) for n in node.any])
    if isinstance(node, NotOf):
        return NotOf(**{"not": _cited(node.not_, condition)})
    return node


def children(node: Any) -> list[Any]:
    """The sub-trees of an `all` / `any` / `not` node (none for a leaf, `use` or `item`)."""
    if isinstance(node, AllOf):
        return list(node.all)
    if isinstance(node, AnyOf):
        return list(node.any)
    if isinstance(node, NotOf):
        return [node.not_]
    return []


def leaves(node: Any) -> Iterator[Leaf]:
    if isinstance(node, Leaf):
        yield node
    for child in children(node):
        yield from leaves(child)


def item_nodes(node: Any) -> Iterator[ItemRef]:
    """The `item:` criteria in a tree."""
    if isinstance(node, ItemRef):
        yield node
    for child in children(node):
        yield from item_nodes(child)


def item_refs(node: Any) -> list[str]:
    """Items an amount expression names in `when` tests (they are decided first)."""
    return [when.item for when in amount_whens(node) if when.item is not None]
