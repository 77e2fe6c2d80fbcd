"""The application round of an item version: window, accepting department, materials, notice.

Government policy calculators show these beside each match (申报时间, 受理部门, 申报材料, the
original notice). Most of our sources do not publish all four, so each part is either given, with
its citation, or the explicit marker `not_published`: the output then says 来源未公布 / "not
published by the source", and nothing is filled in.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Citation, Strict, Text

NOT_PUBLISHED = "not_published"
Silent = Literal["not_published"]


class Window(Strict):
    """When applications are accepted (申报时间), as the notice states it."""

    text: Text
    opens: dt.date | None = None
    closes: dt.date | None = None
    cite: Citation

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError("window `closes` is before `opens`")
        return self


class Department(Strict):
    """Who accepts the application (受理部门), and how to reach them where the source says."""

    name: Text
    contact: Text | Silent = NOT_PUBLISHED
    cite: Citation


class Material(Strict):
    """One document of the application (申报材料) and what it proves."""

    name: Text
    proves: Text | Silent = NOT_PUBLISHED
    cite: Citation | None = None  # default: the round's materials_cite


class Notice(Strict):
    """The notice or guide of the round, where it can be read."""

    title: Text
    url: str = Field(pattern=r"^https?://")
    cite: Citation


class Round(Strict):
    """The application details of one item version; each part given or `not_published`."""

    window: Window | Silent
    department: Department | Silent
    materials: list[Material] | Silent
    materials_cite: Citation | None = None
    notice: Notice | Silent

    @model_validator(mode="after")
    def _materials_cited(self) -> Round:
        if isinstance(self.materials, list):
            if not self.materials:
                raise ValueError("`materials` lists at least one document, or is `not_published`")
            if self.materials_cite is None and any(m.cite is None for m in self.materials):
                raise ValueError("each material needs a `cite`, or give `materials_cite`")
        elif self.materials_cite is not None:
            raise ValueError("`materials_cite` is given only with a list of `materials`")
        return self


SILENT_ROUND = Round(window=NOT_PUBLISHED, department=NOT_PUBLISHED, materials=NOT_PUBLISHED,
                     notice=NOT_PUBLISHED)
