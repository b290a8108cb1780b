"""The DPRD hearing packet as an XLSX workbook: one sheet per section, same numbers as the PDF.

Typed cells (integers, Rupiah, percent units, dates), frozen header row and an autofilter on
every table sheet. Deterministic: the document properties and the ZIP entry times are the
packet's generation stamp, so the same packet gives the same bytes.
"""

from __future__ import annotations

import zipfile
from copy import copy
from datetime import UTC, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from reports._xlsx import PERCENT, as_text, print_ready
from reports.hearing_data import METRIC_SECTION, SECTIONS, AreaCount, HearingPacket
from reports.hearing_text import (
    cut_note,
    definition_rows,
    definitions_intro,
    keadaan_per,
    runs_to_now,
    summary_paragraphs,
)

RUPIAH = '"Rp"\\ #,##0'
INT = "#,##0"
PCT = PERCENT  # the ratio (0.949), shown as 94,90%
HOURS = "#,##0.0"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"

HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="E9ECEF")
TOTAL_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

# Column kinds: (number format, width)
KINDS = {
    "text": (None, 30),
    "code": (None, 12),
    "int": (INT, 12),
    "rp": (RUPIAH, 18),
    "pct": (PCT, 11),
    "hours": (HOURS, 12),
    "days": (HOURS, 11),
    "date": (DATE, 12),
    "datetime": (DATETIME, 17),
    "bool": (None, 10),
}


class _Sheet:
    """A write-only sheet with a typed header row, frozen panes and an autofilter."""

    def __init__(self, wb: Workbook, title: str, columns: list[tuple[str, str]], n_rows: int):
        """`n_rows`: the data rows under the header, without a total ("Jumlah") or note row
        below them, so sorting or filtering never drags the total into the data."""
        self.ws = wb.create_sheet(title)
        self._styles: dict = {}
        self.kinds = [kind for _, kind in columns]
        for i, (_, kind) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = KINDS[kind][1]
        self.ws.freeze_panes = "A2"
        last = get_column_letter(len(columns))
        self.ws.auto_filter.ref = f"A1:{last}{max(n_rows, 0) + 1}"
        print_ready(self.ws, columns=len(columns))
        self.ws.append([self._head(label) for label, _ in columns])

    def _head(self, label: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = WRAP
        return as_text(cell, label)

    def _style(self, kind: str, bold: bool):
        """The style of a (kind, bold) cell, registered once and copied onto each cell:
        setting number_format/font per cell is most of openpyxl's cost otherwise."""
        key = (kind, bold)
        style = self._styles.get(key)
        if style is None:
            proto = WriteOnlyCell(self.ws)
            fmt = KINDS[kind][0]
            if fmt:
                proto.number_format = fmt
            if bold:
                proto.font = TOTAL_FONT
            style = self._styles[key] = proto._style
        return style

    def cell(self, value, kind: str, bold: bool = False) -> WriteOnlyCell | None:
        if value is None:
            return None
        if kind == "bool":
            value = "Ya" if value else "Tidak"
        if kind == "datetime" and isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)
        if kind == "pct" and isinstance(value, int | float):
            value = round(value / 100, 6)  # percent units (94.9) → the ratio Excel formats
        cell = WriteOnlyCell(self.ws)
        if bold or KINDS[kind][0]:
            cell._style = copy(self._style(kind, bold))
        return as_text(cell, value)  # text is never a formula, whatever it starts with

    def row(self, values, bold: bool = False) -> None:
        self.ws.append([self.cell(v, k, bold) for v, k in zip(values, self.kinds, strict=True)])


