"""The one letterhead (kop) and signatory block of every document: letters, berita acara,
opname sheet, request letter, certificates, the hearing packet cover and the KIB export.

Pure: frozen data in, reportlab flowables out. The logo is a file path (PNG or SVG) already
checked when it was uploaded; a missing or unreadable file leaves the kop without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Image, Paragraph, Spacer, Table, TableStyle

from reports._format import escape

NOT_SET = "Pejabat penanda tangan belum diatur"


@dataclass(frozen=True)
class Kop:
    pemerintah: str  # "PEMERINTAH KABUPATEN BONDOWOSO"
    dinas: str = "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    alamat: str | None = None  # the address line
    contact: str | None = None  # telephone, e-mail, website in one line
    logo: str | None = None  # absolute path of the lambang daerah (PNG or SVG)

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(x for x in (self.pemerintah, self.dinas, self.alamat, self.contact) if x)


@dataclass(frozen=True)
class Signatory:
    """Who signs: as stored on a signed document (name, NIP, rank, position, a.n./Plt.)."""

    name: str
    position: str
    nip: str = ""
    rank: str = ""
    line: str = ""  # "a.n. Kepala Dinas …" or "Plt." above the position


def kop_of(data: dict | None, logo: str | None = None) -> Kop:
    """A Kop from the JSON a document keeps (`letters.settings.Settings.kop()`)."""
    data = data or {}
    return Kop(
        pemerintah=data.get("pemerintah") or "PEMERINTAH DAERAH",
        dinas=data.get("dinas") or "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        alamat=data.get("address") or None,
        contact=data.get("contact") or None,
        logo=logo,
    )


def signatory_of(data: dict | None) -> Signatory | None:
    if not data or not data.get("name"):
        return None
    return Signatory(
        name=data["name"],
        position=data.get("position") or "",
        nip=data.get("nip") or "",
        rank=data.get("rank") or "",
        line=data.get("line") or "",
    )


def _style(name: str, size: float, bold: bool = False) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size,
        leading=size * 1.22,
        alignment=TA_CENTER,
    )


def logo_flowable(path: str | None, size: float):
    """The logo scaled into a `size` square, or None (no file, or one that cannot be read)."""
    if not path or not Path(path).is_file():
        return None
    try:
        if path.lower().endswith(".svg"):
            from svglib.svglib import svg2rlg

            drawing = svg2rlg(path)
            if drawing is None or not drawing.width or not drawing.height:
                return None
            scale = size / max(drawing.width, drawing.height)
            drawing.scale(scale, scale)
            drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
            return drawing
        img = Image(path)
        ratio = img.imageWidth / img.imageHeight
        img.drawWidth, img.drawHeight = (size, size / ratio) if ratio >= 1 else (size * ratio, size)
        return img
    except Exception:  # noqa: BLE001  (a broken logo never stops a document)
        return None


def kop_flowables(kop: Kop, width: float, *, sizes=(13, 13, 9), rule_after=5 * mm) -> list:
    """Government and office in capitals, address and contact, the logo on the left, over a
    thick and a thin rule."""
    text = [
        Paragraph(escape(kop.pemerintah.upper()), _style("kop1", sizes[0], True)),
        Paragraph(escape(kop.dinas.upper()), _style("kop2", sizes[1], True)),
    ]
    for extra in (kop.alamat, kop.contact):
        if extra:
            text.append(Paragraph(escape(extra), _style("kop3", sizes[2])))
    logo = logo_flowable(kop.logo, 22 * mm)
    if logo is not None:
        head = Table([[logo, text, ""]], colWidths=[26 * mm, width - 52 * mm, 26 * mm])
        head.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story: list = [head]
    else:
        story = text
    return story + [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=2, color=colors.black, spaceAfter=0.6 * mm),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=rule_after),
    ]


def signatory_lines(
    sig: Signatory | None,
    *,
    above: str | None = None,
    caption: str | None = None,
    size: float = 10.5,
    room: float = 20 * mm,
) -> list:
    """The signature block: [date line], [a.n./Plt.], position (or `caption`), room to sign,
    the name underlined, rank, NIP. No official: the block says so instead of leaving dots."""
    st = _style("sig", size)
    bold = _style("sigb", size, True)
    lines: list = []
    if above:
        lines.append(Paragraph(escape(above), st))
    if sig is None:
        if caption:
            lines.append(Paragraph(escape(caption), st))
        lines.append(Spacer(1, room / 2))
        lines.append(Paragraph(f"<i>{escape(NOT_SET)}</i>", st))
        return lines
    if sig.line:
        lines.append(Paragraph(escape(sig.line), st))
    lines.append(Paragraph(escape(sig.position or caption or ""), st))
    lines.append(Spacer(1, room))
    lines.append(Paragraph(f"<u>{escape(sig.name)}</u>", bold))
    if sig.rank:
        lines.append(Paragraph(escape(sig.rank), st))
    if sig.nip:
        lines.append(Paragraph(f"NIP. {escape(sig.nip)}", st))
    return lines
