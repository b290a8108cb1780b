"""Benchmark of the register at scale: `python bench/assets.py [--n 150000]`.

Generates N assets across the real kecamatan of the four demo kab/kota (with status events,
some outages and 60 days of usage), then times the pages and services a user waits for — the
list page (first page, filtered, sorted), the idle computation and the KIB B export — each
beside the raw SQL doing the same aggregate, so the overhead of the app is visible.

Uses a fresh SQLite file in a temporary folder unless --database-url is given (an empty
database: the migrations build the schema there).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from _common import analyze, build_schema, make_app

CATEGORIES = (
    ("perekaman", "1.3.2.10.01.02.001", "PC Unit perekaman KTP-el", 14_750_000),
    ("perekaman", "1.3.2.05.01.05.068", "Alat Sidik Jari", 9_850_000),
    ("perekaman", "1.3.2.10.02.03.004", "Scanner iris mata", 18_500_000),
    ("cetak_ktp", "1.3.2.10.02.03.003", "Printer kartu KTP-el", 52_500_000),
    ("cetak_kk", "1.3.2.10.02.03.003", "Printer cetak KK", 4_150_000),
    ("jaringan", "1.3.2.10.02.04.002", "Router VPN SIAK", 6_800_000),
    ("server", "1.3.2.10.02.04.001", "Server perekaman", 185_000_000),
    ("pendukung", "1.3.2.05.02.06.018", "UPS", 3_200_000),
)


def timed(fn, repeat: int = 3):
    """Best of `repeat` runs, in milliseconds, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000, result


