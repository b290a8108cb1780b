"""The DPRD hearing packet as an A4 PDF (reportlab platypus). Pure: packet in, bytes out.

The same packet gives the same bytes (reportlab's invariant mode); only the generation stamp
(`generated_at`, token, verification URL) carried by the packet differs between packets.
"""

from __future__ import annotations

from collections import OrderedDict
from io import BytesIO
from xml.sax.saxutils import escape

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
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from reports._format import tanggal, waktu
from reports.charts_rl import hbar_chart
from reports.hearing_data import HearingPacket, KecamatanRow
from reports.hearing_text import (
    NO_DATA,
    TITLE,
    angka,
    hari,
    jam,
    num,
    period_text,
    persen,
    rupiah,
    summary_paragraphs,
    ya_tidak,
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


def _cover(p: HearingPacket) -> list:
    story: list = []
    styles = [KOP1, KOP2] + [KOP3] * max(len(p.kop) - 2, 0)
    for line, style in zip(p.kop, styles, strict=False):
        story.append(Paragraph(escape(line), style))
    story.append(Spacer(1, 2 * mm))
    story.append(HRFlowable(width="100%", thickness=2, color=colors.black, spaceAfter=1))
    story.append(HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=0))
    story.append(Spacer(1, 28 * mm))
    story.append(Paragraph(escape(p.title), COVER_TITLE))
    story.append(Spacer(1, 16 * mm))
    n_kec = len(p.kecamatan_rows)
    meta = [
        ("Periode", period_text(p)),
        ("Cakupan wilayah", f"{p.scope_name} ({p.region_code}), {n_kec} kecamatan"),
        ("Keadaan per", tanggal(p.as_of)),
        ("Tanggal pembuatan", waktu(p.generated_at)),
        ("Disusun oleh", p.author),
        ("Token verifikasi", p.token),
    ]
    label = ParagraphStyle("meta_l", parent=BASE, fontName="Helvetica-Bold")
    rows = [[Paragraph(escape(k), label), Paragraph(escape(v), BASE)] for k, v in meta]
    table = Table(rows, colWidths=[45 * mm, 110 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 18 * mm))
    qr = _qr_drawing(p.verify_url, 38 * mm)
    text = Paragraph(
        "Keaslian paket ini dapat diperiksa oleh siapa pun: pindai kode QR atau buka alamat "
        f"<b>{escape(p.verify_url)}</b>, lalu unggah berkas PDF atau XLSX. Sistem "
        "membandingkan sidik SHA-256 berkas dengan arsip paket yang dihasilkan sistem.",
        BODY,
    )
    box = Table([[qr, text]], colWidths=[44 * mm, 111 * mm])
    box.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(box)
    return story


def _summary(p: HearingPacket) -> list:
    story: list = [Paragraph("Ringkasan", H1)]
    for text in summary_paragraphs(p):
        story.append(Paragraph(escape(text), BODY))
    t = p.total
    oldest = f"{num(t.oldest_ticket_days)} hari" if t.oldest_ticket_days is not None else NO_DATA
    cover = f"{hari(t.days_of_cover)} hari" if t.days_of_cover is not None else NO_DATA
    figures = [
        ("Jumlah peralatan", "assets", f"{angka(t.assets_count)} unit"),
        ("Nilai perolehan peralatan", "assets", rupiah(t.assets_value)),
        ("Peralatan operasional", "assets", persen(t.operational_pct)),
        (
            "Kecamatan dapat merekam hari ini",
            "assets",
            f"{num(t.can_record_today)} dari {len(p.kecamatan_rows)}",
        ),
        ("Waktu henti dalam periode", "downtime", f"{jam(t.downtime_hours)} jam"),
        (
            "Peralatan menganggur",
            "assets",
            f"{angka(t.idle_count)} unit · {rupiah(t.idle_value)}",
        ),
        ("Warga ditolak dalam periode", "usage", angka(t.turned_away)),
        (
            "Tiket terbuka / melewati batas waktu",
            "tickets",
            f"{angka(t.open_tickets)} / {angka(t.overdue_tickets)}",
        ),
        ("Umur tiket terbuka tertua", "tickets", oldest),
        ("Surat dikirim dalam periode", "letters", angka(t.letters_sent)),
        (
            "Operator bersertifikat / kesenjangan",
            "training",
            f"{angka(t.trained_operators)} / {angka(t.training_gaps)}",
        ),
        ("Saldo blanko KTP-el", "blanko", f"{angka(t.blanko_balance)} keping"),
        ("Blanko cukup untuk", "blanko", cover),
        ("Cakupan perekaman KTP-el", "coverage", persen(t.coverage_pct)),
    ]
    rows = [_head(["Angka utama", "Nilai"])] + [
        [_p(k), _r(v if p.has(section) else "belum tersedia")] for k, section, v in figures
    ]
    story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether(_table(rows, [90, 60])))
    return story


