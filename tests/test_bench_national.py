"""Smoke test of bench/national.py: at a tiny scale, on the suite's engine (DATABASE_URL's
PostgreSQL or SQLite), it builds the dataset with the migrations, passes the blanko ledger
check, and prints a row per page and user, all 200, with the JSON the issue asks for.
Numbers are printed, never asserted (the machine is shared)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "national.py"
KEYS = {
    "page", "user", "engine", "scale", "p50_ms", "p95_ms", "queries", "bytes", "floor_ms",
    "ratio", "own_floor_ms", "bare_ms", "net_ratio",
}  # fmt: skip


def test_national_bench_runs_every_page_for_both_users(tmp_path):
    out_json = tmp_path / "national.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--scale", "0.005", "--runs", "1", "--warmup", "0",
         "--json", str(out_json)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    print(proc.stdout[-6000:], proc.stderr[-3000:])
    assert proc.returncode == 0, proc.stderr[-3000:] or proc.stdout[-3000:]
    assert "blanko check: OK" in proc.stdout
    assert "machine load at start" in proc.stdout and "machine load at end" in proc.stdout
    rows = json.loads(out_json.read_text())
    pages = [
        "/beranda", "/laporan/ringkasan", "GET /api/v1/reports/summary", "/aset/menganggur",
        "/blanko/", "/wilayah/35.11.05", "/aset/ first page", "/pelatihan/kesenjangan",
        "/laporan/kabkota", "/tiket/", "/surat/", "GET /api/v1/assets",
    ]  # fmt: skip
    assert [(r["page"], r["user"]) for r in rows] == [
        (p, u) for u in ("kabupaten", "admin") for p in pages
    ]
    engine = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgresql") else "sqlite"
    )
    for r in rows:
        assert set(r) >= KEYS, r
        assert r["status"] == 200, r
        assert r["engine"] == engine and r["scale"] == 0.005
        assert r["queries"] > 0 and r["bytes"] > 0 and r["bare_ms"] > 0
        assert r["floor_ms"] >= r["own_floor_ms"] > 0  # the own floor is part of the floor
        # the printed table carries the same row
        assert f"| `{r['page']}` | {r['user']} |" in proc.stdout
