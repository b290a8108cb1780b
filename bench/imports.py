"""Benchmark of the register import: `python bench/imports.py [--n 10000]`.

Fills the app's own import template (`documents.asset_template()`) with N asset rows spread
over the kecamatan of the demo kab/kota, then times, on the engine of DATABASE_URL (a scratch
database is created on that PostgreSQL server and dropped afterwards) or on a fresh SQLite file:

- a bare openpyxl read of the same file (read-only, every cell value): the floor;
- the import into an empty register;
- a second file of N rows into the register that now holds the first N (the existence checks
  of register numbers and NIBAR then have rows to find).

Prints wall and CPU seconds for each, so the app's overhead over the floor is visible.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from datetime import date

from _common import ScratchPostgres, build_schema, make_app

KINDS = (
    ("perekaman", "1.3.2.10.01.02.001", "PC Unit perekaman KTP-el", 14_750_000),
    ("perekaman", "1.3.2.05.01.05.068", "Alat Sidik Jari", 9_850_000),
    ("cetak_ktp", "1.3.2.10.02.03.003", "Printer kartu KTP-el", 52_500_000),
    ("jaringan", "1.3.2.10.02.04.002", "Router VPN SIAK", 6_800_000),
    ("pendukung", "1.3.2.05.02.06.018", "UPS", 3_200_000),
)


def workbook(n: int, kecamatan: list[str], offset: int) -> bytes:
    """N rows in the template; register numbers start after `offset` so files do not clash."""
    import openpyxl

    from assets_app.assets import documents
    from assets_app.assets.fields import HEADERS

    wb = openpyxl.load_workbook(io.BytesIO(documents.asset_template()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][: len(HEADERS)] == list(HEADERS)
    for i in range(n):
        k = offset + i
        category, kode, name, price = KINDS[k % len(KINDS)]
        values = {
            "Kode Wilayah": kecamatan[k % len(kecamatan)],
            "Kode Barang": kode,
            "Nomor Register": f"{k:06d}",
            "Nama Barang": name,
            "Kategori": category,
            "Merk/Tipe": "HP ProDesk 400 G5",
            "Nomor Seri": f"SGH{k:08d}",
            "Tanggal Perolehan": date(2019, 1 + k % 12, 1 + k % 28),
            "Sumber Dana": "APBD",
            "Cara Perolehan": "pembelian",
            "Nomor Kontrak/SPK": "027/0412/SPK/2019",
            "Penyedia": "CV Sinar Data",
            "Harga Satuan (Rp)": price,
            "Nomor BAST": "027/0533/BAST/2019",
            "Tanggal BAST": date(2019, 1 + k % 12, 1 + k % 28),
            "Kondisi": "B",
            "Pemegang": "Operator",
            "Keterangan": None,
            "NIBAR": f"{k:012d}",
            "Ukuran/CC": None,
            "Bahan": None,
        }
        for col, header in enumerate(HEADERS, start=1):
            ws.cell(row=2 + i, column=col, value=values[header])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bare_read(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    cells = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for v in row if v is not None)
    wb.close()
    return cells


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run(url: str, n: int) -> None:
    import sqlalchemy as sa

    from assets_app.assets import importer
    from assets_app.assets.models import Asset
    from assets_app.auth.services import create_user
    from assets_app.extensions import db
    from assets_app.regions.models import Region
    from assets_app.regions.services import load_regions

    app = make_app(url, IMPORT_MAX_SECONDS=600)
    build_schema(app)
    with app.app_context():
        load_regions(list(app.config["DEMO_REGIONS"]))
        admin = create_user(
            "bench", role="admin", password="bench-password-1", name="Bench", region_code=None
        )
        db.session.commit()
        kecamatan = list(
            db.session.scalars(
                sa.select(Region.code).where(Region.level == "kecamatan").order_by(Region.code)
            )
        )
        engine = db.engine.dialect.name
        first, second = workbook(n, kecamatan, 0), workbook(n, kecamatan, n)
        print(f"{engine}: {n:,} baris, {len(first) / 1e6:.1f} MB, {len(kecamatan)} kecamatan")
        wall, cpu, _ = timed(lambda: bare_read(first))
        print(f"  openpyxl baca saja     {wall:6.2f} s  (CPU {cpu:6.2f} s)")
        for label, data in (("register kosong", first), (f"register berisi {n:,}", second)):
            wall, cpu, result = timed(lambda d=data: importer.import_assets(d, admin))
            db.session.commit()
            assert result.created == n, result.created
            print(f"  impor, {label:<15} {wall:6.2f} s  (CPU {cpu:6.2f} s)")
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Asset))
        assert total == 2 * n, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="baris per berkas (bawaan 10.000)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ["INSTANCE_PATH"] = tmp.name
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        with ScratchPostgres(server, prefix="bench_imports") as url:
            run(url, args.n)
    else:
        run(f"sqlite:///{tmp.name}/bench.sqlite", args.n)


if __name__ == "__main__":
    main()
