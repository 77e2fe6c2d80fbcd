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


class ProfileError(SubsidyError):
    """A company profile is invalid; `fields` names every field involved."""

    code = "profile_error"

    def __init__(self, message: str, *, fields: list[str], source: str | None = None) -> None:
        super().__init__(message, fields=fields, source=source)
        self.fields = fields
        self.source = source


class EngineError(SubsidyError):
    """durable_rules refused or failed while deciding; carries the ruleset that failed."""

    code = "engine_error"


def suggest(name: str, choices: list[str] | set[str]) -> str:
    """A 'did you mean' suffix for a misspelt name, or nothing."""
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f" (did you mean `{close[0]}`?)" if close else ""