def _kecamatan_columns(p: HearingPacket) -> list[tuple[str, str, object]]:
    """(header, kind, metric key or (dict metric, key)) of the Kecamatan sheet."""
    cols: list[tuple[str, str, object]] = [
        ("Jumlah aset", "int", "assets_count"),
        ("Nilai aset", "rp", "assets_value"),
        ("Aset operasional", "int", "operational_count"),
        ("Operasional (%)", "pct", "operational_pct"),
        ("Bisa rekam hari ini", "bool", "can_record_today"),
        ("Waktu henti (jam)", "hours", "downtime_hours"),
    ]
    cols += [
        (f"Waktu henti {label} (jam)", "hours", ("downtime_by_party", key))
        for key, label in p.party_labels
    ]
    cols += [
        (f"Waktu henti karena {label.lower()} (jam)", "hours", ("downtime_by_cause", key))
        for key, label in p.cause_labels
    ]
    cols += [
        ("Menganggur (unit)", "int", "idle_count"),
        ("Nilai menganggur", "rp", "idle_value"),
        ("Tanpa laporan pemakaian (unit)", "int", "unreported_count"),
        ("Nilai tanpa laporan pemakaian", "rp", "unreported_value"),
        ("Hari melapor pemakaian", "int", "reported_days"),
        ("Hari kerja (kalender kantor)", "int", "expected_days"),
        ("Kepatuhan melapor (%)", "pct", "reporting_pct"),
        ("Laporan pemakaian terakhir", "date", "last_report_on"),
        ("Perekaman", "int", "recorded"),
        ("Warga ditolak", "int", "turned_away"),
        ("Tiket terbuka", "int", "open_tickets"),
        ("Tiket melewati batas waktu", "int", "overdue_tickets"),
        ("Tiket tertua (hari)", "int", "oldest_ticket_days"),
        ("Surat keluar dikirim Dinas", "int", "letters_sent"),
        ("Surat masuk diterima", "int", "letters_received"),
        ("Surat keluar belum dibalas (akhir periode)", "int", "letters_unanswered"),
        ("Menunggu balasan terlama (hari)", "int", "awaiting_reply_days"),
        ("Operator bersertifikat", "int", "trained_operators"),
        ("Kesenjangan pelatihan", "int", "training_gaps"),
        ("Blanko saldo awal", "int", "blanko_opening"),
        ("Blanko diterima", "int", "blanko_received"),
        ("Blanko dari Ditjen", "int", "blanko_received_external"),
        ("Blanko dikirim", "int", "blanko_distributed"),
        ("Blanko dikembalikan", "int", "blanko_returned"),
        ("Blanko dipakai", "int", "blanko_used"),
        ("Blanko rusak", "int", "blanko_damaged"),
        ("Blanko penyesuaian", "int", "blanko_adjusted"),
        ("Blanko saldo akhir", "int", "blanko_closing"),
        ("Blanko dalam perjalanan", "int", "blanko_in_transit"),
        ("Blanko kurang terima", "int", "blanko_short"),
        ("Lokasi stok blanko rendah", "int", "blanko_low_locations"),
        ("Tingkat kerusakan (%)", "pct", "spoilage_pct"),
        ("Saldo blanko", "int", "blanko_balance"),
        ("Blanko cukup (hari)", "days", "days_of_cover"),
        ("Wajib KTP-el", "int", "wajib_ktp"),
        ("Sudah rekam", "int", "sudah_rekam"),
        ("Cakupan rekam (%)", "pct", "coverage_pct"),
    ]
    return cols


def _metric(p: HearingPacket, f, spec):
    """One figure, or None (an empty cell) when its section has no data in the system."""
    if isinstance(spec, tuple):
        metric, key = spec
        return getattr(f, metric).get(key, 0.0) if p.has(METRIC_SECTION[metric]) else None
    return getattr(f, spec) if p.has(METRIC_SECTION[spec]) else None


def _info_sheet(wb: Workbook, p: HearingPacket) -> None:
    paragraphs = summary_paragraphs(p)
    meta = [
        ("Judul", p.title, "text"),
        ("Wilayah", p.scope_name, "text"),
        ("Kode wilayah", p.region_code, "text"),
        ("Periode mulai", p.period_start, "date"),
        ("Periode selesai", p.period_end, "date"),
        ("Keadaan per", keadaan_per(p.as_of), "text"),
        ("Dibuat (UTC)", p.generated_at, "datetime"),
        (p.author_label, p.author, "text"),
        ("Token verifikasi", p.token, "text"),
        ("Alamat verifikasi", p.verify_url, "text"),
    ]
    meta += [(f"Ringkasan {i}", text, "text") for i, text in enumerate(paragraphs, start=1)]
    sheet = _Sheet(wb, "Info", [("Keterangan", "text"), ("Isi", "text")], len(meta))
    sheet.ws.column_dimensions["A"].width = 20
    sheet.ws.column_dimensions["B"].width = 110
    for label, value, kind in meta:
        cell = sheet.cell(value, kind)
        if kind == "text" and cell is not None:
            cell.alignment = WRAP
        sheet.ws.append([sheet.cell(label, "text"), cell])


