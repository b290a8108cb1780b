"""Vocabularies of official letters (naskah dinas): API values → Indonesian labels."""

from __future__ import annotations

LETTER_DIRECTION = {"keluar": "Surat keluar", "masuk": "Surat masuk"}

LETTER_STATUS = {
    "draf": "Draf",
    "ditandatangani": "Ditandatangani",
    "terkirim": "Terkirim",
    "diterima": "Diterima",
    "dibalas": "Dibalas",
    "dibatalkan": "Dibatalkan",
}

LETTER_SIFAT = {
    "biasa": "Biasa",
    "segera": "Segera",
    "sangat_segera": "Sangat Segera",
    "rahasia": "Rahasia",
}

LETTER_CHANNEL = {
    "srikandi": "SRIKANDI (aplikasi naskah dinas)",
    "email": "Surel",
    "pos": "Pos",
    "kurir": "Diantar langsung/kurir",
    "faksimile": "Faksimile",
}

# Kode klasifikasi arsip (Permendagri 83/2022) most used by a Disdukcapil; any other code of
# the same shape is accepted.
CLASSIFICATIONS = {
    "000.2.2": "Pemeliharaan peralatan kantor",
    "000.2.4": "Penghapusan barang milik daerah",
    "000.3": "Pengadaan",
    "400.12.2.1": "Identitas penduduk (KTP-el, blanko)",
    "400.12.4.1": "SIAK",
}

# Placeholders a number pattern may use.
PATTERN_TOKENS = {
    "klasifikasi": "kode klasifikasi surat",
    "nomor": "nomor urut per tahun (diisi nol di depan sesuai lebar)",
    "unit": "kode unit pengolah, mis. Disdukcapil",
    "tahun": "tahun surat, mis. 2026",
    "bulan": "bulan surat dua angka, mis. 03",
    "bulan_romawi": "bulan surat dalam angka Romawi, mis. III",
}
DEFAULT_PATTERN = "{klasifikasi}/{nomor}/{unit}/{tahun}"

# What a letter may be about (`subject_type`): the domains that write letters through this one.
SUBJECT_TYPES = {"ticket": "Tiket perbaikan", "blanko_request": "Permintaan blanko"}