# Columns of the per-kecamatan tables: (header, width mm, section, value of a row's Figures,
# value of the total). A section the system has no data for shows "–", not a false zero.
KEC_TABLE_A = (
    ("Jumlah aset", 12, "assets", lambda f: angka(f.assets_count)),
    ("Nilai aset (Rp)", 24, "assets", lambda f: angka(f.assets_value)),
    ("Operasional", 17, "assets", lambda f: persen(f.operational_pct)),
    ("Bisa rekam hari ini", 13, "assets", None),
    ("Waktu henti (jam)", 15, "downtime", lambda f: jam(f.downtime_hours)),
    ("Menganggur (unit)", 16, "assets", lambda f: angka(f.idle_count)),
    ("Nilai menganggur (Rp)", 24, "assets", lambda f: angka(f.idle_value)),
    ("Warga ditolak", 13, "usage", lambda f: angka(f.turned_away)),
)
KEC_TABLE_B = (
    ("Tiket terbuka", 13, "tickets", lambda f: angka(f.open_tickets)),
    ("Melewati batas waktu", 15, "tickets", lambda f: angka(f.overdue_tickets)),
    ("Tiket tertua (hari)", 14, "tickets", lambda f: num(f.oldest_ticket_days)),
    ("Surat dikirim", 13, "letters", lambda f: angka(f.letters_sent)),
    ("Operator bersertifikat", 18, "training", lambda f: angka(f.trained_operators)),
    ("Kesenjangan pelatihan", 18, "training", lambda f: angka(f.training_gaps)),
    ("Saldo blanko", 15, "blanko", lambda f: angka(f.blanko_balance)),
    ("Blanko cukup (hari)", 14, "blanko", lambda f: hari(f.days_of_cover)),
    ("Cakupan rekam", 14, "coverage", lambda f: persen(f.coverage_pct)),
)


def _kecamatan_table(p: HearingPacket, columns) -> Table:
    head = ["No", "Kecamatan"] + [c[0] for c in columns]
    rows: list = [head]
    n_kec = len(p.kecamatan_rows)
    for i, row in enumerate(p.rows, start=1):
        cells = [_r(i), _name_cell(row)]
        for _, _, section, fn in columns:
            if not p.has(section):
                cells.append(_r(NO_DATA))
            elif fn is None:  # can record today: Ya/Tidak for a kecamatan only
                value = row.figures.can_record_today
                cells.append(_p(ya_tidak(value) if row.level == "kecamatan" else NO_DATA))
            else:
                cells.append(_r(fn(row.figures)))
        rows.append(cells)
    total = [_p(""), _p("Jumlah", CELL_B)]
    for _, _, section, fn in columns:
        if not p.has(section):
            total.append(_rb(NO_DATA))
        elif fn is None:
            total.append(_rb(f"{num(p.total.can_record_today)}/{n_kec}"))
        else:
            total.append(_rb(fn(p.total)))
    rows.append(total)
    return _table(rows, [7, 33] + [c[1] for c in columns], total_rows=1)


