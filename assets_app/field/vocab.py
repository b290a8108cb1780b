"""Words of the daily report and the public board."""

from __future__ import annotations

REPORT_LEVELS = ("kecamatan", "kabkota")  # a kecamatan, or the Dinas office of a kab/kota
# Devices the daily report asks about (service equipment and its network).
DEVICE_CATEGORIES = ("perekaman", "cetak_ktp", "cetak_kk", "jaringan", "server")
DEVICE_STATUSES = {"operasional": "Operasional", "gangguan": "Gangguan"}

# The cause of a downtime in words for the public (no party, no person, no ticket text).
PUBLIC_CAUSE = {
    "jaringan": "jaringan terputus",
    "listrik": "listrik padam",
    "perangkat_keras": "perangkat rusak",
    "perangkat_lunak": "aplikasi bermasalah",
    "operator": "petugas tidak tersedia",
    "blanko": "blanko habis",
    "lainnya": "gangguan layanan",
}
NO_BLANKO = "blanko habis"
NO_DEVICE = "tidak ada perangkat"
BOARD_REFRESH_SECONDS = 300
BOARD_BYTE_BUDGET = 60 * 1024
