"""The hearing PDF's sections 2–8: purchases, idle equipment, downtime, tickets and letters,
training, blanko, coverage. Each returns its flowables; a domain without data says so."""

from __future__ import annotations

from collections import OrderedDict

from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    TableStyle,
)

from reports._format import escape, tanggal
from reports.charts_rl import hbar_chart
from reports.hearing_data import HearingPacket
from reports.hearing_pdf_layout import (
    BODY,
    CELL,
    CELL_B,
    H1,
    H2,
    SMALL,
    TOTAL_BG,
    WIDTH,
    _head,
    _name_cell,
    _p,
    _r,
    _rb,
    _table,
)
from reports.hearing_text import (
    CUT_ORDER,
    DEFINITIONS_TITLE,
    NO_DATA,
    angka,
    cut_note,
    definition_rows,
    definitions_intro,
    hari,
    idle_reasons,
    jam,
    last_report_text,
    num,
    persen,
    rupiah,
)


def _unavailable(what: str) -> Paragraph:
    return Paragraph(escape(f"Data {what} belum tersedia dalam sistem."), BODY)


def _per_area(p: HearingPacket, key: str, count_label: str, value_label: str | None) -> list:
    """A province packet's list: its count (and value) per kab/kota, the whole list summed,
    before the items shown; nothing for a kab/kota packet."""
    cut = p.cut(key)
    if cut is None or not cut.total:
        return []
    head = ["No", "Kabupaten/kota", count_label] + ([value_label] if value_label else [])
    rows: list = [_head(head)]
    for i, a in enumerate(cut.by_area, start=1):
        cells = [_r(i), _p(f"{a.name}\n{a.region_code}"), _r(angka(a.count))]
        rows.append(cells + ([_r(rupiah(a.value or 0))] if value_label else []))
    total = [_p(""), _p("Jumlah", CELL_B), _rb(angka(cut.total))]
    rows.append(total + ([_rb(rupiah(cut.value or 0))] if value_label else []))
    widths = [8, 70, 30] + ([40] if value_label else [])
    return [Paragraph("Per kabupaten/kota", H2), _table(rows, widths, total_rows=1)]


def _where(p: HearingPacket, item) -> str:
    """An item's place; with its code in a province packet (kecamatan names recur)."""
    if p.by_kabkota:
        return f"{item.region_name} ({item.region_code})"
    return item.region_name


def _cut_head(p: HearingPacket, key: str, shown: int) -> list:
    """The heading of the items a province packet shows, and where the list is cut."""
    if p.cut(key) is None:
        return []
    noun, order = CUT_ORDER[key]
    story: list = [Paragraph(f"Daftar {noun} {order}", H2)]
    note = cut_note(p, key, shown)
    if note:
        story.append(Paragraph(escape(note), SMALL))
    return story


PURCHASE_HEAD = (
    "Tahun",
    "Sumber dana",
    "Kategori",
    "Barang (merk/tipe)",
    "Jumlah",
    "Harga satuan",
    "Nilai",
)


def _sum_row(label: str, qty: int, value: int) -> list:
    return [_p(""), _p(""), _p(""), _p(label, CELL_B), _rb(angka(qty)), _p(""), _rb(rupiah(value))]


def _purchase_rows(p: HearingPacket) -> tuple[list, list[int]]:
    """Lines grouped by (year, funding source), each group with its subtotal row, then the
    grand total; and the indexes of the subtotal rows."""
    groups: OrderedDict[tuple[int, str], list] = OrderedDict()
    for line in p.purchases:
        groups.setdefault((line.year, line.funding_source), []).append(line)
    rows: list = [_head(PURCHASE_HEAD)]
    subtotal_idx = []
    for (year, funding), lines in groups.items():
        for line in lines:
            item = line.name + (f"\n{line.brand_model}" if line.brand_model else "")
            rows.append(
                [_p(year), _p(funding), _p(line.category), _p(item), _r(angka(line.quantity))]
                + [_r(rupiah(line.unit_price)), _r(rupiah(line.total_value))]
            )
        qty, value = sum(x.quantity for x in lines), sum(x.total_value for x in lines)
        rows.append(_sum_row(f"Jumlah {year} · {funding}", qty, value))
        subtotal_idx.append(len(rows) - 1)
    qty, value = sum(x.quantity for x in p.purchases), sum(x.total_value for x in p.purchases)
    rows.append(_sum_row("Jumlah seluruhnya", qty, value))
    return rows, subtotal_idx


