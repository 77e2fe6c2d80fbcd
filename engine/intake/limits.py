"""What an applicant list may hold, and how a row that cannot be read at all is reported.

The limits bound the work one file can cause (an upload is read inside a web request): rows,
columns, characters per cell and the size an XLSX unpacks to. A row that breaks a limit of its own
(a cell too long, an unclosed quote, a formula without a value) is a BadRow, reported with its
number like any other bad row; a file that breaks a limit of the whole is an ImportFileError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import SubsidyError

MAX_ROWS = 100_000  # rows under the header, blank ones included (the console's limit is lower)
MAX_COLUMNS = 200  # the profile has about 90 fields
CELL_MAX_CHARS = 1000  # the longest field, a company name, is 200
UNCOMPRESSED_MAX = 64 * 1024 * 1024  # an XLSX of 20,000 applicants unpacks to some 30 MB


class ImportFileError(SubsidyError):
    """The file cannot be read as an applicant list at all; nothing from it is imported."""

    code = "import_file_error"


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be split into cells; `reason` says why, zh then English."""

    reason: str


Row = tuple[int, "list[Any] | BadRow"]  # (row number as Excel shows it, cells or why not)