def _summary_sheet(wb: Workbook, p: HearingPacket) -> None:
    t = p.total
    n_kec = p.kecamatan_count
    per = keadaan_per(p.as_of)
    per_now = f" sampai {per}" if runs_to_now(p.as_of) else ""
    items = [
        ("Jumlah peralatan", "assets_count", t.assets_count, "int"),
        ("Nilai perolehan peralatan", "assets_value", t.assets_value, "rp"),
        ("Peralatan operasional (%)", "operational_pct", t.operational_pct, "pct"),
        ("Kecamatan dapat merekam hari ini", "can_record_today", t.can_record_today, "int"),
        ("Jumlah kecamatan", "kecamatan_count", n_kec, "int"),
        *(
            [("Jumlah kabupaten/kota", "kabkota_count", len(p.kecamatan_rows), "int")]
            if p.by_kabkota
            else []
        ),
        ("Waktu henti (jam)" + per_now, "downtime_hours", t.downtime_hours, "hours"),
        ("Peralatan menganggur (unit)", "idle_count", t.idle_count, "int"),
        ("Nilai peralatan menganggur", "idle_value", t.idle_value, "rp"),
        ("Peralatan tanpa laporan pemakaian (unit)", "unreported_count", t.unreported_count, "int"),
        ("Nilai peralatan tanpa laporan pemakaian", "unreported_value", t.unreported_value, "rp"),
        ("Kepatuhan melapor pemakaian harian (%)", "reporting_pct", t.reporting_pct, "pct"),
        ("Perekaman", "recorded", t.recorded, "int"),
        ("Warga ditolak", "turned_away", t.turned_away, "int"),
        (f"Tiket terbuka per {per}", "open_tickets", t.open_tickets, "int"),
        (f"Tiket melewati batas waktu per {per}", "overdue_tickets", t.overdue_tickets, "int"),
        (
            f"Umur tiket terbuka tertua (hari) per {per}",
            "oldest_ticket_days",
            t.oldest_ticket_days,
            "int",
        ),
        ("Surat keluar dikirim Dinas dalam periode", "letters_sent", t.letters_sent, "int"),
        ("Surat masuk diterima dalam periode", "letters_received", t.letters_received, "int"),
        (
            "Surat keluar belum dibalas per akhir periode",
            "letters_unanswered",
            t.letters_unanswered,
            "int",
        ),
        ("Menunggu balasan terlama (hari)", "awaiting_reply_days", t.awaiting_reply_days, "int"),
        ("Operator bersertifikat", "trained_operators", t.trained_operators, "int"),
        ("Kesenjangan pelatihan", "training_gaps", t.training_gaps, "int"),
        ("Blanko saldo awal periode", "blanko_opening", t.blanko_opening, "int"),
        ("Blanko diterima", "blanko_received", t.blanko_received, "int"),
        (
            "Blanko diterima dari Ditjen Dukcapil",
            "blanko_received_external",
            t.blanko_received_external,
            "int",
        ),
        ("Blanko dikirim", "blanko_distributed", t.blanko_distributed, "int"),
        ("Blanko dikembalikan", "blanko_returned", t.blanko_returned, "int"),
        ("Blanko dipakai", "blanko_used", t.blanko_used, "int"),
        ("Blanko rusak (dihapus)", "blanko_damaged", t.blanko_damaged, "int"),
        ("Blanko penyesuaian (±)", "blanko_adjusted", t.blanko_adjusted, "int"),
        ("Blanko saldo akhir periode", "blanko_closing", t.blanko_closing, "int"),
        ("Blanko dalam perjalanan", "blanko_in_transit", t.blanko_in_transit, "int"),
        ("Blanko kurang terima", "blanko_short", t.blanko_short, "int"),
        (
            f"Lokasi stok blanko rendah per {per}",
            "blanko_low_locations",
            t.blanko_low_locations,
            "int",
        ),
        ("Tingkat kerusakan blanko (%)", "spoilage_pct", t.spoilage_pct, "pct"),
        (f"Saldo blanko per {per}", "blanko_balance", t.blanko_balance, "int"),
        ("Blanko cukup untuk (hari)", "days_of_cover", t.days_of_cover, "days"),
        ("Wajib KTP-el", "wajib_ktp", t.wajib_ktp, "int"),
        ("Sudah rekam", "sudah_rekam", t.sudah_rekam, "int"),
        ("Cakupan perekaman (%)", "coverage_pct", t.coverage_pct, "pct"),
    ]
    sheet = _Sheet(
        wb,
        "Ringkasan",
        [("Indikator", "text"), ("Kode angka", "code"), ("Nilai", "int")],
        len(items),
    )
    sheet.ws.column_dimensions["A"].width = 46
    sheet.ws.column_dimensions["B"].width = 24
    sheet.ws.column_dimensions["C"].width = 22
    for label, key, value, kind in items:
        section = METRIC_SECTION.get(key, "assets")
        shown = sheet.cell(value, kind) if p.has(section) else sheet.cell("belum tersedia", "text")
        sheet.ws.append([sheet.cell(label, "text"), sheet.cell(key, "code"), shown])


