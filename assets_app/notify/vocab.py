"""Vocabularies of the notices: channels, delivery status, kinds of notice, job-run status."""

from __future__ import annotations

CHANNELS = {
    "aplikasi": "Aplikasi",
    "email": "E-mail",
    "whatsapp": "WhatsApp",
}
# Channels a person may switch on or off; the in-app notice is always written.
OPTIONAL_CHANNELS = ("email", "whatsapp")

STATUS = {
    "antri": "Antri",
    "terkirim": "Terkirim",
    "gagal": "Gagal",
}

KINDS = {
    "tiket_baru": "Tiket baru",
    "penugasan": "Penugasan tiket",
    "status": "Perubahan status tiket",
    "komentar": "Komentar tiket",
    "surat": "Surat tiket",
    "eskalasi": "Eskalasi SLA",
    "laporan_harian": "Laporan harian belum masuk",
    "blanko_menipis": "Stok blanko menipis",
    "sertifikat": "Sertifikat akan kedaluwarsa",
    "surat_ttd": "Surat menunggu tanda tangan",
    "blanko_ditjen": "Permintaan blanko ke Ditjen belum dijawab",
    "ringkasan": "Ringkasan mingguan",
    "gangguan": "Kemungkinan gangguan perangkat",
    "uji": "Pesan uji",
}

JOB_STATUS = {
    "berjalan": "Berjalan",
    "berhasil": "Berhasil",
    "gagal": "Gagal",
}
