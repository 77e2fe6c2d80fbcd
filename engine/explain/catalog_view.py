"""The catalog as an official reads it: programs, budget lines, items, criteria, amounts, sources.

`subsidy rules list` and `subsidy rules show` print what this module renders. Everything comes
from the loaded Catalog; nothing is evaluated here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.facts import namespace
from engine.rules import model as c
from engine.rules.catalog import Catalog
from engine.rules.model import Citation, Item, Leaf, Source
from engine.rules.tree import children, item_nodes, leaves

from . import labels
from .amount_words import amount_text, money, typed
from .text import format_value

STATUS_LABELS = {
    "assessable": ("可评估", "assessable"),
    "reconstructed": ("部分推定", "partly reconstructed"),
    "not_assessable": ("无法评估", "not assessable"),
}


def _zh(lang: str) -> bool:
    return lang != "en"


def _colon(lang: str) -> str:
    return "：" if _zh(lang) else ": "


def _heading(lang: str) -> str:
    return "：" if _zh(lang) else ":"


def item_status(item: Item, catalog: Catalog) -> str:
    """assessable, reconstructed (something had to be assumed) or not_assessable."""
    if item.not_assessable is not None:
        return "not_assessable"
    return "reconstructed" if _reconstructed(item, catalog) else "assessable"


def _reconstructed(item: Item, catalog: Catalog) -> bool:
    if item.source.basis == "reconstructed":
        return True
    cites = [leaf.cite for leaf in leaves(item.criteria)]
    cites += [ref.cite for ref in item_nodes(item.criteria)] if item.criteria is not None else []
    cites += [catalog.conditions[u].cite for u in _uses(item.criteria)]
    cites += [catalog.conditions[x].cite for x in item.exclusions]
    cites += _amount_cites(item.amount)
    return any(cite is not None and cite.basis == "reconstructed" for cite in cites)


def _uses(node: Any) -> list[str]:
    if isinstance(node, c.Use):
        return [node.use]
    return [name for child in children(node) for name in _uses(child)]


def _amount_cites(node: Any) -> list[Citation | None]:
    nodes = c.amount_nodes(node)
    return [n.cite for n in nodes] + [case.cite for n in nodes if isinstance(n, c.Cases)
                                      for case in n.cases]


# --- list ---------------------------------------------------------------------------------------
def catalog_list(catalog: Catalog, program: str | None = None, lang: str = "zh") -> list[str]:
    """One block per program: its budget, then one line per item version."""
    lines: list[str] = []
    for program_id, prog in catalog.programs.items():
        if program and program_id != program:
            continue
        lines.append(f"{prog.title.get(lang)}  [{program_id}]  {prog.authority.get(lang)}")
        if prog.budget:
            total = money(prog.budget.total_wan * 10000, lang)
            lines.append(f"  {'预算' if _zh(lang) else 'Budget'} {prog.budget.year}{_colon(lang)}"
                         + (f"{total}（{prog.budget.document} {prog.budget.clause}）" if _zh(lang)
                            else f"{total} ({prog.budget.document} {prog.budget.clause})"))
            lines.append("  " + _budget_check(prog.budget, catalog, program_id, lang))
        for item_id in sorted(catalog.item_ids(program_id), key=lambda i: _line_order(catalog, i)):
            for item in catalog.versions[item_id]:
                lines.append("  " + _list_row(item_id, item, catalog, lang))
        lines.append("")
    return lines


def _budget_check(budget: Any, catalog: Catalog, program_id: str, lang: str) -> str:
    """'26条预算科目合计26,380万元，与总额一致；每条科目均有对应项目'."""
    total = sum((line.wan for line in budget.lines), Decimal(0))
    used = {i.budget_line for i in catalog.all_items() if catalog.program_of[i.id] == program_id}
    bare = [line.id for line in budget.lines if line.id not in used]
    agrees = total == budget.total_wan
    if _zh(lang):
        text = f"{len(budget.lines)}条预算科目合计{money(total * 10000, lang)}，" + (
            "与总额一致" if agrees else "与总额不一致")
        return text + ("；每条科目均有对应项目" if not bare else f"；无对应项目的科目：{'、'.join(bare)}")
    text = f"{len(budget.lines)} budget lines add up to {money(total * 10000, lang)}, " + (
        "matching the total" if agrees else "NOT matching the total")
    return text + ("; every line has an item" if not bare else f"; lines without an item: {', '.join(bare)}")


def _line_order(catalog: Catalog, item_id: str) -> int:
    line = catalog.versions[item_id][0].budget_line
    return int(line) if line and line.isdigit() else 0


def _list_row(item_id: str, item: Item, catalog: Catalog, lang: str) -> str:
    status = labels.pick(STATUS_LABELS[item_status(item, catalog)], lang)
    budget = catalog.budget_line_wan(item_id, item)
    line = f"({item.budget_line}) {money(budget * 10000, lang)} " if budget is not None else ""
    version = f" — {item.version.get(lang)}" if item.version else ""
    width = 8 if _zh(lang) else 20
    return (f"{item_id:<42} {status:<{width}} {period(item)}  {line}"
            f"{item.title.get(lang)}{version}  [{item.source.evidence}]")


def period(item: Item) -> str:
    end = item.valid_to.isoformat() if item.valid_to else "…"
    return f"{item.valid_from.isoformat()} – {end}"


# --- show ---------------------------------------------------------------------------------------
def catalog_show(catalog: Catalog, item_id: str, lang: str = "zh",
                 as_of: dt.date | None = None) -> list[str]:
    """Every version of one item (or the one in force on `as_of`), as an official reads it."""
    versions = catalog.versions[item_id]
    if as_of is not None:
        chosen = catalog.version_for(item_id, as_of)
        if chosen is None:
            note = (f"{as_of.isoformat()} 无有效版本，显示最近的版本" if _zh(lang)
                    else f"no version in force on {as_of.isoformat()}; showing the nearest")
            return [note, *item_lines(catalog, item_id, catalog.nearest_version(item_id, as_of),
                                      lang)]
        versions = [chosen]
    lines: list[str] = []
    for item in versions:
        lines += item_lines(catalog, item_id, item, lang) + [""]
    return lines


def item_lines(catalog: Catalog, item_id: str, item: Item, lang: str) -> list[str]:
    col = _colon(lang)
    prog = catalog.programs[catalog.program_of[item_id]]
    head = f"【{item.title.get(lang)}】{item_id}" if _zh(lang) else f"[{item.title.get(lang)}] {item_id}"
    lines = [head, f"  {'计划' if _zh(lang) else 'Program'}{col}{prog.title.get(lang)}"]
    if item.version:
        lines.append(f"  {'版本' if _zh(lang) else 'Version'}{col}{item.version.get(lang)}")
    lines.append(f"  {'有效期' if _zh(lang) else 'Valid'}{col}{period(item)}")
    budget = catalog.budget_line_wan(item_id, item)
    if budget is not None:
        lines.append(f"  {'预算科目' if _zh(lang) else 'Budget line'}{col}({item.budget_line}) "
                     f"{money(budget * 10000, lang)}")
    status = labels.pick(STATUS_LABELS[item_status(item, catalog)], lang)
    lines.append(f"  {'状态' if _zh(lang) else 'Status'}{col}{status}")
    lines += _source_lines(item.source, lang)
    if item.not_assessable:
        lines.append(f"  {'无法评估的原因' if _zh(lang) else 'Why not assessable'}{col}"
                     f"{item.not_assessable.get(lang)}")
    if item.criteria is not None:
        lines.append(f"  {'条件' if _zh(lang) else 'Criteria'}{_heading(lang)}")
        lines += _criteria_lines(item.criteria, catalog, lang, 2)
    for name in item.exclusions:
        cond = catalog.conditions[name]
        lines.append(f"  {'排除情形' if _zh(lang) else 'Excluded if'}{col}{cond.title.get(lang)}"
                     f"  〔{_cite_text(cond.cite, cond.document, lang)}〕")
    for required in item.requires:
        title = catalog.versions[required][0].title.get(lang)
        lines.append(f"  {'须先符合' if _zh(lang) else 'Requires'}{col}{title} ({required})")
    if item.amount is None and item.not_assessable is None:
        lines.append(f"  {'金额' if _zh(lang) else 'Amount'}{col}"
                     + ("来源未给出金额，只评估资格" if _zh(lang)
                        else "not given by the source; eligibility only"))
    if item.amount is not None:
        lines.append(f"  {'金额' if _zh(lang) else 'Amount'}{col}{amount_text(item.amount, lang)}")
        if item.amount.cite:
            lines.append(f"    〔{_cite_text(item.amount.cite, None, lang)}〕")
    if item.stacking:
        group = catalog.stacking_groups[item.stacking]
        rule = ("只能选一项" if _zh(lang) else "only one may be received") if group.rule == "one_of" \
            else (f"合计上限 {money(group.cap or Decimal(0), lang)}" if _zh(lang)
                  else f"combined cap {money(group.cap or Decimal(0), lang)}")
        rule = f"（{rule}）" if _zh(lang) else f" ({rule})"
        lines.append(f"  {'叠加规则' if _zh(lang) else 'Stacking'}{col}{group.title.get(lang)}{rule}")
    if item.notes:
        lines.append(f"  {'说明' if _zh(lang) else 'Notes'}{col}{item.notes.get(lang)}")
    return lines


def _source_lines(source: Source, lang: str) -> list[str]:
    col = _colon(lang)
    number = f"（{source.number}）" if source.number else ""
    lines = [f"  {'依据' if _zh(lang) else 'Source'}{col}{source.document}{number} {source.clause}"
             f"  [{source.evidence}]"]
    if source.url:
        lines.append(f"    {source.url}")
    basis = ("原文" if source.basis == "verbatim" else "推定") if _zh(lang) else source.basis
    lines.append(f"  {'依据性质' if _zh(lang) else 'Basis'}{col}{basis}")
    if source.assumption:
        lines.append(f"  {'推定说明' if _zh(lang) else 'Assumption'}{col}{source.assumption.get(lang)}")
    return lines


def _cite_text(cite: Citation, document: str | None, lang: str) -> str:
    doc = cite.document or document
    text = f"{doc} {cite.clause}" if doc else cite.clause
    if cite.basis == "reconstructed" and cite.assumption:
        text += (f"；推定：{cite.assumption.zh}" if _zh(lang)
                 else f"; reconstructed: {cite.assumption.en}")
    return text


def _criteria_lines(node: Any, catalog: Catalog, lang: str, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(node, Leaf):
        test = _test_text(node, lang)
        cite = f"  〔{_cite_text(node.cite, None, lang)}〕" if node.cite else ""
        test = f"（{test}）" if _zh(lang) else f" ({test})"
        return [f"{pad}- {node.text.get(lang)}{test}{cite}"]
    if isinstance(node, c.ItemRef):
        title = catalog.versions[node.item][0].title.get(lang)
        cite = f"  〔{_cite_text(node.cite, None, lang)}〕" if node.cite else ""
        need = f"（须符合：{title}）" if _zh(lang) else f" (requires: {title})"
        return [f"{pad}- {node.text.get(lang)}{need}{cite}"]
    if isinstance(node, c.Use):
        cond = catalog.conditions[node.use]
        head = [f"{pad}- {cond.title.get(lang)}  〔{_cite_text(cond.cite, cond.document, lang)}〕"]
        return head + _criteria_lines(cond.criteria, catalog, lang, depth + 1)[1:] \
            if isinstance(cond.criteria, c.AllOf) else head
    titles = {c.AllOf: ("全部满足", "all of"), c.AnyOf: ("满足其一", "any of"),
              c.NotOf: ("不得满足", "none of")}
    label = labels.pick(titles[type(node)], lang)
    lines = [f"{pad}{label}{_heading(lang)}"]
    for child in children(node):
        lines += _criteria_lines(child, catalog, lang, depth + 1)
    return lines


def _test_text(leaf: Leaf, lang: str) -> str:
    name = namespace.label(leaf.fact, lang)
    op = labels.pick(labels.OPERATOR[leaf.op], lang)
    if leaf.op == "exists":
        return f"{name} {op}"
    if leaf.ref is not None:
        return f"{name} {op} {namespace.label(leaf.ref, lang)}"
    if leaf.op == "between":
        low, high = (format_value(leaf.fact, typed(leaf.fact, v), lang) for v in leaf.value)
        return f"{name} {op} {low} – {high}"
    return f"{name} {op} {format_value(leaf.fact, typed(leaf.fact, leaf.value), lang)}"