def _kecamatan_sheet(wb: Workbook, p: HearingPacket) -> None:
    specs = _kecamatan_columns(p)
    if p.by_kabkota:  # a kab/kota row: its kecamatan, and how many of them can record
        specs.insert(0, ("Jumlah kecamatan", "int", None))
        specs[5] = ("Kecamatan bisa rekam hari ini", "int", "can_record_today")
    columns = [("Kode wilayah", "code"), (f"{p.unit_label} / lokasi", "text")]
    columns += [(label, kind) for label, kind, _ in specs]
    title = "Kabupaten-Kota" if p.by_kabkota else "Kecamatan"
    sheet = _Sheet(wb, title, columns, len(p.rows))
    for row in p.rows:
        values = [_metric(p, row.figures, spec) if spec else None for _, _, spec in specs]
        if p.by_kabkota:
            values[0] = row.kecamatan_count
        sheet.row([row.region_code, row.name, *values])
    values = [_metric(p, p.total, spec) if spec else None for _, _, spec in specs]
    if p.by_kabkota:
        values[0] = p.kecamatan_count
    else:
        values[4] = None  # the total's can_record_today is a count (see the Ringkasan sheet)
    sheet.row(["", "Jumlah", *values], bold=True)


def _purchases_sheet(wb: Workbook, p: HearingPacket) -> None:
    cols = [
        ("Tahun", "code"),
        ("Sumber dana", "code"),
        ("Kategori", "text"),
        ("Nama barang", "text"),
        ("Merk/tipe", "text"),
        ("Jumlah", "int"),
        ("Harga satuan", "rp"),
        ("Nilai", "rp"),
    ]
    sheet = _Sheet(wb, "Pengadaan", cols, len(p.purchases))
    for x in p.purchases:
        sheet.row(
            [
                x.year,
                x.funding_source,
                x.category,
                x.name,
                x.brand_model,
                x.quantity,
                x.unit_price,
                x.total_value,
            ]
        )


def _idle_sheet(wb: Workbook, p: HearingPacket) -> None:
    cols = [
        ("Kode wilayah", "code"),
        ("Kecamatan", "text"),
        ("Nama barang", "text"),
        ("Merk/tipe", "text"),
        ("Kode barang", "code"),
        ("Nomor register", "code"),
        ("Tahun perolehan", "code"),
        ("Sumber dana", "code"),
        ("Harga satuan", "rp"),
        ("Menganggur sejak", "date"),
        ("Lama (hari)", "int"),
        ("Alasan", "text"),
    ]
    sheet = _Sheet(wb, "Menganggur", cols, len(p.idle_assets))
    for a in p.idle_assets:
        sheet.row(
            [
                a.region_code,
                a.region_name,
                a.name,
                a.brand_model,
                a.kode_barang,
                a.register_no,
                a.acquired_year,
                a.funding_source,
                a.unit_price,
                a.since,
                a.days_idle,
                a.reason,
            ]
        )
    _cut_row(sheet, p, "idle_assets", len(p.idle_assets))


def _downtime_sheet(wb: Workbook, p: HearingPacket) -> None:
    t = p.total
    rows = []
    for kind, data, labels in (
        ("Pihak penanggung jawab", t.downtime_by_party, dict(p.party_labels)),
        ("Penyebab", t.downtime_by_cause, dict(p.cause_labels)),
    ):
        for key, hours in sorted(data.items(), key=lambda kv: (-kv[1], kv[0])):
            share = round(hours * 100 / t.downtime_hours, 2) if t.downtime_hours else None
            rows.append([kind, key, labels.get(key, key), hours, share])
    cols = [
        ("Menurut", "text"),
        ("Kode", "code"),
        ("Uraian", "text"),
        ("Jam", "hours"),
        ("Persentase (%)", "pct"),
    ]
    sheet = _Sheet(wb, "Waktu henti", cols, len(rows))
    for r in rows:
        sheet.row(r)


