"""Import an applicant list into profile versions, in the caller's transaction: bad rows are
reported and skipped, good rows are stored, rows whose facts are already stored add nothing, and
a file that cannot be read (even halfway through) raises so that the caller's rollback keeps
nothing of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from engine.facts.profile import Profile
from engine.intake import RowProblem, read_table, validate_rows

from . import audit
from .profiles import add_profiles, content_hash

CHUNK = 500  # rows stored per round of queries


@dataclass
class ImportReport:
    file: str
    rows: int = 0  # data rows read (blank rows not counted)
    added: int = 0  # new profile versions
    unchanged: int = 0  # rows whose facts were already the latest version
    problems: list[RowProblem] = field(default_factory=list)
    profile_ids: list[int] = field(default_factory=list)  # current version of each good row

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    def summary(self) -> str:
        return (f"{self.file}: 共{self.rows}行 {self.rows} rows; 新增{self.added} added, "
                f"未变{self.unchanged} unchanged, 有误{self.bad_rows} rejected")


def import_file(session: Session, path: Path, entered_by: str,
                source: str = "self_declared", max_rows: int | None = None) -> ImportReport:
    """Validate every row of `path` and store the good ones; the caller commits. The file is read
    once, streaming; past `max_rows` rows it is refused.

    Raises:
        ImportFileError: the file cannot be read as an applicant list, or has more than `max_rows`
            rows (details["limit"]); the caller rolls back.
    """
    table = read_table(path) if max_rows is None else read_table(path, max_rows)
    validated = validate_rows(table)
    report = ImportReport(path.name)
    first_row: dict[tuple[str, int], tuple[int, str]] = {}
    pending: list[Profile] = []
    for row in validated.rows:
        report.rows += 1
        if row.profile is None:
            report.problems.extend(row.problems)
            continue
        key = (row.profile.credit_code, row.profile.fiscal_year)
        digest = content_hash(row.profile)
        if key in first_row:
            earlier, earlier_digest = first_row[key]
            if earlier_digest != digest:
                report.problems.append(RowProblem(
                    row.row, "「统一社会信用代码」(credit_code)", "credit_code",
                    f"与第{earlier}行为同一企业同一年度但数据不同，请合并为一行"
                    f"（same company and fiscal year as row {earlier} with different figures）",
                    row.profile.name or row.profile.credit_code))
            else:
                report.unchanged += 1
            continue
        first_row[key] = (row.row, digest)
        pending.append(row.profile)
        if len(pending) >= CHUNK:
            _store(session, pending, entered_by, source, report)
    _store(session, pending, entered_by, source, report)
    audit.record(session, entered_by, "import", path.name, rows=report.rows, added=report.added,
                 unchanged=report.unchanged, rejected=report.bad_rows)
    return report


def origin_of_import(file: str) -> str:
    """How a version stored by an import names where it came from (its provenance when the
    list gives none per fact): the file's name; the date is the version's created_at."""
    return f"导入名单 imported list {file}"


def _store(session: Session, profiles: list[Profile], entered_by: str, source: str,
           report: ImportReport) -> None:
    """Store the pending profiles and empty the list."""
    for version_id, added in add_profiles(session, profiles, entered_by, source,
                                          origin_of_import(report.file)):
        report.added += added
        report.unchanged += not added
        report.profile_ids.append(version_id)
    profiles.clear()
