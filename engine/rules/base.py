"""The base of the rule language: strict frozen models, texts in two languages, citations."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


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

    @field_validator("document")
    @classmethod
    def _public(cls, document: str | None) -> str | None:
        return public_name(document)


# A file of ../shared/sources ("002_718dc356a2b2d93e.txt"): an internal name that means nothing to
# a firm or an official, so it goes in `file`, never in the document's name that users read.
INTERNAL_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def public_name(document: str | None) -> str | None:
    """Refuse a document name that shows an internal source file name."""
    if document is not None and INTERNAL_FILE.search(document):
        raise ValueError(f"`document` names the internal file {INTERNAL_FILE.search(document)[0]}"
                         "; name the document by its title and number and put the file in `file`")
    return document


class Source(Strict):
    """The document an item encodes, and how faithfully."""

    document: str
    file: str | None = None  # the copy in ../shared/sources, for maintainers; never shown
    number: str | None = None
    clause: str
    url: str | None = None
    evidence: Literal["official", "secondary", "news"]
    basis: Literal["verbatim", "reconstructed"]
    assumption: Text | None = None

    @field_validator("document")
    @classmethod
    def _public(cls, document: str) -> str:
        return public_name(document)  # type: ignore[return-value]

    @model_validator(mode="after")
    def _assumption_when_reconstructed(self) -> Source:
        if self.basis == "reconstructed" and self.assumption is None:
            raise ValueError("basis: reconstructed needs an `assumption` saying what was assumed")
        return self
