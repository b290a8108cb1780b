"""XLSX files of the training domain. Pure: plain data in, bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports._xlsx import print_ready, write_text


def render_operator_template(
    *,
    headers: Sequence[str],
    text_columns: Sequence[str],
    example: Sequence[str],
    notes: Sequence[str],
) -> bytes:
    """Import template: sheet 1 has only the header row (cells of `text_columns` formatted as
    text, so NIP and region codes keep their digits); sheet 2 explains and shows an example."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Operator"
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3B6E")
    for col, name in enumerate(headers, start=1):
        cell = write_text(ws, 1, col, name)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(16, len(name) + 6)
        if name in text_columns:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, 202):
                ws.cell(row=row, column=col).number_format = "@"
    ws.freeze_panes = "A2"
    print_ready(ws, columns=len(headers))

    help_ws = wb.create_sheet("Petunjuk")
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 90
    help_ws.cell(row=1, column=1, value="Petunjuk impor operator").font = Font(bold=True, size=13)
    row = 3
    for note in notes:
        help_ws.cell(row=row, column=1, value="•")
        write_text(help_ws, row, 2, note).alignment = Alignment(wrap_text=True)
        row += 1
    row += 1
    help_ws.cell(row=row, column=1, value="Contoh baris").font = Font(bold=True)
    row += 1
    for name, value in zip(headers, example, strict=False):
        write_text(help_ws, row, 1, name)
        cell = write_text(help_ws, row, 2, value)
        cell.number_format = "@"
        row += 1

    print_ready(help_ws, columns=2, title_rows=None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
