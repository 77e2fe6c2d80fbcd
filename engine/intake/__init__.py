"""Applicant lists in: CSV (UTF-8 with or without BOM, GBK) and XLSX, validated row by row.

Columns come from engine.facts.profile.FACT_FIELDS at run time, so a new profile field is importable
(and appears in the template) without touching this package.
"""

from .bad_rows import row_report_csv, write_bad_rows
from .columns import Column, columns, map_headers
from .rows import RowProblem, ValidatedRows, split_reason, validate_rows
from .table import ImportFileError, Table, read_table
from .template import write_template

__all__ = ["Column", "ImportFileError", "RowProblem", "ValidatedRows", "columns", "map_headers",
           "Table", "read_table", "row_report_csv", "split_reason", "validate_rows",
           "write_bad_rows", "write_template"]
