"""Training certificate: one A4 landscape page with a QR code to the public verification page.

Pure renderer: a frozen `TrainingCertificate` in, PDF bytes out (no Flask, no database).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from reports._format import tanggal
from reports._kop import NOT_SET, Kop, Signatory, logo_flowable

NAVY = colors.HexColor("#1f3b6e")
GOLD = colors.HexColor("#b48a2c")
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class CertificateTopicLine:
    label: str
    valid_until: date


@dataclass(frozen=True)
class TrainingCertificate:
    certificate_no: str
    name: str
    nip: str | None
    position: str
    unit: str  # "Kec. Pujer" or "Dinas (Kabupaten Bondowoso)"
    training_title: str
    topics: tuple[CertificateTopicLine, ...]
    starts_on: date
    ends_on: date
    place: str
    organiser: str
    trainer: str | None
    score: int | None
    issuer: str  # "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bondowoso"
    issued_on: date
    issued_place: str  # city printed before the date of signature ("Bondowoso")
    verify_url: str
    kop: Kop | None = None  # the organiser's letterhead (government line, address, logo)
    signatory: Signatory | None = None  # the official who signs certificates (`sertifikat`)


def _safe(text: str | None) -> str:
    """The built-in PDF fonts speak Latin-1 (WinAnsi); degrade anything else gracefully."""
    if not text:
        return ""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base or "?")
    return "".join(out)


def _period(start: date, end: date) -> str:
    if start == end:
        return tanggal(start)
    return f"{tanggal(start)} s.d. {tanggal(end)}"


def _centered(c: canvas.Canvas, text: str, y: float, font: str, size: float, width: float):
    """Draws wrapped, centred lines from y downwards; returns the y below the last line."""
    lines = simpleSplit(_safe(text), font, size, width) or [""]
    c.setFont(font, size)
    page_w = c._pagesize[0]
    for line in lines:
        c.drawCentredString(page_w / 2, y, line)
        y -= size * 1.3
    return y


def _fit_size(text: str, font: str, size: float, minimum: float, width: float) -> float:
    """The largest size (down to `minimum`) at which `text` fits on one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > minimum and stringWidth(_safe(text), font, size) > width:
        size -= 1
    return size


# Nothing of the competence table may come below this line: the QR code (up to 54 mm with its
# caption) and the place/date line of the signature (52 mm) sit under it.
TABLE_FLOOR = 60 * mm
HEADER_H = 6.5 * mm
MAX_LABEL_LINES = 2


@dataclass(frozen=True)
class _TopicLayout:
    columns: tuple[tuple[tuple[tuple[str, ...], str], ...], ...]  # per column: (lines, date)
    label_w: float
    date_w: float
    size: float
    hidden: int = 0  # topics left out (a "… dan N kompetensi lainnya" row says so)

    @property
    def leading(self) -> float:
        return self.size * 1.25

    def row_h(self, lines: int) -> float:
        return lines * self.leading + self.size / 10 * 2.2 * mm

    def height(self) -> float:
        rows = [sum(self.row_h(len(lab)) for lab, _ in col) for col in self.columns]
        return HEADER_H + max(rows or [0]) + (self.leading + 2 * mm if self.hidden else 0)


def _wrap_label(text: str, size: float, width: float) -> tuple[str, ...]:
    lines = simpleSplit(_safe(text), "Helvetica", size, width) or [""]
    if len(lines) > MAX_LABEL_LINES:
        last = " ".join(lines[MAX_LABEL_LINES - 1 :])
        while last and simpleSplit(last + "…", "Helvetica", size, width)[1:]:
            last = last[:-1].rstrip()
        lines = [*lines[: MAX_LABEL_LINES - 1], last + "…"]
    return tuple(lines)


def _topic_layout(topics, available: float) -> _TopicLayout:
    """The first of: one column (up to three topics), two columns (three beyond six topics),
    at 10 pt down to 7 pt, whose table fits in `available`; labels wrap onto a second line
    instead of running into the date column. If even that does not fit, the last topics are
    counted instead of drawn."""
    topics = list(topics)
    candidates = [1, 2] if len(topics) <= 3 else [2, 3] if len(topics) > 6 else [2]
    widths = {1: (90 * mm, 65 * mm), 2: (78 * mm, 40 * mm), 3: (55 * mm, 28 * mm)}
    layout = None
    for n_cols in candidates:
        label_w, date_w = widths[n_cols]
        for size in (10, 9, 8, 7):
            layout = _arrange(topics, n_cols, label_w, date_w, size, 0)
            if layout.height() <= available:
                return layout
    shown = len(topics)
    while shown > 1 and layout.height() > available:
        shown -= 1
        n_cols = candidates[-1]
        layout = _arrange(topics[:shown], n_cols, *widths[n_cols], 7, len(topics) - shown)
    return layout


