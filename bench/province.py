"""Benchmark of the province and national views (issue 17): the summary grouped by kab/kota
(`build_summary(by="kabkota")`) for Jawa Timur (38 kab/kota, 666 kecamatan) and for the whole
country (514 kab/kota), and the daily recap (rekapitulasi harian) per kab/kota per day, each
beside a raw-SQL floor (the same sums in one GROUP BY, no Python).

    .venv/bin/python bench/province.py [--days N] [--only provinsi|nasional]

Every kab/kota and kecamatan of the bundled Kemendagri list (no kelurahan) and a month of
data are bulk-inserted (benchmark only) into a throw-away SQLite database built by the
migrations, or into DATABASE_URL's PostgreSQL (a fresh database, dropped afterwards).
Per kecamatan: 8 assets with their first status event, one usage report a day, a coverage
snapshot, a blanko distribution and a use every third day; per kab/kota a blanko delivery.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from _common import ScratchPostgres, analyze, build_schema, make_app

START, END = date(2026, 6, 1), date(2026, 6, 30)
ITEMS = (
    ("PC Unit", "perekaman", "1.3.2.10.01.02.001", 12_500_000),
    ("Kamera", "perekaman", "1.3.2.05.02.06.023", 6_750_000),
    ("Alat Sidik Jari", "perekaman", "1.3.2.05.01.05.068", 8_750_000),
    ("Iris Scanner", "perekaman", "1.3.2.10.02.03.004", 9_900_000),
    ("Signature Pad", "perekaman", "1.3.2.10.02.03.004", 2_400_000),
    ("Printer kartu", "cetak_ktp", "1.3.2.10.02.03.003", 49_990_000),
    ("Printer KK", "cetak_kk", "1.3.2.10.02.03.003", 4_600_000),
    ("Router VPN", "jaringan", "1.3.2.10.02.04.002", 6_200_000),
)


def _insert(db, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        db.session.execute(sa.insert(table), rows[i : i + chunk])


def load_regions(db) -> tuple[list[str], list[str]]:
    from assets_app.regions.models import Region
    from assets_app.regions.services import bundled_rows

    rows = [r for r in bundled_rows() if r[2] in ("provinsi", "kabkota", "kecamatan")]
    rows.sort(key=lambda r: r[0].count("."))
    _insert(
        db,
        Region.__table__,
        [
            {"code": c, "name": n, "level": lv, "parent_code": p, "kind": k}
            for c, n, lv, p, k in rows
        ],
    )
    kab = [r[0] for r in rows if r[2] == "kabkota"]
    kec = [r[0] for r in rows if r[2] == "kecamatan"]
    return kab, kec


def load_data(db, kabkota: list[str], kecamatan: list[str], days: int, seed: int = 17) -> dict:
    from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
    from assets_app.blanko.models import BlankoMovement, BlankoReceipt

    rnd = random.Random(seed)
    now = datetime(2026, 6, 30, tzinfo=UTC)
    assets, events = [], []
    for code in kecamatan + kabkota:
        for name, category, kode, price in ITEMS:
            n = len(assets) + 1
            status = rnd.choices(("operasional", "gangguan", "tidak_digunakan"), (85, 8, 7))[0]
            since = datetime(2026, 6, rnd.randint(1, 28), tzinfo=UTC)
            assets.append(
                dict(
                    id=n,
                    region_code=code,
                    kode_barang=kode,
                    register_no=f"{n:06d}",
                    name=name,
                    category=category,
                    acquired_on=date(2021, 3, 1),
                    funding_source="APBD",
                    acquisition_method="pembelian",
                    unit_price=price,
                    condition="B",
                    label_token=secrets.token_hex(8),
                    status=status,
                    status_since=since,
                    created_at=now,
                    updated_at=now,
                )
            )
            events.append(
                dict(
                    asset_id=n,
                    status="operasional",
                    cause=None,
                    responsible_party=None,
                    started_at=datetime(2021, 3, 1, tzinfo=UTC),
                    created_at=now,
                )
            )
            if status != "operasional":
                events.append(
                    dict(
                        asset_id=n,
                        status=status,
                        cause="jaringan",
                        responsible_party="diskominfo",
                        started_at=since,
                        created_at=since,
                    )
                )
    _insert(db, Asset.__table__, assets)
    _insert(db, StatusEvent.__table__, events)
    usage, coverage = [], []
    for code in kecamatan:
        for d in range(days):
            usage.append(
                dict(
                    region_code=code,
                    day=START + timedelta(days=d),
                    rekam=rnd.randint(0, 80),
                    cetak_ktp=rnd.randint(0, 60),
                    cetak_kk=rnd.randint(0, 40),
                    ditolak=rnd.randint(0, 10),
                    kuota=80,
                    created_at=now,
                    updated_at=now,
                )
            )
        wajib = rnd.randint(20_000, 70_000)
        coverage.append(
            dict(
                region_code=code,
                as_of=START,
                wajib_ktp=wajib,
                sudah_rekam=int(wajib * 0.95),
                created_at=now,
                updated_at=now,
            )
        )
    _insert(db, UsageDay.__table__, usage)
    _insert(db, CoverageSnapshot.__table__, coverage)
    movements, receipts = [], []

    def move(kind, region, frm, to, qty, at):
        movements.append(
            dict(
                id=len(movements) + 1,
                kind=kind,
                region_code=region,
                from_region=frm,
                to_region=to,
                quantity=qty,
                occurred_at=at,
                created_at=at,
            )
        )
        return len(movements)

    for kab in kabkota:
        move("penerimaan", kab, None, kab, 5_000, datetime(2026, 5, 20, 2, tzinfo=UTC))
    for code in kecamatan:
        kab = code[:5]
        at = datetime(2026, 6, 2, 3, tzinfo=UTC)
        mid = move("distribusi", kab, kab, code, 200, at)
        receipts.append(
            dict(
                movement_id=mid,
                region_code=code,
                quantity_sent=200,
                quantity_received=200,
                received_at=at + timedelta(days=1),
                created_at=at,
            )
        )
        for d in range(4, days, 3):
            at = datetime(2026, 6, 1, 4, tzinfo=UTC) + timedelta(days=d)
            move("pemakaian", code, code, None, rnd.randint(5, 25), at)
    _insert(db, BlankoMovement.__table__, movements)
    _insert(db, BlankoReceipt.__table__, receipts)
    from assets_app.core.rollups import rebuild_all

    rebuild_all()  # rows loaded past the services: fill the daily rollups the figures read
    db.session.commit()
    return {
        "assets": len(assets),
        "usage_days": len(usage),
        "blanko_movements": len(movements),
    }


def floor_summary(db, root: str | None) -> float:
    """The register and usage sums per kab/kota in raw SQL (the least any summary costs)."""
    from assets_app.assets.models import Asset, UsageDay
    from assets_app.regions.models import Region

    started = time.perf_counter()
    kab = sa.func.substr(Asset.region_code, 1, 5)
    stmt = sa.select(kab, sa.func.count(), sa.func.sum(Asset.unit_price)).group_by(kab)
    if root:
        stmt = stmt.where(Asset.region_code.like(root + ".%"))
    db.session.execute(stmt).all()
    ukab = sa.func.substr(UsageDay.region_code, 1, 5)
    ustmt = (
        sa.select(ukab, sa.func.sum(UsageDay.rekam), sa.func.sum(UsageDay.ditolak))
        .where(UsageDay.day.between(START, END))
        .group_by(ukab)
    )
    if root:
        ustmt = ustmt.where(UsageDay.region_code.like(root + ".%"))
    db.session.execute(ustmt).all()
    db.session.execute(sa.select(Region.code, Region.name).where(Region.level == "kabkota")).all()
    return time.perf_counter() - started


def floor_recap(db, root: str | None) -> float:
    from assets_app.assets.models import UsageDay

    started = time.perf_counter()
    ukab = sa.func.substr(UsageDay.region_code, 1, 5)
    stmt = sa.select(
        ukab, UsageDay.day, sa.func.sum(UsageDay.rekam), sa.func.sum(UsageDay.cetak_ktp)
    ).group_by(ukab, UsageDay.day)
    if root:
        stmt = stmt.where(UsageDay.region_code.like(root + ".%"))
    db.session.execute(stmt.where(UsageDay.day.between(START, END))).all()
    return time.perf_counter() - started


def measure(db, label: str, root: str | None, days: int) -> dict:
    from assets_app.assets.services import SystemActor
    from assets_app.hearing.recap import build_recap
    from assets_app.hearing.summary import build_summary
    from tests.querycount import count_queries

    actor = SystemActor()
    db.session.expire_all()
    with count_queries(db.engine) as statements:
        started = time.perf_counter()
        s = build_summary(actor, root, START, END, END, by="kabkota")
        summary_s = time.perf_counter() - started
    queries = len(statements)
    summary_floor = floor_summary(db, root)
    end = START + timedelta(days=days - 1)
    with count_queries(db.engine) as statements:
        started = time.perf_counter()
        sheet = build_recap(actor, root, START.isoformat(), end.isoformat())
        recap_s = time.perf_counter() - started
    from reports.recap_xlsx import render_recap_xlsx

    started = time.perf_counter()
    render_recap_xlsx(sheet)
    xlsx_s = time.perf_counter() - started
    return {
        "label": label,
        "kabkota": len(s.kabkota),
        "kecamatan": len(s.kecamatan_rows),
        "summary_s": summary_s,
        "summary_q": queries,
        "summary_floor": summary_floor,
        "recap_s": recap_s,
        "recap_q": len(statements),
        "recap_lines": len(sheet.lines),
        "recap_floor": floor_recap(db, root),
        "xlsx_s": xlsx_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7, help="days of usage and of the recap")
    parser.add_argument("--only", choices=("provinsi", "nasional"))
    args = parser.parse_args()
    from assets_app.extensions import db

    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = (
            ScratchPostgres(url)
            if url.startswith("postgresql")
            else nullcontext(f"sqlite:///{tmp}/bench.sqlite")
        )
        with scratch as db_url:
            os.environ["INSTANCE_PATH"] = tmp
            app = make_app(db_url)
            build_schema(app)
            with app.app_context():
                started = time.perf_counter()
                kab, kec = load_regions(db)
                volume = load_data(db, kab, kec, args.days)
                analyze(db)
                load_s = time.perf_counter() - started
                scenarios = [("provinsi", "35"), ("nasional", None)]
                if args.only:
                    scenarios = [s for s in scenarios if s[0] == args.only]
                results = [measure(db, label, root, args.days) for label, root in scenarios]
                db.session.remove()
                db.engine.dispose()
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"Provinsi/nasional per kab/kota — {engine}; {len(kab)} kab/kota, {len(kec):,} kecamatan, "
        f"{volume['assets']:,} aset, {volume['usage_days']:,} laporan harian, "
        f"{volume['blanko_movements']:,} mutasi blanko (muat {load_s:.1f} s)"
    )
    for r in results:
        print(f"\n[{r['label']}] {r['kabkota']} kab/kota, {r['kecamatan']:,} kecamatan")
        print(
            f"  ringkasan per kab/kota  {r['summary_s']:6.2f} s ({r['summary_q']} kueri)"
            f"   lantai SQL {r['summary_floor']:.3f} s"
        )
        print(
            f"  rekap harian {args.days} hari   {r['recap_s']:6.2f} s ({r['recap_q']} kueri, "
            f"{r['recap_lines']:,} baris)   lantai SQL {r['recap_floor']:.3f} s"
            f"   XLSX {r['xlsx_s']:.2f} s"
        )


if __name__ == "__main__":
    main()
