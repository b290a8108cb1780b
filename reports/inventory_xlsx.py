"""The result of an inventarisasi as XLSX: one sheet, a row per line with its group, typed
cells (Rupiah), A4 landscape page setup, frozen header and an autofilter (no total row, so
filtering never sums a total twice). Write-only workbook; user text never becomes a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.inventory_doc import GROUP_TITLES, InventoryDoc
from reports.kib_xlsx import _Cells

HEADER = (
    "Kelompok",
    "Kode barang",
    "NUP",
    "Nama barang",
    "Lokasi tercatat",
    "Kondisi sebelum",
    "Kondisi ditemukan",
    "Ditemukan di",
    "Nilai (Rp)",
    "Keterangan",
)
WIDTHS = (30, 22, 8, 40, 28, 12, 12, 28, 16, 40)


def render(doc: InventoryDoc) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hasil inventarisasi")
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A5"
    cells = _Cells(ws)
    ws.append([cells.strong(f"Hasil inventarisasi {doc.number}", cells.title)])
    ws.append([cells.text(f"{doc.title} · {doc.scope}")])
    ws.append([])
    ws.append([cells.header(h) for h in HEADER])
    rows = 0
    for key, title in GROUP_TITLES:
        for ln in doc.groups.get(key, ()):
            ws.append(
                [
                    title,
                    cells.text(ln.kode_barang),
                    cells.text(ln.register_no),
                    cells.text(ln.name),
                    cells.text(ln.place),
                    cells.text(ln.condition_before),
                    cells.text(ln.condition_after),
                    cells.text(ln.found_in),
                    cells.money(ln.unit_price),
                    cells.text(ln.note),
                ]
            )
            rows += 1
    ws.auto_filter.ref = f"A4:J{4 + max(rows, 1)}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
