"""The DPRD hearing packet as an A4 PDF (reportlab platypus). Pure: packet in, bytes out.

The same packet gives the same bytes (reportlab's invariant mode); only the generation stamp
(`generated_at`, token, verification URL) carried by the packet differs between packets.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from reports.hearing_data import HearingPacket
from reports.hearing_pdf_front import (
    cover,
    kecamatan_tables,
    summary,
)
from reports.hearing_pdf_layout import (
    BOTTOM,
    LEFT,
    PAGE_H,
    RIGHT,
    TOP,
    WIDTH,
    _Furniture,
    _NumberedCanvas,
)
from reports.hearing_pdf_sections import (
    blanko,
    coverage,
    definitions,
    downtime,
    idle,
    purchases,
    tickets,
    training,
)
from reports.hearing_text import (
    TITLE,
    period_text,
)


def render_hearing_pdf(packet: HearingPacket) -> bytes:
    buf = BytesIO()
    furniture = _Furniture(packet)
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=TITLE,
        author=packet.author,
        subject=f"{packet.scope_name} · {period_text(packet)}",
        creator="Aset Dukcapil",
        invariant=1,
    )
    frame = Frame(
        LEFT, BOTTOM, WIDTH, PAGE_H - TOP - BOTTOM, id="body", leftPadding=0, rightPadding=0
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[frame], onPage=furniture.footer),
            PageTemplate(id="body", frames=[frame], onPage=furniture.body_page),
        ]
    )
    story: list = cover(packet)
    story += [NextPageTemplate("body"), PageBreak()]
    story += summary(packet)
    story.append(PageBreak())
    story += kecamatan_tables(packet)
    for section in (purchases, idle, downtime, tickets, training, blanko, coverage, definitions):
        story.append(CondPageBreak(50 * mm))
        story.append(Spacer(1, 4 * mm))
        story += section(packet)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buf.getvalue()