def _kecamatan_tables(p: HearingPacket) -> list:
    story: list = [Paragraph("1. Kondisi per kecamatan", H1)]
    story.append(
        Paragraph(
            "Tabel 1a memuat peralatan dan layanan, Tabel 1b tiket, surat, pelatihan, blanko dan "
            "cakupan perekaman. Baris kantor Dinas memuat peralatan dan stok yang dipegang Dinas "
            "sendiri. Persentase baris jumlah dihitung ulang dari jumlahnya, bukan dirata-rata. "
            "Tanda – berarti datanya belum tersedia.",
            SMALL,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Tabel 1a. Peralatan dan layanan", H2))
    story.append(_kecamatan_table(p, KEC_TABLE_A))
    story.append(CondPageBreak(60 * mm))
    story.append(Paragraph("Tabel 1b. Tiket, surat, pelatihan, blanko dan cakupan", H2))
    story.append(_kecamatan_table(p, KEC_TABLE_B))
    return story


def _unavailable(what: str) -> Paragraph:
    return Paragraph(escape(f"Data {what} belum tersedia dalam sistem."), BODY)


def _purchases(p: HearingPacket) -> list:
    story: list = [Paragraph("2. Pengadaan peralatan menurut tahun dan sumber dana", H1)]
    if not p.has("assets"):
        return story + [_unavailable("register aset")]
    if not p.purchases:
        return story + [Paragraph("Tidak ada peralatan tercatat.", BODY)]
    story.append(
        Paragraph(
            "Peralatan dalam register menurut tahun perolehan dan sumber dana, dengan harga "
            "satuan sesuai register (KIB B). Nilai = jumlah × harga satuan.",
            SMALL,
        )
    )
    groups: OrderedDict[tuple[int, str], list] = OrderedDict()
    for line in p.purchases:
        groups.setdefault((line.year, line.funding_source), []).append(line)
    rows: list = [
        _head(
            [
                "Tahun",
                "Sumber dana",
                "Kategori",
                "Barang (merk/tipe)",
                "Jumlah",
                "Harga satuan",
                "Nilai",
            ]
        )
    ]
    subtotal_idx = []
    grand_qty = grand_value = 0
    for (year, funding), lines in groups.items():
        for line in lines:
            item = line.name + (f"\n{line.brand_model}" if line.brand_model else "")
            rows.append(
                [
                    _p(year),
                    _p(funding),
                    _p(line.category),
                    _p(item),
                    _r(angka(line.quantity)),
                    _r(rupiah(line.unit_price)),
                    _r(rupiah(line.total_value)),
                ]
            )
        qty = sum(x.quantity for x in lines)
        value = sum(x.total_value for x in lines)
        grand_qty += qty
        grand_value += value
        rows.append(
            [
                _p(""),
                _p(""),
                _p(""),
                _p(f"Jumlah {year} · {funding}", CELL_B),
                _rb(angka(qty)),
                _p(""),
                _rb(rupiah(value)),
            ]
        )
        subtotal_idx.append(len(rows) - 1)
    rows.append(
        [
            _p(""),
            _p(""),
            _p(""),
            _p("Jumlah seluruhnya", CELL_B),
            _rb(angka(grand_qty)),
            _p(""),
            _rb(rupiah(grand_value)),
        ]
    )
    table = _table(rows, [12, 17, 24, 53, 13, 27, 28], total_rows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), TOTAL_BG) for i in subtotal_idx]))
    story.append(table)
    return story


def _idle(p: HearingPacket) -> list:
    story: list = [Paragraph("3. Peralatan menganggur", H1)]
    if not p.has("assets"):
        return story + [_unavailable("register aset")]
    if not p.idle_assets:
        return story + [Paragraph("Tidak ada peralatan yang menganggur.", BODY)]
    story.append(
        Paragraph(
            f"Peralatan berstatus tidak digunakan, atau yang layanannya tanpa pemakaian selama "
            f"{p.idle_window_days} hari padahal operasional. Jumlah {angka(len(p.idle_assets))} "
            f"unit, nilai {rupiah(sum(a.unit_price for a in p.idle_assets))}.",
            SMALL,
        )
    )
    rows: list = [
        _head(
            [
                "No",
                "Kecamatan",
                "Barang",
                "Perolehan",
                "Harga satuan",
                "Menganggur sejak",
                "Lama (hari)",
                "Alasan",
            ]
        )
    ]
    for i, a in enumerate(p.idle_assets, start=1):
        item = "\n".join(
            x for x in (a.name, a.brand_model, f"{a.kode_barang} / {a.register_no}") if x
        )
        acquired = " · ".join(str(x) for x in (a.acquired_year, a.funding_source) if x)
        rows.append(
            [
                _r(i),
                _p(a.region_name),
                _p(item),
                _p(acquired or NO_DATA),
                _r(rupiah(a.unit_price)),
                _p(tanggal(a.since) if a.since else NO_DATA),
                _r(num(a.days_idle)),
                _p(a.reason),
            ]
        )
    story.append(_table(rows, [7, 22, 42, 15, 21, 18, 11, 38]))
    return story


