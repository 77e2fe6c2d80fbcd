"""Validate an applicant list row by row through engine.parse_profile: every bad row is reported
with its row number, column and reason, every good row becomes a Profile."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from engine.errors import ProfileError
from engine.facts.parse import parse_profile
from engine.facts.profile import Profile

from .cells import CellError, cell_value, is_empty
from .columns import REQUIRED, Column, map_headers
from .limits import BadRow
from .reasons import reason
from .table import Table


@dataclass(frozen=True)
class RowProblem:
    row: int  # as Excel shows it, header = row 1
    column: str  # the header as written in the file, or the field's zh label
    field: str | None  # the profile field, when one is concerned
    reason: str  # "zh（en）", as every reason of the intake is written
    company: str | None = None  # the row's 企业名称 as typed, so that a report names the firm

    def text(self, lang: str | None = None) -> str:
        """The report line: both languages (the CLI's), or one, with the company, for a page."""
        if lang is None:
            who = f" — 企业 company: {self.company}" if self.company else ""
            return f"第{self.row}行 row {self.row}, 列 column {self.column}: {self.reason}{who}"
        zh, en = split_reason(self.reason)
        if lang == "en":
            who = f" ({self.company})" if self.company else ""
            return f"Row {self.row}{who}, column {self.column}: {en}"
        who = f"（{self.company}）" if self.company else ""
        return f"第{self.row}行{who}，{self.column}：{zh}"


def split_reason(reason: str) -> tuple[str, str]:
    """A reason written "zh（en）" as (zh, en); the quoted cell (“…”) that starts it stays in
    both. A reason not in that form is the same in both languages."""
    if not reason.endswith("）") or "（" not in reason:
        return reason, reason
    depth, index = 0, len(reason) - 1
    for index in range(len(reason) - 1, -1, -1):  # the "（" matching the final "）"
        depth += {"）": 1, "（": -1}.get(reason[index], 0)
        if depth == 0:
            break
    zh, en = reason[:index], reason[index + 1:-1]
    if not zh or not any(c.isascii() and c.isalpha() for c in en):
        return reason, reason
    quoted = zh[:zh.index("”") + 1] if zh.startswith("“") and "”" in zh else ""
    return zh, f"{quoted} {en}".strip()


@dataclass
class ValidatedRow:
    row: int
    profile: Profile | None = None
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class ValidatedRows:
    columns: list[Column | None]
    headers: list[Any]
    rows: Iterator[ValidatedRow]


def validate_rows(table: Table) -> ValidatedRows:
    """Map the headers (ImportFileError if they are unusable) and validate rows lazily."""
    mapped = map_headers(table.headers)
    name_at = next((i for i, c in enumerate(mapped) if c is not None and c.name == "name"), None)
    return ValidatedRows(mapped, table.headers, (
        _named(_validate(n, v, mapped, table.headers), v, name_at) for n, v in table.rows))


def _named(result: ValidatedRow, values: list[Any] | BadRow, name_at: int | None) -> ValidatedRow:
    """The row's problems with its company name as typed (an official finds the firm by name)."""
    if not result.problems or name_at is None or isinstance(values, BadRow):
        return result
    name = values[name_at] if name_at < len(values) else None
    if is_empty(name):
        return result
    company = str(name).strip()[:200]
    result.problems = [replace(p, company=company) for p in result.problems]
    return result


def _header(headers: list[Any], index: int, column: Column | None) -> str:
    written = str(headers[index]).strip() if index < len(headers) and headers[index] else ""
    if column is None:
        return written or f"#{index + 1}"
    return column.label() if written in ("", column.zh) else f"{written} {column.label()}"


def _validate(number: int, values: list[Any] | BadRow, mapped: list[Column | None],
              headers: list[Any]) -> ValidatedRow:
    result = ValidatedRow(number)
    if isinstance(values, BadRow):
        result.problems.append(RowProblem(number, "—", None, values.reason))
        return result
    data: dict[str, Any] = {}
    where: dict[str, tuple[int, Any]] = {}
    for index, value in enumerate(values):
        column = mapped[index] if index < len(mapped) else None
        if is_empty(value):
            continue
        if column is None:
            result.problems.append(RowProblem(number, _header(headers, index, None), None,
                                              f"“{value}”此列无列名，无法识别（cell under no header）"))
            continue
        try:
            data[column.name] = cell_value(column, value)
        except CellError as exc:
            result.problems.append(RowProblem(number, _header(headers, index, column), column.name,
                                              f"“{exc.value}”{exc.reason}"))
            continue
        where[column.name] = (index, value)
    by_name = {c.name: (i, c) for i, c in enumerate(mapped) if c is not None}
    for name in REQUIRED:
        if name not in data:
            index, column = by_name[name]
            result.problems.append(RowProblem(number, _header(headers, index, column), name,
                                              "必填（required）"))
    try:
        profile = parse_profile(data, source=f"row {number}")
    except ProfileError as exc:
        result.problems.extend(_problems(number, data, exc, by_name, where, headers))
        return result
    if not result.problems:
        result.profile = profile
    return result


def _problems(number: int, data: dict[str, Any], exc: ProfileError,
              by_name: dict[str, tuple[int, Column]], where: dict[str, tuple[int, Any]],
              headers: list[Any]) -> Iterator[RowProblem]:
    """parse_profile decided the row is bad; pydantic's structured errors say why, per column."""
    try:
        Profile.model_validate(data)
        errors: list[dict[str, Any]] = []
    except ValidationError as structured:
        errors = list(structured.errors())
    for error in errors:
        loc = [str(p) for p in error["loc"]]
        names = loc[:1] if loc else exc.fields or []
        for name in names or [""]:
            index, column = by_name.get(name, (-1, None))
            shown = where.get(name, (index, None))[1] if loc else None
            label = _header(headers, index, column) if column else name or "—"
            yield RowProblem(number, label, name or None, reason(error, column, shown))
