"""A4 sheet of asset label stickers (3 × 7, 63.5 × 38.1 mm, the common L7160 layout).

Each label carries the register number, the asset name, its kecamatan and a QR code of the
public status page; the QR area is also a PDF link to the same address.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

COLS, ROWS = 3, 7
LABEL_W, LABEL_H = 63.5 * mm, 38.1 * mm
GAP_X = 2.5 * mm
MARGIN_TOP = 15.15 * mm
QR_SIZE = 30 * mm


@dataclass(frozen=True)
class Label:
    kode_barang: str
    register_no: str
    name: str
    region_name: str
    url: str
    owner: str = "Disdukcapil"  # first line: who owns the asset


def _fit(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _wrap(text: str, font: str, size: float, width: float, lines: int) -> list[str]:
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            out.append(current)
        current = word
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
    if len(out) == lines and " ".join(out) != " ".join(words):
        out[-1] = _fit(out[-1] + " …", font, size, width)
    return [_fit(line, font, size, width) for line in out]


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0)


def _label(canvas: Canvas, lab: Label, x: float, y: float) -> None:
    pad = 2 * mm
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.75)
    canvas.roundRect(x, y, LABEL_W, LABEL_H, 2 * mm, stroke=1, fill=0)
    _qr(canvas, lab.url, x + pad / 2, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE)
    tx = x + QR_SIZE + pad
    width = LABEL_W - QR_SIZE - 1.5 * pad
    top = y + LABEL_H - pad - 6
    canvas.setFillGray(0.35)
    canvas.setFont("Helvetica", 6)
    canvas.drawString(tx, top, _fit(lab.owner, "Helvetica", 6, width))
    canvas.setFillGray(0)
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(tx, top - 12, _fit(f"No. {lab.register_no}", "Helvetica-Bold", 11, width))
    canvas.setFont("Helvetica", 6.5)
    canvas.drawString(tx, top - 20, _fit(lab.kode_barang, "Helvetica", 6.5, width))
    canvas.setFont("Helvetica-Bold", 7.5)
    line_y = top - 30
    for line in _wrap(lab.name, "Helvetica-Bold", 7.5, width, 3):
        canvas.drawString(tx, line_y, line)
        line_y -= 9
    canvas.setFont("Helvetica", 7)
    canvas.drawString(tx, y + pad + 8, _fit(lab.region_name, "Helvetica", 7, width))
    canvas.setFillGray(0.35)
    canvas.setFont("Helvetica", 5.5)
    canvas.drawString(tx, y + pad, "Pindai QR untuk status alat")
    canvas.setFillGray(0)


def render_labels_pdf(labels: Sequence[Label], title: str = "Label aset") -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Aset Dukcapil")
    page_w, page_h = A4
    margin_x = (page_w - COLS * LABEL_W - (COLS - 1) * GAP_X) / 2
    per_page = COLS * ROWS
    if not labels:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(20 * mm, page_h - 25 * mm, "Tidak ada aset untuk dibuatkan label.")
    for i, lab in enumerate(labels):
        if i and i % per_page == 0:
            canvas.showPage()
        slot = i % per_page
        row, col = divmod(slot, COLS)
        x = margin_x + col * (LABEL_W + GAP_X)
        y = page_h - MARGIN_TOP - (row + 1) * LABEL_H
        _label(canvas, lab, x, y)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
