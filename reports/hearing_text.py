"""Plain-Indonesian sentences and number formats of the hearing packet (shared by PDF/XLSX)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from functools import lru_cache

from babel.numbers import format_decimal

from reports import _format
from reports._format import LOCALE, WIB, tanggal, waktu
from reports.hearing_data import HearingPacket

TITLE = (
    "Laporan Kondisi Sarana Prasarana Administrasi Kependudukan — "
    "bahan Rapat Dengar Pendapat DPRD Komisi I"
)
NO_DATA = "–"

# Babel formatting is the slow part of a province-sized packet; the same figures recur.
angka = lru_cache(maxsize=16384, typed=True)(_format.angka)
rupiah = lru_cache(maxsize=16384, typed=True)(_format.rupiah)


@lru_cache(maxsize=16384, typed=True)
def persen(value: float | None) -> str:
    """Percent units → `94,73%`."""
    if value is None:
        return NO_DATA
    return format_decimal(value, format="#,##0.00", locale=LOCALE) + "%"


@lru_cache(maxsize=16384, typed=True)
def jam(value: float | None) -> str:
    if value is None:
        return NO_DATA
    return format_decimal(value, format="#,##0.0", locale=LOCALE)


@lru_cache(maxsize=16384, typed=True)
def hari(value: float | int | None) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, int):
        return angka(value)
    return format_decimal(value, format="#,##0.0", locale=LOCALE)


def runs_to_now(as_of: date | datetime) -> bool:
    """True when the moment is an instant inside a day (the period ends today or later), so
    open downtime and ticket ages run to it; False for the end of a day (or a plain date)."""
    if not isinstance(as_of, datetime):
        return False
    local = as_of.astimezone(WIB)
    return (local.hour, local.minute, local.second) != (23, 59, 59)


def keadaan_per(as_of: date | datetime) -> str:
    """The label of every point-in-time figure: "30 Juni 2026" (end of the period's last
    day), or "1 Desember 2026 14.05 WIB" (the generation instant while the period runs)."""
    return waktu(as_of) if runs_to_now(as_of) else tanggal(as_of)


def num(value: int | None) -> str:
    return NO_DATA if value is None else angka(value)


def period_text(p: HearingPacket) -> str:
    return f"{tanggal(p.period_start)} s.d. {tanggal(p.period_end)}"


def ya_tidak(value) -> str:
    if value is None:
        return NO_DATA
    return "Ya" if value else "Tidak"


def _share(part: float, whole: float) -> str:
    return persen(part * 100 / whole) if whole else NO_DATA


def _lower_first(text: str) -> str:
    """ "Tidak ada perekaman KTP-el" → "tidak ada perekaman KTP-el" (acronyms intact)."""
    return text[:1].lower() + text[1:]


def _names(names: list[str], limit: int = 8) -> str:
    if len(names) <= limit:
        shown = names
        rest = 0
    else:
        shown, rest = names[:limit], len(names) - limit
    text = ", ".join(shown)
    return f"{text}, dan {rest} lainnya" if rest else text


def _missing(what: str) -> str:
    return f"Data {what} belum tersedia dalam sistem untuk wilayah dan periode ini."


def _intro(p: HearingPacket) -> list[str]:
    return [
        f"Laporan ini memuat kondisi sarana prasarana administrasi kependudukan di "
        f"{p.scope_name} untuk periode {period_text(p)}. Angka stok (jumlah dan status "
        f"peralatan, tiket terbuka, operator bersertifikat, saldo blanko) adalah keadaan per "
        f"{keadaan_per(p.as_of)}; angka arus (waktu henti, warga ditolak, surat dikirim dan "
        f"diterima, mutasi blanko) dihitung selama periode; surat yang belum dibalas dihitung "
        f"per akhir periode."
    ]


def _assets(p: HearingPacket) -> list[str]:
    t = p.total
    kec = p.kecamatan_rows
    n_kec = p.kecamatan_count
    out: list[str] = []
    if p.has("assets"):
        dinas = any(r.level != p.unit for r in p.rows)
        where = f"{n_kec} kecamatan" + (" dan kantor Dinas" if dinas else "")
        if p.by_kabkota:
            where = f"{angka(len(kec))} kabupaten/kota ({angka(n_kec)} kecamatan dan kantor Dinas)"
        out.append(
            f"Tercatat {angka(t.assets_count)} unit peralatan dengan nilai perolehan "
            f"{rupiah(t.assets_value)}, tersebar di {where}. Sebanyak "
            f"{persen(t.operational_pct)} peralatan dalam keadaan operasional."
        )
        cannot = [r.name for r in kec if r.figures.can_record_today is False]
        if p.by_kabkota:  # a kab/kota row counts its kecamatan able to record
            cannot = [
                f"{r.name} ({angka(r.kecamatan_count - (r.figures.can_record_today or 0))} dari "
                f"{angka(r.kecamatan_count)} kecamatan)"
                for r in kec
                if r.kecamatan_count and (r.figures.can_record_today or 0) < r.kecamatan_count
            ]
        sentence = (
            f"Per {keadaan_per(p.as_of)}, {angka(t.can_record_today or 0)} dari {n_kec} "
            f"kecamatan dapat melayani perekaman KTP-el"
        )
        if cannot:
            what = (
                "kecamatan yang tidak dapat merekam ada di"
                if p.by_kabkota
                else ("yang tidak dapat merekam:")
            )
            sentence += f"; {what} {_names(cannot)}."
        else:
            sentence += "."
        out.append(sentence)
    else:
        out.append(_missing("register aset"))
    return out


def _downtime(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("downtime"):
        if t.downtime_hours:
            text = (
                f"Selama periode, peralatan berada dalam keadaan tidak berfungsi (gangguan, "
                f"dalam perbaikan, atau tidak digunakan) selama total {jam(t.downtime_hours)} "
                f"jam."
            )
            if runs_to_now(p.as_of):
                text = (
                    text[:-1]
                    + f" (per {keadaan_per(p.as_of)}; gangguan yang masih berlangsung dihitung sampai saat itu)."
                )
            if t.downtime_by_cause:
                cause, hours = max(t.downtime_by_cause.items(), key=lambda kv: (kv[1], kv[0]))
                text += (
                    f" Penyebab terbesar adalah {_lower_first(p.cause_label(cause))} "
                    f"({jam(hours)} jam, {_share(hours, t.downtime_hours)})."
                )
            if t.downtime_by_party:
                party, hours = max(t.downtime_by_party.items(), key=lambda kv: (kv[1], kv[0]))
                text += (
                    f" Pihak penanggung jawab dengan waktu henti terbesar adalah "
                    f"{p.party_label(party)} ({jam(hours)} jam, "
                    f"{_share(hours, t.downtime_hours)})."
                )
            out.append(text)
        else:
            out.append("Selama periode tidak tercatat waktu henti peralatan.")
    else:
        out.append(_missing("waktu henti peralatan"))
    return out


MAX_REASONS = 8  # reasons named in the text; the rest are summed ("dan N unit lainnya")


def main_reasons(items) -> list[tuple[str, int]]:
    """(main reason, units) of idle items, most frequent first (the first reason of each
    item is the main one)."""
    reasons = Counter(a.reason.split(";")[0].strip() for a in items)
    return sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))


def idle_reasons(p: HearingPacket) -> list[tuple[str, int]]:
    """(main reason, units) of the idle list, most frequent first; the units add up to the
    number of idle assets (in a province packet: of the whole list, not only those shown)."""
    cut = p.cut("idle_assets")
    return list(cut.reasons) if cut is not None else main_reasons(p.idle_assets)


# What each cut list is ordered by (a province packet shows its first items).
CUT_ORDER = {
    "idle_assets": ("unit", "dengan harga satuan tertinggi"),
    "overdue_tickets": ("tiket", "yang paling lama menunggu"),
    "training_gaps": ("kesenjangan", "dengan nilai peralatan terbesar"),
}


def cut_note(p: HearingPacket, key: str, shown: int) -> str | None:
    """ "Ditampilkan 50 unit dengan harga satuan tertinggi dari 1.284 unit, … dan 1.234
    lainnya; jumlah per kabupaten/kota di tabel sebelumnya." — None when nothing is cut."""
    cut = p.cut(key)
    if cut is None or not cut.rest(shown):
        return None
    noun, order = CUT_ORDER[key]
    return (
        f"Ditampilkan {angka(shown)} {noun} {order} dari {angka(cut.total)} {noun}, … dan "
        f"{angka(cut.rest(shown))} lainnya; jumlah per kabupaten/kota di tabel sebelumnya."
    )


