"""An item sheet's data rows as the XML XlsxWriter writes for them in constant-memory mode, built
as text so that worker processes can make them and the writing process only copies them.

Measured on a 3,000-applicant run (177,000 rows of 22 columns): XlsxWriter's per-cell path
(write_string → a cell tuple → _write_cell → escaping → the file) cost more than rebuilding every
explanation, and it runs in the one process that owns the workbook, so giving workers the rest
would not have lifted the export past XlsxWriter's own rate. Here each cell is one f-string, the
cells of a decision shared by every applicant (record["shared"]) and the run's own columns are
made once, and the row number is left as ROW for the writer to put in (xlsx_export.splice_rows).

The XML is XlsxWriter's, character for character: the same inline-string form, the escaping of
XlsxWriter's own functions, the same number format; tests/export/test_xlsx_rows.py reads cells
written both ways and compares them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

from .columns import REVIEW_KEYS, review_values, row_values
from .meta import ExportMeta
from .records import Record
from .safe import neutralise

ROW = "\x00"  # the row number's place: XlsxWriter escapes every control character in a cell
MAX_CELL = 32_000  # Excel refuses cells longer than 32,767 characters
XLS_STRMAX = 32_767
_ESCAPER = XMLwriter()


def cell_text(value: Any) -> str:
    """A text cell's content: cut to Excel's limit, neutralised against formula injection, line
    breaks as Excel keeps them (XlsxWriter would escape a \\r as _x000D_)."""
    text = neutralise(str(value)[:MAX_CELL])
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class RowXml:
    """Builds the `<row>` XML of an item sheet, given its columns and their cell formats.

    Args:
        keys: the sheet's column keys, in order (xlsx_export.ITEM_KEYS).
        xf: each key's cell-format index in the workbook (None: no format).
        meta: the export's metadata (language, rules version, as-of, run).
    """

    def __init__(self, keys: tuple[str, ...], xf: dict[str, int | None], meta: ExportMeta) -> None:
        self.keys, self.meta = keys, meta
        self.heads = [f'<c r="{xl_col_to_name(i)}{ROW}"' + (f' s="{xf[k]}"' if xf.get(k) else "")
                      for i, k in enumerate(keys)]
        self.styled = [bool(xf.get(k)) for k in keys]
        self._decision = range(keys.index("status"), keys.index("explanation") + 1)
        self._review = range(keys.index("review_state"), keys.index("reviewed_at") + 1)
        # Made once: a shared decision's (item id, title, cells) by item; the current applicant's
        # own cells; the empty review cells; the run's own cells (rules version, as-of, run).
        self._shared: dict[str, tuple[str, str, str]] = {}
        self._who: tuple[Any, ...] | None = None
        self._head = ""
        self._no_review = self.cells(dict.fromkeys(REVIEW_KEYS), self._review)
        self._tail = self.cells({"rules_version": meta.rules_version, "as_of": meta.as_of,
                                 "run_id": meta.run_id}, range(self._review.stop, len(keys)))

    def row(self, record: Record) -> tuple[str, str, str]:
        """A record's item id, item title and row XML (ROW where the row number goes).

        Most rows need no row_values: a shared decision's cells are made once per item, a
        company's once per applicant (its rows come together), empty review cells once."""
        company = record["company"]
        who = (company.get("credit_code"), company.get("name"), company.get("district"),
               record.get("profile_version"))
        shared = self._shared.get(_item_id(record)) if record.get("shared") else None
        values = row_values(record, self.meta) if shared is None or who != self._who else None
        if values is not None:
            values["amount_exact"] = None if values["amount_yuan"] is None else format(
                values["amount_yuan"], "f")
            if who != self._who:
                self._who, self._head = who, self.cells(values, range(self._decision.start))
            if shared is None:
                shared = (values["item_id"], values["item_title"],
                          self.cells(values, self._decision))
                if record.get("shared"):
                    self._shared[shared[0]] = shared
        item, title, decision = shared
        review = record.get("review")
        if review:
            reviewed = review_values(review, self.meta.lang)
            review_cells = self.cells(reviewed, self._review)
        else:
            review_cells = self._no_review
        return item, title, f'<row r="{ROW}">{self._head}{decision}{review_cells}{self._tail}</row>'

    def cells(self, values: dict[str, Any], columns: range) -> str:
        keys = self.keys
        return "".join([self.cell(col, values[keys[col]]) for col in columns])

    def cell(self, col: int, value: Any) -> str:
        """One cell as XlsxWriter's write_cell path would write it (xlsx_export.write_cell)."""
        head = self.heads[col]
        if value is None:
            return head + "/>" if self.styled[col] else ""
        if isinstance(value, bool):
            return f'{head} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float | Decimal):
            return f"{head}><v>{float(value):.16G}</v></c>"
        text = value.isoformat() if isinstance(value, dt.date) else cell_text(value)
        return head + inline_string(text)


def _item_id(record: Record) -> str | None:
    decision = record.get("decision")
    if decision is None:
        return None
    return decision["item_id"] if isinstance(decision, dict) else decision.item_id


def inline_string(text: str) -> str:
    """The rest of an inline-string cell, escaped as XlsxWriter escapes it."""
    if len(text) > XLS_STRMAX // 2 and _utf16_len(text) > XLS_STRMAX:
        text = _utf16_truncate(text, XLS_STRMAX)
    text = XMLwriter._escape_control_characters(text)
    if text.startswith("<r>") and text.endswith("</r>"):  # XlsxWriter's rich-string form
        return f' t="inlineStr"><is>{text}</is></c>'
    space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f' t="inlineStr"><is><t{space}>{_ESCAPER._escape_data(text)}</t></is></c>'
