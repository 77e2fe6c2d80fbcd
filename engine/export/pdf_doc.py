"""A small A4 page layout over fpdf2 with an embedded CJK font: headings, paragraphs, tables.

Kept apart from the letter's content so that the letter reads as what it says, not how it is
drawn. Text is broken into lines by wrap.py (Chinese has no spaces; figures must not split).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from .wrap import wrap

FAMILY = "cjk"
GREY = (235, 235, 235)
HEADINGS = FontFace(emphasis="", fill_color=GREY)  # the font has no bold face
Cell = str | tuple[str, tuple[int, int, int]]


class LetterPDF(FPDF):
    """A4 portrait, 15 mm margins, a footer with a notice and page numbers on every page."""

    def __init__(self, font: Path, lang: str, footer_lines: Sequence[str]) -> None:
        super().__init__(format="A4")
        self.lang = lang
        self.footer_lines = list(footer_lines)
        self.wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
        self.add_font(FAMILY, fname=str(font))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(FAMILY, size=7)
        self.set_text_color(90, 90, 90)
        page = (f"第 {self.page_no()} 页 / 共 {{nb}} 页" if self.lang == "zh"
                else f"Page {self.page_no()} of {{nb}}")
        for line in [*self.footer_lines, page]:
            self.cell(0, 3.6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def title_line(self, text: str) -> None:
        self.set_font(FAMILY, size=16)
        self.multi_cell(0, 9, text, align="C", wrapmode=self.wrap, new_x=XPos.LMARGIN)
        self.ln(2)

    def heading(self, text: str, size: float = 12) -> None:
        if self.will_page_break(18):
            self.add_page()
        self.ln(2)
        self.set_font(FAMILY, size=size)
        self.set_fill_color(*GREY)
        text = self.fit(text, self.epw - 2 * self.c_margin)
        self.multi_cell(0, size * 0.6, text, fill=True, wrapmode=self.wrap, new_x=XPos.LMARGIN)
        self.set_fill_color(255, 255, 255)
        self.ln(1)

    def fit(self, text: str, width: float) -> str:
        """The text broken into lines no wider than `width` mm in the current font (with slack)."""
        return wrap(text, width - 1, self.get_string_width)

    def para(self, text: str, size: float = 9, indent: float = 0) -> None:
        self.set_font(FAMILY, size=size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, self.fit(text, self.epw - indent - 2 * self.c_margin), align="L",
                        wrapmode=self.wrap, new_x=XPos.LMARGIN)

    def pairs(self, rows: Sequence[tuple[str, str]], size: float = 10) -> None:
        """Label-value lines, e.g. the company's name and credit code."""
        with self.table(col_widths=(35, 145), borders_layout="NONE", first_row_as_headings=False,
                        text_align="LEFT", wrapmode=self.wrap, line_height=size * 0.55,
                        padding=0.6) as table:
            self.set_font(FAMILY, size=size)
            for label, value in rows:
                row = table.row()
                row.cell(self.fit(label, 35 - 1.2))
                row.cell(self.fit(value, 145 - 1.2))

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
             size: float = 8, align: Sequence[str] | None = None) -> None:
        """A bordered table whose header repeats on each page; a (text, rgb) cell is coloured."""
        self.set_font(FAMILY, size=size)
        with self.table(col_widths=tuple(widths), headings_style=HEADINGS, text_align=align or "LEFT",
                        wrapmode=self.wrap, line_height=size * 0.5, padding=1,
                        cell_fill_mode=TableCellFillMode.NONE, v_align="TOP") as table:
            head = table.row()
            for text, width in zip(header, widths, strict=True):
                head.cell(self.fit(text, width - 2))
            for values in rows:
                row = table.row()
                for value, width in zip(values, widths, strict=True):
                    text, color = value if isinstance(value, tuple) else (value, None)
                    row.cell(self.fit(text, width - 2), style=FontFace(color=color) if color else None)
        self.ln(1.5)
