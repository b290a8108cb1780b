"""Berita acara of an approved blanko write-off (rusak) or stock adjustment (penyesuaian)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from reports._blanko_doc import (
    Kop,
    Signer,
    build,
    esc,
    letterhead,
    signature_flowables,
    styles,
    usable_width,
)
from reports._format import WIB, angka, tanggal, terbilang, waktu

__all__ = ["BeritaAcara", "Kop", "Signer", "render"]


@dataclass(frozen=True)
class BeritaAcara:
    kop: Kop
    number: str
    kind: str  # "rusak" or "penyesuaian"
    place: str  # town for the date line, e.g. "Bekasi"
    location: str  # "Kec. Cibitung"
    location_code: str
    movement_id: int
    quantity: int
    increase: bool  # penyesuaian only: stock went up
    occurred_at: datetime
    decided_at: datetime
    reason: str | None
    serial_ranges: tuple[tuple[int, int], ...] = ()
    recorded_by: str | None = None
    approved_by: str | None = None
    approval_note: str | None = None
    signers: tuple[Signer, ...] = ()
    witnesses: tuple[str, ...] = ()  # saksi, typed at approval


def title_of(doc: BeritaAcara) -> str:
    if doc.kind == "rusak":
        return "BERITA ACARA PENGHAPUSAN BLANKO KTP-el RUSAK"
    return "BERITA ACARA PENYESUAIAN STOK BLANKO KTP-el"


def render(doc: BeritaAcara) -> bytes:
    st = styles()
    width = usable_width()
    day = doc.decided_at.astimezone(WIB).date()
    opening, closing = _wording(doc, day)
    story = letterhead(doc.kop, st)
    story += [
        Paragraph(f"<u>{title_of(doc)}</u>", st["title"]),
        Paragraph(f"Nomor: {esc(doc.number)}", st["center"]),
        Spacer(1, 6 * mm),
        Paragraph(opening, st["just"]),
        Spacer(1, 4 * mm),
        _details(doc, st, width),
        Spacer(1, 4 * mm),
        Paragraph(closing, st["just"]),
    ]
    closing = [
        Spacer(1, 3 * mm),
        Paragraph(
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
            "mestinya.",
            st["just"],
        ),
    ]
    signers = list(doc.signers) or [
        Signer("Yang menyerahkan / pencatat", doc.recorded_by),
        Signer("Saksi"),
        Signer("Kepala Dinas", doc.approved_by, above=f"{doc.place}, {tanggal(day)}"),
    ]
    people = [s for s in signers if not (s.official or s.signatory)]
    heads = [s for s in signers if s.official or s.signatory]
    if people and heads:  # recorder and saksi side by side, the approving official below
        closing += signature_flowables(people, st, width)
        closing += signature_flowables(heads, st, width / 2, offset=width / 2)
    else:
        closing += signature_flowables(signers, st, width)
    story.append(KeepTogether(closing))  # the closing sentence stays with the signatures
    # The number already reads "BA.…": the footer shows it once, not "BA BA.…".
    return build(story, title=f"{title_of(doc)} {doc.number}", footer=_footer_label(doc.number))


def _footer_label(number: str) -> str:
    number = (number or "").strip()
    if not number:
        return "Berita acara"
    return number if number.upper().startswith("BA") else f"BA {number}"


def _wording(doc: BeritaAcara, day) -> tuple[str, str]:
    """The opening and closing paragraphs of a write-off or of an adjustment."""
    hari = format_date(day, "EEEE", locale="id_ID")
    where = f"Pada hari ini {hari}, tanggal {tanggal(day)}, bertempat di {esc(doc.location)}, "
    if doc.kind == "rusak":
        return (
            where
            + "kami yang bertanda tangan di bawah ini telah memeriksa blanko KTP-el yang rusak "
            "atau gagal cetak dan menghapusnya dari persediaan, dengan rincian sebagai berikut:",
            "Blanko KTP-el tersebut tidak dapat dipergunakan lagi, dikeluarkan dari persediaan "
            "sejak tanggal berita acara ini, dan selanjutnya dimusnahkan serta dilaporkan secara "
            "berjenjang sesuai ketentuan penatausahaan KTP-el rusak atau invalid.",
        )
    return (
        where + "kami yang bertanda tangan di bawah ini menyatakan bahwa berdasarkan stock opname "
        "terdapat selisih antara hasil penghitungan fisik dan catatan persediaan blanko "
        "KTP-el, dan catatan persediaan disesuaikan dengan rincian sebagai berikut:",
        "Penyesuaian ini dicatat sebagai mutasi tersendiri; catatan mutasi sebelumnya tidak "
        "diubah.",
    )


def _details(doc: BeritaAcara, st, width: float) -> Table:
    """The facts of the movement and its approval, one labelled row each."""
    if doc.kind == "rusak":
        jenis = "Blanko rusak / gagal cetak"
    else:
        jenis = "Penambahan stok" if doc.increase else "Pengurangan stok"
    rows = [
        ("Lokasi", f"{doc.location} ({doc.location_code})"),
        ("Jenis", jenis),
        ("Jumlah", f"{angka(doc.quantity)} ({terbilang(doc.quantity)}) keping"),
        ("Waktu kejadian", waktu(doc.occurred_at)),
        ("Nomor seri", _ranges(doc.serial_ranges)),
        ("Sebab / keterangan", doc.reason or "–"),
        ("Nomor mutasi", f"#{doc.movement_id}"),
        ("Dicatat oleh", doc.recorded_by or "–"),
        ("Disetujui oleh", f"{doc.approved_by or '–'}, {waktu(doc.decided_at)}"),
    ]
    if doc.witnesses:
        rows.append(("Saksi", ", ".join(doc.witnesses)))
    if doc.approval_note:
        rows.append(("Catatan persetujuan", doc.approval_note))
    table = Table(
        [[Paragraph(esc(k), st["cell"]), Paragraph(esc(v), st["cell"])] for k, v in rows],
        colWidths=[45 * mm, width - 45 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
            ]
        )
    )
    return table


def _ranges(ranges) -> str:
    if not ranges:
        return "tidak dicatat"
    return ", ".join(f"{s}–{e}" if s != e else str(s) for s, e in ranges)
