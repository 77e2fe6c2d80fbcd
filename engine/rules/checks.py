"""Semantic checks of a loaded catalog: every fact, operator, value and reference is valid.

Run at load time so that a bad rule fails before any profile is assessed (rule-engine style).
"""

from __future__ import annotations

from typing import Any

from engine.errors import RuleError, suggest
from engine.facts import namespace
from engine.facts.kinds import FactKind

from .catalog import Catalog
from .contradictions import conjunctions, contradiction
from .literals import OPS_BY_KIND, parse_literal
from .model import Cases, Item, Leaf, When, amount_children
from .tree import expand, item_nodes, item_refs, leaves


def check_leaf(leaf: Leaf) -> None:
    """Check a leaf's fact, operator and right-hand side against the fact's kind."""
    names = namespace.fact_names()
    if leaf.fact not in names:
        raise RuleError(f"unknown fact `{leaf.fact}`" + suggest(leaf.fact, names),
                        key=f"{leaf.id}.fact")
    kind = namespace.kind(leaf.fact)
    family = "numeric" if kind.numeric else kind.name
    if leaf.op not in OPS_BY_KIND[family]:
        raise RuleError(f"operator `{leaf.op}` does not apply to {kind.name} fact `{leaf.fact}`; "
                        f"allowed: {' '.join(sorted(OPS_BY_KIND[family]))}", key=f"{leaf.id}.op")
    _check_zero_denominator(leaf, kind)
    if leaf.ref is not None:
        _check_ref(leaf, kind, names)
    elif leaf.op in ("in", "not_in"):
        if not isinstance(leaf.value, list) or not leaf.value:
            raise RuleError(f"op `{leaf.op}` needs a non-empty list", key=f"{leaf.id}.value")
        for v in leaf.value:
            parse_literal(kind, v, f"{leaf.id}.value")
    elif leaf.op == "between":
        if not isinstance(leaf.value, list) or len(leaf.value) != 2:
            raise RuleError("op `between` needs [low, high]", key=f"{leaf.id}.value")
        low, high = (parse_literal(kind, v, f"{leaf.id}.value") for v in leaf.value)
        if low > high:
            raise RuleError("`between` bounds are reversed: this can never pass",
                            key=f"{leaf.id}.value")
    elif leaf.op != "exists":
        parse_literal(kind, leaf.value, f"{leaf.id}.value")


def _check_zero_denominator(leaf: Leaf, kind: FactKind) -> None:
    """A ratio test says what a zero denominator means; no other test may."""
    if kind.name == "ratio" and leaf.op != "exists" and leaf.zero_denominator is None:
        raise RuleError(f"`{leaf.fact}` is a ratio: say what a zero denominator means with "
                        "`zero_denominator: {status: pass|fail, reason: {zh, en}}`",
                        key=f"{leaf.id}.zero_denominator")
    if kind.name != "ratio" and leaf.zero_denominator is not None:
        raise RuleError(f"`zero_denominator` applies to ratios only, not {kind.name} `{leaf.fact}`",
                        key=f"{leaf.id}.zero_denominator")


def _check_ref(leaf: Leaf, kind: FactKind, names: set[str]) -> None:
    if leaf.ref not in names:
        raise RuleError(f"unknown fact `{leaf.ref}`" + suggest(leaf.ref, names),  # type: ignore[arg-type]
                        key=f"{leaf.id}.ref")
    other = namespace.kind(leaf.ref)  # type: ignore[arg-type]
    if kind != other:
        raise RuleError(f"cannot compare {kind.name} `{leaf.fact}` with {other.name} `{leaf.ref}`",
                        key=f"{leaf.id}.ref")
    if not (_exact_values(leaf.fact) and _exact_values(leaf.ref)):  # type: ignore[arg-type]
        raise RuleError(f"`{leaf.fact}` and `{leaf.ref}` are not both exact at {kind.places} "
                        "decimal places, so durable_rules cannot compare them with each other; "
                        "compare each with a value instead", key=f"{leaf.id}.ref")


def _exact_values(name: str) -> bool:
    """Whether every value of a fact is a whole number of its kind's units (dates, counts and the
    profile's money fields, which hold at most two decimals): only such facts compare exactly
    with each other once encoded."""
    kind = namespace.kind(name)
    if not kind.numeric:
        return True
    return kind.name in ("date", "count") or (kind.name == "money" and not namespace.is_derived(name))