def _arrange(topics, n_cols, label_w, date_w, size, hidden) -> _TopicLayout:
    per_col = max(1, -(-len(topics) // n_cols))
    cells = [(_wrap_label(t.label, size, label_w - 5 * mm), tanggal(t.valid_until)) for t in topics]
    columns = tuple(tuple(cells[i : i + per_col]) for i in range(0, len(cells), per_col)) or ((),)
    return _TopicLayout(columns, label_w, date_w, size, hidden)


def _topic_table(c: canvas.Canvas, topics, y: float, page_w: float) -> float:
    """Competences and their validity, between `y` and TABLE_FLOOR: one table, or two side by
    side beyond three topics, smaller type and wrapped labels when they are many or long."""
    lay = _topic_layout(topics, y + HEADER_H - 2 * mm - TABLE_FLOOR)
    gap = 8 * mm
    col_w = lay.label_w + lay.date_w
    total_w = len(lay.columns) * col_w + (len(lay.columns) - 1) * gap
    left = page_w / 2 - total_w / 2
    bottom = y
    for i, col in enumerate(lay.columns):
        x0 = left + i * (col_w + gap)
        c.setFillColor(NAVY)
        c.rect(x0, y - 2 * mm, col_w, HEADER_H, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 10)
        c.drawString(x0 + 3 * mm, y, "Kompetensi")
        c.drawString(x0 + lay.label_w + 3 * mm, y, "Berlaku s.d.")
        c.setFillColor(colors.black)
        c.setStrokeColor(NAVY)
        c.setLineWidth(0.4)
        top = y - 2 * mm  # the line under the previous row
        for lines, valid in col:
            c.setFont("Helvetica", lay.size)
            line_y = top - 1.1 * mm - lay.size
            c.drawString(x0 + lay.label_w + 3 * mm, line_y, valid)
            for line in lines:
                c.drawString(x0 + 3 * mm, line_y, line)
                line_y -= lay.leading
            top -= lay.row_h(len(lines))
            c.line(x0, top, x0 + col_w, top)
        bottom = min(bottom, top)
    if lay.hidden:
        c.setFont("Helvetica-Oblique", lay.size)
        bottom -= lay.leading + 1 * mm
        c.drawCentredString(page_w / 2, bottom, f"… dan {lay.hidden} kompetensi lainnya")
    return bottom


def render_certificate_pdf(cert: TrainingCertificate) -> bytes:
    buf = io.BytesIO()
    page_w, page_h = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(page_w, page_h))
    c.setTitle(f"Sertifikat {cert.certificate_no}")
    c.setAuthor(_safe(cert.issuer))
    c.setSubject(_safe(cert.training_title))
    _frame(c, page_w, page_h)
    text_w = page_w - 60 * mm
    y = _heading(c, cert, page_w, page_h - 30 * mm, text_w)
    y = _recipient(c, cert, page_w, y, text_w)
    y = _training_lines(c, cert, y, text_w)
    # Competences covered and the validity of each.
    _topic_table(c, cert.topics, y - 5 * mm, page_w)
    _verification(c, cert.verify_url)
    _signature(c, cert, page_w)
    c.showPage()
    c.save()
    return buf.getvalue()


def _frame(c: canvas.Canvas, page_w: float, page_h: float) -> None:
    """A thick navy border and a thin gold one inside it."""
    c.setStrokeColor(NAVY)
    c.setLineWidth(4)
    c.rect(10 * mm, 10 * mm, page_w - 20 * mm, page_h - 20 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(14 * mm, 14 * mm, page_w - 28 * mm, page_h - 28 * mm)


def _heading(c: canvas.Canvas, cert: TrainingCertificate, page_w, y, text_w) -> float:
    """Issuer, SERTIFIKAT, the number and "diberikan kepada"; returns the y below."""
    kop = cert.kop
    if kop is not None:
        c.setFillColor(GREY)
        _centered(c, kop.pemerintah.upper(), y + 6 * mm, "Helvetica-Bold", 9.5, text_w)
        logo = logo_flowable(kop.logo, 20 * mm)
        if logo is not None:
            logo.drawOn(c, 22 * mm, page_h_of(c) - 42 * mm)
    c.setFillColor(NAVY)
    y = _centered(c, cert.issuer.upper(), y, "Helvetica-Bold", 13, text_w)
    if kop is not None and (kop.alamat or kop.contact):
        c.setFillColor(GREY)
        line = " · ".join(x for x in (kop.alamat, kop.contact) if x)
        y = _centered(c, line, y + 1 * mm, "Helvetica", 8, text_w) + 2 * mm
        c.setFillColor(NAVY)
    y -= 6 * mm
    c.setFont("Helvetica-Bold", 38)
    c.drawCentredString(page_w / 2, y - 6 * mm, "SERTIFIKAT")
    y -= 14 * mm
    c.setFillColor(GREY)
    c.setFont("Helvetica", 11)
    c.drawCentredString(page_w / 2, y, f"Nomor: {_safe(cert.certificate_no)}")
    y -= 10 * mm
    c.setFont("Helvetica-Oblique", 12)
    c.drawCentredString(page_w / 2, y, "diberikan kepada")
    return y - 11 * mm


def _recipient(c: canvas.Canvas, cert: TrainingCertificate, page_w, y, text_w) -> float:
    """The name, underlined in gold, then NIP · position · unit."""
    c.setFillColor(colors.black)
    name_size = _fit_size(cert.name, "Times-Bold", 28, 18, text_w)
    y = _centered(c, cert.name, y, "Times-Bold", name_size, text_w)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.line(page_w / 2 - 70 * mm, y + 6 * mm, page_w / 2 + 70 * mm, y + 6 * mm)
    details = [cert.position, cert.unit]
    if cert.nip:
        details.insert(0, f"NIP {cert.nip}")
    c.setFillColor(GREY)
    return _centered(c, " · ".join(d for d in details if d), y - 1 * mm, "Helvetica", 11, text_w)


def _training_lines(c: canvas.Canvas, cert: TrainingCertificate, y, text_w) -> float:
    """ "telah mengikuti …", the training's title, and who held it where and when."""
    y -= 3 * mm
    c.setFillColor(colors.black)
    y = _centered(c, "telah mengikuti dan dinyatakan LULUS pelatihan", y, "Helvetica", 12, text_w)
    title_size = _fit_size(cert.training_title, "Helvetica-Bold", 15, 12, text_w)
    y = _centered(c, cert.training_title, y - 1 * mm, "Helvetica-Bold", title_size, text_w)
    held = f"diselenggarakan oleh {cert.organiser} di {cert.place}, {_period(cert.starts_on, cert.ends_on)}"
    if cert.trainer:
        held += f"; pelatih: {cert.trainer}"
    if cert.score is not None:
        held += f"; nilai: {cert.score}"
    return _centered(c, held + ".", y - 1 * mm, "Helvetica", 11, text_w)


def _verification(c: canvas.Canvas, verify_url: str) -> None:
    """QR code to the public verification page, bottom left, with the address beside it."""
    qr_size = 32 * mm
    widget = QrCodeWidget(verify_url, barLevel="M")
    bx0, by0, bx1, by1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (bx1 - bx0), 0, 0, qr_size / (by1 - by0), 0, 0]
    )
    drawing.add(widget)
    qx, qy = 24 * mm, 22 * mm
    renderPDF.draw(drawing, c, qx, qy)
    c.setFillColor(GREY)
    c.setFont("Helvetica", 7.5)
    c.drawString(qx + qr_size + 3 * mm, qy + 18 * mm, "Pindai kode QR untuk memeriksa")
    c.drawString(qx + qr_size + 3 * mm, qy + 14 * mm, "keaslian dan masa berlaku sertifikat:")
    url_lines = simpleSplit(_safe(verify_url), "Helvetica", 7.5, 70 * mm)
    uy = qy + 10 * mm
    for line in url_lines[:3]:
        c.drawString(qx + qr_size + 3 * mm, uy, line)
        uy -= 3.5 * mm


