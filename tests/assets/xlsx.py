"""Build import spreadsheets in tests."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from assets_app.assets.fields import HEADERS


def workbook_bytes(rows: list[list], headers: list | tuple | None = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    if headers is not None:
        ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def asset_row(n: int = 1, **overrides) -> list:
    """One valid row in HEADERS order; overrides by header name."""
    values = {
        "Kode Wilayah": "35.11.05",
        "Kode Barang": "1.3.2.10.01.02.001",
        "Nomor Register": f"{n:04d}",
        "Nama Barang": "PC Unit perekaman KTP-el",
        "Kategori": "perekaman",
        "Merk/Tipe": "HP ProDesk 400 G5",
        "Nomor Seri": f"SGH{n:07d}",
        "Tanggal Perolehan": date(2019, 11, 18),
        "Sumber Dana": "APBD",
        "Cara Perolehan": "pembelian",
        "Nomor Kontrak/SPK": "027/0412/SPK/2019",
        "Penyedia": "CV Sinar Data",
        "Harga Satuan (Rp)": 14_750_000,
        "Nomor BAST": "027/0533/BAST/2019",
        "Tanggal BAST": date(2019, 11, 18),
        "Kondisi": "B",
        "Pemegang": "Operator",
        "Keterangan": None,
        "NIBAR": None,
        "Ukuran/CC": None,
        "Bahan": None,
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]
