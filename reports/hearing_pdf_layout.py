"""The hearing PDF's page layout: styles, table cells that wrap to their column, the table
builder, page numbering and the cover/body page furniture (letterhead, QR, footer)."""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Paragraph,
    Table,
    TableStyle,
)

from reports._format import escape, waktu
from reports.hearing_data import HearingPacket, KecamatanRow
from reports.hearing_text import (
    NO_DATA,
    period_text,
)

PAGE_W, PAGE_H = A4
LEFT = RIGHT = 18 * mm
TOP = 20 * mm
BOTTOM = 27 * mm
WIDTH = PAGE_W - LEFT - RIGHT
QR_SIZE = 17 * mm

HEADER_BG = colors.HexColor("#e9ecef")
TOTAL_BG = colors.HexColor("#f3f4f6")
GRID = colors.HexColor("#9aa1a9")
MUTED = colors.HexColor("#555b61")

BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9.5, leading=13)
BODY = ParagraphStyle("body", parent=BASE, spaceAfter=5, alignment=4)  # justified
SMALL = ParagraphStyle("small", parent=BASE, fontSize=8, leading=10, textColor=MUTED)
H1 = ParagraphStyle(
    "h1", parent=BASE, fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=6
)
H2 = ParagraphStyle(
    "h2",
    parent=BASE,
    fontName="Helvetica-Bold",
    fontSize=10.5,
    leading=13,
    spaceBefore=6,
    spaceAfter=4,
)
CELL = ParagraphStyle("cell", parent=BASE, fontSize=7.5, leading=9)
CELL_B = ParagraphStyle("cell_b", parent=CELL, fontName="Helvetica-Bold")
HEAD = ParagraphStyle(
    "head", parent=CELL, fontName="Helvetica-Bold", fontSize=7, leading=8.5, alignment=TA_CENTER
)
KOP1 = ParagraphStyle(
    "kop1", parent=BASE, fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_CENTER
)
KOP2 = ParagraphStyle(
    "kop2", parent=BASE, fontName="Helvetica-Bold", fontSize=15, leading=19, alignment=TA_CENTER
)
KOP3 = ParagraphStyle("kop3", parent=BASE, fontSize=8.5, leading=11, alignment=TA_CENTER)
COVER_TITLE = ParagraphStyle(
    "cover_title",
    parent=BASE,
    fontName="Helvetica-Bold",
    fontSize=17,
    leading=22,
    alignment=TA_CENTER,
)


class Text(str):
    """A plain-text cell wrapped to its column by `_table` (a Paragraph costs ~10× more)."""


class BoldText(Text):
    """Plain text in a total or subtotal row."""


def _p(text, style=CELL) -> Text:
    value = NO_DATA if text is None else str(text)
    return BoldText(value) if style is CELL_B else Text(value)


def _wrap(text: str, width: float, font: str, size: float) -> str:
    """Lines of `text` that fit `width`; a word longer than the width is cut, not overflowed."""
    lines: list[str] = []
    for part in text.split("\n"):
        for line in simpleSplit(part, font, size, width) or [""]:
            while len(line) > 1 and stringWidth(line, font, size) > width:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return "\n".join(lines)


class Num(str):
    """A right-aligned plain-text cell. Tables draw plain strings without a Paragraph, which
    is what keeps a province-sized packet (thousands of figures) fast."""


class BoldNum(Num):
    """A right-aligned figure in a total or subtotal row."""


def _r(text) -> Num:
    return Num(text)


def _rb(text) -> BoldNum:
    return BoldNum(text)


def _head_cell(label: str, width: float) -> Paragraph:
    """A header cell whose longest word fits its column (smaller type rather than a split)."""
    room = width - 4  # the cell's left and right padding
    longest = max(label.split(), key=lambda w: stringWidth(w, HEAD.fontName, HEAD.fontSize))
    size = HEAD.fontSize
    while size > 5 and stringWidth(longest, HEAD.fontName, size) > room:
        size -= 0.25
    style = (
        HEAD
        if size == HEAD.fontSize
        else ParagraphStyle(f"head_{size}", parent=HEAD, fontSize=size, leading=size + 1.5)
    )
    return Paragraph(escape(label), style)


