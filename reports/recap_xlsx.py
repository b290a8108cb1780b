"""Rekapitulasi harian: per kab/kota per day, recordings, prints, suket and blanko on hand at
the end of the day, as XLSX (typed cells, A4 fit to width, repeated header row, autofilter over
the rows without the total)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.kib_xlsx import DATE_FORMAT, _Cells, print_setup

COLUMNS = (
    ("Tanggal", 13),
    ("Kode", 9),
    ("Kabupaten/Kota", 32),
    ("Rekam KTP-el", 13),
    ("Cetak KTP-el", 13),
    ("Cetak KK", 11),
    ("Suket", 10),
    ("Kecamatan melapor", 12),
    ("Sisa blanko akhir hari (keping)", 16),
)
HEADER_ROW = 4


@dataclass(frozen=True)
class RecapLine:
    day: date
    region_code: str
    name: str
    rekam: int
    cetak_ktp: int
    cetak_kk: int
    suket: int  # surat keterangan (pengganti KTP-el) issued
    reports: int
    blanko_remaining: int


@dataclass(frozen=True)
class RecapSheet:
    scope: str
    start: date
    end: date
    lines: tuple[RecapLine, ...]
    period_label: str  # "1 Juni 2026 s.d. 30 Juni 2026"


def render_recap_xlsx(sheet: RecapSheet) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rekap harian")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    c = _Cells(ws)
    ws.append([c.strong("REKAPITULASI HARIAN PELAYANAN KTP-el DAN KK", c.title)])
    ws.append(["Wilayah", c.text(sheet.scope)])
    ws.append(["Periode", c.text(sheet.period_label)])
    ws.append([c.header(h) for h, _ in COLUMNS])
    for line in sheet.lines:
        ws.append(
            [
                c.day(line.day),
                c.text(line.region_code),
                c.text(line.name),
                line.rekam,
                line.cetak_ktp,
                line.cetak_kk,
                line.suket,
                line.reports,
                line.blanko_remaining,
            ]
        )
    last = HEADER_ROW + len(sheet.lines)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    ws.append(
        [
            c.strong("Jumlah"),
            None,
            None,
            sum(x.rekam for x in sheet.lines),
            sum(x.cetak_ktp for x in sheet.lines),
            sum(x.cetak_kk for x in sheet.lines),
            sum(x.suket for x in sheet.lines),
            sum(x.reports for x in sheet.lines),
            None,
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


__all__ = ["DATE_FORMAT", "RecapLine", "RecapSheet", "render_recap_xlsx"]
