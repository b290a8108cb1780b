"""How the audit log reads to a person: field labels instead of column names, values as the
pages show them (vocabulary labels, Rupiah, dates, WIB times, "—" for nothing) and the name
of what was changed. The rows keep the raw values (`AuditLog.changes`); only the page words
them. A column without a label here is shown as itself, so nothing is ever hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from assets_app.common import vocab
from assets_app.common.formatting import number, rupiah, tanggal, waktu
from assets_app.common.permissions import ROLE_LABELS
from assets_app.letters import vocab as letter_vocab

NONE = "—"
SECRET = "(dirahasiakan)"

ENTITIES = {
    "assets": "Aset",
    "asset_status_events": "Status aset",
    "usage_days": "Pemakaian harian",
    "coverage_snapshots": "Cakupan perekaman",
    "tickets": "Tiket",
    "ticket_events": "Riwayat tiket",
    "ticket_attachments": "Lampiran tiket",
    "sla_targets": "Target SLA",
    "sla_settings": "Pengaturan SLA",
    "holidays": "Hari libur",
    "letters": "Surat",
    "letter_settings": "Pengaturan surat",
    "blanko_movements": "Mutasi blanko",
    "blanko_receipts": "Tanda terima blanko",
    "blanko_approvals": "Persetujuan blanko",
    "blanko_serial_ranges": "Rentang nomor seri blanko",
    "blanko_requests": "Permintaan blanko",
    "blanko_stock_opnames": "Stock opname blanko",
    "blanko_location_settings": "Pengaturan stok lokasi",
    "users": "Pengguna",
    "api_tokens": "Token API",
    "operators": "Operator",
    "trainings": "Sesi pelatihan",
    "training_topics": "Materi pelatihan",
    "training_attendance": "Peserta pelatihan",
    "certificate_topics": "Cakupan sertifikat",
    "training_topic_validity": "Masa berlaku sertifikat",
    "hearing_reports": "Paket RDP",
}

# Labels shared by every entity; an entity's own table below wins.
COMMON = {
    "id": "ID",
    "region_code": "Wilayah",
    "created_at": "Dibuat",
    "updated_at": "Diubah",
    "created_by_id": "Dibuat oleh (ID)",
    "author_id": "Dicatat oleh (ID)",
    "status": "Status",
    "note": "Catatan",
    "notes": "Keterangan",
    "name": "Nama",
    "quantity": "Jumlah (keping)",
    "category": "Kategori",
    "responsible_party": "Pihak penanggung jawab",
    "active": "Aktif",
    "day": "Tanggal",
    "valid_until": "Berlaku sampai",
    "topic": "Materi",
}

FIELDS: dict[str, dict[str, str]] = {
    "assets": {
        "kode_barang": "Kode barang", "register_no": "Nomor register", "name": "Nama barang",
        "brand_model": "Merk/tipe", "serial_number": "Nomor seri",
        "acquired_on": "Tanggal perolehan", "funding_source": "Sumber dana",
        "acquisition_method": "Cara perolehan", "contract_no": "Nomor kontrak/SPK",
        "vendor": "Penyedia", "unit_price": "Harga satuan", "bast_no": "Nomor BAST",
        "bast_date": "Tanggal BAST", "condition": "Kondisi", "custodian": "Pemegang",
        "label_token": "Kode label QR", "status_since": "Status sejak",
    },
    "asset_status_events": {
        "asset_id": "Aset (ID)", "cause": "Sebab", "started_at": "Mulai",
    },
    "usage_days": {
        "rekam": "Perekaman", "cetak_ktp": "Cetak KTP-el", "cetak_kk": "Cetak KK",
        "ditolak": "Warga ditolak", "kuota": "Kuota",
    },
    "coverage_snapshots": {
        "as_of": "Per tanggal", "wajib_ktp": "Wajib KTP-el", "sudah_rekam": "Sudah rekam",
    },
    "tickets": {
        "number": "Nomor tiket", "asset_id": "Aset (ID)", "urgency": "Urgensi",
        "impact": "Dampak", "priority": "Prioritas", "title": "Judul",
        "description": "Uraian", "assignee_id": "Petugas (ID)", "reporter_id": "Pelapor (ID)",
        "reopened_count": "Dibuka kembali", "escalation_level": "Tingkat eskalasi",
        "accepted_at": "Diterima", "resolved_at": "Diselesaikan", "closed_at": "Ditutup",
        "accept_due_at": "Batas penanganan", "resolve_due_at": "Batas penyelesaian",
    },
    "letters": {
        "issuer_code": "Dinas penerbit", "direction": "Arah", "classification": "Klasifikasi",
        "number": "Nomor surat", "seq_year": "Tahun nomor", "seq_no": "Nomor urut",
        "letter_date": "Tanggal surat", "sifat": "Sifat", "lampiran": "Lampiran",
        "perihal": "Perihal", "sender": "Pengirim", "recipient": "Penerima",
        "recipient_place": "Tempat penerima", "body": "Isi", "tembusan": "Tembusan",
        "signer_name": "Penanda tangan", "signer_nip": "NIP penanda tangan",
        "signer_rank": "Pangkat penanda tangan", "signer_position": "Jabatan penanda tangan",
        "kop": "Kop surat", "subject_type": "Terkait (jenis)", "subject_id": "Terkait (ID)",
        "in_reply_to_id": "Balasan atas (ID)", "signed_by_id": "Ditandatangani oleh (ID)",
        "signed_at": "Ditandatangani", "sent_on": "Tanggal kirim",
        "received_on": "Tanggal terima", "channel": "Saluran", "replied_on": "Tanggal balasan",
        "reply_summary": "Ringkasan balasan", "pdf_sha256": "Sidik PDF (SHA-256)",
        "pdf_path": "Berkas PDF",
    },
    "blanko_movements": {
        "kind": "Jenis mutasi", "from_region": "Lokasi asal", "to_region": "Lokasi tujuan",
        "occurred_at": "Waktu mutasi", "reference": "Nomor referensi",
        "bast_date": "Tanggal BAST", "request_id": "Permintaan (ID)",
    },
    "blanko_receipts": {
        "movement_id": "Mutasi (ID)", "quantity_sent": "Jumlah dikirim",
        "quantity_received": "Jumlah diterima", "received_at": "Diterima",
    },
    "blanko_approvals": {
        "movement_id": "Mutasi (ID)", "approved": "Disetujui",
        "berita_acara_no": "Nomor berita acara", "decided_at": "Diputuskan",
    },
    "blanko_requests": {
        "suggested_quantity": "Jumlah disarankan", "basis": "Dasar perhitungan",
        "letter_no": "Nomor surat", "letter_date": "Tanggal surat", "recipient": "Penerima",
        "signatory": "Penanda tangan",
    },
    "blanko_location_settings": {
        "low_stock_days": "Batas stok rendah (hari)", "lead_time_days": "Waktu tunggu (hari)",
    },
    "users": {
        "username": "Nama pengguna", "role": "Peran", "password_hash": "Kata sandi",
        "last_login_at": "Terakhir masuk", "password_changed_at": "Kata sandi diganti",
    },
}  # fmt: skip

# Vocabulary of a column: (entity or None for every entity, column) -> labels.
_VOCABS: dict[tuple[str | None, str], dict[str, str]] = {
    ("assets", "status"): vocab.ASSET_STATUS,
    ("asset_status_events", "status"): vocab.ASSET_STATUS,
    ("asset_status_events", "cause"): vocab.STATUS_CAUSE,
    ("assets", "category"): vocab.ASSET_CATEGORY,
    ("assets", "condition"): vocab.CONDITION,
    ("assets", "funding_source"): vocab.FUNDING_SOURCE,
    ("assets", "acquisition_method"): vocab.ACQUISITION_METHOD,
    ("tickets", "status"): vocab.TICKET_STATUS,
    ("tickets", "priority"): vocab.TICKET_PRIORITY,
    ("tickets", "urgency"): vocab.TICKET_PRIORITY,
    ("tickets", "impact"): vocab.TICKET_PRIORITY,
    ("tickets", "category"): vocab.TICKET_CATEGORY,
    ("letters", "status"): letter_vocab.LETTER_STATUS,
    ("letters", "direction"): letter_vocab.LETTER_DIRECTION,
    ("letters", "sifat"): letter_vocab.LETTER_SIFAT,
    ("letters", "channel"): letter_vocab.LETTER_CHANNEL,
    ("blanko_movements", "kind"): vocab.BLANKO_MOVEMENT,
    ("users", "role"): ROLE_LABELS,
    (None, "responsible_party"): vocab.RESPONSIBLE_PARTY,
}
_MONEY = {("assets", "unit_price")}


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, entity)


def field_label(entity: str, column: str) -> str:
    return FIELDS.get(entity, {}).get(column) or COMMON.get(column) or column


def _as_time(text: str) -> datetime | date | None:
    """An ISO date or datetime as the listener stores them, else None."""
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def value_text(entity: str, column: str, value) -> str:
    """A stored value as the pages show it."""
    if value is None or value == "":
        return NONE
    if value == "***":
        return SECRET
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    labels = _VOCABS.get((entity, column)) or _VOCABS.get((None, column))
    if labels is not None and isinstance(value, str):
        return labels.get(value, value)
    if (entity, column) in _MONEY and isinstance(value, int | float):
        return rupiah(int(value))
    if isinstance(value, int | float):
        return number(value) if not column.endswith("_id") and column != "id" else str(value)
    if isinstance(value, str):
        moment = _as_time(value)
        if isinstance(moment, datetime):
            return waktu(moment)  # naive values were stored in UTC
        if isinstance(moment, date):
            return tanggal(moment)
        return value
    if isinstance(value, dict | list):
        return f"({len(value)} isian)"
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def changes(entry) -> list[Change]:
    """An audit row's changes, worded: for an update old → new; for an insert/delete the
    values (old "—" on insert, new "—" on delete)."""
    out = []
    for column, value in (entry.changes or {}).items():
        label = field_label(entry.entity, column)
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            old, new = value
        elif entry.action == "delete":
            old, new = value, None
        else:
            old, new = None, value
        out.append(
            Change(
                label, value_text(entry.entity, column, old), value_text(entry.entity, column, new)
            )
        )
    return out
