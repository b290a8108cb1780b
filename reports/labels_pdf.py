"""A4 sheet of asset label stickers (3 × 7, 63.5 × 38.1 mm, the common L7160 layout).

Each label carries the register number, the asset name, its kecamatan and a QR code of the
public status page; the QR area is also a PDF link to the same address.

The QR is drawn as vector paths from segno's module matrix: each row's runs of dark modules
become one rectangle, and all of a symbol's rectangles are one filled path (one PDF fill per
label, no drawing objects), which keeps 161 labels well under a second.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from reports._pages import numbered_canvas

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


def _shrink_or_wrap(
    text: str, font: str, size: float, minimum: float, width: float
) -> tuple[float, list[str]]:
    """`text` at the largest size down to `minimum` at which it fits on one line; if none does,
    on two lines at `minimum` (the rest with an ellipsis only past two lines), never cut
    mid-name on one line ("Disdukcapil Kabupaten Bondo…")."""
    while size > minimum and stringWidth(text, font, size) > width:
        size = round(size - 0.25, 2)
    if stringWidth(text, font, size) <= width:
        return size, [text]
    return size, _wrap(text, font, size, width, 2)


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


QR_BORDER = 2  # quiet-zone modules on each side (the label's white edge adds more)
# A fixed data mask (any of the eight is valid and every reader reads it from the format
# bits): letting segno score all eight costs ~8× the encoding time, 161 × 9 ms per sheet.
QR_MASK = 2


def qr_matrix(url: str) -> tuple[bytearray, ...]:
    """The QR symbol of `url` (error correction M, no quiet zone): rows of 0/1, top first."""
    return segno.make(url, error="m", micro=False, boost_error=False, mask=QR_MASK).matrix


def qr_rects(matrix) -> list[tuple[int, int, int, int]]:
    """The dark modules as rectangles (column, row, width, height), in module units from the
    top left: each row's runs of dark modules, a run continued in the rows below it (same
    columns) merged into one taller rectangle. Pure: the PDF and the tests read it."""
    open_runs: dict[tuple[int, int], list[int]] = {}  # (col, width) -> [col, row, w, h]
    done: list[list[int]] = []
    for r, row in enumerate(matrix):
        seen: set[tuple[int, int]] = set()
        c, size = 0, len(row)
        while c < size:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < size and row[c]:
                c += 1
            key = (start, c - start)
            seen.add(key)
            rect = open_runs.get(key)
            if rect is not None and rect[1] + rect[3] == r:
                rect[3] += 1
            else:
                if rect is not None:
                    done.append(rect)
                open_runs[key] = [start, r, c - start, 1]
        for key in [k for k in open_runs if k not in seen]:
            done.append(open_runs.pop(key))
    done.extend(open_runs.values())
    return [tuple(rect) for rect in done]


class _ModulePath:
    """A filled path of integer rectangles for `Canvas.drawPath` (which asks only for
    `getCode()`): writing the operators directly skips reportlab's float formatting, the
    other half of the time of a sheet."""

    def __init__(self, rects):
        self.code = " ".join(f"{c} {r} {w} {h} re" for c, r, w, h in rects)

    def getCode(self) -> str:  # noqa: N802  (reportlab's name)
        return self.code


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(url)
    unit = size / (len(matrix) + 2 * QR_BORDER)
    canvas.saveState()
    # Module units, origin at the symbol's top-left corner, rows growing downwards.
    canvas.transform(unit, 0, 0, -unit, x + QR_BORDER * unit, y + size - QR_BORDER * unit)
    canvas.setFillGray(0)
    canvas.drawPath(_ModulePath(qr_rects(matrix)), stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()
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
    size, lines = _shrink_or_wrap(lab.owner, "Helvetica", 6, 5, width)
    canvas.setFont("Helvetica", size)
    if len(lines) == 1:
        canvas.drawString(tx, top, lines[0])
    else:  # two small lines in the room of one, above the register number
        canvas.drawString(tx, top + 2.8, lines[0])
        canvas.drawString(tx, top - 2.6, lines[1])
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
    size, lines = _shrink_or_wrap(lab.region_name, "Helvetica", 7, 5.5, width)
    canvas.setFont("Helvetica", size)
    line_y = y + pad + 8 + (len(lines) - 1) * (size + 1)
    for line in lines:
        canvas.drawString(tx, line_y, line)
        line_y -= size + 1
    canvas.setFillGray(0.35)
    canvas.setFont("Helvetica", 5.5)
    canvas.drawString(tx, y + pad, "Pindai QR untuk status alat")
    canvas.setFillGray(0)


def render_labels_pdf(labels: Sequence[Label], title: str = "Label aset") -> bytes:
    buf = io.BytesIO()
    # "Halaman x dari y" in the bottom margin of each sheet (15 mm, below the last row).
    maker = numbered_canvas(right=(A4[0] - COLS * LABEL_W - (COLS - 1) * GAP_X) / 2, bottom=6 * mm)
    canvas = maker(buf, pagesize=A4, pageCompression=1)
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
