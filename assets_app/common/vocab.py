"""The fixed vocabularies of DESIGN.md: API values → Indonesian labels. One place for all."""

from __future__ import annotations

ASSET_STATUS = {
    "operasional": "Operasional",
    "gangguan": "Gangguan",
    "dalam_perbaikan": "Dalam perbaikan",
    "tidak_digunakan": "Tidak digunakan",
    "dihapuskan": "Dihapuskan",
}
# Statuses in which an asset does not serve citizens; time spent in them is downtime.
DOWN_STATUSES = ("gangguan", "dalam_perbaikan", "tidak_digunakan")

STATUS_CAUSE = {
    "jaringan": "Jaringan",
    "listrik": "Listrik",
    "perangkat_keras": "Perangkat keras",
    "perangkat_lunak": "Perangkat lunak",
    "operator": "Operator",
    "blanko": "Blanko",
    "lainnya": "Lainnya",
}

RESPONSIBLE_PARTY = {
    "disdukcapil": "Disdukcapil",
    "kecamatan": "Kecamatan",
    "diskominfo": "Diskominfo",
    "vendor": "Vendor/penyedia",
    "ditjen_dukcapil": "Ditjen Dukcapil",
    "pln": "PLN",
}

ASSET_CATEGORY = {
    "perekaman": "Perekaman KTP-el",
    "cetak_ktp": "Cetak KTP-el",
    "cetak_kk": "Cetak KK",
    "jaringan": "Jaringan",
    "server": "Server",
    "pendukung": "Pendukung",
}

CONDITION = {"B": "Baik", "KB": "Kurang Baik", "RB": "Rusak Berat"}

FUNDING_SOURCE = {
    "APBD": "APBD",
    "APBN": "APBN",
    "DAK": "DAK",
    "HIBAH": "Hibah",
    "LAINNYA": "Lainnya",
}

ACQUISITION_METHOD = {
    "pembelian": "Pembelian",
    "hibah": "Hibah",
    "transfer": "Transfer/mutasi",
    "lainnya": "Lainnya",
}

TICKET_STATUS = {
    "baru": "Baru",
    "diterima": "Diterima",
    "dikerjakan": "Dikerjakan",
    "menunggu_pihak_ketiga": "Menunggu pihak ketiga",
    "selesai": "Selesai",
    "ditutup": "Ditutup",
}

TICKET_PRIORITY = {"rendah": "Rendah", "sedang": "Sedang", "tinggi": "Tinggi", "kritis": "Kritis"}

TICKET_CATEGORY = {
    "jaringan": "Jaringan",
    "perangkat": "Perangkat",
    "listrik": "Listrik",
    "blanko": "Blanko",
    "aplikasi": "Aplikasi SIAK",
    "lainnya": "Lainnya",
}

LEVEL3 = {"rendah": "Rendah", "sedang": "Sedang", "tinggi": "Tinggi"}

BLANKO_MOVEMENT = {
    "penerimaan": "Penerimaan",
    "distribusi": "Distribusi",
    "pemakaian": "Pemakaian",
    "rusak": "Rusak",
    "pengembalian": "Pengembalian",
    "penyesuaian": "Penyesuaian",
}


def label(vocab: dict[str, str], value: str | None) -> str:
    if value is None:
        return "–"
    return vocab.get(value, value)


# Training (issue 6): the skills a certificate covers are asset categories that need an
# operator; `pendukung` (furniture, UPS, …) needs none.
TRAINING_TOPIC = {k: v for k, v in ASSET_CATEGORY.items() if k != "pendukung"}

TRAINING_ORGANISER = {
    "dinas": "Disdukcapil",
    "ditjen_dukcapil": "Ditjen Dukcapil",
    "vendor": "Vendor/penyedia",
}
