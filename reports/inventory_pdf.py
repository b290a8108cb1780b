"""Berita Acara Hasil Inventarisasi: the kop, the summary per group with its value, one table
per group and the signatories. A pure renderer: frozen dataclasses in, PDF bytes out."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from reports._blanko_doc import build, esc, grid, letterhead, signature_row, styles, usable_width
from reports._format import angka, printable, rupiah_resmi, tanggal, waktu
from reports.inventory_doc import GROUP_TITLES, InventoryDoc, InventoryLine, Signer

__all__ = ["render"]


def render(doc: InventoryDoc) -> bytes:
    st = styles()
    width = usable_width(landscape=True)
    story = letterhead(doc.kop, st)
    story += [
        Paragraph("BERITA ACARA HASIL INVENTARISASI BARANG MILIK DAERAH", st["title"]),
        Paragraph(f"Nomor: {esc(doc.number)}", st["center"]),
        Spacer(1, 4 * mm),
        Paragraph(_opening(doc), st["just"]),
        Spacer(1, 3 * mm),
        _summary(doc, st),
        Spacer(1, 4 * mm),
    ]
    for key, title in GROUP_TITLES:
        lines = doc.groups.get(key, ())
        story.append(
            KeepTogether([Paragraph(f"<b>{esc(title)}</b>", st["body"]), Spacer(1, 1 * mm)])
        )
        story.append(_lines(key, lines, st, width))
        story.append(Spacer(1, 4 * mm))
    if doc.confirm_note:
        story.append(Paragraph(f"Catatan Kepala Dinas: {esc(doc.confirm_note)}", st["body"]))
    story.append(
        Paragraph(
            "Barang yang tidak ditemukan tetap tercatat di register dan ditandai untuk ditelusuri; "
            "perubahan kondisi dan lokasi telah dicatat di register KIB B.",
            st["small"],
        )
    )
    signed = doc.confirmed_at or doc.opened_at
    signers = list(doc.signers) or [
        Signer("Petugas inventarisasi", doc.opened_by),
        Signer("Kepala Dinas", doc.confirmed_by, above=f"{doc.place}, {tanggal(signed)}"),
    ]
    story.append(signature_row(signers, st, width))
    return build(
        story,
        title=f"Berita acara hasil inventarisasi {doc.number}",
        landscape=True,
        footer=f"Berita acara hasil inventarisasi {doc.number}",
    )


def _opening(doc: InventoryDoc) -> str:
    when = f"dimulai {waktu(doc.opened_at)}"
    if doc.confirmed_at:
        when += f" dan dikonfirmasi Kepala Dinas {waktu(doc.confirmed_at)}"
    else:
        when += "; hasil ini <b>belum dikonfirmasi</b> Kepala Dinas"
    return (
        f"Telah dilaksanakan inventarisasi barang milik daerah ({esc(doc.title)}) di wilayah "
        f"{esc(doc.scope)}, {when}, terhadap {angka(doc.expected)} barang yang tercatat di "
        "register KIB B, dengan hasil sebagai berikut."
    )


def _summary(doc: InventoryDoc, st):
    data = [["No", "Kelompok", "Jumlah barang", "Nilai"]]
    for i, (key, title) in enumerate(GROUP_TITLES, start=1):
        data.append(
            [
                str(i),
                Paragraph(esc(title), st["cell"]),
                angka(doc.count(key)),
                rupiah_resmi(doc.value(key)),
            ]
        )
    return grid(data, [12 * mm, 110 * mm, 35 * mm, 45 * mm], align_right=(2, 3))


_HEAD = (
    "No",
    "Kode barang / NUP",
    "Nama barang",
    "Lokasi",
    "Kondisi",
    "Ditemukan di",
    "Nilai",
    "Keterangan",
)


def _lines(key: str, lines: tuple[InventoryLine, ...], st, width: float):
    data = [[Paragraph(f"<b>{h}</b>", st["cell"]) for h in _HEAD]]
    for i, ln in enumerate(lines, start=1):
        cond = ln.condition_before
        if ln.condition_after and ln.condition_after != ln.condition_before:
            cond = (
                f"{ln.condition_before} → {ln.condition_after}"
                if ln.condition_before
                else ln.condition_after
            )
        elif key != "not_found" and ln.condition_after:
            cond = ln.condition_after
        ref = f"{ln.kode_barang} / {ln.register_no}" if ln.kode_barang else "–"
        data.append(
            [
                str(i),
                printable(ref),  # short codes: plain strings, far cheaper than a Paragraph per cell
                _wrap(ln.name, 30, st),
                _wrap(ln.place, 22, st),
                cond or "–",
                _wrap(ln.found_in or "–", 22, st),
                rupiah_resmi(ln.unit_price) if ln.kode_barang else "–",
                _wrap(ln.note, 30, st),
            ]
        )
    if not lines:
        data.append(["", "", Paragraph("Tidak ada.", st["cell"]), "", "", "", "", ""])
    widths = [10 * mm, 48 * mm, 58 * mm, 36 * mm, 18 * mm, 36 * mm, 28 * mm]
    widths.append(width - sum(widths))
    return grid(data, widths, align_right=(6,))


def _wrap(text: str | None, fits: int, st):
    """A plain string when it fits its column on one line, else a wrapping Paragraph."""
    text = printable(text or "")
    return text if len(text) <= fits else Paragraph(esc(text), st["cell"])