def last_report_text(r, window_days: int) -> str:
    """ "tidak ada laporan pemakaian sejak 18 November 2019" or "belum pernah melapor" (the
    Dinas' own row has no reporting figures: "… dalam 30 hari terakhir")."""
    f = r.figures
    if f.last_report_on:
        return f"tidak ada laporan pemakaian sejak {tanggal(f.last_report_on)}"
    if r.level != "kecamatan":
        return f"tidak ada laporan pemakaian dalam {window_days} hari terakhir"
    return "belum pernah melapor"


def unreported_text(r, window_days: int) -> str:
    """ "Kec. Maesan (3 unit, Rp 150.000.000, tidak ada laporan pemakaian sejak …)"."""
    f = r.figures
    when = last_report_text(r, window_days)
    return f"{r.name} ({angka(f.unreported_count)} unit, {rupiah(f.unreported_value)}, {when})"


def _idle(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("assets"):
        if t.idle_count:
            text = (
                f"Sebanyak {angka(t.idle_count)} unit peralatan senilai {rupiah(t.idle_value)} "
                f"menganggur (berstatus tidak digunakan, atau kecamatannya melaporkan nol "
                f"pemakaian selama {p.idle_window_days} hari)."
            )
            reasons = idle_reasons(p)
            if reasons:
                shown, rest = reasons[:MAX_REASONS], reasons[MAX_REASONS:]
                parts = [f"{_lower_first(r)} ({angka(n)} unit)" for r, n in shown]
                if rest:
                    parts.append(
                        f"dan {angka(sum(n for _, n in rest))} unit lainnya dengan "
                        f"{angka(len(rest))} alasan lain ({_list_sheet(p, 'idle_assets')})"
                    )
                text += f" Alasannya: {'; '.join(parts)}."
            if p.idle_assets:
                top = max(p.idle_assets, key=lambda a: (a.unit_price, a.kode_barang))
                since = f" sejak {tanggal(top.since)}" if top.since else ""
                text += (
                    f" Peralatan menganggur dengan harga satuan tertinggi adalah {top.name} di "
                    f"{top.region_name} ({rupiah(top.unit_price)}), menganggur{since}."
                )
            out.append(text)
        else:
            out.append("Tidak ada peralatan yang menganggur.")
        if t.unreported_count:
            rows = [r for r in p.rows if r.figures.unreported_count]
            out.append(
                f"Selain itu, {angka(t.unreported_count)} unit peralatan operasional senilai "
                f"{rupiah(t.unreported_value)} berada di lokasi yang tidak mengirim laporan "
                f"pemakaian harian selama {p.idle_window_days} hari, sehingga pemakaiannya "
                f"tidak diketahui (tidak dihitung menganggur): "
                + "; ".join(unreported_text(r, p.idle_window_days) for r in rows)
                + "."
            )
    return out


def _list_sheet(p: HearingPacket, key: str) -> str:
    cut = p.cut(key)
    if cut is not None and cut.rest(len(p.idle_assets)):
        return f"{angka(len(p.idle_assets))} teratas di lembar Menganggur"
    return "daftar lengkap di lembar Menganggur"


def _usage(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("usage"):
        out.append(
            f"Selama periode tercatat {angka(t.recorded)} perekaman KTP-el di kecamatan, dan "
            f"{angka(t.turned_away)} warga tidak dapat dilayani (ditolak)."
        )
        if t.expected_days:
            out.append(
                f"Kepatuhan melapor pemakaian harian: {persen(t.reporting_pct)} "
                f"({angka(t.reported_days)} dari {angka(t.expected_days)} hari kerja titik "
                f"layanan dalam periode, menurut kalender kantor tanpa hari libur)."
            )
    return out


def _tickets(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("tickets"):
        text = (
            f"Per {keadaan_per(p.as_of)} terdapat {angka(t.open_tickets)} tiket perbaikan yang "
            f"masih terbuka; "
            f"{angka(t.overdue_tickets)} di antaranya melewati batas waktu penyelesaian."
        )
        if t.oldest_ticket_days is not None:
            text += f" Tiket terbuka tertua sudah berumur {angka(t.oldest_ticket_days)} hari."
        out.append(text)
    else:
        out.append(_missing("tiket perbaikan"))
    return out


def _letters(p: HearingPacket) -> list[str]:
    """Only the Dinas's own outgoing letters are "dikirim"; letters from the camat are
    "diterima"; "belum dibalas" is counted at the end of the period."""
    t = p.total
    out: list[str] = []
    if p.has("letters"):
        end = tanggal(p.period_end)
        text = f"Selama periode Dinas mengirim {angka(t.letters_sent)} surat keluar."
        if t.letters_unanswered:
            text += (
                f" Per {end}, {angka(t.letters_unanswered)} surat keluar Dinas yang dikirim "
                f"sampai tanggal itu belum dibalas; yang terlama sudah menunggu "
                f"{angka(t.awaiting_reply_days or 0)} hari."
            )
        else:
            text += f" Per {end} tidak ada surat keluar Dinas yang belum dibalas."
        text += (
            f" Dinas menerima {angka(t.letters_received)} surat masuk (misalnya dari camat) "
            f"selama periode; surat masuk tidak dihitung sebagai surat yang dikirim Dinas."
        )
        out.append(text)
    return out


def _training(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("training"):
        out.append(
            f"Terdapat {angka(t.trained_operators)} operator dengan sertifikat pelatihan yang "
            f"masih berlaku, dan {angka(t.training_gaps)} kesenjangan pelatihan (kecamatan yang "
            f"memegang peralatan suatu kategori tanpa operator bersertifikat untuk kategori itu)."
        )
    else:
        out.append(_missing("pelatihan operator"))
    return out


def _blanko(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("blanko"):
        text = f"Saldo blanko KTP-el per {keadaan_per(p.as_of)} sebanyak {angka(t.blanko_balance)} keping"
        if t.days_of_cover is not None:
            text += (
                f", cukup untuk sekitar {hari(t.days_of_cover)} hari pada laju pemakaian "
                f"30 hari terakhir"
            )
        text += f"; {angka(t.blanko_low_locations)} lokasi berstok rendah"
        text += (
            f". Selama periode: saldo awal {angka(t.blanko_opening)} + diterima "
            f"{angka(t.blanko_received)} − dikirim {angka(t.blanko_distributed)} + kembali "
            f"{angka(t.blanko_returned)} − dipakai {angka(t.blanko_used)} − rusak "
            f"{angka(t.blanko_damaged)} ± penyesuaian {angka(t.blanko_adjusted)} = saldo akhir "
            f"{angka(t.blanko_closing)} keping; di luar saldo itu {angka(t.blanko_in_transit)} "
            f"keping masih dalam perjalanan dan {angka(t.blanko_short)} keping kurang saat "
            f"diterima (tingkat kerusakan {persen(t.spoilage_pct)})."
        )
        text += (
            f" Dari luar wilayah (Ditjen Dukcapil) masuk {angka(t.blanko_received_external)} "
            "keping; kiriman antarlokasi di dalam wilayah tercatat sebagai dikirim di "
            "pengirim dan diterima di penerima, sehingga pada total saling meniadakan."
        )
        out.append(text)
    else:
        out.append(_missing("blanko KTP-el"))
    return out


def _coverage(p: HearingPacket) -> list[str]:
    t = p.total
    out: list[str] = []
    if p.has("coverage"):
        if t.wajib_ktp:
            out.append(
                f"Cakupan perekaman KTP-el {persen(t.coverage_pct)} ({angka(t.sudah_rekam)} dari "
                f"{angka(t.wajib_ktp)} wajib KTP-el; belum rekam "
                f"{angka(max(t.wajib_ktp - t.sudah_rekam, 0))})."
            )
        else:
            out.append("Belum ada data cakupan perekaman KTP-el untuk wilayah ini.")
    return out


# The summary's paragraphs, in the order they are read.
PARAGRAPHS = (
    _intro,
    _assets,
    _downtime,
    _idle,
    _usage,
    _tickets,
    _letters,
    _training,
    _blanko,
    _coverage,
)


def summary_paragraphs(p: HearingPacket) -> list[str]:
    """The one-page summary: every sentence is built from the packet's numbers."""
    return [text for paragraph in PARAGRAPHS for text in paragraph(p)]


# --- "Definisi angka": the catalogue's text (assets_app.hearing.figures), carried by the packet

DEFINITIONS_TITLE = "Definisi angka"


def definitions_intro(p: HearingPacket) -> str:
    return (
        f'Setiap angka dalam bahan ini memakai satu definisi. Angka "dalam periode" '
        f'menjumlah kejadian {period_text(p)}; angka "per tanggal keadaan" menggambarkan '
        f"keadaan pada {tanggal(p.as_of)}."
    )


def definition_rows(p: HearingPacket) -> list[tuple[str, str, str, str, str]]:
    """(key, name, definition, unit, span) of every figure the packet defines."""
    return [(d.key, d.name, d.definition, d.unit, d.span) for d in p.definitions]
