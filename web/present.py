"""Decisions made readable: the rows and lines the result page shows, in one language.

Everything comes from the engine's Decision objects and its own formatters (engine.explain
through the public API); nothing here decides or re-derives an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine import (
    Assessment,
    Catalog,
    Decision,
    RoundLine,
    decisive_ids,
    exclusion_head,
    format_gap,
    format_value,
    further_bases,
    namespace,
    not_for_region,
    outside_region,
    requirement_text,
    round_lines,
    round_of,
    unmet_summary,
)

from .formats import money_text

ORDER = ("eligible", "may_apply", "undetermined", "ineligible", "not_assessable", "not_in_force")
OTHER = ("not_assessable", "not_in_force")


@dataclass(frozen=True)
class Row:
    """One criterion as a table row."""

    text: str
    role: str
    status: str  # pass / fail / unknown, or for exclusions: excluded / clear / unknown
    figure: str
    inputs: str
    threshold: str
    gap: str | None
    document: str
    clause: str
    reconstructed: bool
    assumption: str | None
    own_source: bool  # False: the item's own document, shown once on the card instead


def threshold_text(fact: str, op: str, value: Any, ref: str | None, lang: str) -> str:
    """'须不低于 10%', '须为 福田区': a rule's test of `fact` as a sentence (the engine's words)."""
    return requirement_text(fact, op, value, ref, lang)


def _row(c: Any, lang: str, item_source: Any, decisive: set[str]) -> Row:
    sep = "；" if lang == "zh" else "; "
    figure = sep.join(format_value(r.name, r.value, lang) for r in c.reads)
    inputs = sep.join(f"{namespace.label(i.name, lang)} {format_value(i.name, i.value, lang)}"
                      for r in c.reads for i in r.derived_from if i.value is not None)
    status, text = c.status, c.text.get(lang)
    if c.role == "exclusion":
        status = {"pass": "excluded", "fail": "clear"}.get(c.status, "unknown")
        text = exclusion_head(c, lang)[1]
    threshold = "" if c.role != "criterion" else threshold_text(c.fact, c.op, c.value, c.ref, lang)
    own = (c.citation.document, c.citation.assumption) != (item_source.document,
                                                           item_source.assumption)
    assumption = c.citation.assumption.get(lang) if c.citation.assumption and own else None
    gap = format_gap(c.gap, lang) if c.gap and c.id in decisive else None
    return Row(text, c.role, status, figure, inputs, threshold, gap,
               c.citation.document if own else "",
               c.citation.clause, c.citation.basis == "reconstructed", assumption, own)


def amount_text(d: Decision, lang: str) -> str | None:
    """'32万元（320,000元）' or 'CNY 320,000 (32万元)'; None when there is no figure."""
    if d.amount is None or d.amount.value is None:
        return None
    return money_text(d.amount.value, lang)


@dataclass(frozen=True)
class Card:
    """One item's decision, ready for the template."""

    d: Decision
    title: str
    program: str
    amount: str | None
    ceiling: bool
    steps: list[str]
    rows: list[Row]
    missing: list[tuple[str, str]]  # (field name, label)
    reason: str | None
    stacking: str | None
    receivable: bool
    source_reconstructed: bool
    source_assumption: str | None
    unmet: str | None  # the one-line 未满足 summary of an ineligible item
    bases: list[tuple[str, str]]  # amount / stacking bases and notes, assumptions marked 推定
    # the round's window, department, contact, materials and notice (来源未公布 where silent);
    # None where the page has no catalog to read them from
    round: list[RoundLine] | None = None


def card(d: Decision, program_title: str, lang: str, catalog: Catalog | None = None) -> Card:
    """One decision as a card; with the catalog, also the details of the round it belongs to."""
    show_amount = d.status in ("eligible", "may_apply", "undetermined")
    decisive = decisive_ids(d)
    return Card(
        d=d, title=d.title.get(lang), program=program_title,
        amount=amount_text(d, lang) if show_amount else None,
        ceiling=bool(d.amount and d.amount.ceiling),
        steps=[s.get(lang) for s in d.amount.steps] if d.amount and show_amount else [],
        rows=[_row(c, lang, d.source, decisive) for c in d.criteria],
        missing=[(m, namespace.label(m, lang)) for m in d.missing],
        reason=d.reason.get(lang) if d.reason else None,
        stacking=d.stacking.reason.get(lang) if d.stacking else None,
        receivable=bool(d.stacking is None or d.stacking.receivable),
        source_reconstructed=d.source.basis == "reconstructed",
        source_assumption=d.source.assumption.get(lang) if d.source.assumption else None,
        unmet=unmet_summary(d, lang),
        bases=further_bases(d, lang),
        round=(round_lines(round_of(catalog, d.item_id, d.valid_from), lang)
               if catalog is not None else None),
    )


def cards(a: Assessment, program_titles: dict[str, str], lang: str,
          catalog: Catalog | None = None) -> tuple[list[Card], list[Card], list[Card]]:
    """(assessed items, best first; items of another region, collapsed on the page; items not
    assessable or not in force)."""
    ordered = sorted(a.decisions, key=lambda d: ORDER.index(d.status))
    made = [card(d, program_titles.get(d.program, d.program), lang, catalog) for d in ordered]
    elsewhere = [c for c in made if elsewhere_item(a, c.d, catalog)]
    rest = [c for c in made if c not in elsewhere]
    return ([c for c in rest if c.d.status not in OTHER], elsewhere,
            [c for c in rest if c.d.status in OTHER])


def elsewhere_item(a: Assessment, d: Decision, catalog: Catalog | None = None) -> bool:
    """An item of another region: it failed only on where the firm is, or (with the catalog)
    its program is for another region than the firm's known one, whatever its status."""
    return not_for_region(d) or (catalog is not None and outside_region(catalog, d.item_id, a.profile))


def counts(a: Assessment, catalog: Catalog | None = None) -> dict[str, int]:
    """Decisions per status, items of other regions left out: they are no failed rows."""
    mine = [d for d in a.decisions if not elsewhere_item(a, d, catalog)]
    return {status: sum(1 for d in mine if d.status == status) for status in ORDER}
