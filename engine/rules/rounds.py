"""The rounds a catalog holds: which item versions of a program are open together, and when.

A firm that leaves the date at today may find nothing in force (the Futian rounds encoded run
2017-2022), so forms default to the latest round the catalog holds and name the others; for a
date with nothing in force the nearest rounds before and after it are offered instead.
A round here is the set of assessable versions of one program sharing a period (the 2020
application round of the HNTE support, say); versions with different labels but the same period
are one round, labelled with both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalog import Catalog
from .model import Item, Round, Text
from .regions import program_for


@dataclass(frozen=True)
class CatalogRound:
    """One round of one program: its label, its period and the items it holds."""

    program: str
    program_title: Text
    label: Text  # the versions' labels, or "in force <period>" when they carry none
    valid_from: dt.date
    valid_to: dt.date | None
    item_ids: tuple[str, ...]
    as_of: dt.date  # the first day of the period on which the most of the program's items are in force

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class RoundsOnDate:
    """What a date falls in: the rounds in force, else the nearest ended and the next to open."""

    day: dt.date
    in_force: tuple[CatalogRound, ...]
    before: CatalogRound | None
    after: CatalogRound | None
    program_title: Text | None = None  # when asked for one program

    @property
    def nothing_in_force(self) -> bool:
        return not self.in_force


def _label(item: Item) -> Text:
    if item.version is not None:
        return item.version
    end = item.valid_to.isoformat() if item.valid_to else "…"
    period = f"{item.valid_from.isoformat()} – {end}"
    return Text(zh=f"{period} 有效", en=f"in force {period}")


def _joined(labels: list[Text]) -> Text:
    zh = list(dict.fromkeys(t.zh for t in labels))
    en = list(dict.fromkeys(t.en for t in labels))
    return Text(zh="、".join(zh), en="; ".join(en))


def _best_day(catalog: Catalog, program: str, start: dt.date, end: dt.date | None) -> dt.date:
    """The first day in [start, end] on which the most assessable items of the program are in
    force: candidate days are the starts of the versions that begin inside the period."""
    starts = {start} | {i.valid_from for i in _assessable(catalog, program)
                        if start <= i.valid_from and (end is None or i.valid_from <= end)}
    return max(sorted(starts), key=lambda d: sum(1 for i in _assessable(catalog, program)
                                                  if i.in_force(d)))


def _assessable(catalog: Catalog, program: str) -> list[Item]:
    return [i for item_id in catalog.item_ids(program) for i in catalog.versions[item_id]
            if i.not_assessable is None]


def catalog_rounds(catalog: Catalog, program: str | None = None) -> list[CatalogRound]:
    """The rounds the catalog holds (of one program, or of all), oldest first.

    Only assessable versions make a round: a budget line without published criteria opens
    nothing a firm could apply for.
    """
    programs = [program] if program else list(catalog.programs)
    rounds = []
    for prog in programs:
        groups: dict[tuple[dt.date, dt.date | None], list[Item]] = {}
        for item in _assessable(catalog, prog):
            groups.setdefault((item.valid_from, item.valid_to), []).append(item)
        for (start, end), items in groups.items():
            rounds.append(CatalogRound(prog, catalog.programs[prog].title,
                                       _joined([_label(i) for i in items]), start, end,
                                       tuple(dict.fromkeys(i.id for i in items)),
                                       _best_day(catalog, prog, start, end)))
    return sorted(rounds, key=lambda r: (r.valid_from, r.valid_to or dt.date.max, r.program))


def latest_round(catalog: Catalog, program: str | None = None,
                 today: dt.date | None = None) -> CatalogRound | None:
    """The round a form defaults to: the one that started last, not after `today` (when given)."""
    rounds = [r for r in catalog_rounds(catalog, program)
              if today is None or r.valid_from <= today]
    return max(rounds, key=lambda r: (r.valid_from, r.valid_to or dt.date.max), default=None)


def rounds_on(catalog: Catalog, day: dt.date, program: str | None = None,
              programs: set[str] | None = None) -> RoundsOnDate:
    """The rounds in force on `day` (of one program, of the set `programs`, or of all); when
    none is, the latest that ended before it and the first that opens after it."""
    rounds = [r for r in catalog_rounds(catalog, program) if programs is None or r.program in programs]
    current = tuple(r for r in rounds if r.in_force(day))
    ended = [r for r in rounds if r.valid_to is not None and r.valid_to < day]
    upcoming = [r for r in rounds if r.valid_from > day]
    before = max(ended, key=lambda r: r.valid_to, default=None)  # type: ignore[arg-type, return-value]
    after = min(upcoming, key=lambda r: r.valid_from, default=None)
    title = catalog.programs[program].title if program else None
    return RoundsOnDate(day, current, before, after, title)


def round_of(catalog: Catalog, item_id: str, valid_from: dt.date) -> Round | None:
    """The round details of the item version that starts on `valid_from` (a decision names its
    version by its period), or None when the catalog holds no such version or it states none."""
    version = next((i for i in catalog.versions.get(item_id, []) if i.valid_from == valid_from), None)
    return version.application if version is not None else None


def default_round(catalog: Catalog, city: str | None, district: str | None,
                  today: dt.date | None = None) -> CatalogRound | None:
    """The round a form defaults to for a firm registered in (city, district): the latest round
    (not after `today`) of the programs of its own city or district, since a national measure
    open without end would otherwise always be "latest" and hide every local round; the latest
    round of any program when no local one is held. Its `as_of` is the date to assess on."""
    local = [p for p, program in catalog.programs.items() if program.region is not None
             and program_for(catalog, p, city, district) is not False]
    rounds = [r for p in local for r in catalog_rounds(catalog, p)
              if today is None or r.valid_from <= today]
    best = max(rounds, key=lambda r: (r.valid_from, r.valid_to or dt.date.max), default=None)
    return best or latest_round(catalog, None, today)
