"""Shared layout pieces of the blanko documents (letterhead, styles, signature blocks)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports._format import escape
from reports._kop import Kop, Signatory, kop_flowables, signatory_lines
from reports._pages import numbered_canvas

__all__ = ["Kop", "Signatory", "Signer"]


@dataclass(frozen=True)
class Signer:
    caption: str  # "Kepala Dinas", "Petugas penghitung", …
    name: str | None = None
    nip: str | None = None
    above: str | None = None  # a line above the caption ("Mengetahui,", "Bekasi, 23 …")
    # the signing official (name, NIP, rank, position, a.n./Plt.); with `official=True` and
    # none set, the block says "Pejabat penanda tangan belum diatur" instead of dots
    signatory: Signatory | None = None
    official: bool = False


def esc(text: str | None) -> str:
    return escape(text or "")


def styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    body = ParagraphStyle("body", parent=base, fontName="Helvetica", fontSize=10.5, leading=14)
    return {
        "body": body,
        "just": ParagraphStyle("just", parent=body, alignment=TA_JUSTIFY),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=12.5,
            leading=16,
            alignment=TA_CENTER,
        ),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "kop1": ParagraphStyle(
            "kop1", parent=body, fontName="Helvetica-Bold", fontSize=13, alignment=TA_CENTER
        ),
        "kop2": ParagraphStyle(
            "kop2",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=14.5,
            leading=18,
            alignment=TA_CENTER,
        ),
        "kop3": ParagraphStyle("kop3", parent=body, fontSize=9, alignment=TA_CENTER),
    }


def letterhead(kop: Kop, st, width: float | None = None) -> list:
    """The shared kop (`reports._kop`): government, office, address, contact, logo."""
    return kop_flowables(kop, width or usable_width())


def signature_cell(s: Signer, st, above_line: bool = False) -> list:
    """One signer: line above (kept empty to align a row), caption, room to sign, name, NIP.
    An official: their block (a.n./Plt., position, name, rank, NIP), or "belum diatur"."""
    if s.official or s.signatory is not None:
        above = s.above or ("\u00a0" if above_line else None)
        return signatory_lines(s.signatory, above=above, caption=s.caption)
    lines = []
    if s.above or above_line:
        lines.append(Paragraph(esc(s.above) or "&nbsp;", st["center"]))
    lines.append(Paragraph(esc(s.caption), st["center"]))
    lines.append(Spacer(1, 20 * mm))
    name = s.name or "(" + "." * 40 + ")"
    lines.append(Paragraph(f"<u>{esc(name)}</u>" if s.name else esc(name), st["center"]))
    if s.nip or not s.name:  # a named person without a NIP gets no dotted NIP line
        lines.append(Paragraph(f"NIP. {esc(s.nip)}" if s.nip else "NIP. " + "." * 30, st["center"]))
    return lines


def signature_flowables(
    signers: list[Signer], st, width: float, skip: int = 0, offset: float = 0
) -> list:
    """Signers side by side (after `skip` empty columns, or an empty `offset` on the left):
    the flowables to put in a closing block's KeepTogether (a KeepTogether inside another one
    always breaks the page)."""
    above = any(s.above for s in signers)
    cells = [""] * skip + [signature_cell(s, st, above) for s in signers]
    col = width / max(len(cells), 1)
    widths = [col] * len(cells)
    if offset:
        cells, widths = ["", *cells], [offset, *widths]
    table = Table([cells], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 6 * mm), table]


def signature_row(
    signers: list[Signer], st, width: float, skip: int = 0, offset: float = 0
) -> KeepTogether:
    """Signers side by side (after `skip` empty columns or an `offset`), kept on one page."""
    return KeepTogether(signature_flowables(signers, st, width, skip, offset))


def grid(
    data, col_widths, header_rows: int = 1, align_right: tuple[int, ...] = (), row_heights=None
) -> Table:
    table = Table(data, colWidths=col_widths, repeatRows=header_rows, rowHeights=row_heights)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e9ecef")),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for col in align_right:
        style.append(("ALIGN", (col, header_rows), (col, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def build(story: list, *, title: str, landscape: bool = False, footer: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import landscape as to_landscape

    buf = BytesIO()
    size = to_landscape(A4) if landscape else A4
    doc = SimpleDocTemplate(
        buf,
        pagesize=size,
        leftMargin=20 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Aset Dukcapil",
    )
    # "Halaman x dari y" on every page (two passes: the total is known only at the end).
    doc.build(story, canvasmaker=numbered_canvas(right=18 * mm, suffix=footer or ""))
    return buf.getvalue()


def usable_width(landscape: bool = False) -> float:
    w = A4[1] if landscape else A4[0]
    return w - 38 * mm
