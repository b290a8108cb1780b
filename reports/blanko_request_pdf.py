"""Official letter asking Ditjen Dukcapil for blanko KTP-el (surat permohonan blanko)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
from reports._format import angka, tanggal, terbilang

__all__ = ["Kop", "RequestLetter", "Signer", "render"]


@dataclass(frozen=True)
class RequestLetter:
    kop: Kop
    place: str  # "Bekasi"
    region_name: str  # "Kabupaten Bekasi"
    letter_no: str
    letter_date: date
    recipient: str
    quantity: int
    usage_30_days: int
    avg_daily: float
    stock: int
    days_of_cover: float | None
    lead_time_days: int
    open_requests: int
    note: str | None
    signer: Signer
    recipient_place: str = "Jakarta"
    perihal: str = "Permohonan Blanko KTP-el"
    sifat: str = "Segera"
    lampiran: str = "–"
    tembusan: tuple[str, ...] = ()


def _num(value: float, digits: int = 1) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(value, digits), format="#,##0.#", locale="id_ID")


def render(letter: RequestLetter) -> bytes:
    st = styles()
    width = usable_width()
    story = letterhead(letter.kop, st)
    story += [_heading(letter, st, width), Spacer(1, 6 * mm)]
    story += [
        Paragraph("Yth.", st["body"]),
        Paragraph(esc(letter.recipient), st["body"]),
        Paragraph(f"di {esc(letter.recipient_place)}", st["body"]),
        Spacer(1, 6 * mm),
    ]
    story.append(
        Paragraph(
            "Dalam rangka menjamin kelancaran pelayanan pencetakan KTP-el bagi penduduk di "
            f"{esc(letter.region_name)}, dengan hormat kami sampaikan keadaan persediaan blanko "
            "KTP-el kami sebagai berikut:",
            st["just"],
        )
    )
    for i, fact in enumerate(_facts(letter), start=1):
        story.append(Paragraph(f"{i}. {fact}", st["just"]))
    story += [Spacer(1, 3 * mm), Paragraph(_request_paragraph(letter), st["just"])]
    if letter.note:
        story += [Spacer(1, 3 * mm), Paragraph(esc(letter.note), st["just"])]
    closing: list = [
        Spacer(1, 3 * mm),
        Paragraph(
            "Demikian permohonan ini kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, "
            "kami ucapkan terima kasih.",
            st["just"],
        ),
    ]
    # The signature block sits on the right half, as on Indonesian official letters.
    closing += signature_flowables([letter.signer], st, width, skip=1)
    if letter.tembusan:
        closing += [Spacer(1, 6 * mm), Paragraph("<u>Tembusan</u>:", st["small"])]
        for i, t in enumerate(letter.tembusan, start=1):
            closing.append(Paragraph(f"{i}. {esc(t)}", st["small"]))
    # The last paragraph, the signature and the tembusan never part across a page break.
    story.append(KeepTogether(closing))
    return build(story, title=f"{letter.perihal} {letter.letter_no}", footer=letter.letter_no)


def _heading(letter: RequestLetter, st, width: float) -> Table:
    """Nomor / Sifat / Lampiran / Perihal on the left, place and date on the right."""
    head = Table(
        [
            ["Nomor", ":", letter.letter_no, f"{letter.place}, {tanggal(letter.letter_date)}"],
            ["Sifat", ":", letter.sifat, ""],
            ["Lampiran", ":", letter.lampiran, ""],
            ["Perihal", ":", Paragraph(f"<b>{esc(letter.perihal)}</b>", st["body"]), ""],
        ],
        colWidths=[22 * mm, 4 * mm, 80 * mm, width - 106 * mm],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 10.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (3, 0), (3, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return head


def _facts(letter: RequestLetter) -> list[str]:
    """The numbered stock figures the request rests on."""
    cover = (
        f"cukup untuk sekitar {_num(letter.days_of_cover)} hari"
        if letter.days_of_cover is not None
        else "belum dapat dihitung karena belum ada pemakaian tercatat"
    )
    facts = [
        f"Persediaan saat ini (gudang Dinas, kecamatan dan dalam perjalanan): "
        f"{angka(letter.stock)} keping;",
        f"Pemakaian 30 hari terakhir: {angka(letter.usage_30_days)} keping, atau rata-rata "
        f"{_num(letter.avg_daily)} keping per hari;",
        f"Dengan pemakaian tersebut persediaan {cover};",
        f"Perkiraan waktu sejak permohonan hingga blanko diterima: {letter.lead_time_days} hari.",
    ]
    if letter.open_requests:
        facts.append(
            f"Permohonan sebelumnya yang belum terpenuhi: {angka(letter.open_requests)} keping."
        )
    return facts


def _request_paragraph(letter: RequestLetter) -> str:
    return (
        "Sehubungan dengan hal tersebut, kami mohon kiranya dapat diberikan alokasi blanko "
        f"KTP-el sebanyak <b>{angka(letter.quantity)} ({terbilang(letter.quantity)}) "
        "keping</b> untuk "
        f"{esc(letter.region_name)}. Blanko akan kami ambil sesuai jadwal yang ditetapkan "
        "dan penerimaannya kami catat dengan berita acara serah terima beserta nomor seri."
    )