def _downtime(p: HearingPacket) -> list:
    story: list = [Paragraph("4. Waktu henti menurut pihak penanggung jawab dan penyebab", H1)]
    if not p.has("downtime"):
        return story + [_unavailable("waktu henti peralatan")]
    t = p.total
    story.append(
        Paragraph(
            f"Jumlah jam peralatan berada dalam status gangguan, dalam perbaikan, atau tidak "
            f"digunakan selama periode: {jam(t.downtime_hours)} jam.",
            SMALL,
        )
    )
    for title, data, label in (
        ("Menurut pihak penanggung jawab", t.downtime_by_party, p.party_label),
        ("Menurut penyebab", t.downtime_by_cause, p.cause_label),
    ):
        items = sorted(data.items(), key=lambda kv: (-kv[1], kv[0]))
        heading = Paragraph(title, H2)
        chart = hbar_chart(
            [(label(k), v) for k, v in items],
            width=WIDTH,
            label_width=45 * mm,
            value_format=lambda v: f"{jam(v)} jam",
        )
        rows: list = [_head(["Uraian", "Jam", "Persentase"])]
        for k, v in items:
            share = persen(v * 100 / t.downtime_hours) if t.downtime_hours else NO_DATA
            rows.append([_p(label(k)), _r(jam(v)), _r(share)])
        rows.append([_p("Jumlah", CELL_B), _rb(jam(sum(data.values()))), _p("")])
        story.append(
            KeepTogether(
                [heading, chart, Spacer(1, 2 * mm), _table(rows, [70, 30, 30], total_rows=1)]
            )
        )
    return story


def _letters_cell(ticket) -> Paragraph:
    if not ticket.letters:
        return Paragraph("<i>Belum ada surat</i>", CELL)
    parts = []
    for letter in ticket.letters:
        when = tanggal(letter.letter_date) if letter.letter_date else NO_DATA
        text = f"<b>{escape(letter.number)}</b>, {escape(when)}, kepada {escape(letter.recipient)}"
        if letter.replied_on:
            text += f" (dibalas {escape(tanggal(letter.replied_on))})"
        parts.append(text)
    return Paragraph("<br/>".join(parts), CELL)


def _tickets(p: HearingPacket) -> list:
    story: list = [Paragraph("5. Tiket melewati batas waktu dan surat terkait", H1)]
    if not p.has("tickets"):
        return story + [_unavailable("tiket perbaikan")]
    if not p.overdue_tickets:
        return story + [Paragraph("Tidak ada tiket terbuka yang melewati batas waktu.", BODY)]
    rows: list = [
        _head(
            [
                "No",
                "Tiket",
                "Perihal",
                "Pihak / status",
                "Dibuka",
                "Menunggu (hari)",
                "Surat (nomor, tanggal, penerima)",
            ]
        )
    ]
    for i, tk in enumerate(p.overdue_tickets, start=1):
        rows.append(
            [
                _r(i),
                Paragraph(f"<b>{escape(tk.number)}</b><br/>{escape(tk.region_name)}", CELL),
                _p(tk.title),
                Paragraph(
                    f"{escape(tk.responsible_party or NO_DATA)}<br/>"
                    f"<font color='#6c757d'>{escape(tk.status)}</font>",
                    CELL,
                ),
                _p(tanggal(tk.opened_on)),
                _r(angka(tk.days_waiting)),
                _letters_cell(tk),
            ]
        )
    story.append(_table(rows, [7, 27, 35, 22, 18, 13, 52]))
    return story


def _training(p: HearingPacket) -> list:
    story: list = [Paragraph("6. Kesenjangan pelatihan operator", H1)]
    if not p.has("training"):
        return story + [_unavailable("pelatihan operator")]
    story.append(
        Paragraph(
            f"Operator dengan sertifikat berlaku: {angka(p.total.trained_operators)} orang. "
            "Kesenjangan = kecamatan memegang peralatan suatu kategori tanpa operator "
            "bersertifikat untuk kategori itu.",
            SMALL,
        )
    )
    if not p.training_gaps:
        return story + [Paragraph("Tidak ada kesenjangan pelatihan.", BODY)]
    rows: list = [
        _head(
            [
                "No",
                "Kecamatan",
                "Kategori peralatan",
                "Jumlah peralatan",
                "Nilai peralatan",
                "Operator bersertifikat",
            ]
        )
    ]
    for i, g in enumerate(p.training_gaps, start=1):
        rows.append(
            [
                _r(i),
                _p(g.region_name),
                _p(g.category),
                _r(angka(g.assets_count)),
                _r(rupiah(g.assets_value)),
                _r(angka(g.certified_operators)),
            ]
        )
    story.append(_table(rows, [8, 45, 40, 22, 32, 25]))
    return story


