"""Rekapitulasi harian as PDF (A4 landscape): the same lines as the XLSX."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports._blanko_doc import build, esc, grid, styles, usable_width
from reports._format import angka, tanggal
from reports.recap_xlsx import COLUMNS, RecapSheet


def render_recap_pdf(sheet: RecapSheet) -> bytes:
    st = styles()
    width = usable_width(landscape=True)
    story = [
        Paragraph("REKAPITULASI HARIAN PELAYANAN KTP-el DAN KK", st["title"]),
        Paragraph(esc(f"{sheet.scope} · {sheet.period_label}"), st["center"]),
        Spacer(1, 3 * mm),
    ]
    data = [[Paragraph(f"<b>{esc(h)}</b>", st["cell"]) for h, _ in COLUMNS]]
    for x in sheet.lines:
        data.append(
            [
                tanggal(x.day),
                x.region_code,
                Paragraph(esc(x.name), st["cell"]),
                angka(x.rekam),
                angka(x.cetak_ktp),
                angka(x.cetak_kk),
                angka(x.suket),
                angka(x.reports),
                angka(x.blanko_remaining),
            ]
        )
    if not sheet.lines:
        data.append(["", "", "Tidak ada kabupaten/kota.", "", "", "", "", "", ""])
    total = [
        "",
        "",
        Paragraph("<b>Jumlah</b>", st["cell"]),
        angka(sum(x.rekam for x in sheet.lines)),
        angka(sum(x.cetak_ktp for x in sheet.lines)),
        angka(sum(x.cetak_kk for x in sheet.lines)),
        angka(sum(x.suket for x in sheet.lines)),
        angka(sum(x.reports for x in sheet.lines)),
        "",
    ]
    data.append(total)
    widths = [30 * mm, 16 * mm, 62 * mm, 22 * mm, 22 * mm, 20 * mm, 18 * mm, 24 * mm]
    widths.append(width - sum(widths))
    story.append(grid(data, widths, align_right=(3, 4, 5, 6, 7, 8)))
    return build(
        story,
        title=f"Rekapitulasi harian {sheet.scope}",
        landscape=True,
        footer=f"Rekapitulasi harian {sheet.scope}",
    )
