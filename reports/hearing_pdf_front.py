"""The front of the hearing PDF: the cover, the summary in words and the per-kecamatan
tables (sections 1 and 1a/1b)."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports._format import escape, waktu
from reports._kop import Kop, kop_flowables, signatory_lines
from reports.hearing_data import HearingPacket
from reports.hearing_pdf_layout import (
    BASE,
    BODY,
    CELL_B,
    COVER_TITLE,
    GRID,
    H1,
    H2,
    SMALL,
    _head,
    _name_cell,
    _p,
    _qr_drawing,
    _r,
    _rb,
    _table,
)
from reports.hearing_text import (
    NO_DATA,
    angka,
    hari,
    jam,
    keadaan_per,
    num,
    period_text,
    persen,
    runs_to_now,
    rupiah,
    summary_paragraphs,
    ya_tidak,
)


def _kop_block(p: HearingPacket) -> list:
    """The shared kop (`reports._kop`) from the packet's letterhead lines and logo."""
    lines = list(p.kop) + [""] * 4
    kop = Kop(
        pemerintah=lines[0] or "PEMERINTAH DAERAH",
        dinas=lines[1] or "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        alamat=lines[2] or None,
        contact=lines[3] or None,
        logo=p.kop_logo,
    )
    return kop_flowables(kop, 170 * mm, sizes=(13, 12, 8.5), rule_after=0)


def approval_block(p: HearingPacket) -> KeepTogether:
    """ "Menyetujui," with the official who approves packets (`rdp`): position, room to sign,
    name, rank, NIP; or that none is set. The file is made before the approval (its SHA-256
    is archived), so the block is a place to sign, never a claim that it was approved: the
    verification page says whether the packet is a draft or approved."""
    lines = signatory_lines(
        p.approver, above="Menyetujui,", caption=p.approver_caption, size=10, room=16 * mm
    )
    table = Table([["", lines]], colWidths=[85 * mm, 85 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 4 * mm), table])


