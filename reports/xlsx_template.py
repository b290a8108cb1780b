"""Import templates: an empty first sheet with the exact column headers (row 1), drop-down
lists for fixed vocabularies, typed columns, and a second sheet explaining every column."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports._xlsx import print_ready, write_text

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


HEAD_FONT = Font(bold=True)
NUMBER_FORMATS = {"date": "DD/MM/YYYY", "int": "#,##0", "money": '"Rp"#,##0', "text": "@"}


def render_import_template(
    sheet_title: str, columns: list[TemplateColumn], guide_intro: list[str]
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    lists = wb.create_sheet("Daftar")
    list_col = 0
    for i, col in enumerate(columns, start=1):
        _data_column(ws, i, col)
        if col.choices:
            list_col += 1
            _choice_list(ws, lists, i, list_col, col)
        if col.kind == "date":
            _date_validation(ws, i, col)
    ws.freeze_panes = "A2"
    print_ready(ws, columns=len(columns))
    print_ready(lists, columns=max(list_col, 1))
    _guide_sheet(wb, columns, guide_intro)
    wb.move_sheet("Petunjuk", offset=-1)  # keep the data sheet first: the importer reads it
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _data_range(i: int) -> str:
    letter = get_column_letter(i)
    return f"{letter}2:{letter}{DATA_ROWS + 1}"


def _data_column(ws, i: int, col: TemplateColumn) -> None:
    """The header cell (yellow when required, green when optional), width, cell formats."""
    cell = write_text(ws, 1, i, col.header)
    cell.font = HEAD_FONT
    cell.fill = PatternFill("solid", fgColor="FFF2CC" if col.required else "E2EFDA")
    ws.column_dimensions[get_column_letter(i)].width = col.width
    fmt = NUMBER_FORMATS.get(col.kind)
    if fmt:
        for row in range(2, DATA_ROWS + 2):
            ws.cell(row=row, column=i).number_format = fmt


def _choice_list(ws, lists, i: int, list_col: int, col: TemplateColumn) -> None:
    """The column's choices on the `Daftar` sheet and a drop-down pointing to them."""
    lletter = get_column_letter(list_col)
    write_text(lists, 1, list_col, col.header).font = HEAD_FONT
    for j, choice in enumerate(col.choices, start=2):
        write_text(lists, j, list_col, choice)
    dv = DataValidation(
        type="list",
        formula1=f"Daftar!${lletter}$2:${lletter}${len(col.choices) + 1}",
        allow_blank=not col.required,
        showErrorMessage=True,
        errorTitle="Nilai tidak dikenal",
        error=f"Pilih salah satu nilai {col.header} dari daftar.",
    )
    dv.add(_data_range(i))
    ws.add_data_validation(dv)


def _date_validation(ws, i: int, col: TemplateColumn) -> None:
    dv = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=not col.required,
        showErrorMessage=True,
        errorTitle="Tanggal tidak valid",
        error="Isikan tanggal, misalnya 15/03/2019.",
    )
    dv.add(_data_range(i))
    ws.add_data_validation(dv)


def _guide_sheet(wb, columns: list[TemplateColumn], guide_intro: list[str]) -> None:
    """`Petunjuk`: the intro lines, then one row per column (required?, meaning, example)."""
    guide = wb.create_sheet("Petunjuk")
    for letter, width in zip("ABCD", (24, 10, 70, 28), strict=True):
        guide.column_dimensions[letter].width = width
    row = 1
    for line in guide_intro:
        write_text(guide, row, 1, line)
        row += 1
    row += 1
    for j, title in enumerate(("Kolom", "Wajib", "Keterangan", "Contoh"), start=1):
        guide.cell(row=row, column=j, value=title).font = HEAD_FONT
    for col in columns:
        row += 1
        write_text(guide, row, 1, col.header)
        write_text(guide, row, 2, "wajib" if col.required else "boleh kosong")
        text = col.description
        if col.choices:
            text += " Pilihan: " + ", ".join(col.choices) + "."
        write_text(guide, row, 3, text).alignment = Alignment(wrap_text=True)
        write_text(guide, row, 4, col.example)
    print_ready(guide, columns=4, title_rows=None)