def purchases(p: HearingPacket) -> list:
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
    rows, subtotal_idx = _purchase_rows(p)
    table = _table(rows, [12, 17, 24, 53, 13, 27, 28], total_rows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), TOTAL_BG) for i in subtotal_idx]))
    story.append(table)
    return story


def _unreported(p: HearingPacket) -> list:
    """Equipment in locations that filed no daily usage report in the window: not idle."""
    rows = [r for r in p.rows if r.figures.unreported_count]
    if not rows:
        return []
    t = p.total
    story: list = [
        Paragraph(
            f"Tanpa laporan pemakaian: {angka(t.unreported_count)} unit peralatan operasional, "
            f"nilai {rupiah(t.unreported_value)}, berada di lokasi yang tidak mengirim laporan "
            f"pemakaian harian selama {p.idle_window_days} hari. Pemakaiannya tidak diketahui, "
            f"sehingga tidak dihitung menganggur.",
            SMALL,
        )
    ]
    table: list = [_head(["No", p.unit_label, "Unit", "Nilai", "Laporan pemakaian"])]
    for i, r in enumerate(rows, start=1):
        f = r.figures
        when = last_report_text(r, p.idle_window_days)
        table.append(
            [
                _r(i),
                _p(r.name),
                _r(angka(f.unreported_count)),
                _r(rupiah(f.unreported_value)),
                _p(when),
            ]
        )
    return story + [_table(table, [7, 45, 15, 30, 70])]


def idle(p: HearingPacket) -> list:
    story: list = [Paragraph("3. Peralatan menganggur", H1)]
    if not p.has("assets"):
        return story + [_unavailable("register aset")]
    if not p.idle_assets:
        return story + [Paragraph("Tidak ada peralatan yang menganggur.", BODY)] + _unreported(p)
    reasons = "; ".join(f"{escape(r)} ({angka(n)} unit)" for r, n in idle_reasons(p))
    cut = p.cut("idle_assets")
    count = cut.total if cut is not None else len(p.idle_assets)
    value = cut.value if cut is not None else sum(a.unit_price for a in p.idle_assets)
    story.append(
        Paragraph(
            f"Peralatan berstatus tidak digunakan, atau operasional selama "
            f"{p.idle_window_days} hari sementara kecamatannya melaporkan nol pemakaian. "
            f"Jumlah {angka(count)} unit, nilai {rupiah(value or 0)}. Menurut alasan: "
            f"{reasons}.",
            SMALL,
        )
    )
    story += _per_area(p, "idle_assets", "Menganggur (unit)", "Nilai (harga satuan)")
    story += _cut_head(p, "idle_assets", len(p.idle_assets))
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
                _p(_where(p, a)),
                _p(item),
                _p(acquired or NO_DATA),
                _r(rupiah(a.unit_price)),
                _p(tanggal(a.since) if a.since else NO_DATA),
                _r(num(a.days_idle)),
                _p(a.reason),
            ]
        )
    story.append(_table(rows, [7, 22, 42, 15, 21, 18, 11, 38]))
    return story + _unreported(p)


def downtime(p: HearingPacket) -> list:
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


def tickets(p: HearingPacket) -> list:
    story: list = [Paragraph("5. Tiket melewati batas waktu dan surat terkait", H1)]
    if not p.has("tickets"):
        return story + [_unavailable("tiket perbaikan")]
    if not p.overdue_tickets:
        return story + [Paragraph("Tidak ada tiket terbuka yang melewati batas waktu.", BODY)]
    story += _per_area(p, "overdue_tickets", "Tiket melewati batas waktu", None)
    story += _cut_head(p, "overdue_tickets", len(p.overdue_tickets))
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
                Paragraph(f"<b>{escape(tk.number)}</b><br/>{escape(_where(p, tk))}", CELL),
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


def training(p: HearingPacket) -> list:
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
    story += _per_area(p, "training_gaps", "Kesenjangan", "Nilai peralatan")
    story += _cut_head(p, "training_gaps", len(p.training_gaps))
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
                _p(_where(p, g)),
                _p(g.category),
                _r(angka(g.assets_count)),
                _r(rupiah(g.assets_value)),
                _r(angka(g.certified_operators)),
            ]
        )
    story.append(_table(rows, [8, 45, 40, 22, 32, 25]))
    return story


