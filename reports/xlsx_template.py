"""Import templates: an empty first sheet with the exact column headers (row 1), drop-down
lists for fixed vocabularies, typed columns, and a second sheet explaining every column."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

DATA_ROWS = 2000  # rows that get the drop-downs and number formats


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    required: bool
    description: str
    example: str
    kind: str = "text"  # text | date | int | money
    choices: tuple[str, ...] = ()
    width: float = 18


def render_import_template(
    sheet_title: str, columns: list[TemplateColumn], guide_intro: list[str]
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    head_font = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    optional_fill = PatternFill("solid", fgColor="E2EFDA")
    lists = wb.create_sheet("Daftar")
    list_col = 0
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = head_font
        cell.fill = required_fill if col.required else optional_fill
        ws.column_dimensions[letter].width = col.width
        rng = f"{letter}2:{letter}{DATA_ROWS + 1}"
        if col.kind in ("date", "int", "money"):
            fmt = {"date": "DD/MM/YYYY", "int": "#,##0", "money": '"Rp"#,##0'}[col.kind]
            for row in range(2, DATA_ROWS + 2):
                ws.cell(row=row, column=i).number_format = fmt
        elif col.kind == "text":
            for row in range(2, DATA_ROWS + 2):
                ws.cell(row=row, column=i).number_format = "@"
        if col.choices:
            list_col += 1
            lletter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=col.header).font = head_font
            for j, choice in enumerate(col.choices, start=2):
                lists.cell(row=j, column=list_col, value=choice)
            dv = DataValidation(
                type="list",
                formula1=f"Daftar!${lletter}$2:${lletter}${len(col.choices) + 1}",
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle="Nilai tidak dikenal",
                error=f"Pilih salah satu nilai {col.header} dari daftar.",
            )
            dv.add(rng)
            ws.add_data_validation(dv)
        if col.kind == "date":
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle="Tanggal tidak valid",
                error="Isikan tanggal, misalnya 15/03/2019.",
            )
            dv.add(rng)
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    guide = wb.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 28
    row = 1
    for line in guide_intro:
        guide.cell(row=row, column=1, value=line)
        row += 1
    row += 1
    for j, title in enumerate(("Kolom", "Wajib", "Keterangan", "Contoh"), start=1):
        guide.cell(row=row, column=j, value=title).font = head_font
    for col in columns:
        row += 1
        guide.cell(row=row, column=1, value=col.header)
        guide.cell(row=row, column=2, value="wajib" if col.required else "boleh kosong")
        text = col.description
        if col.choices:
            text += " Pilihan: " + ", ".join(col.choices) + "."
        guide.cell(row=row, column=3, value=text).alignment = Alignment(wrap_text=True)
        example = guide.cell(row=row, column=4, value=col.example)
        example.data_type = "s"
    wb.move_sheet("Petunjuk", offset=-1)  # keep the data sheet first: the importer reads it
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
