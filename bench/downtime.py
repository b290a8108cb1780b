"""Benchmark of the downtime figures: `python bench/downtime.py [--n 50000] [--events 10]`.

Generates N assets over the kecamatan of the demo kab/kota, each with about `--events` status
events over two years (alternating operational and down, the latest one still open for some),
fills the `downtime_daily` rollup with its bulk rebuild, then times `downtime_by_region` for
one kab/kota and for the whole installation over the last 30 days and over the last quarter:
before (LEAD over every event, `raw_downtime_by_region`) and after (rollup for whole days,
raw events only for the edges and the open intervals). Prints the p50 of 5 runs in ms and
checks both give the same figures.

Uses a fresh SQLite file in a temporary folder unless --database-url is given (an empty
database: the migrations build the schema there).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial

from _common import analyze, build_schema, make_app

DOWN = ("gangguan", "dalam_perbaikan", "tidak_digunakan")
CAUSES = (("perangkat_keras", "vendor"), ("jaringan", "diskominfo"), ("operator", "disdukcapil"))


def p50(fn, repeat: int = 5):
    runs, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000, result


def generate(db, n: int, per_asset: int, seed: int = 19) -> tuple[int, float]:
    import sqlalchemy as sa

    from assets_app.assets.models import Asset, StatusEvent
    from assets_app.regions.models import Region

    rnd = random.Random(seed)
    kecamatan = list(db.session.scalars(sa.select(Region.code).where(Region.level == "kecamatan")))
    now = datetime.now(UTC)
    first = now - timedelta(days=730)
    t = time.perf_counter()
    events_n, next_id, chunk = 0, 1, 5000
    for lo in range(0, n, chunk):
        assets, events = [], []
        for _ in range(min(chunk, n - lo)):
            # outages start at random moments of the two years and last an hour to two weeks
            # (the last one may still be open); operational in between
            span = (now - first).total_seconds()
            downs = sorted(rnd.random() * span for _ in range(max(per_asset // 2, 1)))
            history = [("operasional", (None, None), first)]
            for i, d in enumerate(downs):
                start = first + timedelta(seconds=d)
                if start <= history[-1][2]:
                    continue
                history.append((rnd.choice(DOWN), rnd.choice(CAUSES), start))
                repair = start + timedelta(minutes=rnd.randrange(60, 60 * 24 * 14))
                limit = first + timedelta(seconds=downs[i + 1]) if i + 1 < len(downs) else now
                if repair < limit:
                    history.append(("operasional", (None, None), repair))
            assets.append(
                {
                    "id": next_id,
                    "region_code": rnd.choice(kecamatan),
                    "kode_barang": "1.3.2.10.01.02.001",
                    "register_no": f"{next_id:06d}",
                    "name": "PC Unit perekaman KTP-el",
                    "category": "perekaman",
                    "acquired_on": date(2024, 1, 1),
                    "funding_source": "APBD",
                    "acquisition_method": "pembelian",
                    "unit_price": 14_750_000,
                    "condition": "B",
                    "label_token": f"dt{next_id:014d}",
                    "status": history[-1][0],
                    "status_since": history[-1][2],
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for st, (c, p), started in history:
                events.append(
                    {
                        "asset_id": next_id,
                        "status": st,
                        "cause": c,
                        "responsible_party": p,
                        "started_at": started,
                        "created_at": now,
                    }
                )
            next_id += 1
        db.session.execute(sa.insert(Asset), assets)
        db.session.execute(sa.insert(StatusEvent), events)
        events_n += len(events)
    db.session.commit()
    return events_n, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000, help="jumlah aset (bawaan 50.000)")
    parser.add_argument("--events", type=int, default=10, help="peristiwa status per aset")
    parser.add_argument(
        "--database-url", default=None, help="basis data kosong (bawaan: SQLite sementara)"
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ["INSTANCE_PATH"] = tmp.name
    url = args.database_url or f"sqlite:///{tmp.name}/bench.sqlite"

    from assets_app.assets import downtime
    from assets_app.auth.services import create_user
    from assets_app.common.timeutil import start_of_day, today_wib, utcnow
    from assets_app.extensions import db
    from assets_app.regions.services import load_regions

    app = make_app(url)
    build_schema(app)
    with app.app_context():
        load_regions(list(app.config["DEMO_REGIONS"]))
        admin = create_user(
            "bench", role="admin", password="bench-password-1", name="Bench", region_code=None
        )
        db.session.commit()
        print(f"{db.engine.dialect.name}: membuat {args.n} aset …", flush=True)
        events, secs = generate(db, args.n, args.events)
        print(f"  {events} peristiwa status dalam {secs:.1f} detik", flush=True)
        t = time.perf_counter()
        rows = downtime.rebuild_rollup()
        db.session.commit()
        print(f"  rebuild downtime_daily: {rows} baris, {time.perf_counter() - t:.1f} detik")
        analyze(db)
        kab = app.config["DEMO_REGIONS"][0]
        today = today_wib()
        now = utcnow()
        periods = {
            "30 hari": (
                start_of_day(today - timedelta(days=30)),
                start_of_day(today + timedelta(1)),
            ),
            "kuartal": (
                start_of_day(today - timedelta(days=91)),
                start_of_day(today + timedelta(1)),
            ),
        }
        print(
            f"\n{'cakupan':<20} {'periode':<8} {'sebelum (raw) ms':>17} {'sesudah ms':>11} {'×':>6}"
        )
        for label, region in ((f"kab/kota {kab}", kab), ("seluruh instalasi", None)):
            for name, (start, end) in periods.items():
                args_ = (admin, region, start, end)
                before, want = p50(partial(downtime.raw_downtime_by_region, *args_, now=now))
                after, got = p50(partial(downtime.downtime_by_region, *args_, now=now))
                assert got == want, f"{label} {name}: rollup ≠ raw"
                print(
                    f"{label:<20} {name:<8} {before:>17.1f} {after:>11.1f} {before / after:>6.1f}",
                    flush=True,
                )
        db.session.remove()


if __name__ == "__main__":
    main()
