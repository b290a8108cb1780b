"""Shared pieces of every XLSX this app writes: text cells that never run as formulas, and
print setup (A4, orientation, fit to width, repeated header rows, "Halaman x dari y" footer).

Every workbook writer (hearing packet, KIB, import templates, training) goes through these, so
a sheet printed from Excel or LibreOffice comes out the same way whichever export it is.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.properties import PageSetupProperties

from reports._format import printable

# A text starting with one of these is taken for a formula (or a DDE payload) by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.00%"  # shown "94,90%" in an Indonesian locale; the value is the ratio 0.949
FOOTER = "Halaman &P dari &N"
PAPERSIZE_A4 = "9"  # the OOXML paper size code of A4


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def as_text(cell, value):
    """Puts `value` in `cell` (a worksheet cell or a WriteOnlyCell); a string is always a
    string cell, and one that looks like a formula gets Excel's quote prefix so it is shown,
    edited and kept as text, never evaluated. Returns the cell."""
    value = printable(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def text_cell(ws, value) -> WriteOnlyCell:
    """A cell of a write-only sheet holding `value` as `as_text` does."""
    return as_text(WriteOnlyCell(ws), value)


def write_text(ws, row: int, column: int, value):
    """`ws.cell(row, column)` holding `value` as `as_text` does (a normal worksheet)."""
    return as_text(ws.cell(row=row, column=column), value)


def print_ready(
    ws,
    *,
    columns: int,
    title_rows: tuple[int, int] | None = (1, 1),
    landscape: bool | None = None,
) -> None:
    """A4, landscape when the sheet is wide (more than six columns unless told), every column
    on one page width (as many pages down as needed), the header rows repeated on each page
    and "Halaman x dari y" in the footer with the sheet name."""
    wide = columns > 6 if landscape is None else landscape
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = FOOTER
    ws.evenFooter.left.text = "&A"
    ws.evenFooter.right.text = FOOTER
