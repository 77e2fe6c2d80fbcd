"""A criterion's citation resolved against its item's source (memoised: rule objects are frozen)."""

from __future__ import annotations

import functools
from dataclasses import replace

from engine.rules.model import Citation, Source, ZeroDenominator

from .decision import CitationRef


@functools.lru_cache(maxsize=4096)
def source_ref(source: Source) -> CitationRef:
    document = source.document + (f"（{source.number}）" if source.number else "")
    return CitationRef(document, source.clause, source.url, source.basis, source.assumption)


@functools.lru_cache(maxsize=8192)
def citation_ref(cite: Citation | None, source: Source) -> CitationRef:
    """A criterion's citation, with unset parts taken from the item's source."""
    base = source_ref(source)
    return base if cite is None else refined_ref(cite, base)


@functools.lru_cache(maxsize=1024)
def zero_denominator_citation(base: CitationRef, rule: ZeroDenominator) -> CitationRef:
    """A ratio test decided by its rule's reading of a zero denominator: that reading is the
    assumption shown with the criterion, and it is reconstructed unless the rule says verbatim."""
    if rule.basis == "verbatim":
        return base
    return replace(base, basis="reconstructed", assumption=rule.reason)


@functools.lru_cache(maxsize=1024)
def refined_ref(cite: Citation, base: CitationRef) -> CitationRef:
    """A nested citation (an amount case's) over the citation it sits in: unset parts inherited,
    an assumption only when the nested cite keeps the basis it inherits."""
    return CitationRef(
        document=cite.document or base.document,
        clause=cite.clause,
        url=cite.url or (base.url if cite.document is None else None),
        basis=cite.basis or base.basis,
        assumption=cite.assumption or (base.assumption if cite.basis is None else None),
    )


def amount_ref(cites: list[Citation], source: Source) -> CitationRef:
    """The citation of the amount as applied: the innermost applied cite over the outer ones,
    over the item's source (the chosen case's clause, with its basis and assumption)."""
    if not cites:
        return source_ref(source)
    ref = citation_ref(cites[0], source)
    for cite in cites[1:]:
        ref = refined_ref(cite, ref)
    return ref