BLANKO_MOVES = (
    "blanko_opening",
    "blanko_balance",
    "blanko_received",
    "blanko_distributed",
    "blanko_returned",
    "blanko_used",
    "blanko_damaged",
    "blanko_adjusted",
    "blanko_in_transit",
    "blanko_short",
)
# The reconciliation columns, in order: opening + received − distributed + returned − used −
# damaged ± adjusted = closing; in transit and short on receipt beside it.
BLANKO_COLUMNS = (
    ("Saldo awal", "blanko_opening"),
    ("Diterima", "blanko_received"),
    ("Dikirim", "blanko_distributed"),
    ("Kembali", "blanko_returned"),
    ("Dipakai", "blanko_used"),
    ("Rusak", "blanko_damaged"),
    ("Penyes.", "blanko_adjusted"),
    ("Saldo akhir", "blanko_closing"),
    ("Dalam perjalanan", "blanko_in_transit"),
    ("Kurang terima", "blanko_short"),
)


def _signed(n: int) -> str:
    return f"+{angka(n)}" if n > 0 else angka(n)


def _blanko_values(f) -> list[str]:
    out = [
        _signed(getattr(f, m)) if m == "blanko_adjusted" else angka(getattr(f, m))
        for _, m in BLANKO_COLUMNS
    ]
    return [*out, hari(f.days_of_cover)]


def blanko(p: HearingPacket) -> list:
    story: list = [Paragraph("7. Blanko KTP-el", H1)]
    if not p.has("blanko"):
        return story + [_unavailable("blanko KTP-el")]
    story.append(
        Paragraph(
            "Setiap baris: saldo awal + diterima − dikirim + kembali − dipakai − rusak ± "
            "penyesuaian = saldo akhir. Saldo awal per awal periode, saldo akhir per akhir "
            "periode (atau saat ini bila periode berakhir hari ini). Diterima = penerimaan dari "
            "Ditjen Dukcapil dan distribusi yang dikonfirmasi diterima (jumlah yang tiba); "
            "dikirim = blanko yang dikirim keluar dari lokasi (distribusi Dinas, pengembalian "
            "kecamatan); kembali = pengembalian yang diterima; rusak = penghapusan yang "
            "disetujui kadis. Dalam perjalanan (dikirim, belum diterima, per akhir periode) dan "
            "kurang terima (dikirim − diterima) ditampilkan di samping, tidak termasuk saldo. "
            "Cukup (hari) = saldo tersedia tanpa dalam perjalanan ÷ rata-rata pemakaian harian "
            "30 hari terakhir (untuk Dinas dan jumlah: pemakaian seluruh wilayahnya). Tingkat "
            f"kerusakan seluruh wilayah: {persen(p.total.spoilage_pct)}. Lokasi tanpa saldo dan "
            "tanpa mutasi selama periode tidak ditampilkan.",
            SMALL,
        )
    )
    head = ["Lokasi", *(label for label, _ in BLANKO_COLUMNS), "Cukup (hari)"]
    rows: list = [_head(head)]
    for row in p.rows:
        if any(getattr(row.figures, m) for m in BLANKO_MOVES):
            rows.append([_name_cell(row), *(_r(v) for v in _blanko_values(row.figures))])
    rows.append([_p("Jumlah", CELL_B), *(_rb(v) for v in _blanko_values(p.total))])
    widths = [34, 13, 13, 13, 13, 13, 12, 13, 14, 15, 13, 14]
    story.append(_table(rows, widths, total_rows=1))
    return story


def coverage(p: HearingPacket) -> list:
    story: list = [Paragraph("8. Cakupan perekaman KTP-el", H1)]
    if not p.has("coverage"):
        return story + [_unavailable("cakupan perekaman")]
    rows: list = [
        _head(["No", p.unit_label, "Wajib KTP-el", "Sudah rekam", "Belum rekam", "Cakupan"])
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


def definitions(p: HearingPacket) -> list:
    """9. Definisi angka: each figure's name, definition, unit and span (hearing.figures)."""
    story: list = [Paragraph(f"9. {DEFINITIONS_TITLE}", H1)]
    story.append(Paragraph(escape(definitions_intro(p)), SMALL))
    if not p.definitions:
        return story + [Paragraph("Definisi angka tidak disertakan.", BODY)]
    rows: list = [_head(["Angka", "Definisi", "Satuan", "Rentang"])]
    for _, name, text, unit, span in definition_rows(p):
        rows.append([_p(name, CELL_B), _p(text), _p(unit), _p(span)])
    story.append(_table(rows, [38, 92, 22, 22]))
    return story
