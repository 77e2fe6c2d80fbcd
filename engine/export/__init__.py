"""Exports of decisions with their explanations: CSV, XLSX, JSON lines and the PDF letter.

Every function here is pure over its input records (see records.py for their shape) and an
ExportMeta; none touches the database or Flask. Every format carries the rules version and the
as-of date; spreadsheet cells are neutralised against formula injection.
"""

from .csv_export import csv_chunks, write_csv
from .fonts import FontMissingError
from .jsonl_export import jsonl_lines, write_jsonl
from .letter import firm_letter_pdf, letter_pdf, write_letter
from .meta import ExportMeta
from .records import Record, records_from_assessment
from .xlsx_export import write_xlsx

__all__ = ["ExportMeta", "FontMissingError", "Record", "csv_chunks", "firm_letter_pdf", "jsonl_lines",
           "letter_pdf",
           "records_from_assessment", "write_csv", "write_jsonl", "write_letter", "write_xlsx"]
