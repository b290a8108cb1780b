"""Blanko benchmark: movements per second with 2 processes, and the balances page over
1,000,000 movements, each beside the raw SQL of the same work.

    .venv/bin/python bench/blanko.py [--movements 300] [--rows 1000000] [--pg URL | --no-pg]

SQLite runs on a temporary file; PostgreSQL on a temporary database created on the server of
`--pg` (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import ROOT, ScratchPostgres, build_schema, make_app

os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="bench-blanko-"))

DINAS = "35.11"
HOT = "35.11.05"  # both processes book against the same kecamatan: one contended balance row


# --- setup -----------------------------------------------------------------------------------


def setup_database(url: str, stock: int) -> None:
    from assets_app.auth.services import create_user
    from assets_app.blanko import services
    from assets_app.extensions import db
    from assets_app.regions.services import load_regions

    app = make_app(url)
    build_schema(app)
    with app.app_context():
        load_regions([DINAS])
        user = create_user("bench", role="petugas", password="bench-password-1", region_code=DINAS)
        db.session.commit()
        when = datetime.now(UTC) - timedelta(days=400)
        services.record_movement(
            user,
            kind="penerimaan",
            to_region=DINAS,
            quantity=stock,
            reference="BAST/BENCH",
            bast_date=when.date(),
            occurred_at=when,
        )
        m = services.record_movement(
            user,
            kind="distribusi",
            from_region=DINAS,
            to_region=HOT,
            quantity=stock // 2,
            occurred_at=when,
        )
        services.receive_movement(
            user, m.id, quantity_received=stock // 2, received_at=when,
            on_behalf_reason="bench: dicatat Dinas",
        )  # fmt: skip
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


# --- workers (run as separate processes) -----------------------------------------------------


def worker_app(url: str, n: int, start_at: float, out: str) -> None:
    import sqlalchemy as sa

    from assets_app.auth.models import User
    from assets_app.blanko import services
    from assets_app.extensions import db

    app = make_app(url)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "bench"))
        db.session.rollback()
        while time.time() < start_at:
            time.sleep(0.002)
        t0 = time.perf_counter()
        for _ in range(n):
            services.record_movement(user, kind="pemakaian", from_region=HOT, quantity=1)
            db.session.commit()
        elapsed = time.perf_counter() - t0
        db.session.remove()
        db.engine.dispose()
    Path(out).write_text(json.dumps({"n": n, "seconds": elapsed}))


RAW_UPDATE = (
    "UPDATE blanko_balances SET on_hand = on_hand - 1, updated_at = {now} "
    "WHERE region_code = '{hot}' AND on_hand - reserved >= 1"
)
RAW_INSERT = (
    "INSERT INTO blanko_movements (kind, region_code, from_region, quantity, occurred_at, "
    "created_at) VALUES ('pemakaian', '{hot}', '{hot}', 1, {now}, {now})"
)


def worker_raw(url: str, n: int, start_at: float, out: str) -> None:
    """The same write as the app (conditional update + ledger row, one transaction each),
    straight through the driver: no ORM, no validation, no audit row."""
    if url.startswith("sqlite"):
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        con.execute("PRAGMA busy_timeout=30000")
        now = "CURRENT_TIMESTAMP"
    else:
        import psycopg

        con = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        now = "now() AT TIME ZONE 'UTC'"
    upd, ins = RAW_UPDATE.format(now=now, hot=HOT), RAW_INSERT.format(now=now, hot=HOT)
    while time.time() < start_at:
        time.sleep(0.002)
    t0 = time.perf_counter()
    for _ in range(n):
        cur = con.cursor()
        cur.execute(upd)
        if cur.rowcount != 1:
            raise SystemExit("stok habis dalam bench")
        cur.execute(ins)
        con.commit()
    elapsed = time.perf_counter() - t0
    con.close()
    Path(out).write_text(json.dumps({"n": n, "seconds": elapsed}))


def race(mode: str, url: str, n: int) -> float:
    """Two processes, n movements each; returns movements per second overall."""
    tmp = tempfile.mkdtemp(prefix="bench-race-")
    start_at = time.time() + 4
    procs = []
    for i in range(2):
        out = os.path.join(tmp, f"{i}.json")
        procs.append(
            (
                subprocess.Popen(
                    [sys.executable, __file__, "worker", mode, url, str(n), str(start_at), out],
                    cwd=ROOT,
                ),
                out,
            )
        )
    results = []
    for p, out in procs:
        if p.wait() != 0:
            raise SystemExit(f"worker {mode} gagal")
        results.append(json.loads(Path(out).read_text()))
    wall = max(r["seconds"] for r in results)
    return sum(r["n"] for r in results) / wall


# --- 1,000,000 movements -------------------------------------------------------------------


def bulk_ledger(url: str, rows: int) -> float:
    """Inserts `rows` movements over the last 365 days across every kecamatan of the Dinas
    (distribusi with receipts, then pemakaian), and sets the balances from the ledger."""
    import random

    import sqlalchemy as sa

    from assets_app.blanko.models import BlankoBalance, BlankoMovement, BlankoReceipt
    from assets_app.blanko.stats import ledger_balances
    from assets_app.extensions import db
    from assets_app.regions.models import Region

    rng = random.Random(7)
    app = make_app(url)
    t0 = time.perf_counter()
    with app.app_context():
        kecs = list(
            db.session.scalars(
                sa.select(Region.code).where(Region.parent_code == DINAS).order_by(Region.code)
            )
        )
        now = datetime.now(UTC)
        start_id = (db.session.scalar(sa.select(sa.func.max(BlankoMovement.id))) or 0) + 1
        n_dist = len(kecs) * 12  # a monthly delivery to each kecamatan
        per_dist = 5000
        big = n_dist * per_dist + 10_000
        head = [
            {
                "id": start_id,
                "kind": "penerimaan",
                "region_code": DINAS,
                "from_region": None,
                "to_region": DINAS,
                "quantity": big,
                "occurred_at": now - timedelta(days=370),
                "reference": "BAST/BULK",
                "created_at": now,
            }
        ]
        receipts = []
        mid = start_id + 1
        for month in range(12):
            for kec in kecs:
                at = now - timedelta(days=365 - month * 30)
                head.append(
                    {
                        "id": mid,
                        "kind": "distribusi",
                        "region_code": kec,
                        "from_region": DINAS,
                        "to_region": kec,
                        "quantity": per_dist,
                        "occurred_at": at,
                        "reference": None,
                        "created_at": now,
                    }
                )
                receipts.append(
                    {
                        "movement_id": mid,
                        "region_code": kec,
                        "quantity_sent": per_dist,
                        "quantity_received": per_dist,
                        "received_at": at + timedelta(hours=5),
                        "created_at": now,
                    }
                )
                mid += 1
        table = BlankoMovement.__table__
        conn = db.session.connection()
        conn.execute(sa.insert(table), head)
        conn.execute(sa.insert(BlankoReceipt.__table__), receipts)
        db.session.commit()
        remaining = rows - len(head)
        first_bulk = mid
        base = now.replace(tzinfo=None)

        def bulk_rows():
            for i in range(remaining):
                kec = kecs[i % len(kecs)]
                at = base - timedelta(seconds=rng.randrange(0, 365 * 86400))
                yield (first_bulk + i, "pemakaian", kec, kec, 1, at, base)

        cols = "id, kind, region_code, from_region, quantity, occurred_at, created_at"
        # Indexes are rebuilt once after the load rather than updated row by row.
        indexes = list(table.indexes)
        with db.engine.begin() as ddl:
            for ix in indexes:
                ix.drop(ddl)
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            if db.engine.dialect.name == "postgresql":
                with cur.copy(f"COPY blanko_movements ({cols}) FROM STDIN") as copy:
                    for row in bulk_rows():
                        copy.write_row(row)
            else:
                fmt = "%Y-%m-%d %H:%M:%S.%f"
                cur.executemany(
                    f"INSERT INTO blanko_movements ({cols}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        (i, k, r, f, q, a.strftime(fmt), c.strftime(fmt))
                        for i, k, r, f, q, a, c in bulk_rows()
                    ),
                )
            raw.commit()
        finally:
            raw.close()
        with db.engine.begin() as ddl:
            for ix in indexes:
                ix.create(ddl)
        conn = db.session.connection()
        if db.engine.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('blanko_movements', 'id'), "
                    "(SELECT max(id) FROM blanko_movements))"
                )
            )
        else:
            conn.execute(sa.text("ANALYZE"))
        balances = ledger_balances()
        conn.execute(sa.delete(BlankoBalance.__table__))
        conn.execute(
            sa.insert(BlankoBalance.__table__),
            [
                {
                    "region_code": code,
                    "on_hand": on_hand,
                    "in_transit_in": transit,
                    "reserved": reserved,
                    "updated_at": now,
                }
                for code, (on_hand, transit, reserved) in balances.items()
            ],
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would: index-only scans
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as ac:
                ac.execute(sa.text("VACUUM ANALYZE"))
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - t0


def _median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def page_timings(url: str) -> dict:
    import sqlalchemy as sa

    from assets_app.auth.services import create_user
    from assets_app.blanko import stats
    from assets_app.blanko.check import check_ledger
    from assets_app.extensions import db

    app = make_app(url)
    out = {}
    with app.app_context():
        admin = create_user("bench.admin", role="admin", password="bench-password-1")
        db.session.commit()
        admin_id = admin.get_id()  # id and session version, as the cookie carries it
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = admin_id
            sess["_fresh"] = True

        def page(path):
            def run():
                r = client.get(path)
                assert r.status_code == 200, r.status_code

            return run

        stmt = stats.locations_stmt(admin).limit(50)
        raw_balances = str(
            stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        )
        from assets_app.blanko.stats import _contributions

        c = _contributions()
        ledger_stmt = sa.select(
            c.c.loc,
            sa.func.sum(c.c.on_hand),
            sa.func.sum(c.c.in_transit),
            sa.func.sum(c.c.reserved),
        ).group_by(c.c.loc)
        raw_ledger = str(
            ledger_stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        )
        raw_count = "SELECT count(*) FROM blanko_movements"

        def raw(sql):
            def run():
                with db.engine.connect() as conn:
                    conn.exec_driver_sql(sql).fetchall()

            return run

        client.get("/blanko/")  # warm caches and templates
        out["balances_page_ms"] = _median_ms(page("/blanko/"))
        out["balances_raw_ms"] = _median_ms(raw(raw_balances))
        out["history_page_ms"] = _median_ms(page("/blanko/mutasi"))
        out["history_count_raw_ms"] = _median_ms(raw(raw_count))
        out["location_page_ms"] = _median_ms(page(f"/blanko/lokasi/{HOT}"))
        t0 = time.perf_counter()
        result = check_ledger()
        out["check_ms"] = (time.perf_counter() - t0) * 1000
        out["check_ok"] = result.ok
        out["ledger_raw_ms"] = _median_ms(raw(raw_ledger), repeat=3)
        out["movements"] = db.session.scalar(sa.text("SELECT count(*) FROM blanko_movements"))
        db.session.remove()
        db.engine.dispose()
    return out


# --- main ----------------------------------------------------------------------------------


def run_for(label: str, url: str, args) -> dict:
    print(f"\n== {label} ==", flush=True)
    setup_database(url, stock=1_000_000)
    app_rate = race("app", url, args.movements)
    print(f"mutasi/detik, 2 proses, lewat aplikasi (service + audit): {app_rate:,.0f}", flush=True)
    raw_rate = race("raw", url, args.movements)
    print(f"mutasi/detik, 2 proses, SQL mentah (UPDATE bersyarat + INSERT): {raw_rate:,.0f}")
    t = bulk_ledger(url, args.rows)
    print(f"bulk insert {args.rows:,} mutasi + saldo dari buku: {t:,.1f} s", flush=True)
    timings = page_timings(url)
    print(f"jumlah mutasi di basis data: {timings['movements']:,}")
    print(
        f"halaman saldo /blanko/ : {timings['balances_page_ms']:,.0f} ms "
        f"(SQL mentah agregat yang sama: {timings['balances_raw_ms']:,.0f} ms)"
    )
    print(
        f"halaman riwayat /blanko/mutasi : {timings['history_page_ms']:,.0f} ms "
        f"(SQL mentah COUNT(*): {timings['history_count_raw_ms']:,.0f} ms)"
    )
    print(f"halaman lokasi : {timings['location_page_ms']:,.0f} ms")
    print(
        f"blanko check (hitung ulang seluruh buku + nomor seri): {timings['check_ms']:,.0f} ms, "
        f"konsisten={timings['check_ok']} (SQL mentah agregat buku: {timings['ledger_raw_ms']:,.0f} ms)"
    )
    return {"app_rate": app_rate, "raw_rate": raw_rate, "bulk_s": t, **timings}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        _, _, mode, url, n, start_at, out = sys.argv
        (worker_app if mode == "app" else worker_raw)(url, int(n), float(start_at), out)
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--movements", type=int, default=300, help="mutasi per proses")
    parser.add_argument("--rows", type=int, default=1_000_000, help="mutasi untuk halaman saldo")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    results = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run_for("SQLite (berkas)", f"sqlite:///{tmp}/bench.sqlite", args)
    if not args.no_pg:
        import sqlalchemy as sa

        scratch = ScratchPostgres(args.pg)
        try:
            url = scratch.create()
        except sa.exc.OperationalError as exc:
            print(f"PostgreSQL tidak tersedia ({exc.__class__.__name__}); dilewati.")
        else:
            try:
                results["postgresql"] = run_for("PostgreSQL", url, args)
            finally:
                scratch.drop()
    print("\n" + json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