def _check_amount(node: Any, key: str) -> None:
    if hasattr(node, "fact") and isinstance(node.fact, str):
        names = namespace.fact_names()
        if node.fact not in names:
            raise RuleError(f"unknown fact `{node.fact}`" + suggest(node.fact, names), key=key)
        if not namespace.kind(node.fact).numeric or namespace.kind(node.fact).name == "date":
            raise RuleError(f"amount uses `{node.fact}`, which is not a number", key=key)
    if isinstance(node, Cases):
        for index, case in enumerate(node.cases):
            if case.when is not None:
                _check_when(case.when, f"{key}.cases.{index}.when")
            elif index != len(node.cases) - 1:
                raise RuleError("only the last case may omit `when`", key=f"{key}.cases.{index}")
    for child_key, child in amount_children(node):
        _check_amount(child, f"{key}.{child_key}")


def _check_round(item: Item) -> None:
    """A round's parts cite their clause; a reconstructed one says what was assumed."""
    application = item.application
    if application is None:
        return
    cites = [("window", getattr(application.window, "cite", None)),
             ("department", getattr(application.department, "cite", None)),
             ("notice", getattr(application.notice, "cite", None)),
             ("materials_cite", application.materials_cite)]
    if isinstance(application.materials, list):
        cites += [(f"materials.{i}", m.cite) for i, m in enumerate(application.materials)]
    for key, cite in cites:
        if cite is None:
            continue
        if not cite.clause.strip():
            raise RuleError("a round's citation needs a `clause`", key=f"round.{key}.cite.clause")
        if cite.basis == "reconstructed" and cite.assumption is None:
            raise RuleError("a reconstructed citation needs an `assumption`",
                            key=f"round.{key}.cite.assumption")


def _check_when(when: When, key: str) -> None:
    if when.item is not None:
        return  # checked against the catalog in check_item
    names = namespace.fact_names()
    if when.fact not in names:
        raise RuleError(f"unknown fact `{when.fact}`" + suggest(when.fact, names),  # type: ignore[arg-type]
                        key=f"{key}.fact")
    kind = namespace.kind(when.fact)  # type: ignore[arg-type]
    family = "numeric" if kind.numeric else kind.name
    if when.op not in OPS_BY_KIND[family]:
        raise RuleError(f"operator `{when.op}` does not apply to {kind.name} fact `{when.fact}`",
                        key=f"{key}.op")
    for v in when.value if when.op in ("in", "not_in") else [when.value]:
        parse_literal(kind, v, f"{key}.value")


def check_item(item: Item, catalog: Catalog) -> None:
    _check_citations(item)
    _check_round(item)
    for ref in item_nodes(item.criteria) if item.criteria is not None else []:
        if ref.item not in catalog.versions:
            raise RuleError(f"unknown item `{ref.item}`" + suggest(ref.item, set(catalog.versions)),
                            key=f"criteria.{ref.id}.item")
    if item.criteria is not None:
        tree = expand(item.criteria, catalog)
        seen: set[str] = set()
        for leaf in leaves(tree):
            if leaf.id in seen:
                raise RuleError(f"criterion id `{leaf.id}` appears twice", key="criteria")
            seen.add(leaf.id)
            check_leaf(leaf)
        _check_satisfiable(tree)
    for name in item.exclusions:
        if name not in catalog.conditions:
            raise RuleError(f"unknown condition `{name}`" + suggest(name, set(catalog.conditions)),
                            key="exclusions")
        for leaf in leaves(expand(catalog.conditions[name].criteria, catalog)):
            check_leaf(leaf)
    for name in item.requires:
        if name not in catalog.versions:
            raise RuleError(f"unknown item `{name}`" + suggest(name, set(catalog.versions)),
                            key="requires")
    if item.stacking and item.stacking not in catalog.stacking_groups:
        raise RuleError(f"unknown stacking group `{item.stacking}`"
                        + suggest(item.stacking, set(catalog.stacking_groups)), key="stacking")
    _check_stacking_project(item)
    if item.amount is not None:
        _check_amount(item.amount, "amount")
        for name in item_refs(item.amount):
            if name not in catalog.versions:
                raise RuleError(f"unknown item `{name}`" + suggest(name, set(catalog.versions)),
                                key="amount.when.item")
    if item.budget_line is not None:
        budget = catalog.programs[catalog.program_of[item.id]].budget
        lines = {line.id for line in budget.lines} if budget else set()
        if item.budget_line not in lines:
            raise RuleError(f"budget line `{item.budget_line}` is not among the program's lines"
                            + suggest(item.budget_line, lines), key="budget_line")
    for example in item.examples:
        if example.extends and example.extends not in catalog.example_profiles:
            raise RuleError(f"example `{example.name}` extends unknown profile `{example.extends}`"
                            + suggest(example.extends, set(catalog.example_profiles)),
                            key="examples")


