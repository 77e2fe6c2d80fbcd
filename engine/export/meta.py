"""What every export states about itself: the rules version, the as-of date, the run, the language.

A decision means nothing without the rules that made it and the day it was made for, so each format
prints these on every row, sheet, line or page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.explain.clock import beijing

LANGS = ("zh", "en")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class ExportMeta:
    """Export metadata: `rules_version` is the catalog hash the decisions were made with."""

    rules_version: str
    as_of: dt.date
    run_id: str | int | None = None
    generated_at: dt.datetime = field(default_factory=_now)
    lang: str = "zh"

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {self.lang!r}")
        if not self.rules_version:
            raise ValueError("rules_version is required: an export must name the rules it used")

    @classmethod
    def from_assessment(cls, assessment: Any, lang: str = "zh",
                        run_id: str | int | None = None) -> ExportMeta:
        """The metadata of a single firm's self-check."""
        return cls(rules_version=assessment.rules_version, as_of=assessment.as_of, run_id=run_id,
                   lang=lang)

    def to_dict(self) -> dict[str, Any]:
        return {"rules_version": self.rules_version, "as_of": self.as_of.isoformat(),
                "run_id": self.run_id, "generated_at": beijing(self.generated_at).isoformat(),
                "lang": self.lang}
