"""Vocabularies of the officials (pejabat): the documents they sign and the PNS ranks."""

from __future__ import annotations

# Each kind of document the app writes, and who signs it (one official per kind and kab/kota).
DOC_KINDS: dict[str, str] = {
    "surat": "Surat dinas",
    "berita_acara": "Berita acara blanko",
    "opname": "Lembar stock opname",
    "sertifikat": "Sertifikat pelatihan",
    "rdp": "Persetujuan paket RDP",
    "kib": "Ekspor KIB",
}

# Pangkat/golongan ruang of civil servants (PNS), as written under the name on a signature.
RANKS: tuple[str, ...] = (
    "Penata Muda (III/a)",
    "Penata Muda Tingkat I (III/b)",
    "Penata (III/c)",
    "Penata Tingkat I (III/d)",
    "Pembina (IV/a)",
    "Pembina Tingkat I (IV/b)",
    "Pembina Utama Muda (IV/c)",
    "Pembina Utama Madya (IV/d)",
    "Pembina Utama (IV/e)",
)

NOT_SET = "Pejabat penanda tangan belum diatur"
