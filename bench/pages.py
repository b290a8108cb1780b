"""Benchmark of the pages at national scale (issue 19): the size of each main page and the
median time of `--runs` requests, for the whole-installation admin and a province user.

    .venv/bin/python bench/pages.py [--days N] [--runs N] [--only admin|provinsi]

Every province, kab/kota and kecamatan of the bundled Kemendagri list and the data of
bench/province.py (8 assets per kecamatan, a usage report a day, blanko movements) are
bulk-inserted into a throw-away SQLite database built by the migrations, or into
DATABASE_URL's PostgreSQL (a fresh database, dropped afterwards). Requests go through the
test client (no network), so the numbers are the app's own: queries, Python and templates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from contextlib import nullcontext

from _common import ScratchPostgres, analyze, build_schema, make_app
from province import load_data, load_regions

PAGES = (
    "/beranda",
    "/laporan/ringkasan",
    "/laporan/kabkota",
    "/laporan/rekap-harian",
    "/aset/",
    "/aset/menganggur",
    "/aset/belum-melapor",
    "/pelatihan/kesenjangan",
    "/blanko/",
    "/blanko/mutasi",
    "/wilayah/35",
    "/tiket/",
    "/surat/",
)
LIMIT = 150 * 1024


def measure(app, user_id: str, runs: int) -> list[tuple[str, int, int, float]]:
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user_id
        sess["_fresh"] = True
    out = []
    for url in PAGES:
        times, resp = [], None
        for _ in range(runs):
            started = time.perf_counter()
            resp = client.get(url)
            times.append(time.perf_counter() - started)
        out.append((url, resp.status_code, len(resp.data), statistics.median(times)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=2, help="days of usage data")
    parser.add_argument("--runs", type=int, default=3, help="requests per page (median)")
    parser.add_argument("--only", choices=("admin", "provinsi"))
    args = parser.parse_args()
    from assets_app.auth.services import create_user
    from assets_app.extensions import db

    url = os.environ.get("DATABASE_URL", "")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = (
            ScratchPostgres(url)
            if url.startswith("postgresql")
            else nullcontext(f"sqlite:///{tmp}/bench.sqlite")
        )
        with scratch as db_url:
            os.environ["INSTANCE_PATH"] = tmp
            app = make_app(db_url, RATELIMIT_STORAGE_URI="memory://")
            build_schema(app)
            with app.app_context():
                kab, kec = load_regions(db)
                volume = load_data(db, kab, kec, args.days)
                users = {
                    "admin": create_user("bench.admin", role="admin", password="x" * 12),
                    "provinsi": create_user(
                        "bench.jatim", role="kadis", password="x" * 12, region_code="35"
                    ),
                }
                db.session.commit()
                analyze(db)
                ids = {k: u.get_id() for k, u in users.items()}
            for who, user_id in ids.items():
                if args.only and who != args.only:
                    continue
                results[who] = measure(app, user_id, args.runs)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"Halaman skala nasional — {engine}; {len(kab)} kab/kota, {len(kec):,} kecamatan, "
        f"{volume['assets']:,} aset, {volume['usage_days']:,} laporan harian; "
        f"median {args.runs} permintaan"
    )
    for who, rows in results.items():
        print(f"\n[{who}]")
        for url, status, size, seconds in rows:
            flag = "" if status == 200 and size <= LIMIT else "  << melebihi"
            print(f"  {url:26} {status}  {size / 1024:7.1f} KB  {seconds * 1000:8.0f} ms{flag}")


if __name__ == "__main__":
    main()