def _check_stacking_project(item: Item) -> None:
    name = item.stacking_project
    if name is None:
        return
    if item.stacking is None:
        raise RuleError("`stacking_project` needs the item's `stacking` group", key="stacking_project")
    if name not in namespace.fact_names():
        raise RuleError(f"unknown fact `{name}`" + suggest(name, namespace.fact_names()),
                        key="stacking_project")
    if namespace.kind(name).name != "text":
        raise RuleError(f"`stacking_project` names a text fact, not `{name}`", key="stacking_project")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _check_citations(item: Item) -> None:
    """Every criterion and amount resolves to a document and a clause: the item's source gives
    the default, and every `cite` that overrides it names its clause."""
    if _blank(item.source.document) or _blank(item.source.clause):
        raise RuleError("the item's source needs a `document` and a `clause`", key="source")
    nodes: list[tuple[str, Any]] = []
    if item.criteria is not None:
        nodes += [(f"criteria.{leaf.id}.cite", leaf.cite) for leaf in leaves(item.criteria)]
    if item.amount is not None:
        nodes.append(("amount.cite", item.amount.cite))
    for key, cite in nodes:
        if cite is not None and _blank(cite.clause):
            raise RuleError("a `cite` needs a non-empty `clause`", key=key)
        if cite is not None and cite.basis == "reconstructed" and cite.assumption is None:
            raise RuleError("basis: reconstructed needs an `assumption`", key=key)


def _check_satisfiable(tree: Any) -> None:
    for conj in conjunctions(tree):
        clash = contradiction(conj)
        if clash:
            tests = ", ".join(f"{leaf.id} ({leaf.fact} {leaf.op} {leaf.value})" for leaf in clash)
            raise RuleError(f"criteria can never pass: {tests} contradict each other inside one "
                            "`all`", key="criteria." + "+".join(leaf.id for leaf in clash))


def _check_versions(item_id: str, versions: list[Item]) -> None:
    for earlier, later in zip(versions, versions[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise RuleError(f"versions overlap: one from {earlier.valid_from} runs to "
                            f"{earlier.valid_to or 'open end'}, the next starts {later.valid_from}",
                            item=item_id, key="valid_to")


def _check_budget_line(item: Item, catalog: Catalog, item_id: str) -> None:
    """An item of a program with a budget names the line it draws on, so that budgets add up."""
    budget = catalog.programs[catalog.program_of[item_id]].budget
    if budget is not None and budget.lines and item.budget_line is None:
        raise RuleError("the program has budget lines: name this item's `budget_line`",
                        key="budget_line")


def _depends_on(item: Item) -> list[str]:
    refs = [ref.item for ref in item_nodes(item.criteria)] if item.criteria is not None else []
    return [*item.requires, *refs, *(item_refs(item.amount) if item.amount else [])]


def _check_requires_acyclic(catalog: Catalog) -> None:
    graph = {i: {r for v in vs for r in _depends_on(v)} for i, vs in catalog.versions.items()}
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                raise RuleError(f"`requires` forms a cycle through `{nxt}`", item=node,
                                file=catalog.file_of[node], key="requires")
            if nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)


def check_catalog(catalog: Catalog) -> None:
    """Check every item version; re-raise errors with the file and item filled in."""
    for name, condition in catalog.conditions.items():
        try:
            for leaf in leaves(expand(condition.criteria, catalog)):
                check_leaf(leaf)
        except RuleError as exc:
            raise RuleError(exc.reason, item=f"conditions.{name}", key=exc.key) from None
    for group in catalog.stacking_groups.values():
        if _blank(group.cite.clause):
            raise RuleError("a stacking group's `cite` needs a clause", key=f"stacking_groups.{group.id}")
    for item_id, versions in catalog.versions.items():
        for item in versions:
            try:
                check_item(item, catalog)
                _check_budget_line(item, catalog, item_id)
            except RuleError as exc:
                raise RuleError(exc.reason, file=catalog.file_of[item_id], item=item_id,
                                key=exc.key) from None
        try:
            _check_versions(item_id, versions)
        except RuleError as exc:
            raise RuleError(exc.reason, file=catalog.file_of[item_id], item=item_id,
                            key=exc.key) from None
    _check_requires_acyclic(catalog)
