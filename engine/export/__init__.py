"""Exports of decisions with their explanations: CSV, XLSX, JSON lines and the PDF letter.

Every function here is pure over its input records (see records.py for their shape) and an
ExportMeta; none touches the database or Flask. Every format carries the rules version and the
as-of date; spreadsheet cells are neutralised against formula injection.
"""

from .csv_export import csv_chunks, write_csv
from .jsonl_export import jsonl_lines, write_jsonl
from .meta import ExportMeta
from .records import Record, records_from_assessment

__all__ = ["ExportMeta", "Record", "csv_chunks", "jsonl_lines", "records_from_assessment",
           "write_csv", "write_jsonl"]