def _blanko(p: HearingPacket) -> list:
    story: list = [Paragraph("7. Blanko KTP-el", H1)]
    if not p.has("blanko"):
        return story + [_unavailable("blanko KTP-el")]
    story.append(
        Paragraph(
            "Diterima = penerimaan dari Ditjen Dukcapil; distribusi = blanko yang diterima "
            "kecamatan dari Dinas; tingkat kerusakan = rusak ÷ (dipakai + rusak). Saldo per "
            "tanggal keadaan; cukup (hari) = saldo yang dapat dipakai ÷ rata-rata pemakaian "
            "harian 30 hari terakhir (untuk Dinas dan jumlah: pemakaian seluruh wilayahnya). "
            "Lokasi tanpa saldo dan tanpa mutasi selama periode tidak ditampilkan.",
            SMALL,
        )
    )
    rows: list = [
        _head(
            [
                "Lokasi",
                "Diterima",
                "Distribusi",
                "Dipakai",
                "Rusak",
                "Tingkat rusak",
                "Saldo",
                "Cukup (hari)",
            ]
        )
    ]
    for row in p.rows:
        f = row.figures
        if not (
            f.blanko_balance
            or f.blanko_received
            or f.blanko_distributed
            or f.blanko_used
            or f.blanko_damaged
        ):
            continue
        rows.append(
            [
                _name_cell(row),
                _r(angka(f.blanko_received)),
                _r(angka(f.blanko_distributed)),
                _r(angka(f.blanko_used)),
                _r(angka(f.blanko_damaged)),
                _r(persen(f.spoilage_pct)),
                _r(angka(f.blanko_balance)),
                _r(hari(f.days_of_cover)),
            ]
        )
    t = p.total
    rows.append(
        [
            _p("Jumlah", CELL_B),
            _rb(angka(t.blanko_received)),
            _rb(angka(t.blanko_distributed)),
            _rb(angka(t.blanko_used)),
            _rb(angka(t.blanko_damaged)),
            _rb(persen(t.spoilage_pct)),
            _rb(angka(t.blanko_balance)),
            _rb(hari(t.days_of_cover)),
        ]
    )
    story.append(_table(rows, [46, 18, 18, 18, 16, 18, 20, 20], total_rows=1))
    return story


def _coverage(p: HearingPacket) -> list:
    story: list = [Paragraph("8. Cakupan perekaman KTP-el", H1)]
    if not p.has("coverage"):
        return story + [_unavailable("cakupan perekaman")]
    rows: list = [
        _head(["No", "Kecamatan", "Wajib KTP-el", "Sudah rekam", "Belum rekam", "Cakupan"])
    ]
    for i, row in enumerate(p.kecamatan_rows, start=1):
        f = row.figures
        rows.append(
            [
                _r(i),
                _name_cell(row),
                _r(angka(f.wajib_ktp)),
                _r(angka(f.sudah_rekam)),
                _r(angka(max(f.wajib_ktp - f.sudah_rekam, 0))),
                _r(persen(f.coverage_pct)),
            ]
        )
    t = p.total
    rows.append(
        [
            _p(""),
            _p("Jumlah", CELL_B),
            _rb(angka(t.wajib_ktp)),
            _rb(angka(t.sudah_rekam)),
            _rb(angka(max(t.wajib_ktp - t.sudah_rekam, 0))),
            _rb(persen(t.coverage_pct)),
        ]
    )
    story.append(_table(rows, [8, 60, 28, 28, 28, 22], total_rows=1))
    return story


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
    story: list = _cover(packet)
    story += [NextPageTemplate("body"), PageBreak()]
    story += _summary(packet)
    story.append(PageBreak())
    story += _kecamatan_tables(packet)
    for section in (_purchases, _idle, _downtime, _tickets, _training, _blanko, _coverage):
        story.append(CondPageBreak(50 * mm))
        story.append(Spacer(1, 4 * mm))
        story += section(packet)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buf.getvalue()