def generate(db, n: int, seed: int = 7) -> dict:
    import sqlalchemy as sa

    from assets_app.assets.models import Asset, StatusEvent, UsageDay
    from assets_app.regions.models import Region

    rnd = random.Random(seed)
    kecamatan = list(db.session.scalars(sa.select(Region.code).where(Region.level == "kecamatan")))
    now = datetime.now(UTC)
    today = date.today()
    regs: dict[tuple[str, str], int] = {}
    statuses = ("operasional",) * 16 + ("gangguan", "dalam_perbaikan", "tidak_digunakan")
    t = time.perf_counter()
    chunk = 5000
    next_id = 1
    for start in range(0, n, chunk):
        assets, events = [], []
        for i in range(start, min(start + chunk, n)):
            region = kecamatan[i % len(kecamatan)]
            cat, kode, name, price = CATEGORIES[rnd.randrange(len(CATEGORIES))]
            key = (kode, region)
            regs[key] = regs.get(key, 0) + 1
            acquired = date(2015, 1, 1) + timedelta(days=rnd.randrange(3500))
            since = datetime(acquired.year, acquired.month, acquired.day, tzinfo=UTC)
            status = rnd.choice(statuses)
            down_at = now - timedelta(days=rnd.randrange(1, 200), hours=rnd.randrange(24))
            assets.append(
                {
                    "id": next_id,
                    "region_code": region,
                    "kode_barang": kode,
                    "register_no": f"{regs[key]:04d}",
                    "name": f"{name} {i}",
                    "category": cat,
                    "brand_model": "Merk Contoh",
                    "serial_number": f"SN{i:09d}",
                    "acquired_on": acquired,
                    "funding_source": rnd.choice(("APBD", "APBD", "APBN", "DAK")),
                    "acquisition_method": "pembelian",
                    "contract_no": f"027/{i}/SPK/{acquired.year}",
                    "vendor": "CV Bench",
                    "unit_price": price + rnd.randrange(0, 1_000_000, 1000),
                    "bast_no": None,
                    "bast_date": acquired,
                    "condition": rnd.choice(("B", "B", "B", "KB", "RB")),
                    "custodian": "Operator",
                    "notes": "=SUM(A1)" if i % 1000 == 0 else None,
                    "label_token": f"bench{i:011d}",
                    "status": status,
                    "status_since": since if status == "operasional" else down_at,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            events.append(
                {
                    "asset_id": next_id,
                    "status": "operasional",
                    "started_at": since,
                    "created_at": now,
                }
            )
            if status != "operasional":
                events.append(
                    {
                        "asset_id": next_id,
                        "status": status,
                        "cause": "jaringan",
                        "responsible_party": "diskominfo",
                        "started_at": down_at,
                        "created_at": now,
                    }
                )
            next_id += 1
        db.session.execute(sa.insert(Asset), assets)
        db.session.execute(sa.insert(StatusEvent), events)
    usage = []
    for region in kecamatan:
        quiet = rnd.random() < 0.2  # a fifth of the kecamatan record nothing: idle
        for d in range(60):
            usage.append(
                {
                    "region_code": region,
                    "day": today - timedelta(days=d),
                    "rekam": 0 if quiet else rnd.randrange(0, 60),
                    "cetak_ktp": rnd.randrange(0, 30),
                    "cetak_kk": rnd.randrange(0, 20),
                    "ditolak": rnd.randrange(0, 10),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(sa.insert(UsageDay), usage)
    db.session.commit()
    analyze(db)
    return {"seconds": time.perf_counter() - t, "kecamatan": len(kecamatan), "usage": len(usage)}


RAW = {
    "list_first": (
        "SELECT count(*), coalesce(sum(unit_price),0) FROM assets WHERE status != 'dihapuskan'",
        "SELECT a.*, r.name FROM assets a JOIN regions r ON r.code = a.region_code "
        "WHERE a.status != 'dihapuskan' ORDER BY a.kode_barang, a.register_no, a.id LIMIT 25",
    ),
    "list_filtered": (
        "SELECT count(*), coalesce(sum(unit_price),0) FROM assets WHERE status != 'dihapuskan' "
        "AND (region_code = '35.11' OR region_code LIKE '35.11.%') AND category = 'perekaman' "
        "AND lower(name) LIKE '%pc%'",
        "SELECT a.*, r.name FROM assets a JOIN regions r ON r.code = a.region_code "
        "WHERE a.status != 'dihapuskan' AND (a.region_code = '35.11' OR a.region_code LIKE "
        "'35.11.%') AND a.category = 'perekaman' AND lower(a.name) LIKE '%pc%' "
        "ORDER BY a.kode_barang, a.register_no, a.id LIMIT 25",
    ),
    "list_sorted": (
        "SELECT count(*), coalesce(sum(unit_price),0) FROM assets WHERE status != 'dihapuskan'",
        "SELECT a.*, r.name FROM assets a JOIN regions r ON r.code = a.region_code "
        "WHERE a.status != 'dihapuskan' ORDER BY a.unit_price DESC, a.id DESC LIMIT 25",
    ),
    "idle": (
        "SELECT a.region_code, count(*), sum(a.unit_price) FROM assets a LEFT JOIN ("
        " SELECT region_code rc, sum(rekam) r, sum(cetak_ktp) k, sum(cetak_kk) c FROM usage_days"
        " WHERE day >= :ws GROUP BY region_code) u ON u.rc = a.region_code "
        "WHERE a.status = 'tidak_digunakan' OR (a.status = 'operasional' AND a.status_since <= :wsdt"
        " AND CASE a.category WHEN 'perekaman' THEN coalesce(u.r,0) WHEN 'cetak_ktp' THEN"
        " coalesce(u.k,0) WHEN 'cetak_kk' THEN coalesce(u.c,0) ELSE coalesce(u.r,0)+"
        "coalesce(u.k,0)+coalesce(u.c,0) END = 0) GROUP BY a.region_code",
    ),
    "export": (
        "SELECT a.*, r.name FROM assets a JOIN regions r ON r.code = a.region_code "
        "WHERE a.status != 'dihapuskan' AND (a.region_code = '35.11' OR a.region_code LIKE "
        "'35.11.%') ORDER BY a.region_code, a.kode_barang, a.register_no, a.id",
    ),
}


def raw_ms(db, key, params=None) -> float:
    import sqlalchemy as sa

    def run():
        out = None
        for sql in RAW[key]:
            out = db.session.execute(sa.text(sql), params or {}).all()
        return out

    ms, _ = timed(run)
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=150_000, help="jumlah aset (bawaan 150.000)")
    parser.add_argument(
        "--database-url", default=None, help="basis data kosong (bawaan: SQLite sementara)"
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ["INSTANCE_PATH"] = tmp.name
    url = args.database_url or f"sqlite:///{tmp.name}/bench.sqlite"

    from assets_app.assets import documents, downtime, idle, queries, services
    from assets_app.common.timeutil import start_of_day, today_wib
    from assets_app.extensions import db
    from assets_app.regions.services import load_regions

    app = make_app(url, WTF_CSRF_ENABLED=False)
    build_schema(app)
    with app.app_context():
        load_regions(list(app.config["DEMO_REGIONS"]))
        from assets_app.auth.services import create_user

        admin = create_user(
            "bench", role="admin", password="bench-password-1", name="Bench", region_code=None
        )
        db.session.commit()
        admin_id = admin.get_id()  # id and session version, as the cookie carries it
        print(
            f"Membuat {args.n:,} aset di {db.engine.dialect.name} …".replace(",", "."), flush=True
        )
        info = generate(db, args.n)
        print(
            f"  selesai dalam {info['seconds']:.1f} detik ({info['kecamatan']} kecamatan, "
            f"{info['usage']} baris pemakaian)\n"
        )

        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = admin_id
            sess["_fresh"] = True

        def page(path):
            def go():
                resp = client.get(path)
                assert resp.status_code == 200, (path, resp.status_code)
                return resp

            return go

        today = today_wib()
        ws = today - timedelta(days=29)
        idle_params = {"ws": ws, "wsdt": start_of_day(ws).replace(tzinfo=None)}
        actor = services.SystemActor()
        rows = []

        ms, _ = timed(page("/aset/"))
        rows.append(("Daftar aset, halaman pertama", ms, raw_ms(db, "list_first")))
        ms, _ = timed(page("/aset/?region=35.11&category=perekaman&q=pc"))
        rows.append(
            ("Daftar aset, disaring (wilayah+kategori+teks)", ms, raw_ms(db, "list_filtered"))
        )
        ms, _ = timed(page("/aset/?sort=-harga"))
        rows.append(("Daftar aset, urut harga menurun", ms, raw_ms(db, "list_sorted")))
        ms, value = timed(lambda: idle.idle_value_by_region(actor, None, 30, today))
        rows.append(
            ("Menganggur: idle_value_by_region (semua)", ms, raw_ms(db, "idle", idle_params))
        )
        ms, _ = timed(page("/aset/menganggur"))
        rows.append(("Menganggur: halaman /aset/menganggur", ms, raw_ms(db, "idle", idle_params)))
        end = datetime.now(UTC)
        ms, _ = timed(
            lambda: downtime.downtime_by_region(actor, None, end - timedelta(days=90), end)
        )
        rows.append(("Waktu henti 90 hari per wilayah (SQL LEAD)", ms, None))

        def export():
            with tempfile.TemporaryFile() as fh:
                return documents.write_export(actor, queries.AssetFilter(region="35.11"), fh)

        ms, (count, _) = timed(export, repeat=1)
        rows.append(
            (
                f"Ekspor KIB B XLSX Bondowoso ({count:,} baris)".replace(",", "."),
                ms,
                raw_ms(db, "export"),
            )
        )
        big = args.n

        def export_all():
            with tempfile.TemporaryFile() as fh:
                return documents.write_export(actor, queries.AssetFilter(), fh)

        ms, (count, _) = timed(export_all, repeat=1)
        rows.append((f"Ekspor KIB B XLSX semua ({count:,} baris)".replace(",", "."), ms, None))

        print(f"{'operasi':<52} {'aplikasi':>12} {'SQL mentah':>12}")
        for name, app_ms, sql_ms in rows:
            sql = f"{sql_ms:10.1f} ms" if sql_ms is not None else f"{'–':>13}"
            print(f"{name:<52} {app_ms:9.1f} ms {sql}")
        idle_total = sum(c for c, _ in value.values())
        print(f"\n{big:,} aset; menganggur: {idle_total:,}".replace(",", "."))
    tmp.cleanup()


if __name__ == "__main__":
    main()
