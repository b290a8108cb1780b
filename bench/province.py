"""Benchmark of the province and national views (issue 17): the summary grouped by kab/kota
(`build_summary(by="kabkota")`) for Jawa Timur (38 kab/kota, 666 kecamatan) and for the whole
country (514 kab/kota), and the daily recap (rekapitulasi harian) per kab/kota per day, each
beside a raw-SQL floor (the same sums in one GROUP BY, no Python).

    .venv/bin/python bench/province.py [--days N] [--runs N] [--only provinsi|nasional]
        [--profile]

Each timing is the median (p50) of `--runs` runs (default 5), the first run included; the
query counts are of one run. `--profile` prints cProfile's top functions of one national
summary (the known hot spot).

Every kab/kota and kecamatan of the bundled Kemendagri list (no kelurahan) and a month of
data are bulk-inserted (benchmark only) into a throw-away SQLite database built by the
migrations, or into DATABASE_URL's PostgreSQL (a fresh database, dropped afterwards).
The hearing packet (rows per kab/kota, lists cut) is timed for each area too.
Per kecamatan: 8 assets with their first status event, one usage report a day, a coverage
snapshot, a blanko distribution and a use every third day; per kab/kota a blanko delivery.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
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
                    # the cache of its last event (below)
                    status_cause=None if status == "operasional" else "jaringan",
                    status_party=None if status == "operasional" else "diskominfo",
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
                    suket=rnd.randint(0, 15),
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


def p50(fn, runs: int) -> tuple[float, object]:
    """(median seconds of `runs` calls of fn, the last result)."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def floor_summary(db, root: str | None) -> None:
    """The register and usage sums per kab/kota in raw SQL (the least any summary costs)."""
    from assets_app.assets.models import Asset, UsageDay
    from assets_app.regions.models import Region

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


def floor_recap(db, root: str | None, end: date) -> None:
    """The recap's usage columns per kab/kota per day in one GROUP BY, and the kab/kota."""
    from assets_app.assets.models import UsageDay
    from assets_app.regions.models import Region

    ukab = sa.func.substr(UsageDay.region_code, 1, 5)
    stmt = sa.select(
        ukab,
        UsageDay.day,
        sa.func.sum(UsageDay.rekam),
        sa.func.sum(UsageDay.cetak_ktp),
        sa.func.sum(UsageDay.cetak_kk),
        sa.func.sum(UsageDay.suket),
        sa.func.count(),
    ).group_by(ukab, UsageDay.day)
    if root:
        stmt = stmt.where(UsageDay.region_code.like(root + ".%"))
    db.session.execute(stmt.where(UsageDay.day.between(START, end))).all()
    db.session.execute(sa.select(Region.code, Region.name).where(Region.level == "kabkota")).all()


def measure(db, label: str, root: str | None, days: int, runs: int) -> dict:
    from assets_app.assets.services import SystemActor
    from assets_app.hearing.recap import build_recap
    from assets_app.hearing.summary import build_summary
    from reports.recap_xlsx import render_recap_xlsx
    from tests.querycount import count_queries

    actor = SystemActor()
    end = START + timedelta(days=days - 1)

    def summary():
        db.session.expire_all()
        return build_summary(actor, root, START, END, END, by="kabkota")

    def recap():
        db.session.expire_all()
        return build_recap(actor, root, START.isoformat(), end.isoformat())

    with count_queries(db.engine) as statements:
        summary()
    queries = len(statements)
    summary_s, s = p50(summary, runs)
    summary_floor, _ = p50(lambda: floor_summary(db, root), runs)
    with count_queries(db.engine) as statements:
        recap()
    recap_q = len(statements)
    recap_s, sheet = p50(recap, runs)
    recap_floor, _ = p50(lambda: floor_recap(db, root, end), runs)
    xlsx_s, _ = p50(lambda: render_recap_xlsx(sheet), runs)
    packet_s, packet_q = p50(lambda: packet_run(db, actor, root), runs)
    return {
        "packet_s": packet_s,
        "packet_q": packet_q,
        "label": label,
        "kabkota": len(s.kabkota),
        "kecamatan": len(s.kecamatan_rows),
        "summary_s": summary_s,
        "summary_q": queries,
        "summary_floor": summary_floor,
        "recap_s": recap_s,
        "recap_q": recap_q,
        "recap_lines": len(sheet.lines),
        "recap_floor": recap_floor,
        "xlsx_s": xlsx_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7, help="days of usage and of the recap")
    parser.add_argument("--runs", type=int, default=5, help="runs per timing (p50 printed)")
    parser.add_argument("--only", choices=("provinsi", "nasional"))
    parser.add_argument("--profile", action="store_true", help="cProfile one national summary")
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
                results = [
                    measure(db, label, root, args.days, args.runs) for label, root in scenarios
                ]
                if args.profile:
                    profile(db)
                db.session.remove()
                db.engine.dispose()
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"Provinsi/nasional per kab/kota — {engine}; {len(kab)} kab/kota, {len(kec):,} kecamatan, "
        f"{volume['assets']:,} aset, {volume['usage_days']:,} laporan harian, "
        f"{volume['blanko_movements']:,} mutasi blanko (muat {load_s:.1f} s)"
    )
    print(f"(waktu: median dari {args.runs} kali)")
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
        print(
            f"  paket RDP per kab/kota   {r['packet_s']:6.2f} s ({r['packet_q']} kueri; "
            "ringkasan + daftar + PDF + XLSX)"
        )


def packet_run(db, actor, root: str | None) -> int:
    """The hearing packet of the area (the province's, rows per kab/kota): its summary with
    the lists, the packet, PDF and XLSX (not archived). Returns its number of queries."""
    from assets_app.hearing.packet import build_packet
    from assets_app.hearing.summary import build_summary
    from assets_app.regions.models import Region
    from reports.hearing_pdf import render_hearing_pdf
    from reports.hearing_xlsx import render_hearing_xlsx
    from tests.querycount import count_queries

    db.session.expire_all()
    with count_queries(db.engine) as statements:
        region = db.session.get(Region, root) if root else None
        s = build_summary(actor, root, START, END, END, sections=True, by="kabkota")
        p = build_packet(
            s,
            region,
            token="bench",
            verify_url="https://aset.example/verifikasi/bench",
            generated_at=datetime(2026, 7, 1, tzinfo=UTC),
            author="bench",
        )
    render_hearing_pdf(p)
    render_hearing_xlsx(p)
    return len(statements)


def profile(db) -> None:
    import cProfile
    import pstats

    from assets_app.assets.services import SystemActor
    from assets_app.hearing.summary import build_summary

    db.session.expire_all()
    prof = cProfile.Profile()
    prof.runcall(build_summary, SystemActor(), None, START, END, END, by="kabkota")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