def page_h_of(c: canvas.Canvas) -> float:
    return c._pagesize[1]


def _signature(c: canvas.Canvas, cert: TrainingCertificate, page_w: float) -> None:
    """Place and date, the signing official's position, room to sign, name, rank and NIP,
    bottom right; without an official the block says it is not set."""
    sx = page_w - 95 * mm
    sy = 54 * mm
    width = 78 * mm
    c.setFillColor(colors.black)
    c.setFont("Helvetica", 10.5)
    place = f"{_safe(cert.issued_place)}, " if cert.issued_place else ""
    c.drawString(sx, sy, f"{place}{tanggal(cert.issued_on)}")
    sig = cert.signatory
    caption = f"Kepala {cert.issuer}"
    lines = ([sig.line] if sig and sig.line else []) + [sig.position if sig else caption]
    y = sy - 5 * mm
    c.setFont("Helvetica", 9.5)
    for text in lines:
        for part in simpleSplit(_safe(text), "Helvetica", 9.5, width)[:3]:
            c.drawString(sx, y, part)
            y -= 4.2 * mm
    y -= 13 * mm
    if sig is None:
        c.setFont("Helvetica-Oblique", 9.5)
        c.drawString(sx, y, NOT_SET)
        return
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(sx, y, _safe(sig.name))
    c.setLineWidth(0.5)
    c.line(
        sx,
        y - 1 * mm,
        sx + min(width, c.stringWidth(_safe(sig.name), "Helvetica-Bold", 10.5)),
        y - 1 * mm,
    )
    c.setFont("Helvetica", 9.5)
    for extra in (sig.rank, f"NIP. {sig.nip}" if sig.nip else ""):
        if extra:
            y -= 4.5 * mm
            c.drawString(sx, y, _safe(extra))
