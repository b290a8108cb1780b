"""Page numbers "Halaman x dari y" for every PDF: a two-pass canvas.

reportlab only knows the number of pages once the story has been laid out. The canvas made by
`numbered_canvas()` keeps each finished page's state instead of writing it out; on `save()` it
knows the total, replays every page, draws the footer line on it and only then emits it.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas


def page_label(number: int, total: int) -> str:
    return f"Halaman {number} dari {total}"


def numbered_canvas(
    *,
    right: float = 20 * mm,
    bottom: float = 10 * mm,
    size: float = 7.5,
    suffix: str = "",
    only_if_several: bool = False,
):
    """A canvas class for `doc.build(..., canvasmaker=...)` or for direct drawing that writes
    "Halaman x dari y" (and ` · suffix`) at the bottom right of each page. With
    `only_if_several`, a one-page document gets no number (a one-page letter)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802  (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                if total > 1 or not only_if_several:
                    self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont("Helvetica", size)
            self.setFillColor(colors.black)
            text = page_label(number, total) + (f" · {suffix}" if suffix else "")
            self.drawRightString(self._pagesize[0] - right, bottom, text)
            self.restoreState()

    return NumberedCanvas
