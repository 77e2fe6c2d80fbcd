"""The rule catalog made readable for the browser: criteria trees, amounts, citations.

Shared conditions (`use:`) are shown by their title with their criteria nested under them, so
that a reader sees both the policy's structure and every test it makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from engine import Catalog, namespace
from engine.catalog import AllOf, Leaf, NotOf, Use
from engine.money import percent, wan, yuan

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
    if isinstance(node, NotOf):
        return Node("not", children=[tree(node.not_, catalog, lang)])
    key = "all" if isinstance(node, AllOf) else "any"
    return Node(key, children=[tree(n, catalog, lang) for n in getattr(node, key)])


def _money(value: Decimal, lang: str) -> str:
    return yuan(value, lang) if lang == "en" else f"{yuan(value, lang)}（{wan(value, lang)}）"


def amount_text(node: Any, lang: str) -> str:
    """An amount expression in words: '10% × 研发投入，上限 2,000,000元'."""
    zh = lang == "zh"
    if hasattr(node, "fixed"):
        text = ("定额 " if zh else "fixed ") + _money(node.fixed, lang)
    elif hasattr(node, "up_to") and not hasattr(node, "rate"):
        text = ("最高 " if zh else "up to ") + _money(node.up_to, lang)
    elif hasattr(node, "tiers"):
        parts = [f"{percent(t.rate)}" + (f" ≤ {yuan(t.up_to, lang)}" if t.up_to else "")
                 for t in node.tiers]
        text = ("分段：" if zh else "tiers: ") + ", ".join(parts) + (" × " + amount_text(node.of, lang))
    elif hasattr(node, "rate"):
        text = f"{percent(node.rate)} × {amount_text(node.of, lang)}"
    elif hasattr(node, "sum"):
        text = "(" + " + ".join(amount_text(n, lang) for n in node.sum) + ")"
    elif hasattr(node, "least"):
        inner = ("，" if zh else ", ").join(amount_text(n, lang) for n in node.least)
        text = f"{'取较小者' if zh else 'least of'}({inner})"
    else:
        text = namespace.label(node.fact, lang)
    if node.floor is not None:
        text += ("，下限 " if zh else ", floor ") + _money(node.floor, lang)
    if node.cap is not None:
        text += ("，上限 " if zh else ", cap ") + _money(node.cap, lang)
    return text
