"""Official letter (surat dinas) on the Dinas letterhead: frozen data in → PDF bytes out.

Layout after the usual tata naskah dinas: kop (government, office, address) over a double rule;
place and date on the right, level with Nomor; Nomor/Sifat/Lampiran/Hal on the left; "Yth."
and the recipient below; the body; the signature block on the right half; tembusan last.
A draft carries a "DRAF" watermark and no number.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports._format import amounts_in_words, escape, tanggal
from reports._kop import Kop, Signatory, kop_flowables, signatory_lines
from reports._pages import numbered_canvas

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"


@dataclass(frozen=True)
class LetterKop:
    pemerintah: str  # "PEMERINTAH KOTA SERANG"
    dinas: str  # "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    address: str = ""
    contact: str = ""  # telephone, e-mail, website in one line
    logo: str | None = None  # absolute path of the lambang daerah (PNG or SVG)


@dataclass(frozen=True)
class LetterDoc:
    kop: LetterKop
    place: str  # city written before the date: "Serang"
    letter_date: date | None
    number: str | None
    sifat: str
    lampiran: str
    perihal: str
    recipient: str  # may hold several lines
    recipient_place: str | None
    body: str  # paragraphs separated by a blank line; "- " lines become a list
    signer_position: str
    signer_name: str
    signer_nip: str = ""
    signer_rank: str = ""
    signer_line: str = ""  # "a.n. Kepala Dinas …" / "Plt." above the position
    tembusan: tuple[str, ...] = field(default_factory=tuple)
    draft: bool = False


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=14)
    return {
        "base": base,
        "kop1": ParagraphStyle("kop1", base, fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER),
        "kop2": ParagraphStyle("kop2", base, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER),
        "kop3": ParagraphStyle("kop3", base, fontSize=9, leading=11, alignment=TA_CENTER),
        "body": ParagraphStyle("body", base, alignment=TA_JUSTIFY, firstLineIndent=12 * mm, spaceAfter=5),
        "item": ParagraphStyle("item", base, alignment=TA_LEFT, leftIndent=18 * mm, bulletIndent=12 * mm, spaceAfter=2),
        "small": ParagraphStyle("small", base, fontSize=10, leading=13),
        "sign": ParagraphStyle("sign", base, alignment=TA_CENTER),
        "signname": ParagraphStyle("signname", base, fontName=FONT_BOLD, alignment=TA_CENTER),
    }  # fmt: skip


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


_ITEM = re.compile(r"^\s*(?:-|\d+[.)])\s+")


def _body_flowables(body: str, st: dict[str, ParagraphStyle]) -> list:
    out: list = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if all(_ITEM.match(ln) for ln in lines):
            for ln in lines:
                marker = _ITEM.match(ln).group(0).strip()
                bullet = "•" if marker == "-" else marker
                out.append(Paragraph(escape(_ITEM.sub("", ln)), st["item"], bulletText=bullet))
            out.append(Spacer(1, 4))
        else:
            out.append(_p("\n".join(ln.strip() for ln in lines), st["body"]))
    return out


def _watermark(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT_BOLD, 110)
    canvas.setFillColor(colors.Color(0.85, 0.85, 0.85, alpha=0.5))
    canvas.translate(A4[0] / 2, A4[1] / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -30, "DRAF")
    canvas.restoreState()


def _kop(doc: LetterDoc, st) -> list:
    """The letterhead: government, office, address and contact (and the logo), under a
    double rule (`reports._kop`, shared by every document)."""
    kop = Kop(
        pemerintah=doc.kop.pemerintah,
        dinas=doc.kop.dinas,
        alamat=doc.kop.address or None,
        contact=doc.kop.contact or None,
        logo=doc.kop.logo,
    )
    return kop_flowables(kop, A4[0] - 45 * mm, sizes=(14, 13, 9), rule_after=6 * mm)


def _heading(doc: LetterDoc, st, width: float) -> Table:
    """Nomor, sifat, lampiran, hal on the left; place and date on the right."""
    date_text = tanggal(doc.letter_date) if doc.letter_date else "(tanggal)"
    number = doc.number or "(diberikan saat ditandatangani)"
    head = [
        ["Nomor", ":", _p(number, st["base"]), _p(f"{doc.place}, {date_text}", st["base"])],
        ["Sifat", ":", _p(doc.sifat, st["base"]), ""],
        ["Lampiran", ":", _p(doc.lampiran or "-", st["base"]), ""],
        ["Hal", ":", _p(doc.perihal, st["base"]), ""],
    ]
    table = Table(head, colWidths=[22 * mm, 4 * mm, width - 92 * mm, 66 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), 11),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _signature(doc: LetterDoc, st, width: float) -> Table:
    sig = None
    if doc.signer_name:
        sig = Signatory(
            name=doc.signer_name,
            position=doc.signer_position or "",
            nip=doc.signer_nip,
            rank=doc.signer_rank,
            line=doc.signer_line,
        )
    sign_lines = signatory_lines(sig, caption=doc.signer_position, size=11, room=18 * mm)
    sign = Table([["", sign_lines]], colWidths=[width - 80 * mm, 80 * mm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return sign


def render_letter_pdf(doc: LetterDoc) -> bytes:
    st = _styles()
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=15 * mm,
        bottomMargin=20 * mm,
        title=f"Surat {doc.number or 'draf'} — {doc.perihal}",
        author=doc.kop.dinas,
        subject=doc.perihal,
    )
    width = A4[0] - 45 * mm
    story = _kop(doc, st) + [_heading(doc, st, width), Spacer(1, 5 * mm)]
    story.append(_p("Yth.", st["base"]))
    story.append(_p(doc.recipient, st["base"]))
    if doc.recipient_place:
        story.append(_p(f"di {doc.recipient_place}", st["base"]))
    story.append(Spacer(1, 5 * mm))
    # Amounts are written out in words after the figure (terbilang), as official letters are.
    body = _body_flowables(amounts_in_words(doc.body), st)
    # The closing block: the last paragraph of the body, the signature and the tembusan stay
    # on one page (a tembusan alone on page 2 cannot be signed).
    last = body[-2:] if body and isinstance(body[-1], Spacer) else body[-1:]
    story += body[: len(body) - len(last)]
    closing = [*last, Spacer(1, 3 * mm), _signature(doc, st, width)]
    if doc.tembusan:
        closing.append(Spacer(1, 4 * mm))
        closing.append(_p("Tembusan:", st["small"]))
        closing += [
            _p(f"{i}. {t}", st["small"]) for i, t in enumerate(doc.tembusan, start=1) if t.strip()
        ]
    story.append(KeepTogether(closing))
    kwargs = {"onFirstPage": _watermark, "onLaterPages": _watermark} if doc.draft else {}
    # "Halaman x dari y" on each page of a letter longer than one page.
    pdf.build(story, canvasmaker=numbered_canvas(only_if_several=True, size=8), **kwargs)
    return buf.getvalue()
