"""The base of the rule language: strict frozen models, texts in two languages, citations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in both languages; Chinese first."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Citation(Strict):
    """Where a criterion or amount comes from; unset parts default to the item's source."""

    clause: str
    document: str | None = None
    url: str | None = None
    basis: Literal["verbatim", "reconstructed"] | None = None
    assumption: Text | None = None


class Source(Strict):
    """The document an item encodes, and how faithfully."""

    document: str
    number: str | None = None
    clause: str
    url: str | None = None
    evidence: Literal["official", "secondary", "news"]
    basis: Literal["verbatim", "reconstructed"]
    assumption: Text | None = None

    @model_validator(mode="after")
    def _assumption_when_reconstructed(self) -> Source:
        if self.basis == "reconstructed" and self.assumption is None:
            raise ValueError("basis: reconstructed needs an `assumption` saying what was assumed")
        return self