def _tickets_sheet(wb: Workbook, p: HearingPacket) -> None:
    cols = [
        ("Nomor tiket", "code"),
        ("Kode wilayah", "code"),
        ("Kecamatan", "text"),
        ("Perihal", "text"),
        ("Status", "text"),
        ("Pihak penanggung jawab", "text"),
        ("Dibuka", "date"),
        ("Menunggu (hari)", "int"),
        ("Nomor surat", "code"),
        ("Tanggal surat", "date"),
        ("Penerima surat", "text"),
        ("Dibalas", "date"),
    ]
    lines = []
    for tk in p.overdue_tickets:
        base = [tk.number, tk.region_code, tk.region_name, tk.title, tk.status]
        base += [tk.responsible_party, tk.opened_on, tk.days_waiting]
        if not tk.letters:
            lines.append(base + [None, None, None, None])
        for letter in tk.letters:
            lines.append(
                base + [letter.number, letter.letter_date, letter.recipient, letter.replied_on]
            )
    sheet = _Sheet(wb, "Tiket terlambat", cols, len(lines))
    for line in lines:
        sheet.row(line)
    _cut_row(sheet, p, "overdue_tickets", len(p.overdue_tickets))


def _training_sheet(wb: Workbook, p: HearingPacket) -> None:
    cols = [
        ("Kode wilayah", "code"),
        ("Kecamatan", "text"),
        ("Kategori peralatan", "text"),
        ("Jumlah peralatan", "int"),
        ("Nilai peralatan", "rp"),
        ("Operator bersertifikat", "int"),
    ]
    sheet = _Sheet(wb, "Kesenjangan pelatihan", cols, len(p.training_gaps))
    for g in p.training_gaps:
        sheet.row(
            [
                g.region_code,
                g.region_name,
                g.category,
                g.assets_count,
                g.assets_value,
                g.certified_operators,
            ]
        )
    _cut_row(sheet, p, "training_gaps", len(p.training_gaps))


def _blanko_sheet(wb: Workbook, p: HearingPacket) -> None:
    """One row per location: opening + received − distributed + returned − used − damaged +
    adjusted = closing, then in transit and short on receipt beside it."""
    cols = [
        ("Kode wilayah", "code"),
        ("Lokasi", "text"),
        ("Saldo awal", "int"),
        ("Diterima", "int"),
        ("Dikirim", "int"),
        ("Dikembalikan (diterima)", "int"),
        ("Dipakai", "int"),
        ("Rusak (dihapus)", "int"),
        ("Penyesuaian (±)", "int"),
        ("Saldo akhir", "int"),
        ("Dalam perjalanan", "int"),
        ("Kurang terima", "int"),
        ("Tingkat kerusakan (%)", "pct"),
        ("Cukup (hari)", "days"),
        ("Stok rendah (lokasi)", "int"),
    ]
    sheet = _Sheet(wb, "Blanko", cols, len(p.rows))

    def values(f):
        return [
            f.blanko_opening,
            f.blanko_received,
            f.blanko_distributed,
            f.blanko_returned,
            f.blanko_used,
            f.blanko_damaged,
            f.blanko_adjusted,
            f.blanko_closing,
            f.blanko_in_transit,
            f.blanko_short,
            f.spoilage_pct,
            f.days_of_cover,
            f.blanko_low_locations,
        ]

    for row in p.rows:
        sheet.row([row.region_code, row.name, *values(row.figures)])
    sheet.row(["", "Jumlah", *values(p.total)], bold=True)


def _cut_row(sheet: _Sheet, p: HearingPacket, key: str, shown: int) -> None:
    """Where a province packet cuts the list, below its rows (outside the autofilter)."""
    note = cut_note(p, key, shown)
    if note:
        sheet.row([note] + [None] * (len(sheet.kinds) - 1))


