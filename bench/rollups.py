"""Rollup benchmark: the blanko part of the DPRD summary (opening and closing balances and the
period's flows of one kab/kota) before (re-summing the ledger) and after (the daily rollup
`blanko_daily`), over a bulk ledger (bench/blanko.py's `bulk_ledger`), plus
`blanko_summary_by_region` as the pages call it and the time of `flask rollups rebuild`.

    .venv/bin/python bench/rollups.py [--rows 300000] [--pg URL | --no-pg] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import timedelta

from _common import ScratchPostgres, make_app

os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="bench-rollups-"))

from blanko import DINAS, _median_ms, bulk_ledger, setup_database  # noqa: E402


def _ledger_part(p_start, p_end, root):
    """The summary's blanko part as it was before the rollup: two full recomputations of the
    balances and one of the period's flows, each over the whole ledger."""
    import sqlalchemy as sa

    from assets_app.blanko.stats import _contributions, ledger_balances
    from assets_app.extensions import db
    from assets_app.regions.scope import subtree_clause

    ledger_balances(p_start, root=root)
    ledger_balances(p_end, root=root)
    c = _contributions()
    stmt = (
        sa.select(c.c.loc, c.c.flow, sa.func.sum(c.c.on_hand))
        .where(c.c.at >= p_start, c.c.at < p_end, c.c.flow != "none", subtree_clause(c.c.loc, root))
        .group_by(c.c.loc, c.c.flow)
    )
    db.session.execute(stmt).all()


def timings(url: str) -> dict:
    import sqlalchemy as sa

    from assets_app.auth.models import User
    from assets_app.blanko import daily
    from assets_app.blanko.summary import blanko_summary_by_region
    from assets_app.common.timeutil import end_of_day, start_of_day, today_wib
    from assets_app.extensions import db

    app = make_app(url)
    out = {}
    with app.app_context():
        t0 = time.perf_counter()
        out["rows_written"] = daily.rebuild()
        db.session.commit()
        out["rebuild_ms"] = (time.perf_counter() - t0) * 1000
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as ac:
                ac.execute(sa.text("VACUUM ANALYZE blanko_daily"))
        user = db.session.scalar(sa.select(User).where(User.username == "bench"))
        today = today_wib()
        start, end = today - timedelta(days=90), today
        p_start, p_end = start_of_day(start), end_of_day(end)

        def after():
            daily.balances_before(start, DINAS)
            daily.balances_before(end + timedelta(days=1), DINAS)
            daily.flows_between(start, end, DINAS)

        out["ledger_part_before_ms"] = _median_ms(lambda: _ledger_part(p_start, p_end, DINAS), 3)
        out["ledger_part_after_ms"] = _median_ms(after)
        out["summary_by_region_ms"] = _median_ms(
            lambda: blanko_summary_by_region(user, DINAS, start, end)
        )
        t0 = time.perf_counter()
        out["check_differences"] = len(daily.check())
        out["check_ms"] = (time.perf_counter() - t0) * 1000
        out["movements"] = db.session.scalar(sa.text("SELECT count(*) FROM blanko_movements"))
        db.session.remove()
        db.engine.dispose()
    return out


def run_for(label: str, url: str, rows: int) -> dict:
    print(f"\n== {label} ==", flush=True)
    setup_database(url, stock=1_000_000)
    load_s = bulk_ledger(url, rows)
    t = timings(url)
    print(
        f"{t['movements']:,} mutasi (muat {load_s:.1f} s); rekap harian {t['rows_written']:,} baris"
    )
    print(
        f"flask rollups rebuild (blanko): {t['rebuild_ms']:,.0f} ms; check: {t['check_ms']:,.0f} ms"
    )
    print(
        f"bagian blanko ringkasan (saldo awal+akhir, arus 90 hari, 1 kab): "
        f"sebelum {t['ledger_part_before_ms']:,.1f} ms → sesudah {t['ledger_part_after_ms']:,.1f} ms"
    )
    print(f"blanko_summary_by_region (7 query): {t['summary_by_region_ms']:,.1f} ms", flush=True)
    return {"load_s": load_s, **t}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000, help="mutasi di buku")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    results = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = run_for("SQLite (berkas)", f"sqlite:///{tmp}/b.sqlite", args.rows)
    if not args.no_pg:
        import sqlalchemy as sa

        scratch = ScratchPostgres(args.pg)
        try:
            url = scratch.create()
        except sa.exc.OperationalError as exc:
            print(f"PostgreSQL tidak tersedia ({exc.__class__.__name__}); dilewati.")
        else:
            try:
                results["postgresql"] = run_for("PostgreSQL", url, args.rows)
            finally:
                scratch.drop()
    print("\n" + json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