def cover(p: HearingPacket) -> list:
    story: list = _kop_block(p)
    story.append(Spacer(1, 16 * mm))
    story.append(Paragraph(escape(p.title), COVER_TITLE))
    story.append(Spacer(1, 16 * mm))
    n_kec = p.kecamatan_count
    where = f"{p.scope_name} ({p.region_code}), {angka(n_kec)} kecamatan"
    if p.by_kabkota:
        where = (
            f"{p.scope_name} ({p.region_code}), {angka(len(p.kecamatan_rows))} kabupaten/kota, "
            f"{angka(n_kec)} kecamatan"
        )
    meta = [
        ("Periode", period_text(p)),
        ("Cakupan wilayah", where),
        ("Keadaan per", keadaan_per(p.as_of)),
        ("Tanggal pembuatan", waktu(p.generated_at)),
        (p.author_label, p.author),
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
    story.append(Spacer(1, 10 * mm))
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
    story.append(approval_block(p))
    return story


def summary(p: HearingPacket) -> list:
    story: list = [Paragraph("Ringkasan", H1)]
    for text in summary_paragraphs(p):
        story.append(Paragraph(escape(text), BODY))
    t = p.total
    oldest = f"{num(t.oldest_ticket_days)} hari" if t.oldest_ticket_days is not None else NO_DATA
    cover = f"{hari(t.days_of_cover)} hari" if t.days_of_cover is not None else NO_DATA
    per = keadaan_per(p.as_of)
    per_now = f" (sampai {per})" if runs_to_now(p.as_of) else ""
    unanswered = angka(t.letters_unanswered)
    if t.letters_unanswered and t.awaiting_reply_days is not None:
        unanswered += f" (terlama {angka(t.awaiting_reply_days)} hari)"
    figures = [
        ("Jumlah peralatan", "assets", f"{angka(t.assets_count)} unit"),
        ("Nilai perolehan peralatan", "assets", rupiah(t.assets_value)),
        ("Peralatan operasional", "assets", persen(t.operational_pct)),
        (
            "Kecamatan dapat merekam hari ini",
            "assets",
            f"{num(t.can_record_today)} dari {angka(p.kecamatan_count)}",
        ),
        ("Waktu henti dalam periode" + per_now, "downtime", f"{jam(t.downtime_hours)} jam"),
        (
            "Peralatan menganggur",
            "assets",
            f"{angka(t.idle_count)} unit · {rupiah(t.idle_value)}",
        ),
        (
            "Peralatan tanpa laporan pemakaian",
            "assets",
            f"{angka(t.unreported_count)} unit · {rupiah(t.unreported_value)}",
        ),
        ("Kepatuhan melapor pemakaian harian", "usage", persen(t.reporting_pct)),
        ("Warga ditolak dalam periode", "usage", angka(t.turned_away)),
        (
            f"Tiket terbuka / melewati batas waktu per {per}",
            "tickets",
            f"{angka(t.open_tickets)} / {angka(t.overdue_tickets)}",
        ),
        (f"Umur tiket terbuka tertua per {per}", "tickets", oldest),
        ("Surat keluar dikirim Dinas dalam periode", "letters", angka(t.letters_sent)),
        ("Surat masuk diterima Dinas dalam periode", "letters", angka(t.letters_received)),
        ("Surat keluar belum dibalas per akhir periode", "letters", unanswered),
        (
            "Operator bersertifikat / kesenjangan",
            "training",
            f"{angka(t.trained_operators)} / {angka(t.training_gaps)}",
        ),
        (f"Saldo blanko KTP-el per {per}", "blanko", f"{angka(t.blanko_balance)} keping"),
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
    ("Tiket terbuka", 17, "tickets", lambda f: angka(f.open_tickets)),
    ("Melewati batas waktu", 19, "tickets", lambda f: angka(f.overdue_tickets)),
    ("Tiket tertua (hari)", 18, "tickets", lambda f: num(f.oldest_ticket_days)),
    ("Surat keluar dikirim Dinas", 20, "letters", lambda f: angka(f.letters_sent)),
    ("Surat masuk diterima", 19, "letters", lambda f: angka(f.letters_received)),
    ("Surat keluar belum dibalas", 20, "letters", lambda f: angka(f.letters_unanswered)),
    ("Menunggu balasan terlama (hari)", 21, "letters", lambda f: num(f.awaiting_reply_days)),
)
KEC_TABLE_C = (
    ("Tanpa laporan pemakaian (unit)", 18, "assets", lambda f: angka(f.unreported_count)),
    ("Melapor harian", 16, "usage", lambda f: persen(f.reporting_pct)),
    ("Operator bersertifikat", 18, "training", lambda f: angka(f.trained_operators)),
    ("Kesenjangan pelatihan", 18, "training", lambda f: angka(f.training_gaps)),
    ("Saldo blanko", 15, "blanko", lambda f: angka(f.blanko_balance)),
    ("Blanko cukup (hari)", 14, "blanko", lambda f: hari(f.days_of_cover)),
    ("Cakupan rekam", 14, "coverage", lambda f: persen(f.coverage_pct)),
)


def _can_record(p: HearingPacket, row) -> str:
    """Ya/Tidak for a kecamatan; "recording/kecamatan" for a kab/kota row; – for a Dinas."""
    value = row.figures.can_record_today
    if row.level == "kecamatan":
        return ya_tidak(value)
    if p.by_kabkota and row.kecamatan_count:
        return f"{num(value)}/{angka(row.kecamatan_count)}"
    return NO_DATA


def _kecamatan_table(p: HearingPacket, columns) -> Table:
    head = ["No", p.unit_label] + [c[0] for c in columns]
    rows: list = [head]
    n_kec = p.kecamatan_count
    for i, row in enumerate(p.rows, start=1):
        cells = [_r(i), _name_cell(row)]
        for _, _, section, fn in columns:
            if not p.has(section):
                cells.append(_r(NO_DATA))
            elif fn is None:  # can record today: Ya/Tidak, or a count for a kab/kota
                value = _can_record(p, row)
                cells.append(_r(value) if row.kecamatan_count else _p(value))
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


def kecamatan_tables(p: HearingPacket) -> list:
    story: list = [Paragraph(f"1. Kondisi per {p.unit_label.lower()}", H1)]
    per_kab = (
        "Setiap baris satu kabupaten/kota: kecamatan dan kantor Dinas-nya dijumlah seperti "
        "baris jumlah; bisa rekam hari ini = kecamatan yang dapat merekam / jumlah kecamatan. "
        if p.by_kabkota
        else ""
    )
    story.append(
        Paragraph(
            per_kab + "Tabel 1a memuat peralatan dan layanan, Tabel 1b tiket dan surat, Tabel 1c "
            "pelaporan pemakaian, pelatihan, blanko dan cakupan perekaman. Melapor harian = "
            "hari kerja dengan laporan pemakaian ÷ hari kerja periode (kalender kantor, tanpa hari "
            "libur). Baris kantor Dinas memuat peralatan dan "
            "stok yang dipegang Dinas sendiri. Surat keluar dikirim Dinas dan surat masuk "
            "diterima dihitung selama periode; surat keluar belum dibalas dihitung per akhir "
            f"periode. Tiket terbuka, tiket melewati batas waktu, tiket tertua dan saldo adalah "
            f"keadaan per {keadaan_per(p.as_of)}. Persentase baris jumlah dihitung ulang dari jumlahnya, bukan dirata-rata. "
            "Tanda – berarti datanya belum tersedia.",
            SMALL,
        )
    )
    story.append(Spacer(1, 2 * mm))
    story.append(Paragraph("Tabel 1a. Peralatan dan layanan", H2))
    story.append(_kecamatan_table(p, KEC_TABLE_A))
    story.append(CondPageBreak(60 * mm))
    story.append(Paragraph("Tabel 1b. Tiket dan surat", H2))
    story.append(_kecamatan_table(p, KEC_TABLE_B))
    story.append(CondPageBreak(60 * mm))
    story.append(Paragraph("Tabel 1c. Pelaporan, pelatihan, blanko dan cakupan", H2))
    story.append(_kecamatan_table(p, KEC_TABLE_C))
    return story
