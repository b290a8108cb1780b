"""Charts drawn with reportlab graphics: the same Drawing goes into the PDF as a flowable
and is rendered to SVG for the web dashboard (server-side, no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Helvetica"
BAR = colors.HexColor("#1f5fa8")
BAR_ALT = colors.HexColor("#c0392b")
GRID = colors.HexColor("#d0d4da")
TEXT = colors.HexColor("#212529")
MUTED = colors.HexColor("#6c757d")


def _fit(text: str, width: float, size: float) -> str:
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    width: float = 440,
    bar_height: float = 14,
    gap: float = 6,
    label_width: float = 120,
    value_format: Callable[[float], str] = str,
    color=BAR,
    font_size: float = 8,
    empty_text: str = "Tidak ada data",
) -> Drawing:
    """Horizontal bars, one per (label, value), largest scale = longest bar."""
    items = list(items)
    color = colors.toColor(color)
    if not items:
        d = Drawing(width, 24)
        d.add(String(0, 8, empty_text, fontName=FONT, fontSize=font_size, fillColor=MUTED))
        return d
    value_space = max(stringWidth(value_format(v), FONT, font_size) for _, v in items) + 8
    plot = max(width - label_width - value_space, 20)
    top = max((v for _, v in items), default=0) or 1
    height = len(items) * (bar_height + gap) + gap
    d = Drawing(width, height)
    d.add(Line(label_width, 0, label_width, height, strokeColor=GRID, strokeWidth=0.5))
    for i, (label, value) in enumerate(items):
        y = height - (i + 1) * (bar_height + gap)
        text_y = y + bar_height / 2 - font_size / 3
        d.add(
            String(
                label_width - 4,
                text_y,
                _fit(label, label_width - 6, font_size),
                fontName=FONT,
                fontSize=font_size,
                fillColor=TEXT,
                textAnchor="end",
            )
        )
        bar = plot * (value / top) if value > 0 else 0
        if bar:
            d.add(Rect(label_width, y, bar, bar_height, fillColor=color, strokeColor=None))
        d.add(
            String(
                label_width + bar + 4,
                text_y,
                value_format(value),
                fontName=FONT,
                fontSize=font_size,
                fillColor=TEXT,
            )
        )
    return d


def to_svg(drawing: Drawing) -> str:
    """SVG markup of a drawing (for the dashboard)."""
    return renderSVG.drawToString(drawing)
