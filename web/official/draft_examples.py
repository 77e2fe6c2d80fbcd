"""A draft's failing examples in the page's language: the checker keeps each mismatch as data
(engine.decide.examples.Mismatch: the aspect, what was expected, what came out), and this module
words it from the catalogs, so that the zh page is not left with the checker's English. A job
stored before the data was kept shows the English text it stored."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..fields import field_specs
from ..formats import money_text
from ..i18n import current_lang, has, t


def example_lines(summary: dict[str, Any]) -> list[str]:
    """One line per failing example of the draft, in the page's language."""
    checks = summary.get("example_checks")
    if checks is None:  # a job from before the checks were kept as data
        return list(summary.get("example_failures") or [])
    return [_line(check) for check in checks]


def _line(check: dict[str, Any]) -> str:
    try:
        sep = "；" if current_lang() == "zh" else "; "
        problems = sep.join(_mismatch(m) for m in check["mismatches"])
        return t("draft.example.line", file=check["file"], item=check["item_id"],
                 name=check["name"], problems=problems)
    except (KeyError, TypeError, ValueError, InvalidOperation):  # never a 500 for stored data
        return str(check.get("text", "")) if isinstance(check, dict) else str(check)


def _mismatch(m: dict[str, Any]) -> str:
    aspect, expected, got = m["aspect"], m.get("expected"), m.get("got")
    if aspect == "status":
        return t("draft.example.status", expected=_label("status", expected),
                 got=_label("status", got))
    if aspect == "amount":
        return t("draft.example.amount", expected=_money(expected), got=_money(got))
    if aspect == "criterion":
        return t("draft.example.criterion", criterion=_criterion(m),
                 expected=_label("outcome", expected), got=_label("outcome", got))
    if aspect == "no_criterion":
        return t("draft.example.no_criterion", criterion=m["criterion"])
    if aspect == "missing":
        return t("draft.example.missing", expected=_facts(expected), got=_facts(got))
    if aspect == "profile":
        return t("draft.example.profile", reason=got[current_lang()])
    raise ValueError(aspect)


def _label(kind: str, value: Any) -> str:
    key = f"{kind}.{value}"
    return t(key) if has(key) else str(value)


def _money(value: Any) -> str:
    return t("draft.example.no_amount") if value is None else money_text(Decimal(value),
                                                                         current_lang())


def _criterion(m: dict[str, Any]) -> str:
    text = m.get("criterion_text") or {}
    words = text.get(current_lang())
    return t("draft.example.criterion_named", text=words, id=m["criterion"]) if words \
        else str(m["criterion"])


def _facts(names: list[str]) -> str:
    if not names:
        return t("draft.example.none")
    labels = {s.name: s.label(current_lang()) for s in field_specs()}
    return ("、" if current_lang() == "zh" else ", ").join(labels.get(n, n) for n in names)
