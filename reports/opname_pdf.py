"""Stock opname sheet for blanko KTP-el: the book balance of each location, empty columns for
the count and the difference, and signature lines."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from reports._blanko_doc import (
    Kop,
    Signer,
    build,
    esc,
    grid,
    letterhead,
    signature_row,
    styles,
    usable_width,
)
from reports._format import angka, tanggal, waktu

__all__ = ["Kop", "OpnameLine", "OpnameSheet", "Signer", "render"]


@dataclass(frozen=True)
class OpnameLine:
    code: str
    location: str
    on_hand: int
    in_transit: int
    reserved: int


@dataclass(frozen=True)
class OpnameSheet:
    kop: Kop
    scope: str  # "Kabupaten Bekasi" or "Kec. Cibitung"
    place: str
    printed_at: datetime
    lines: tuple[OpnameLine, ...]
    signers: tuple[Signer, ...] = ()


def render(sheet: OpnameSheet) -> bytes:
    st = styles()
    width = usable_width(landscape=True)
    story = letterhead(sheet.kop, st, width)
    story += [
        Paragraph("LEMBAR STOCK OPNAME BLANKO KTP-el", st["title"]),
        Paragraph(esc(sheet.scope), st["center"]),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Saldo buku per {waktu(sheet.printed_at)}. Hitung fisik blanko di setiap lokasi "
            "(termasuk kartu rusak yang masih menunggu persetujuan penghapusan), tulis hasilnya "
            "dan selisihnya, lalu catat di aplikasi pada menu Stock opname.",
            st["small"],
        ),
        Spacer(1, 3 * mm),
    ]
    story.append(_count_table(sheet, st, width))
    signers = list(sheet.signers) or [
        Signer("Petugas penghitung"),
        Signer("Penanggung jawab lokasi"),
        Signer("Kepala Dinas", above=f"Mengetahui, {sheet.place}, {tanggal(sheet.printed_at)}"),
    ]
    story.append(signature_row([_dated(s, sheet) for s in signers], st, width))
    return build(
        story,
        title=f"Lembar stock opname blanko KTP-el {sheet.scope}",
        landscape=True,
        footer=f"Stock opname {sheet.scope}",
    )


def _dated(signer: Signer, sheet: OpnameSheet) -> Signer:
    """ "Mengetahui, Bondowoso" gets the date it is signed on: "Mengetahui, Bondowoso,
    1 Desember 2026" (a line that already ends with the date is left alone)."""
    above = (signer.above or "").rstrip(", ")
    day = tanggal(sheet.printed_at)
    if not above.startswith("Mengetahui") or above.endswith(day):
        return signer
    return replace(signer, above=f"{above}, {day}")


_HEADER = (
    "No",
    "Kode",
    "Lokasi",
    "Saldo buku (keping)",
    "Dalam perjalanan",
    "Menunggu penghapusan",
    "Hasil hitung",
    "Selisih",
    "Keterangan / paraf",
)


def _count_table(sheet: OpnameSheet, st, width: float):
    """One row per location with its book figures and blank cells for the count."""
    data = [[Paragraph(f"<b>{h}</b>", st["cell"]) for h in _HEADER]]
    for i, line in enumerate(sheet.lines, start=1):
        data.append(
            [
                str(i),
                line.code,
                Paragraph(esc(line.location), st["cell"]),
                angka(line.on_hand),
                angka(line.in_transit),
                angka(line.reserved),
                "",
                "",
                "",
            ]
        )
    if not sheet.lines:
        data.append(["", "", "Tidak ada lokasi.", "", "", "", "", "", ""])
    # Every numeric column has its total, not the balance alone.
    totals = [
        angka(sum(getattr(line, name) for line in sheet.lines))
        for name in ("on_hand", "in_transit", "reserved")
    ]
    data.append(["", "", Paragraph("<b>Jumlah</b>", st["cell"]), *totals, "", "", ""])
    widths = [10 * mm, 22 * mm, 55 * mm, 27 * mm, 24 * mm, 27 * mm, 27 * mm, 22 * mm]
    widths.append(width - sum(widths))
    heights = [None] + [9 * mm] * (len(data) - 2) + [None]
    return grid(data, widths, align_right=(3, 4, 5), row_heights=heights)
