"""Katalog angka: one entry per figure of the DPRD summary, the dashboard, the API and the packet.

Each entry states the figure's Indonesian name, a short plain definition, its unit, whether it
covers the period [dari, sampai] (a flow) or describes one moment (a stock, at `as_of`: the end
of the period, or the moment of generation when the period ends today), the rows it is
computed from and the function that computes it. The dashboard cards and the summary page show
the definition as a tooltip and a footnote, the packet PDF as "Definisi angka", the XLSX as the
"Definisi" sheet; `docs/FIGURES.md` is generated from here:

    python -m assets_app.hearing.figures > docs/FIGURES.md

Why `hearing/` and not `common/`: the catalogue describes the hearing summary's figures (its
`Figures` fields, cards and API keys) and hearing is its only reader; `common` is foundation
and knows no domain's figures. Other domains' functions are named as text, never imported.
The renderers in `reports/` stay pure: the packet carries the definitions
(`HearingPacket.definitions`, see `packet_definitions`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from reports.hearing_data import METRIC_KEYS, FigureDefinition

PERIOD = "periode"
MOMENT = "saat"
SPANS = {
    PERIOD: "Selama periode (dari–sampai, termasuk kedua tanggal)",
    MOMENT: "Keadaan pada satu saat: akhir periode, atau saat laporan dibuat bila periode "
    "berakhir hari ini",
}
PENDING = "(menyusul)"


@dataclass(frozen=True)
class Figure:
    key: str  # the key of Figures / the API
    name: str  # Indonesian name, as a DPRD member reads it
    definition: str  # short plain Indonesian
    unit: str
    span: str  # PERIOD or MOMENT
    source: str  # the rows it is computed from
    functions: tuple[str, ...]  # dotted paths of the functions that compute it, or PENDING
    note: str = ""  # caveat for the docs (e.g. what is still being changed)
    alias_of: str | None = None  # an older key with the same value

    @property
    def span_text(self) -> str:
        return "dalam periode" if self.span == PERIOD else "per tanggal keadaan"

    @property
    def tooltip(self) -> str:
        """The text of a `title=` tooltip: definition, unit and span in one line."""
        return f"{self.definition} Satuan: {self.unit}; {self.span_text}."

    @property
    def pending(self) -> bool:
        return PENDING in self.functions


_ASSETS = "assets_app.assets.queries.assets_by_region"
_IDLE = "assets_app.assets.idle.idle_value_by_region"
_SUMMARY = "assets_app.hearing.summary.build_summary"
_TICKETS = "assets_app.tickets.stats.ticket_stats_by_region"
_LETTERS = "assets_app.letters.queries.letter_stats"
_BLANKO = "assets_app.blanko.summary.blanko_summary_by_region"
_BLANKO_TOTAL = "assets_app.blanko.summary.blanko_total_for_region"
_REGISTER = "Tabel aset (`assets`) dalam cakupan, tanpa yang berstatus dihapuskan"
_USAGE = "Laporan pemakaian harian (`usage_days`) per titik layanan"
_BLANKO_ROWS = "Mutasi blanko (`blanko_movements`), tanda terima (`blanko_receipts`)"
_WORKDAYS_NOTE = (
    "Hari kerja = hari kerja kalender kantor (bawaan Senin–Jumat) tanpa hari libur yang "
    "dicatat di pengaturan SLA (`/admin/sla`)."
)
_REGISTER_NOTE = (
    "Untuk periode yang sudah berakhir, status tiap alat dibaca dari riwayat statusnya pada "
    "akhir periode (`assets_app.assets.history.state_at`); alat yang diperoleh sesudahnya "
    "belum terhitung, alat yang dihapuskan sesudahnya masih terhitung."
)

FIGURES: tuple[Figure, ...] = (
    Figure(
        "as_of",
        "Tanggal keadaan",
        "Saat yang digambarkan angka-angka keadaan: akhir periode, atau saat laporan dibuat "
        "bila periode berakhir hari ini. Halaman seluruh instalasi yang besar (30 hari "
        "terakhir) membaca ringkasan yang dihitung tugas terjadwal tiap 5 menit: saatnya saat "
        "hitungan itu, paling lama 15 menit lalu, dan semua angkanya per saat itu.",
        "tanggal",
        MOMENT,
        "Periode yang dipilih dan jam pembuatan laporan (atau jam hitungan tersimpan)",
        (_SUMMARY, "assets_app.hearing.snapshot.refresh"),
    ),
    Figure(
        "kecamatan_count",
        "Jumlah kecamatan",
        "Kecamatan dalam wilayah yang dipilih dan dalam cakupan pengguna.",
        "kecamatan",
        MOMENT,
        "Tabel wilayah (`regions`) tingkat kecamatan",
        (_SUMMARY,),
    ),
    Figure(
        "kabkota_count",
        "Jumlah kabupaten/kota",
        "Kabupaten/kota dalam wilayah yang dipilih dan dalam cakupan pengguna (ringkasan, "
        "paket RDP provinsi per kabupaten/kota).",
        "kabupaten/kota",
        MOMENT,
        "Tabel wilayah (`regions`) tingkat kabupaten/kota",
        (_SUMMARY,),
    ),
    # --- register (assets) ---------------------------------------------------------------
    Figure(
        "assets_count",
        "Jumlah peralatan",
        "Peralatan tercatat di register, kecuali yang sudah dihapuskan.",
        "unit",
        MOMENT,
        _REGISTER,
        (_ASSETS,),
        note=_REGISTER_NOTE,
    ),
    Figure(
        "assets_value",
        "Nilai peralatan",
        "Jumlah harga perolehan peralatan di register, kecuali yang sudah dihapuskan.",
        "Rupiah",
        MOMENT,
        _REGISTER,
        (_ASSETS,),
        note=_REGISTER_NOTE,
    ),
    Figure(
        "operational_count",
        "Peralatan operasional",
        "Peralatan di register yang berstatus operasional.",
        "unit",
        MOMENT,
        _REGISTER,
        (_ASSETS,),
        note=_REGISTER_NOTE,
    ),
    Figure(
        "operational_pct",
        "Persentase peralatan operasional",
        "Peralatan operasional dibagi jumlah peralatan, dikali 100.",
        "persen",
        MOMENT,
        _REGISTER,
        (_SUMMARY,),
        note="Dihitung ulang dari jumlahnya untuk setiap baris dan total (tidak dirata-rata).",
    ),
    Figure(
        "can_record_today",
        "Kecamatan dapat merekam",
        "Kecamatan yang punya sedikitnya satu alat perekaman KTP-el berstatus operasional "
        "(pada total: jumlah kecamatan tersebut).",
        "kecamatan",
        MOMENT,
        _REGISTER + ", kategori perekaman",
        ("assets_app.assets.queries.can_record_today",),
        note=_REGISTER_NOTE,
    ),
    # --- downtime ------------------------------------------------------------------------
    Figure(
        "downtime_hours",
        "Waktu henti peralatan",
        "Jam peralatan berstatus gangguan, dalam perbaikan atau tidak digunakan selama "
        "periode, dijumlah untuk semua alat.",
        "jam",
        PERIOD,
        "Riwayat status aset (`asset_status_events`)",
        ("assets_app.assets.downtime.downtime_by_region",),
    ),
    Figure(
        "downtime_by_party",
        "Waktu henti menurut penanggung jawab",
        "Waktu henti dalam periode, dibagi menurut pihak yang bertanggung jawab atas "
        "gangguan (belum ditentukan bila tidak dicatat).",
        "jam",
        PERIOD,
        "Riwayat status aset (`asset_status_events`)",
        ("assets_app.assets.downtime.downtime_by_region",),
    ),
    Figure(
        "downtime_by_cause",
        "Waktu henti menurut penyebab",
        "Waktu henti dalam periode, dibagi menurut penyebab yang dicatat (jaringan, listrik, "
        "perangkat keras, dan seterusnya).",
        "jam",
        PERIOD,
        "Riwayat status aset (`asset_status_events`)",
        ("assets_app.assets.downtime.downtime_by_region",),
    ),
    # --- idle ----------------------------------------------------------------------------
    Figure(
        "idle_count",
        "Peralatan menganggur",
        "Peralatan berstatus tidak digunakan, atau operasional sepanjang 30 hari terakhir "
        "sementara kecamatannya melaporkan nol pemakaian layanan alat itu.",
        "unit",
        MOMENT,
        _REGISTER + "; " + _USAGE + " dalam 30 hari sampai tanggal keadaan",
        (_IDLE,),
        note="Kecamatan yang tidak melapor dihitung terpisah (unreported_count), bukan "
        "sebagai menganggur. Jendela 30 hari berakhir pada tanggal keadaan; status alat "
        "dibaca pada saat itu. " + _REGISTER_NOTE,
    ),
    Figure(
        "idle_value",
        "Nilai peralatan menganggur",
        "Jumlah harga perolehan peralatan menganggur (lihat Peralatan menganggur).",
        "Rupiah",
        MOMENT,
        _REGISTER + "; " + _USAGE + " dalam 30 hari sampai tanggal keadaan",
        (_IDLE,),
    ),
    Figure(
        "unreported_count",
        "Peralatan di kecamatan yang tidak melapor",
        "Peralatan operasional di kecamatan yang tidak mengirim laporan pemakaian dalam 30 "
        "hari terakhir; pemakaiannya tidak diketahui.",
        "unit",
        MOMENT,
        _REGISTER + "; " + _USAGE + " dalam 30 hari sampai tanggal keadaan",
        ("assets_app.assets.idle.idle_split_by_region",),
    ),
    Figure(
        "unreported_value",
        "Nilai peralatan di kecamatan yang tidak melapor",
        "Jumlah harga perolehan peralatan di kecamatan yang tidak melapor.",
        "Rupiah",
        MOMENT,
        _REGISTER + "; " + _USAGE + " dalam 30 hari sampai tanggal keadaan",
        ("assets_app.assets.idle.idle_split_by_region",),
    ),
    Figure(
        "reporting_pct",
        "Kepatuhan laporan pemakaian",
        "Hari yang ada laporan pemakaiannya dibagi hari kerja dalam periode, dikali 100; "
        "untuk setiap titik layanan (kecamatan, dan Dinas bila memegang alat layanan).",
        "persen",
        PERIOD,
        _USAGE + "; hari kerja kalender kantor sampai hari ini",
        ("assets_app.assets.reporting.reporting_by_region",),
        note=_WORKDAYS_NOTE + " Total "
        "wilayah: jumlah hari melapor dibagi jumlah hari kerja, bukan rata-rata persentase.",
    ),
    Figure(
        "reported_days",
        "Hari melapor",
        "Hari kerja dalam periode yang ada laporan pemakaian hariannya.",
        "hari",
        PERIOD,
        _USAGE,
        ("assets_app.assets.reporting.reporting_by_region",),
    ),
    Figure(
        "expected_days",
        "Hari kerja",
        "Hari kerja dalam periode sampai hari ini: hari yang seharusnya ada laporan.",
        "hari",
        PERIOD,
        "Kalender kantor (hari kerja dan hari libur di pengaturan SLA)",
        ("assets_app.assets.reporting.reporting_by_region",),
        note=_WORKDAYS_NOTE,
    ),
    Figure(
        "last_report_on",
        "Laporan terakhir",
        "Tanggal laporan pemakaian harian terakhir sampai akhir periode; kosong bila belum "
        "pernah melapor.",
        "tanggal",
        MOMENT,
        _USAGE,
        ("assets_app.assets.reporting.reporting_by_region",),
    ),
    # --- usage ---------------------------------------------------------------------------
    Figure(
        "recorded",
        "Perekaman KTP-el",
        "Jumlah perekaman KTP-el yang dilaporkan dalam periode.",
        "perekaman",
        PERIOD,
        _USAGE,
        ("assets_app.assets.queries.usage_totals",),
    ),
    Figure(
        "turned_away",
        "Warga ditolak",
        "Warga yang dilaporkan tidak terlayani (ditolak) dalam periode.",
        "orang",
        PERIOD,
        _USAGE,
        ("assets_app.assets.queries.usage_totals",),
    ),
    # --- tickets -------------------------------------------------------------------------
    Figure(
        "open_tickets",
        "Tiket terbuka",
        "Tiket perbaikan yang sudah dibuat dan belum selesai atau ditutup.",
        "tiket",
        MOMENT,
        "Tiket perbaikan (`tickets`)",
        (_TICKETS,),
    ),
    Figure(
        "overdue_tickets",
        "Tiket melewati batas waktu",
        "Tiket terbuka yang melewati batas waktu penanganan atau penyelesaiannya.",
        "tiket",
        MOMENT,
        "Tiket perbaikan (`tickets`) dan batas waktunya",
        (_TICKETS,),
    ),
    Figure(
        "oldest_ticket_days",
        "Tiket terbuka tertua",
        "Umur tiket terbuka yang paling lama: hari kalender (WIB) dari tanggal tiket dibuat "
        "sampai tanggal keadaan; tiket yang dibuat hari itu berumur 0 hari.",
        "hari",
        MOMENT,
        "Tiket perbaikan (`tickets`)",
        (_TICKETS,),
    ),
    # --- letters -------------------------------------------------------------------------
    Figure(
        "letters_sent",
        "Surat keluar dikirim",
        "Surat keluar Dinas yang dikirim dalam periode (tanpa surat balasan dan yang batal).",
        "surat",
        PERIOD,
        "Surat (`letters`) arah keluar, menurut tanggal kirim",
        (_LETTERS,),
    ),
    Figure(
        "letters_received",
        "Surat masuk diterima",
        "Surat masuk (misalnya dari camat) yang diterima dalam periode.",
        "surat",
        PERIOD,
        "Surat (`letters`) arah masuk, menurut tanggal terima (atau tanggal surat)",
        (_LETTERS,),
    ),
    Figure(
        "letters_unanswered",
        "Surat keluar belum dibalas",
        "Surat keluar Dinas yang terkirim sampai akhir periode dan pada akhir periode belum "
        "dibalas.",
        "surat",
        MOMENT,
        "Surat (`letters`) arah keluar dan balasannya",
        (_LETTERS,),
        note="Selalu dihitung pada akhir periode.",
    ),
    Figure(
        "letters_awaiting_reply",
        "Surat menunggu balasan",
        "Nama lama dari Surat keluar belum dibalas; nilainya sama.",
        "surat",
        MOMENT,
        "Surat (`letters`) arah keluar dan balasannya",
        (_LETTERS,),
        alias_of="letters_unanswered",
    ),
    Figure(
        "awaiting_reply_days",
        "Menunggu balasan terlama",
        "Hari menunggu surat keluar tertua yang belum dibalas, sampai akhir periode.",
        "hari",
        MOMENT,
        "Surat (`letters`) arah keluar dan balasannya",
        (_LETTERS,),
    ),
    # --- training ------------------------------------------------------------------------
    Figure(
        "trained_operators",
        "Operator bersertifikat",
        "Operator aktif yang memegang sedikitnya satu sertifikat pelatihan yang masih berlaku.",
        "orang",
        MOMENT,
        "Operator (`operators`), sertifikat (`certificate_topics`), kehadiran pelatihan",
        ("assets_app.training.gaps.trained_operator_counts",),
        note="Sertifikat yang terbit atau berakhir sesudah tanggal keadaan dinilai pada "
        "tanggal itu.",
    ),
    Figure(
        "training_gaps",
        "Kesenjangan operator terlatih",
        "Pasangan kecamatan dan jenis alat yang alatnya ada tetapi tidak ada operator dengan "
        "sertifikat berlaku untuk jenis itu.",
        "kecamatan–jenis alat",
        MOMENT,
        _REGISTER + "; operator dan sertifikatnya",
        ("assets_app.training.gaps.gap_counts",),
        note="Sertifikat dinilai pada tanggal keadaan; alat yang dimiliki kecamatan dibaca "
        "dari register terkini.",
    ),
    # --- blanko KTP-el -------------------------------------------------------------------
    Figure(
        "blanko_opening",
        "Saldo awal blanko",
        "Blanko di tangan pada awal hari pertama periode.",
        "keping",
        MOMENT,
        _BLANKO_ROWS + ", saldo (`blanko_balances`)",
        (_BLANKO,),
        note="Keadaan pada awal periode (bukan akhir).",
    ),
    Figure(
        "blanko_received",
        "Blanko diterima",
        "Blanko yang masuk ke lokasi dalam periode: penerimaan dari Ditjen Dukcapil dan "
        "kiriman yang sudah dikonfirmasi diterima (jumlah yang benar-benar tiba).",
        "keping",
        PERIOD,
        _BLANKO_ROWS,
        (_BLANKO,),
        note="Total wilayah menjumlahkan baris lokasi, jadi kiriman antarlokasi di dalam "
        "wilayah ikut terhitung sebagai diterima di lokasi tujuan.",
    ),
    Figure(
        "blanko_received_external",
        "Blanko diterima dari Ditjen Dukcapil",
        "Keping yang masuk ke wilayah dari luar (penerimaan dari Ditjen Dukcapil) selama "
        "periode; bagian dari Diterima.",
        "keping",
        PERIOD,
        _BLANKO_ROWS + ", jenis penerimaan",
        (_BLANKO,),
        note="Kiriman antarlokasi di dalam wilayah tercatat sebagai Dikirim di pengirim dan "
        "Diterima di penerima, sehingga pada total wilayah keduanya saling meniadakan; yang "
        "benar-benar masuk ke wilayah adalah angka ini.",
    ),
    Figure(
        "blanko_distributed",
        "Blanko didistribusikan",
        "Blanko yang dikirim keluar dari lokasi dalam periode (distribusi Dinas ke "
        "kecamatan, atau pengembalian kecamatan ke Dinas), diterima atau belum.",
        "keping",
        PERIOD,
        _BLANKO_ROWS,
        (_BLANKO,),
    ),
    Figure(
        "blanko_returned",
        "Blanko dikembalikan",
        "Blanko yang dikembalikan ke lokasi ini dari lokasi lain dalam periode.",
        "keping",
        PERIOD,
        _BLANKO_ROWS,
        (_BLANKO,),
    ),
    Figure(
        "blanko_used",
        "Blanko dipakai",
        "Blanko yang dipakai untuk mencetak KTP-el dalam periode.",
        "keping",
        PERIOD,
        _BLANKO_ROWS,
        (_BLANKO,),
    ),
    Figure(
        "blanko_damaged",
        "Blanko rusak",
        "Blanko rusak yang penghapusannya disetujui kepala dinas dalam periode (menurut "
        "tanggal persetujuan).",
        "keping",
        PERIOD,
        _BLANKO_ROWS + ", persetujuan (`blanko_approvals`)",
        (_BLANKO,),
    ),
    Figure(
        "blanko_adjusted",
        "Penyesuaian blanko",
        "Selisih hasil stok opname yang disetujui dalam periode (tambah atau kurang).",
        "keping",
        PERIOD,
        _BLANKO_ROWS + ", stok opname (`blanko_stock_opnames`)",
        (_BLANKO,),
    ),
    Figure(
        "blanko_in_transit",
        "Blanko dalam perjalanan",
        "Blanko yang sudah dikirim tetapi belum diterima lokasi tujuan.",
        "keping",
        MOMENT,
        _BLANKO_ROWS,
        (_BLANKO,),
    ),
    Figure(
        "blanko_closing",
        "Saldo akhir blanko",
        "Saldo awal + diterima − didistribusikan + dikembalikan − dipakai − rusak ± penyesuaian.",
        "keping",
        MOMENT,
        _BLANKO_ROWS + ", saldo (`blanko_balances`)",
        (_BLANKO,),
    ),
    Figure(
        "blanko_short",
        "Blanko kurang saat diterima",
        "Selisih jumlah dikirim dan jumlah diterima pada tanda terima yang dikonfirmasi dalam "
        "periode; tidak masuk saldo lokasi mana pun.",
        "keping",
        PERIOD,
        _BLANKO_ROWS,
        (_BLANKO,),
    ),
    Figure(
        "blanko_low_locations",
        "Lokasi stok blanko rendah",
        "Lokasi (gudang Dinas dan kecamatan) yang stoknya rendah pada tanggal keadaan: "
        "ketahanan stok di bawah ambang lokasi itu, atau stok habis padahal lokasi punya "
        "printer KTP-el atau memakai blanko dalam 30 hari terakhir. Pada baris lokasi: 1 "
        "bila rendah; pada total: jumlah lokasinya.",
        "lokasi",
        MOMENT,
        _BLANKO_ROWS + "; ambang lokasi (`blanko_location_settings`); register printer",
        (_BLANKO, "assets_app.blanko.stats.is_low"),
        note="Aturan yang sama dengan halaman Peringatan stok dan beranda (`is_low`). Printer "
        "dibaca dari register terkini.",
    ),
    Figure(
        "blanko_balance",
        "Saldo blanko",
        "Blanko di tangan pada tanggal keadaan, tanpa yang dalam perjalanan.",
        "keping",
        MOMENT,
        _BLANKO_ROWS + ", saldo (`blanko_balances`)",
        (_BLANKO,),
        note="Nama lama Saldo akhir blanko (blanko_closing); nilainya sama.",
    ),
    Figure(
        "days_of_cover",
        "Blanko cukup untuk",
        "Stok yang bisa dipakai di lokasi (tanpa yang dalam perjalanan) dibagi rata-rata "
        "pemakaian per hari dalam 30 hari terakhir.",
        "hari",
        MOMENT,
        _BLANKO_ROWS + ", pemakaian 30 hari sampai tanggal keadaan",
        ("assets_app.blanko.stats.days_of_cover", _BLANKO, _BLANKO_TOTAL),
        note="Total wilayah: seluruh stok dibagi pemakaian gabungan wilayah, bukan rata-rata "
        "angka lokasi.",
    ),
    Figure(
        "blanko_low_stock",
        "Lokasi stok blanko rendah",
        "Lokasi yang blankonya cukup untuk kurang dari ambang hari, atau stoknya nol padahal "
        "punya alat cetak atau ada pemakaian dalam 30 hari terakhir.",
        "lokasi",
        MOMENT,
        _BLANKO_ROWS + ", ambang lokasi (`blanko_location_settings`), register alat cetak",
        ("assets_app.blanko.stats.is_low", "assets_app.blanko.stats.low_clause"),
    ),
    Figure(
        "spoilage_pct",
        "Tingkat kerusakan blanko",
        "Blanko rusak dibagi (dipakai + rusak) dalam periode, dikali 100.",
        "persen",
        PERIOD,
        _BLANKO_ROWS,
        (_SUMMARY,),
    ),
    # --- recording coverage --------------------------------------------------------------
    Figure(
        "wajib_ktp",
        "Wajib KTP-el",
        "Penduduk wajib KTP-el menurut data cakupan terakhir sampai tanggal keadaan.",
        "orang",
        MOMENT,
        "Data cakupan (`coverage_snapshots`) terakhir per kecamatan/kelurahan",
        ("assets_app.assets.queries.latest_coverage",),
    ),
    Figure(
        "sudah_rekam",
        "Sudah rekam KTP-el",
        "Wajib KTP-el yang sudah merekam, menurut data cakupan terakhir.",
        "orang",
        MOMENT,
        "Data cakupan (`coverage_snapshots`) terakhir per kecamatan/kelurahan",
        ("assets_app.assets.queries.latest_coverage",),
    ),
    Figure(
        "coverage_pct",
        "Cakupan perekaman KTP-el",
        "Sudah rekam dibagi wajib KTP-el, dikali 100.",
        "persen",
        MOMENT,
        "Data cakupan (`coverage_snapshots`) terakhir per kecamatan/kelurahan",
        (_SUMMARY,),
    ),
)

CATALOGUE: dict[str, Figure] = {f.key: f for f in FIGURES}


def figure(key: str) -> Figure:
    return CATALOGUE[key]


def tooltip(key: str) -> str:
    """The tooltip of a figure ("" for a key the catalogue does not know)."""
    f = CATALOGUE.get(key)
    return f.tooltip if f is not None else ""


def tooltips() -> dict[str, str]:
    """{key: tooltip} for the templates."""
    return {f.key: f.tooltip for f in FIGURES}


def packet_definitions(keys=None) -> tuple[FigureDefinition, ...]:
    """The definitions the packet prints: every figure the packet carries (a `Figures`
    field, or `as_of`/`kecamatan_count`), aliases left out, in catalogue order."""
    shown = set(METRIC_KEYS) | {"as_of", "kecamatan_count"} if keys is None else set(keys)
    return tuple(
        FigureDefinition(f.key, f.name, f.definition, f.unit, f.span_text)
        for f in FIGURES
        if f.key in shown and f.alias_of is None
    )


# --- docs/FIGURES.md ---------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    lines = [
        "# Katalog angka (figures catalogue)",
        "",
        "<!-- Generated by `python -m assets_app.hearing.figures > docs/FIGURES.md`; "
        "edit assets_app/hearing/figures.py, not this file. -->",
        "",
        "Every figure of the DPRD summary (page `/laporan/ringkasan`, dashboard cards, "
        "`GET /api/v1/reports/summary`, packet PDF and XLSX) comes from one function and has "
        "one definition, listed here. The same text is the tooltip of the cards and of the "
        'summary table, the "Definisi angka" section of the PDF and the "Definisi" sheet '
        "of the XLSX.",
        "",
        "Span:",
        "",
        *(f"- **{key}** — {text}." for key, text in SPANS.items()),
        "",
        f"`{PENDING}`: the figure is being (re)defined by work not yet merged; the definition "
        "is the one that work implements.",
        "",
        "| Kunci | Nama | Definisi | Satuan | Rentang | Dihitung dari | Fungsi |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in FIGURES:
        definition = f.definition
        if f.alias_of:
            definition += f" (alias dari `{f.alias_of}`)"
        if f.note:
            definition += f" *Catatan:* {f.note}"
        functions = ", ".join(fn if fn == PENDING else f"`{fn}`" for fn in f.functions)
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{f.key}`",
                    f.name,
                    definition,
                    f.unit,
                    f.span,
                    f.source,
                    functions,
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(markdown())
