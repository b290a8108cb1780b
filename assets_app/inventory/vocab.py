"""Words of the inventarisasi domain."""

SESSION_STATUS = {
    "berjalan": "Berjalan",
    "diajukan": "Menunggu konfirmasi",
    "selesai": "Dikonfirmasi",
}
RESULT = {"ditemukan": "Ditemukan", "tidak_ditemukan": "Tidak ditemukan"}
GROUPS = {
    "found": "Ditemukan",
    "not_found": "Tidak ditemukan",
    "condition_changed": "Kondisi berubah",
    "moved": "Berpindah lokasi",
    "unregistered": "Tidak terdaftar",
}