def _lists_by_area_sheet(wb: Workbook, p: HearingPacket) -> None:
    """A province packet: the lists' counts per kab/kota (all items, not only those shown)."""
    keys = ("idle_assets", "overdue_tickets", "training_gaps")
    cuts = {k: p.cut(k) for k in keys}
    areas: dict[str, str] = {r.region_code: r.name for r in p.rows}
    per: dict[str, dict] = {}
    for key, cut in cuts.items():
        for a in cut.by_area if cut is not None else ():
            areas.setdefault(a.region_code, a.name)
            per.setdefault(a.region_code, {})[key] = a
    cols = [
        ("Kode wilayah", "code"),
        ("Kabupaten/kota", "text"),
        ("Peralatan menganggur (unit)", "int"),
        ("Nilai menganggur (harga satuan)", "rp"),
        ("Tiket melewati batas waktu", "int"),
        ("Kesenjangan pelatihan", "int"),
        ("Nilai peralatan tanpa operator bersertifikat", "rp"),
    ]
    codes = sorted(per)
    sheet = _Sheet(wb, "Daftar per kab-kota", cols, len(codes))

    def values(get):
        idle, tickets, gaps = (get(k) for k in keys)
        return [
            idle.count if idle else 0,
            (idle.value or 0) if idle else 0,
            tickets.count if tickets else 0,
            gaps.count if gaps else 0,
            (gaps.value or 0) if gaps else 0,
        ]

    for code in codes:
        sheet.row([code, areas[code], *values(per[code].get)])

    def total(key):
        cut = cuts[key]
        return None if cut is None else AreaCount("", "Jumlah", cut.total, cut.value)

    sheet.row(["", "Jumlah", *values(total)], bold=True)


def _coverage_sheet(wb: Workbook, p: HearingPacket) -> None:
    cols = [
        ("Kode wilayah", "code"),
        (p.unit_label, "text"),
        ("Wajib KTP-el", "int"),
        ("Sudah rekam", "int"),
        ("Belum rekam", "int"),
        ("Cakupan (%)", "pct"),
    ]
    rows = p.kecamatan_rows
    sheet = _Sheet(wb, "Cakupan", cols, len(rows))
    for row in rows:
        f = row.figures
        belum = max(f.wajib_ktp - f.sudah_rekam, 0)
        sheet.row([row.region_code, row.name, f.wajib_ktp, f.sudah_rekam, belum, f.coverage_pct])
    t = p.total
    belum = max(t.wajib_ktp - t.sudah_rekam, 0)
    sheet.row(["", "Jumlah", t.wajib_ktp, t.sudah_rekam, belum, t.coverage_pct], bold=True)


def _definitions_sheet(wb: Workbook, p: HearingPacket) -> None:
    """ "Definisi": each figure's key, name, definition, unit and span (hearing.figures)."""
    cols = [
        ("Kode angka", "code"),
        ("Angka", "text"),
        ("Definisi", "text"),
        ("Satuan", "text"),
        ("Rentang", "text"),
    ]
    rows = definition_rows(p)
    sheet = _Sheet(wb, "Definisi", cols, len(rows))  # the closing note stays outside
    sheet.ws.column_dimensions["A"].width = 22
    sheet.ws.column_dimensions["C"].width = 90
    sheet.ws.column_dimensions["E"].width = 20
    for row in rows:
        cells = [sheet.cell(v, kind) for v, (_, kind) in zip(row, cols, strict=True)]
        cells[2].alignment = WRAP
        sheet.ws.append(cells)
    sheet.row(["", definitions_intro(p), "", "", ""])


SECTION_SHEETS = (
    ("Pengadaan", "assets", _purchases_sheet),
    ("Menganggur", "assets", _idle_sheet),
    ("Waktu henti", "downtime", _downtime_sheet),
    ("Tiket terlambat", "tickets", _tickets_sheet),
    ("Kesenjangan pelatihan", "training", _training_sheet),
    ("Blanko", "blanko", _blanko_sheet),
    ("Cakupan", "coverage", _coverage_sheet),
)


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrites the archive with fixed entry times so equal content gives equal bytes."""
    stamp = when.astimezone(UTC)
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_hearing_xlsx(packet: HearingPacket) -> bytes:
    wb = Workbook(write_only=True)
    stamp = packet.generated_at.astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "Aset Dukcapil"
    wb.properties.lastModifiedBy = "Aset Dukcapil"
    wb.properties.title = packet.title
    wb.properties.subject = f"{packet.scope_name} {packet.period_start}–{packet.period_end}"
    _info_sheet(wb, packet)
    _summary_sheet(wb, packet)
    _kecamatan_sheet(wb, packet)
    for title, section, write in SECTION_SHEETS:
        if packet.has(section):
            write(wb, packet)
        else:
            sheet = _Sheet(wb, title, [("Keterangan", "text")], 1)
            sheet.ws.column_dimensions["A"].width = 60
            sheet.row([f"Data bagian {SECTIONS[section]} belum tersedia dalam sistem."])
    if packet.cuts:
        _lists_by_area_sheet(wb, packet)
    _definitions_sheet(wb, packet)
    buf = BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp "modified" with the current time.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return _normalise_zip(buf.getvalue(), packet.generated_at)
