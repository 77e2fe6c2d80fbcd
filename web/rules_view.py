"""The rule catalog made readable for the browser: criteria trees, amounts, citations.

Shared conditions (`use:`) are shown by their title with their criteria nested under them, so
that a reader sees both the policy's structure and every test it makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine import AllOf, Catalog, ItemRef, Leaf, NotOf, Use, namespace

from .present import threshold_text


@dataclass
class Node:
    """One node of a criteria tree: all / any / not / use (a shared condition) / leaf."""

    kind: str
    title: str = ""
    children: list[Node] = field(default_factory=list)
    leaf: Leaf | None = None
    test: str = ""
    clause: str = ""
    reconstructed: bool = False
    assumption: str | None = None


def tree(node: Any, catalog: Catalog, lang: str) -> Node:
    if isinstance(node, Leaf):
        cite = node.cite
        return Node("leaf", node.text.get(lang), leaf=node,
                    test=f"{namespace.label(node.fact, lang)} "
                         f"{threshold_text(node.fact, node.op, node.value, node.ref, lang)}",
                    clause=cite.clause if cite else "",
                    reconstructed=bool(cite and cite.basis == "reconstructed"),
                    assumption=cite.assumption.get(lang) if cite and cite.assumption else None)
    if isinstance(node, Use):
        condition = catalog.conditions[node.use]
        return Node("use", condition.title.get(lang), [tree(condition.criteria, catalog, lang)],
                    clause=f"{condition.document} {condition.cite.clause}")
    if isinstance(node, ItemRef):
        title = catalog.versions[node.item][-1].title.get(lang) if node.item in catalog.versions \
            else node.item
        return Node("item", node.text.get(lang), test=title,
                    clause=node.cite.clause if node.cite else "")
    if isinstance(node, NotOf):
        return Node("not", children=[tree(node.not_, catalog, lang)])
    key = "all" if isinstance(node, AllOf) else "any"
    return Node(key, children=[tree(n, catalog, lang) for n in getattr(node, key)])