def _head(labels) -> list[str]:
    return list(labels)


def _table(rows, widths_mm, *, total_rows: int = 0) -> Table:
    widths = [w * mm for w in widths_mm]
    rows[0] = [_head_cell(label, w) for label, w in zip(rows[0], widths, strict=True)]
    # Column alignment is decided on the typed cells, before wrapping turns them into str.
    numeric = [[isinstance(row[col], Num) for row in rows[1:]] for col in range(len(widths))]
    blank = [[row[col] == "" for row in rows[1:]] for col in range(len(widths))]
    bold_rows = [
        r
        for r, row in enumerate(rows[1:], start=1)
        if any(isinstance(c, BoldNum | BoldText) for c in row)
    ]
    for r, row in enumerate(rows[1:], start=1):
        font = CELL_B.fontName if r in bold_rows else CELL.fontName
        for col, cell in enumerate(row):
            if isinstance(cell, Text):
                row[col] = _wrap(cell, widths[col] - 4, font, CELL.fontSize)
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("FONTNAME", (0, 1), (-1, -1), CELL.fontName),
        ("FONTSIZE", (0, 1), (-1, -1), CELL.fontSize),
        ("LEADING", (0, 1), (-1, -1), CELL.leading),
    ]
    for col in range(len(widths)):
        flags = numeric[col]
        if flags and all(n or b for n, b in zip(flags, blank[col], strict=True)):
            style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
        else:
            style += [
                ("ALIGN", (col, r), (col, r), "RIGHT") for r, n in enumerate(flags, start=1) if n
            ]
    for r in bold_rows:
        style.append(("FONTNAME", (0, r), (-1, r), CELL_B.fontName))
    if total_rows:
        style.append(("BACKGROUND", (0, -total_rows), (-1, -1), TOTAL_BG))
    table.setStyle(TableStyle(style))
    return table


def _name_cell(row: KecamatanRow) -> Text:
    return Text(f"{row.name}\n{row.region_code}")


# --- page furniture ---------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Defers page output so every page can say "Halaman x dari y"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.setFillColor(MUTED)
            self.drawRightString(
                PAGE_W - RIGHT - QR_SIZE - 3 * mm, 15 * mm, f"Halaman {number} dari {total}"
            )
            super().showPage()
        super().save()


def _qr_drawing(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


class _Furniture:
    """Header (not on the cover) and footer with the verification URL and QR code."""

    def __init__(self, packet: HearingPacket):
        self.packet = packet
        self.qr = _qr_drawing(packet.verify_url, QR_SIZE)

    def footer(self, canvas: Canvas, doc) -> None:
        p = self.packet
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(LEFT, BOTTOM - 5 * mm, PAGE_W - RIGHT, BOTTOM - 5 * mm)
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(LEFT, 19 * mm, "Keaslian dokumen dapat diperiksa di:")
        canvas.setFont("Helvetica-Bold", 7.5)
        canvas.drawString(LEFT, 15.5 * mm, p.verify_url)
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            LEFT,
            12 * mm,
            f"Dibuat {waktu(p.generated_at)} oleh sistem Aset Dukcapil · token {p.token}",
        )
        # The QR code is drawn once into a form XObject and reused on every page.
        if not canvas.hasForm("verify_qr"):
            canvas.beginForm("verify_qr")
            renderPDF.draw(self.qr, canvas, 0, 0)
            canvas.endForm()
        canvas.translate(PAGE_W - RIGHT - QR_SIZE, 7 * mm)
        canvas.doForm("verify_qr")
        canvas.restoreState()

    def body_page(self, canvas: Canvas, doc) -> None:
        p = self.packet
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(LEFT, PAGE_H - 12 * mm, "Laporan Kondisi Sarana Prasarana Adminduk")
        canvas.drawRightString(
            PAGE_W - RIGHT, PAGE_H - 12 * mm, f"{p.scope_name} · {period_text(p)}"
        )
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(LEFT, PAGE_H - 14 * mm, PAGE_W - RIGHT, PAGE_H - 14 * mm)
        canvas.restoreState()
        self.footer(canvas, doc)


# --- sections ---------------------------------------------------------------------------
