"""Amount expressions and rule literals in words for the catalog view: "50% × 研发投入，最高200万元"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.facts import namespace
from engine.facts.money import percent, wan, yuan
from engine.rules import model as c

from . import labels
from .text import format_value


def _zh(lang: str) -> bool:
    return lang != "en"


def _colon(lang: str) -> str:
    return "：" if _zh(lang) else ": "


def money(value: Decimal, lang: str) -> str:
    """万元 in Chinese, yuan in English."""
    return wan(value, lang) if _zh(lang) else yuan(value, lang)


def typed(name: str, value: Any) -> Any:
    kind = namespace.kind(name)
    if isinstance(value, list):
        return [typed(name, v) for v in value]
    if kind.name == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind.numeric and kind.name != "date" and not isinstance(value, bool | dt.date):
        return Decimal(str(value))
    return value


def amount_text(node: Any, lang: str) -> str:
    """An amount expression in words: '50% × 上年度研发投入，最高200万元'."""
    text = _amount_core(node, lang)
    if node.floor is not None:
        text += f"，{'不低于' if _zh(lang) else 'at least '}{money(node.floor, lang)}"
    if node.cap is not None:
        text += (f"，最高{money(node.cap, lang)}" if _zh(lang)
                 else f", capped at {money(node.cap, lang)}")
    return text


def _amount_core(node: Any, lang: str) -> str:
    if isinstance(node, c.Fixed):
        return f"{'定额' if _zh(lang) else 'fixed'} {money(node.fixed, lang)}"
    if isinstance(node, c.UpTo):
        return (f"最高 {money(node.up_to, lang)}（来源仅给出上限）" if _zh(lang)
                else f"up to {money(node.up_to, lang)} (the source gives only the maximum)")
    if isinstance(node, c.FactAmount):
        return namespace.label(node.fact, lang)
    if isinstance(node, c.Rate):
        return f"{percent(node.rate)} × {_wrapped(node.of, lang)}"
    if isinstance(node, c.Sum):
        return " + ".join(_wrapped(n, lang) for n in node.sum)
    if isinstance(node, c.Least):
        inner = ("、" if _zh(lang) else ", ").join(amount_text(n, lang) for n in node.least)
        return f"{'取较小者' if _zh(lang) else 'least of'}（{inner}）"
    if isinstance(node, c.Difference):
        a, b = (_wrapped(n, lang) for n in node.difference)
        return f"{a} − {b}" + ("（不低于0）" if _zh(lang) else " (not below 0)")
    if isinstance(node, c.Tiers):
        return _tiers_text(node, lang)
    return _cases_text(node, lang)


def _wrapped(node: Any, lang: str) -> str:
    text = amount_text(node, lang)
    return f"（{text}）" if isinstance(node, c.Sum | c.Difference | c.Cases) or node.cap else text


def _tiers_text(node: c.Tiers, lang: str) -> str:
    parts, lower = [], Decimal(0)
    for tier in node.tiers:
        if tier.up_to is None:
            parts.append(f"{money(lower, lang)}{'以上部分' if _zh(lang) else ' and above'} "
                         f"{percent(tier.rate)}")
        else:
            parts.append(f"{money(lower, lang)}–{money(tier.up_to, lang)} {percent(tier.rate)}")
            lower = tier.up_to
    sep = "；" if _zh(lang) else "; "
    return f"{'分段' if _zh(lang) else 'marginal rates'}（{sep.join(parts)}）× {_wrapped(node.of, lang)}"


def _cases_text(node: c.Cases, lang: str) -> str:
    parts = []
    for case in node.cases:
        then = amount_text(case.then, lang)
        if case.when is None:
            parts.append(f"{'其他情形' if _zh(lang) else 'otherwise'}{_colon(lang)}{then}")
        else:
            parts.append(f"{'若' if _zh(lang) else 'if '}{_when_text(case.when, lang)}"
                         f"{_colon(lang)}{then}")
    return ("；" if _zh(lang) else "; ").join(parts)


def _when_text(when: c.When, lang: str) -> str:
    if when.item is not None:
        return (f"符合“{when.item}”" if _zh(lang) else f"eligible for {when.item}")
    op = labels.pick(labels.OPERATOR[when.op], lang)  # type: ignore[index]
    value = format_value(when.fact, typed(when.fact, when.value), lang)  # type: ignore[arg-type]
    return f"{namespace.label(when.fact, lang)} {op} {value}"  # type: ignore[arg-type]

