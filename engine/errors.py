"""One error hierarchy for the engine, with structured attributes the CLI and web layer render."""

from __future__ import annotations

import difflib


class SubsidyError(Exception):
    """Base of every error the engine raises on purpose; `code` is stable for API clients."""

    code = "error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}

    def to_dict(self) -> dict[str, object]:
        """The one JSON error shape: {"error": {"code", "message", "details"}}."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class RuleError(SubsidyError):
    """A rule file is malformed: names the file, the item, the key and what was expected."""

    code = "rule_error"

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        item: str | None = None,
        key: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                file and f"file {file}",
                item and f"item {item}",
                key and f"key {key}",
            )
            if part
        )
        super().__init__(f"{where}: {reason}" if where else reason, file=file, item=item, key=key)
        self.reason = reason
        self.file = file
        self.item = item
        self.key = key


class FactProblem(ValueError):
    """What is wrong with one or more facts, in Chinese and in English, naming the fields.

    Raised inside the profile's validators: pydantic wraps it, engine.facts.parse finds it again,
    so that a form can say each problem in the page's language only. Its text (str) is the
    Chinese then the English, as every message of the engine is where one language is not chosen
    (the CLI, an import's row report)."""

    def __init__(self, zh: str, en: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(f"{zh} {en}")
        self.zh, self.en, self.fields = zh, en, fields


class FactProblems(ValueError):
    """Several FactProblems found together (the cross-field checks), so that all are reported at
    once; its text lists each as `fields: text`, separated by "; "."""

    def __init__(self, problems: list[FactProblem]) -> None:
        super().__init__("; ".join(f"{', '.join(p.fields)}: {p}" if p.fields else str(p)
                                   for p in problems))
        self.problems = problems


class ProfileError(SubsidyError):
    """A company profile is invalid; `fields` names every field involved, and `reasons` gives
    each problem as (fields, {"zh": ..., "en": ...}) for a reader of one language."""

    code = "profile_error"

    def __init__(self, message: str, *, fields: list[str], source: str | None = None,
                 reasons: list[tuple[tuple[str, ...], dict[str, str]]] | None = None) -> None:
        super().__init__(message, fields=fields, source=source)
        self.fields = fields
        self.source = source
        self.reasons = reasons or []

    def reason_for(self, field: str, lang: str) -> str | None:
        """The first problem naming `field`, in `lang` ("zh" or "en"); None if none names it."""
        for fields, text in self.reasons:
            if field in fields:
                return text.get(lang) or text.get("zh")
        return None


class EngineError(SubsidyError):
    """durable_rules refused or failed while deciding; carries the ruleset that failed."""

    code = "engine_error"


def suggest(name: str, choices: list[str] | set[str]) -> str:
    """A 'did you mean' suffix for a misspelt name, or nothing."""
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""
