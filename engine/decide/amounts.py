"""Amounts: evaluate an item's amount expression in Decimal yuan, recording the arithmetic.

durable_rules compares in doubles, so amounts are never computed inside it. Each step is kept in
both languages so that the explanation shows how the figure was reached.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from engine.facts import namespace
from engine.facts.kinds import UNDEFINED
from engine.facts.money import percent, round_yuan, yuan
from engine.rules import model as c
from engine.rules.model import Text

Steps = list[Text]
# A handler's `steps` is None when the steps are not worded (evaluate_amount(worded=False)):
# every step is then skipped before it is formatted, the arithmetic is the same.


def _t(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


def _money(v: Decimal) -> tuple[str, str]:
    return yuan(v, "zh"), yuan(v, "en")


def evaluate_amount(node: Any, facts: dict[str, Any],
                    worded: bool = True) -> tuple[Decimal | None, bool, Steps]:
    """Evaluate an amount expression.

    Args:
        node: an amount node from the rule language.
        facts: fact name -> Python value (profile facts and derived quantities).
        worded: False skips wording the steps (no steps are returned): what a decision without
            an explanation needs is the figure and whether it is a ceiling, and putting each step
            into two languages is most of the work.

    Returns:
        (value or None when an input is missing, whether it is only a ceiling, steps).
    """
    steps: Steps = []
    value, ceiling = _eval(node, facts, steps if worded else None)
    if value is not None:
        value = round_yuan(value)
    return value, ceiling, steps


def _eval(node: Any, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    handler: Callable[..., tuple[Decimal | None, bool]] = _HANDLERS[type(node)]
    value, ceiling = handler(node, facts, steps)
    if value is None:
        return None, ceiling
    return _bounds(node, value, steps), ceiling


def _bounds(node: Any, value: Decimal, steps: Steps | None) -> Decimal:
    if node.floor is not None and value < node.floor:
        if steps is not None:
            zh, en = _money(node.floor)
            steps.append(_t(f"不低于下限 {zh}", f"raised to the floor of {en}"))
        value = node.floor
    if node.cap is not None and value > node.cap:
        if steps is not None:
            zh, en = _money(node.cap)
            was_zh, was_en = _money(value)
            steps.append(_t(f"{was_zh} 超过上限，按上限 {zh}", f"{was_en} exceeds the cap: {en}"))
        value = node.cap
    return value


def _fixed(node: c.Fixed, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal, bool]:
    if steps is not None:
        zh, en = _money(node.fixed)
        steps.append(_t(f"定额 {zh}", f"fixed amount {en}"))
    return node.fixed, False


def _up_to(node: c.UpTo, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal, bool]:
    if steps is not None:
        zh, en = _money(node.up_to)
        steps.append(_t(f"最高 {zh}（来源仅给出上限，实际金额按申报条件核定）",
                        f"up to {en} (the source gives only the maximum; the actual sum is set on "
                        "review)"))
    return node.up_to, True


def _fact(node: c.FactAmount, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    value = facts.get(node.fact)
    if value is None or value is UNDEFINED:
        if steps is not None:
            steps.append(_t(f"缺少 {namespace.label(node.fact, 'zh')}",
                            f"missing: {namespace.label(node.fact, 'en')}"))
        return None, False
    return Decimal(value), False


def _rate(node: c.Rate, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    base, ceiling = _eval(node.of, facts, steps)
    if base is None:
        return None, ceiling
    result = node.rate * base
    if steps is not None:
        bzh, ben = _money(base)
        rzh, ren = _money(result)
        label_zh = _base_label(node.of, "zh")
        label_en = _base_label(node.of, "en")
        steps.append(_t(f"{percent(node.rate)} × {label_zh}{bzh} = {rzh}",
                        f"{percent(node.rate)} × {label_en}{ben} = {ren}"))
    return result, ceiling


def _base_label(node: Any, lang: str) -> str:
    if isinstance(node, c.FactAmount):
        sep = "" if lang == "zh" else " "
        return f"{namespace.label(node.fact, lang)}{sep}"
    return ""


def _sum(node: c.Sum, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    parts = [_eval(n, facts, steps) for n in node.sum]
    if any(v is None for v, _ in parts):
        return None, any(ceil for _, ceil in parts)
    total = sum((v for v, _ in parts), Decimal(0))  # type: ignore[misc]
    if steps is not None:
        zh = " + ".join(_money(v)[0] for v, _ in parts)  # type: ignore[arg-type]
        en = " + ".join(_money(v)[1] for v, _ in parts)  # type: ignore[arg-type]
        steps.append(_t(f"{zh} = {_money(total)[0]}", f"{en} = {_money(total)[1]}"))
    return total, any(ceil for _, ceil in parts)


def _least(node: c.Least, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    parts = [_eval(n, facts, steps) for n in node.least]
    if any(v is None for v, _ in parts):
        return None, any(ceil for _, ceil in parts)
    values = [v for v, _ in parts]
    low = min(values)  # type: ignore[type-var]
    if steps is not None:
        zh = "、".join(_money(v)[0] for v in values)  # type: ignore[arg-type]
        en = ", ".join(_money(v)[1] for v in values)  # type: ignore[arg-type]
        steps.append(_t(f"取 {zh} 中较小者：{_money(low)[0]}",  # type: ignore[arg-type]
                        f"least of {en}: {_money(low)[1]}"))  # type: ignore[arg-type]
    return low, any(ceil for _, ceil in parts)


def _tiers(node: c.Tiers, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    base, ceiling = _eval(node.of, facts, steps)
    if base is None:
        return None, ceiling
    total, lower = Decimal(0), Decimal(0)
    for tier in node.tiers:
        upper = base if tier.up_to is None else min(base, tier.up_to)
        if upper <= lower:
            break
        part = (upper - lower) * tier.rate
        if steps is not None:
            pzh, pen = _money(upper - lower)
            steps.append(_t(f"{percent(tier.rate)} × {pzh} = {_money(part)[0]}",
                            f"{percent(tier.rate)} × {pen} = {_money(part)[1]}"))
        total += part
        lower = upper
    if steps is not None:
        steps.append(_t(f"分段合计 {_money(total)[0]}", f"tiers total {_money(total)[1]}"))
    return total, ceiling


def _difference(node: c.Difference, facts: dict[str, Any],
                steps: Steps | None) -> tuple[Decimal | None, bool]:
    (a, ceil_a), (b, ceil_b) = (_eval(n, facts, steps) for n in node.difference)
    if a is None or b is None:
        return None, ceil_a or ceil_b
    result = max(a - b, Decimal(0))
    if steps is not None:
        steps.append(_t(f"{_money(a)[0]} − {_money(b)[0]} = {_money(result)[0]}",
                        f"{_money(a)[1]} − {_money(b)[1]} = {_money(result)[1]}"))
    return result, ceil_a


ITEM_KEY = "item:"  # facts[ITEM_KEY + id] holds pass / fail / unknown for items named in `when`
WHEN_KEY = "when:"  # facts[WHEN_KEY + str(id(when))]: durable_rules' outcome of a fact `when`


def when_status(when: c.When, facts: dict[str, Any]) -> str:
    """pass / fail / unknown for a case's `when` test, as decided before the amount is computed.

    An item test reads the other item's outcome; a fact test reads durable_rules' outcome, which
    the caller put in `facts` under WHEN_KEY (the engine does so for every fact test it compiled).
    """
    if when.item is not None:
        return str(facts.get(ITEM_KEY + when.item, "unknown"))
    return str(facts[WHEN_KEY + str(id(when))])


def _when_label(when: c.When, lang: str) -> str:
    if when.item is not None:
        return when.item
    return namespace.label(when.fact, lang)  # type: ignore[arg-type]


def _cases(node: c.Cases, facts: dict[str, Any], steps: Steps | None) -> tuple[Decimal | None, bool]:
    for case in node.cases:
        status = "pass" if case.when is None else when_status(case.when, facts)
        if status == "unknown":
            zh, en = _when_label(case.when, "zh"), _when_label(case.when, "en")  # type: ignore[arg-type]
            if steps is not None:
                steps.append(_t(f"无法确定适用的情形（{zh} 未知）",
                                f"cannot tell which case applies ({en} unknown)"))
            return None, False
        if status == "pass":
            if case.when is not None:
                zh, en = _when_label(case.when, "zh"), _when_label(case.when, "en")
                if steps is not None:
                    steps.append(_t(f"适用情形：{zh}", f"case applies: {en}"))
            return _eval(case.then, facts, steps)
    if steps is not None:
        steps.append(_t("没有适用的情形", "no case applies"))
    return None, False


def applied_cites(node: Any, facts: dict[str, Any]) -> list[c.Citation]:
    """The citations of the parts of an amount that apply to this firm, outermost first: the
    node's own `cite`, then, in `cases`, those of the case chosen (the case's `cite`, then its
    `then`'s). A case that cannot be decided yet contributes nothing."""
    if node is None:
        return []
    found = [node.cite] if getattr(node, "cite", None) is not None else []
    if isinstance(node, c.Cases):
        case = _chosen(node, facts)
        if case is not None:
            found += [case.cite] if case.cite is not None else []
            found += applied_cites(case.then, facts)
        return found
    for _key, child in c.amount_children(node):
        found += applied_cites(child, facts)
    return found


def _chosen(node: c.Cases, facts: dict[str, Any]) -> c.Case | None:
    for case in node.cases:
        status = "pass" if case.when is None else when_status(case.when, facts)
        if status != "fail":
            return case if status == "pass" else None
    return None


_HANDLERS: dict[type, Callable[..., tuple[Decimal | None, bool]]] = {
    c.Fixed: _fixed, c.UpTo: _up_to, c.FactAmount: _fact, c.Rate: _rate, c.Sum: _sum,
    c.Least: _least, c.Tiers: _tiers, c.Difference: _difference, c.Cases: _cases,
}


