"""National-scale benchmark (issue 19): every page and API list of the issue's table, for a
kabupaten petugas (35.11) and a whole-installation admin, beside a hand-written SQL floor.

    .venv/bin/python bench/national.py [--scale S] [--runs N] [--json FILE]
                                       [--dataset-cache DIR] [--users kabupaten,admin,provinsi]

The dataset is built by the migrations (as `flask db upgrade` builds an installation) on a
temporary SQLite file, or on a scratch database of DATABASE_URL's PostgreSQL (dropped at the
end), then bulk-loaded (COPY on PostgreSQL; one executemany transaction with synchronous=OFF on
SQLite), ANALYZEd, and the daily rollups rebuilt (`core.rollups.rebuild_all`). Volumes at
scale 1 are the issue's: 514 kab/kota, 7,285 kecamatan, 149,969 assets, 1.5 M status events,
2.66 M usage days, 200,000 tickets, 59,874 letters, 1.98 M blanko movements; `--scale S`
multiplies them (below 1 a prefix of the kab/kota, always with 35.11 Bondowoso). The blanko
ledger is consistent with its balances; at scale ≤ 0.05 the bench runs `flask blanko check`'s
verification on it (`--check` forces it at any scale).

Each page is requested through the Flask test client after a real login (the form, its CSRF
token); the API with a Bearer token. Per page: p50/p95 of `--runs` requests (after `--warmup`
untimed ones, 5 by default: psycopg prepares a statement at its fifth execution on a
connection, so the first requests of a server plan every statement; the floor gets the same
warm-up), SQL statements, response bytes, status (a non-200 is printed loudly and makes the exit
status 1), and the floor: raw SQL written from the schema, not from the app's query builders,
computing the page's main figures in one GROUP BY each (range conditions on region codes, so an
index can serve them) — the own floor — plus what every request reads besides: the session's
user and the menu badge's four counts on an HTML page (new and overdue tickets, service points
without today's report, low-stock locations), the Bearer token on the API; timed in the same
run; ratio = page p50 / floor p50. Beside it the bare request: p50 of /akun/profil for the
same user (session, layout and the badge, no figures of its own), and net ratio = (page p50 −
bare) / own floor p50.

Before measuring, the bench runs the `ringkasan_instalasi` job once, as a server's 5-minute
`jobs run` keeps it: the admin's summary pages and API then read the stored summary
(hearing.snapshot); the job's line prints how long the live computation took.

The clock is frozen (ticking) at ANCHOR so that a cached dataset stays "current".
"""

from __future__ import annotations

import argparse
import contextvars
import functools
import hashlib
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from _common import ROOT, ScratchPostgres, analyze, build_schema, make_app

# Bump when the generated data changes, so that a --dataset-cache built earlier is not reused.
DATA_VERSION = 2
SEED = 19
# "Now" for the whole bench: 09:00 WIB on this day (02:00 UTC).
ANCHOR_DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
FIRST_DAY = ANCHOR_DAY - timedelta(days=364)

FULL = {
    "kabkota": 514,
    "kecamatan": 7_285,
    "assets": 149_969,
    "status_events": 1_500_000,
    "usage_days": 2_660_000,
    "tickets": 200_000,
    "letters": 59_874,
    "blanko_movements": 1_980_000,
}
KAB, KEC = "35.11", "35.11.05"
PASSWORD = "bench-national-2026!"
USERS = {
    # key: (username, role, region)
    "kabupaten": ("bench.petugas", "petugas", KAB),
    "admin": ("bench.admin", "admin", None),
    "provinsi": ("bench.provinsi", "petugas", "35"),
}
ITEMS = (
    ("PC Unit", "perekaman", "1.3.2.10.01.02.001", 12_500_000),
    ("Kamera", "perekaman", "1.3.2.05.02.06.023", 6_750_000),
    ("Alat Sidik Jari", "perekaman", "1.3.2.05.01.05.068", 8_750_000),
    ("Iris Scanner", "perekaman", "1.3.2.10.02.03.004", 9_900_000),
    ("Signature Pad", "perekaman", "1.3.2.10.02.03.004", 2_400_000),
    ("Printer kartu", "cetak_ktp", "1.3.2.10.02.03.003", 49_990_000),
    ("Printer KK", "cetak_kk", "1.3.2.10.02.03.003", 4_600_000),
    ("Router VPN", "jaringan", "1.3.2.10.02.04.002", 6_200_000),
    ("Server lokal", "server", "1.3.2.10.02.04.001", 35_000_000),
    ("UPS", "pendukung", "1.3.2.10.01.02.005", 3_100_000),
)
CAUSES = ("jaringan", "listrik", "perangkat_keras", "perangkat_lunak", "operator", "blanko")
PARTIES = ("disdukcapil", "kecamatan", "diskominfo", "vendor", "ditjen_dukcapil", "pln")
TOPICS = ("perekaman", "cetak_ktp", "cetak_kk", "jaringan", "server")
OPEN_TICKET = ("baru", "diterima", "dikerjakan", "menunggu_pihak_ketiga")
TICKET_PATH = ("baru", "diterima", "dikerjakan", "menunggu_pihak_ketiga", "selesai", "ditutup")


def out(line: str = "") -> None:
    print(line, flush=True)


# ---------------------------------------------------------------------------------------------
# Bulk loading


@functools.lru_cache(maxsize=65_536)  # the ledger repeats the same instants across locations
def _stored(dt: datetime, pg: bool):
    naive = dt.astimezone(UTC).replace(tzinfo=None)
    return naive if pg else naive.strftime("%Y-%m-%d %H:%M:%S.%f")


class Loader:
    """Writes rows (tuples in column order) to a table: COPY on PostgreSQL, executemany on
    SQLite. Values are already in the stored form: naive UTC datetimes (strings on SQLite, in
    SQLAlchemy's own format, since SQLite compares them as text)."""

    def __init__(self, connection, dialect: str):
        self.raw = connection.connection.driver_connection
        self.pg = dialect == "postgresql"
        self.counts: dict[str, int] = {}

    def ts(self, dt: datetime):
        return _stored(dt, self.pg)

    def day(self, d: date):
        return d if self.pg else d.isoformat()

    def write(self, table: str, columns: tuple[str, ...], rows) -> int:
        n = 0
        if self.pg:
            cur = self.raw.cursor()
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cur = self.raw.cursor()
            batch: list = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 20_000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def fix_sequences(self, tables) -> None:
        """COPY with explicit ids leaves PostgreSQL's sequences at 1; later writes need them."""
        if not self.pg:
            return
        cur = self.raw.cursor()
        for t in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {t}), 0) + 1, false)"
            )


def choose_regions(scale: float) -> tuple[list[tuple], list[str], list[str]]:
    """(region rows, kab/kota codes, kecamatan codes): all at scale ≥ 1, else the first
    kab/kota by code (a prefix of the provinces) plus 35.11, with all their kecamatan."""
    from assets_app.regions.services import bundled_rows

    rows = [r for r in bundled_rows() if r[2] in ("provinsi", "kabkota", "kecamatan")]
    kabs = sorted(r[0] for r in rows if r[2] == "kabkota")
    if scale < 1:
        want = max(1, round(len(kabs) * scale))
        chosen = kabs[:want]
        if KAB not in chosen:
            chosen = chosen[: max(0, want - 1)] + [KAB]
        kabs = sorted(chosen)
    keep_kab = set(kabs)
    keep = [
        r
        for r in rows
        if (r[2] == "provinsi" and any(k.startswith(r[0] + ".") for k in keep_kab))
        or (r[2] == "kabkota" and r[0] in keep_kab)
        or (r[2] == "kecamatan" and r[3] in keep_kab)
    ]
    keep.sort(key=lambda r: (r[0].count("."), r[0]))
    kecs = [r[0] for r in keep if r[2] == "kecamatan"]
    return keep, kabs, kecs


def spread(total: int, n: int) -> list[int]:
    """`total` split over `n` slots as evenly as integers allow."""
    base, extra = divmod(total, n) if n else (0, 0)
    return [base + (1 if i < extra else 0) for i in range(n)]


@functools.lru_cache(maxsize=65_536)
def at_day(d: date, hour: int, minute: int = 0) -> datetime:
    """An instant on WIB day `d` at hour:minute WIB."""
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def asset_timeline(asset_id: int, n_events: int, acquired: date) -> list[tuple]:
    """(status, cause, party, started_at) of one asset: operasional since acquisition, then
    outages over the last year (gangguan [→ dalam_perbaikan] → operasional, repaired within
    an hour to a week); about one asset in seven ends in an open outage or *tidak digunakan*.
    Deterministic per asset."""
    rnd = random.Random(asset_id * 7_919 + SEED)
    events = [("operasional", None, None, at_day(acquired, 8))]
    m = n_events - 1
    if m <= 0:
        return events
    open_end = rnd.random() < 0.15
    episodes: list[list[str]] = []
    rest = m - (1 if open_end else 0)
    while rest > 0:
        if rest == 1:
            episodes.append(["operasional"])  # an inspection that confirms it works
            rest -= 1
        elif rest == 3 or (rest > 3 and rnd.random() < 0.3):
            episodes.append(["gangguan", "dalam_perbaikan", "operasional"])
            rest -= 3
        else:
            episodes.append(["gangguan", "operasional"])
            rest -= 2
    if open_end:
        episodes.append([rnd.choice(("gangguan", "dalam_perbaikan", "tidak_digunakan"))])
    begin = at_day(FIRST_DAY, 0)
    span = (NOW - begin).total_seconds() - 3600
    starts = sorted(rnd.uniform(0, span) for _ in episodes)
    for j, (steps, t0) in enumerate(zip(episodes, starts, strict=True)):
        room = (starts[j + 1] if j + 1 < len(starts) else span) - t0
        repair = min(room * 0.9, rnd.uniform(3600, 7 * 86400))
        for i, status in enumerate(steps):
            at = begin + timedelta(seconds=t0 + repair * i / max(1, len(steps) - 1))
            if status == "operasional":
                events.append((status, None, None, at))
            else:
                events.append((status, rnd.choice(CAUSES), rnd.choice(PARTIES), at))
    return events


def build_dataset(db, scale: float) -> dict:
    """Loads every table of the national dataset; returns the row counts."""
    rnd = random.Random(SEED)
    region_rows, kabs, kecs = choose_regions(scale)
    n_kec = len(kecs)
    target = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    conn = db.session.connection()
    L = Loader(conn, db.engine.dialect.name)
    if not L.pg:
        L.raw.execute("PRAGMA synchronous=OFF")
        L.raw.execute("PRAGMA journal_mode=MEMORY")
    now_s = L.ts(NOW)
    timings = {}

    def timed(name, fn):
        started = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - started

    timed(
        "regions",
        lambda: L.write(
            "regions", ("code", "name", "level", "parent_code", "kind"), iter(region_rows)
        ),
    )

    # Assets: 8 at each Dinas, the rest spread over the kecamatan; ids in region order.
    places = [(k, 8) for k in kabs]
    remaining = max(0, target["assets"] - 8 * len(kabs))
    places += list(zip(kecs, spread(remaining, n_kec), strict=True))
    asset_plan: list[tuple[int, str, int, date]] = []  # (id, region, item index, acquired)
    region_assets: dict[str, tuple[int, int]] = {}
    for code, count in places:
        first = len(asset_plan) + 1
        for j in range(count):
            acquired = date(2019 + rnd.randrange(6), rnd.randint(1, 12), rnd.randint(1, 28))
            asset_plan.append((len(asset_plan) + 1, code, j % len(ITEMS), acquired))
        region_assets[code] = (first, count)
    avg_events = target["status_events"] / max(1, len(asset_plan))
    hi = max(1, round(2 * avg_events - 1))
    n_events = [rnd.randint(1, hi) for _ in asset_plan]

    def asset_rows():
        for (aid, code, item, acquired), k in zip(asset_plan, n_events, strict=True):
            name, category, kode, price = ITEMS[item]
            status, cause, party, since = asset_timeline(aid, k, acquired)[-1]
            yield (
                aid, code, kode, f"{aid:06d}", name, category, L.day(acquired), "APBD", "pembelian", price, "B", f"n{aid:015d}", status,
                L.ts(since), cause, party, now_s, now_s,
            )  # fmt: skip

    timed(
        "assets",
        lambda: L.write(
            "assets",
            (
                "id",
                "region_code",
                "kode_barang",
                "register_no",
                "name",
                "category",
                "acquired_on",
                "funding_source",
                "acquisition_method",
                "unit_price",
                "condition",
                "label_token",
                "status",
                "status_since",
                "status_cause",
                "status_party",
                "created_at",
                "updated_at",
            ),  # fmt: skip
            asset_rows(),
        ),
    )

    def event_rows():
        for (aid, _code, _item, acquired), k in zip(asset_plan, n_events, strict=True):
            for status, cause, party, at in asset_timeline(aid, k, acquired):
                s = L.ts(at)
                yield (aid, status, cause, party, s, s)

    timed(
        "status_events",
        lambda: L.write(
            "asset_status_events",
            ("asset_id", "status", "cause", "responsible_party", "started_at", "created_at"),
            event_rows(),
        ),
    )

    # Usage: one row a day per kecamatan up to yesterday; 4 % of the kecamatan served nobody
    # in the last 45 days (their operational equipment is idle).
    days = max(1, round(target["usage_days"] / n_kec))
    last_usage = ANCHOR_DAY - timedelta(days=1)
    idle_kec = {c for c in kecs if hashlib.md5(c.encode()).digest()[0] < 10}

    def usage_rows():
        for code in kecs:
            r = random.Random(code)
            quiet = code in idle_kec
            for i in range(days):
                d = last_usage - timedelta(days=days - 1 - i)
                if quiet and (last_usage - d).days < 45:
                    counts = (0, 0, 0, 0, 0)
                else:
                    weekend = d.weekday() >= 5
                    top = 15 if weekend else 70
                    counts = (
                        r.randint(0, top), r.randint(0, top), r.randint(0, top // 2),
                        r.randint(0, 12), r.randint(0, 3),
                    )  # fmt: skip
                yield (code, L.day(d), *counts, 80, now_s, now_s)

    timed(
        "usage_days",
        lambda: L.write(
            "usage_days",
            (
                "region_code",
                "day",
                "rekam",
                "cetak_ktp",
                "cetak_kk",
                "ditolak",
                "suket",
                "kuota",
                "created_at",
                "updated_at",
            ),  # fmt: skip
            usage_rows(),
        ),
    )
    L.write(
        "coverage_snapshots",
        ("region_code", "as_of", "wajib_ktp", "sudah_rekam", "created_at", "updated_at"),
        (
            (c, L.day(ANCHOR_DAY - timedelta(days=30)), w, int(w * 0.93), now_s, now_s)
            for c, w in ((c, random.Random(c).randint(15_000, 80_000)) for c in kecs)
        ),
    )

    # Tickets: spread over the kecamatan and the year; about 12 % still open, a part overdue.
    ticket_span: dict[str, tuple[int, int]] = {}
    ticket_events: list[tuple] = []
    ticket_created: list[datetime] = []

    def ticket_rows():
        tid = 0
        year_seq: dict[int, int] = {}
        for code, count in zip(kecs, spread(target["tickets"], n_kec), strict=True):
            r = random.Random("t" + code)
            ticket_span[code] = (tid + 1, count)
            a_first, a_count = region_assets.get(code, (0, 0))
            for _ in range(count):
                tid += 1
                created = NOW - timedelta(seconds=r.uniform(6 * 3600, 364 * 86400))
                ticket_created.append(created)
                seq = year_seq[created.year] = year_seq.get(created.year, 0) + 1
                status = (
                    r.choice(OPEN_TICKET) if r.random() < 0.12 else r.choice(("selesai", "ditutup"))
                )
                accepted = None if status == "baru" else created + timedelta(hours=r.uniform(1, 3))
                resolve_due = created + timedelta(days=r.choice((2, 5, 10, 14)))
                resolved = closed = None
                if status in ("selesai", "ditutup"):
                    resolved = min(NOW, created + timedelta(hours=r.uniform(4, 24 * 20)))
                    closed = (
                        min(NOW, resolved + timedelta(hours=1)) if status == "ditutup" else None
                    )
                # the transitions that led to the status (the figures read a ticket's status
                # at a moment from these events)
                steps = TICKET_PATH[: TICKET_PATH.index(status) + 1]
                if status == "selesai" or status == "ditutup":
                    steps = [s for s in steps if s != "menunggu_pihak_ketiga"]
                when = {
                    "diterima": accepted,
                    "dikerjakan": accepted and accepted + timedelta(minutes=30),
                    "menunggu_pihak_ketiga": accepted and accepted + timedelta(hours=1),
                    "selesai": resolved,
                    "ditutup": closed,
                }
                for before, after in itertools.pairwise(steps):
                    ticket_events.append((tid, "transition", before, after, L.ts(when[after])))
                asset = a_first + r.randrange(a_count) if a_count and r.random() < 0.7 else None
                yield (
                    tid, f"TK-{created.year}-{seq:06d}", code, asset,
                    r.choice(("jaringan", "perangkat", "listrik", "blanko", "aplikasi")),
                    r.choice(("rendah", "sedang", "tinggi")), r.choice(("rendah", "sedang", "tinggi")),
                    r.choice(("rendah", "sedang", "tinggi", "kritis")),
                    f"Gangguan layanan #{tid}", "Perangkat tidak dapat dipakai melayani warga.",
                    status, r.choice(PARTIES), 0, 0,
                    None if accepted is None else L.ts(accepted),
                    None if resolved is None else L.ts(resolved),
                    None if closed is None else L.ts(closed),
                    L.ts(created + timedelta(hours=8)), L.ts(resolve_due),
                    L.ts(created), L.ts(resolved or closed or accepted or created),
                )  # fmt: skip

    timed(
        "tickets",
        lambda: L.write(
            "tickets",
            (
                "id",
                "number",
                "region_code",
                "asset_id",
                "category",
                "urgency",
                "impact",
                "priority",
                "title",
                "description",
                "status",
                "responsible_party",
                "reopened_count",
                "escalation_level",
                "accepted_at",
                "resolved_at",
                "closed_at",
                "accept_due_at",
                "resolve_due_at",
                "created_at",
                "updated_at",
            ),  # fmt: skip
            ticket_rows(),
        ),
    )

    timed(
        "ticket_events",
        lambda: L.write(
            "ticket_events", ("ticket_id", "kind", "from_value", "to_value", "at"),
            iter(ticket_events),
        ),
    )  # fmt: skip
    del ticket_events[:]

    # Letters: about a ticket of their kecamatan, issued by its Dinas; 85 % outgoing
    # (numbered per Dinas and year), the rest replies received.
    def letter_rows():
        lid = 0
        seqs: dict[tuple[str, int], int] = {}
        outgoing: list[tuple[int, str]] = []
        for code, count in zip(kecs, spread(target["letters"], n_kec), strict=True):
            r = random.Random("l" + code)
            t_first, t_count = ticket_span[code]
            kab = code[:5]
            for _ in range(count):
                lid += 1
                tid = t_first + r.randrange(t_count) if t_count else None
                base = ticket_created[tid - 1] if tid else NOW - timedelta(days=100)
                on = min(ANCHOR_DAY, (base + timedelta(days=r.randint(1, 10))).date())
                at = L.ts(at_day(on, 10))
                if outgoing and r.random() < 0.15:
                    reply_to, _ = outgoing[r.randrange(len(outgoing))]
                    yield (
                        lid, code, None, "masuk", "diterima", None, f"005/{lid}/Diskominfo/{on.year}",
                        None, None, L.day(on), "biasa", "-", "Balasan perbaikan jaringan",
                        "Diskominfo", "Kepala Dinas Kependudukan dan Pencatatan Sipil", "", "{}",
                        "ticket", tid, reply_to, None, L.day(on), None, at, at,
                    )  # fmt: skip
                    continue
                seq = seqs[(kab, on.year)] = seqs.get((kab, on.year), 0) + 1
                status = r.choice(("terkirim", "terkirim", "diterima", "dibalas"))
                replied = (
                    L.day(min(ANCHOR_DAY, on + timedelta(days=7))) if status == "dibalas" else None
                )
                outgoing.append((lid, code))
                yield (
                    lid, code, kab, "keluar", status, "000.2.2",
                    f"000.2.2/{seq:04d}/Disdukcapil/{on.year}", on.year, seq, L.day(on),
                    "segera", "-", "Permohonan perbaikan perangkat", None,
                    "Kepala Dinas Komunikasi dan Informatika", "Dengan hormat, ...", "{}",
                    "ticket", tid, None, L.day(on), None, replied, at, at,
                )  # fmt: skip

    timed(
        "letters",
        lambda: L.write(
            "letters",
            (
                "id",
                "region_code",
                "issuer_code",
                "direction",
                "status",
                "classification",
                "number",
                "seq_year",
                "seq_no",
                "letter_date",
                "sifat",
                "lampiran",
                "perihal",
                "sender",
                "recipient",
                "body",
                "kop",
                "subject_type",
                "subject_id",
                "in_reply_to_id",
                "sent_on",
                "received_on",
                "replied_on",
                "created_at",
                "updated_at",
            ),  # fmt: skip
            letter_rows(),
        ),
    )

    timed("blanko", lambda: load_blanko(L, kabs, kecs, target["blanko_movements"]))
    timed("training", lambda: load_training(L, kabs, kecs))
    L.fix_sequences(
        ("assets", "asset_status_events", "usage_days", "coverage_snapshots", "tickets",
         "ticket_events", "letters", "blanko_movements", "blanko_receipts", "blanko_approvals", "operators",
         "trainings", "training_topics", "training_attendance", "certificate_topics")
    )  # fmt: skip
    db.session.commit()
    if not L.pg:
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA journal_mode=WAL")
    return {"counts": L.counts, "timings": timings, "kabkota": len(kabs), "kecamatan": n_kec}


def load_blanko(L: Loader, kabs: list[str], kecs: list[str], total: int) -> None:
    """A consistent ledger. Per Dinas a penerimaan on the 1st of each month covering that
    month's distributions; per kecamatan a distribusi every 14 days (received the next day,
    covering the next 14 days of use), two approved rusak, pemakaian on most days; one
    kecamatan in ten has a distribusi still in transit, one in twenty a rusak awaiting its
    decision (reserved). Balances are computed by applying the ledger's own rules."""
    by_kab: dict[str, list[str]] = {}
    for c in kecs:
        by_kab.setdefault(c[:5], []).append(c)
    months = sorted(
        {(d.year, d.month) for d in (FIRST_DAY + timedelta(days=i) for i in range(365))}
    )
    per_kec = max(0, (total - 12 * len(kabs)) // max(1, len(kecs)))
    n_dist = 26
    mid = 0
    movements, receipts, approvals = [], [], []
    balance: dict[str, list[int]] = {}  # on_hand, in_transit_in, reserved

    def bal(code):
        return balance.setdefault(code, [0, 0, 0])

    def move(kind, region, frm, to, qty, at, ref=None):
        nonlocal mid
        mid += 1
        s = L.ts(at)
        movements.append((mid, kind, region, frm, to, qty, s, ref, s))
        return mid

    for kab in kabs:
        monthly: dict[tuple[int, int], int] = {}
        kab_moves = []  # (at, kind, kec, qty, extra) generated first, penerimaan added after
        for code in by_kab.get(kab, []):
            r = random.Random("b" + code)
            n_use = max(0, per_kec - n_dist - 2)
            use_days = sorted(r.sample(range(1, 365), min(364, n_use)))
            uses = [(FIRST_DAY + timedelta(days=d), r.randint(3, 30)) for d in use_days]
            rusak_days = sorted(r.sample(range(20, 340), 2))
            rusak = [(FIRST_DAY + timedelta(days=d), r.randint(1, 3)) for d in rusak_days]
            pending = random.Random("p" + code).random() < 0.05
            in_transit = random.Random("i" + code).random() < 0.10
            # distribusi j (day 14·j, received the next day) covers days 14·j+1 … 14·j+14
            need = [0] * n_dist
            for d, q in uses + rusak:
                need[((d - FIRST_DAY).days - 1) // 14] += q
            for j in range(n_dist):
                d0 = FIRST_DAY + timedelta(days=14 * j)
                qty = need[j] + r.randint(5, 40)
                kab_moves.append((at_day(d0, 8), "distribusi", code, qty, True))
                monthly[(d0.year, d0.month)] = monthly.get((d0.year, d0.month), 0) + qty
            for d, q in uses:
                kab_moves.append((at_day(d, 14), "pemakaian", code, q, None))
            for i, (d, q) in enumerate(rusak):
                kab_moves.append((at_day(d, 15), "rusak", code, q, not (pending and i == 1)))
            if in_transit:
                d = ANCHOR_DAY - timedelta(days=1)
                kab_moves.append((at_day(d, 8), "distribusi", code, 100, False))
                monthly[(d.year, d.month)] = monthly.get((d.year, d.month), 0) + 100
        for y, m in months:
            need = monthly.get((y, m), 0) + 200
            kab_moves.append((at_day(date(y, m, 1), 6), "penerimaan", kab, need, None))
        kab_moves.sort(key=lambda e: (e[0], e[1] != "penerimaan"))
        for at, kind, code, qty, extra in kab_moves:
            if kind == "penerimaan":
                move(kind, kab, None, kab, qty, at, ref=f"BAST/{kab}/{at:%Y%m}")
                bal(kab)[0] += qty
            elif kind == "distribusi":
                m_id = move(kind, code, kab, code, qty, at)
                bal(kab)[0] -= qty
                if extra:
                    got = at + timedelta(days=1)
                    receipts.append((m_id, code, qty, qty, L.ts(got), L.ts(got)))
                    bal(code)[0] += qty
                else:
                    bal(code)[1] += qty
            elif kind == "pemakaian":
                move(kind, code, code, None, qty, at)
                bal(code)[0] -= qty
            else:  # rusak
                m_id = move(kind, code, code, None, qty, at)
                if extra:
                    decided = at + timedelta(days=2)
                    approvals.append((m_id, code, True, f"BA/{m_id}", L.ts(decided), L.ts(decided)))
                    bal(code)[0] -= qty
                else:
                    bal(code)[2] += qty
    L.write(
        "blanko_movements",
        (
            "id",
            "kind",
            "region_code",
            "from_region",
            "to_region",
            "quantity",
            "occurred_at",
            "reference",
            "created_at",
        ),  # fmt: skip
        iter(movements),
    )
    L.write(
        "blanko_receipts",
        (
            "movement_id",
            "region_code",
            "quantity_sent",
            "quantity_received",
            "received_at",
            "created_at",
        ),  # fmt: skip
        iter(receipts),
    )
    L.write(
        "blanko_approvals",
        ("movement_id", "region_code", "approved", "berita_acara_no", "decided_at", "created_at"),
        iter(approvals),
    )
    negative = [c for c, b in balance.items() if min(b) < 0]
    if negative:
        raise RuntimeError(f"generated blanko ledger goes negative at {negative[:5]}")
    now_s = L.ts(NOW)
    L.write(
        "blanko_balances",
        ("region_code", "on_hand", "in_transit_in", "reserved", "updated_at"),
        ((c, b[0], b[1], b[2], now_s) for c, b in sorted(balance.items())),
    )


def load_training(L: Loader, kabs: list[str], kecs: list[str]) -> None:
    """Two operators per kecamatan and Dinas; per kab/kota three trainings of the year; about
    two operators in three hold a passed certificate (some expiring within 60 days, some
    expired), so the gap matrix has every colour."""
    now_s = L.ts(NOW)
    operators, trainings, topics, attendance, cert_topics = [], [], [], [], []
    by_kab: dict[str, list[str]] = {}
    for c in kecs:
        by_kab.setdefault(c[:5], []).append(c)
    for kab in kabs:
        r = random.Random("o" + kab)
        t_ids = []
        for j in range(3):
            tid = len(trainings) + 1
            start = ANCHOR_DAY - timedelta(days=700 - 230 * j)
            trainings.append(
                (tid, f"Pelatihan operator {j + 1}", L.day(start), L.day(start + timedelta(days=1)),
                 "Aula Dinas", "dinas", kab, now_s, now_s)
            )  # fmt: skip
            chosen = TOPICS[: 2 + j]
            for t in chosen:
                topics.append((len(topics) + 1, tid, t))
            t_ids.append((tid, start, chosen))
        for code in [kab, *by_kab.get(kab, [])]:
            for _k in range(2):
                oid = len(operators) + 1
                operators.append(
                    (oid, f"Operator {oid}", "Operator SIAK", code, True, now_s, now_s)
                )
                if r.random() < 0.35:
                    continue
                tid, start, chosen = t_ids[r.randrange(3)]
                aid = len(attendance) + 1
                passed = r.random() < 0.9
                issued = start + timedelta(days=1)
                valid = issued + timedelta(days=730)
                attendance.append(
                    (aid, tid, oid, True, passed, f"SRT/{aid:07d}" if passed else None,
                     L.day(issued) if passed else None, L.day(valid) if passed else None,
                     f"v{aid:015d}" if passed else None, now_s, now_s)
                )  # fmt: skip
                if passed:
                    for t in chosen:
                        cert_topics.append((len(cert_topics) + 1, aid, oid, t, L.day(valid)))
    L.write(
        "operators",
        ("id", "name", "position", "region_code", "active", "created_at", "updated_at"),
        iter(operators),
    )
    L.write(
        "trainings",
        (
            "id",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "organiser",
            "region_code",
            "created_at",
            "updated_at",
        ),  # fmt: skip
        iter(trainings),
    )
    L.write("training_topics", ("id", "training_id", "topic"), iter(topics))
    L.write(
        "training_attendance",
        (
            "id",
            "training_id",
            "operator_id",
            "present",
            "passed",
            "certificate_no",
            "issued_on",
            "valid_until",
            "verify_token",
            "created_at",
            "updated_at",
        ),  # fmt: skip
        iter(attendance),
    )
    L.write(
        "certificate_topics",
        ("id", "attendance_id", "operator_id", "topic", "valid_until"),
        iter(cert_topics),
    )


def create_users(db) -> None:
    from assets_app.auth.services import create_user

    for username, role, region in USERS.values():
        create_user(username, role=role, password=PASSWORD, region_code=region)
    db.session.commit()


# ---------------------------------------------------------------------------------------------
# Floors: hand-written SQL for each page's main figures


def _scope(col: str, root: str | None, key: str = "r") -> tuple[str, dict]:
    """`col` inside `root`'s subtree as a range condition (an index can serve it)."""
    if root is None:
        return "1=1", {}
    return (
        f"({col} = :{key} OR ({col} >= :{key}_lo AND {col} < :{key}_hi))",
        {key: root, f"{key}_lo": root + ".", f"{key}_hi": root + "/"},
    )


def _seconds(dialect: str, later: str, earlier: str) -> str:
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"(julianday({later}) - julianday({earlier})) * 86400"


class Floors:
    """One method per page: runs its raw SQL and returns nothing (the caller times it)."""

    def __init__(self, db):
        self.db = db
        self.dialect = db.engine.dialect.name
        first = ANCHOR_DAY - timedelta(days=29)
        self.first, self.last = first, ANCHOR_DAY
        self.start, self.end = at_day(first, 0), min(NOW, at_day(ANCHOR_DAY + timedelta(1), 0))
        self.pg = self.dialect == "postgresql"

    def _p(self, v):
        """A bound value in the stored form (naive UTC; text on SQLite)."""
        if isinstance(v, datetime):
            naive = v.astimezone(UTC).replace(tzinfo=None)
            return naive if self.pg else naive.strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, date):
            return v if self.pg else v.isoformat()
        return v

    def q(self, sql: str, **params):
        return self.db.session.execute(
            sa.text(sql), {k: self._p(v) for k, v in params.items()}
        ).all()

    def register(self, root):
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT region_code, count(*), sum(unit_price), "
            f"sum(CASE WHEN status = 'operasional' THEN 1 ELSE 0 END) FROM assets "
            f"WHERE {w} AND status <> 'dihapuskan' GROUP BY region_code",
            **p,
        )

    def downtime(self, root):
        # LEAD over every in-scope event up to the period's end: what the schema allows without
        # a rollup, so a rollup-backed page may beat this floor (ratio < 1) at national scope.
        w, p = _scope("a.region_code", root)
        ended = "LEAST" if self.pg else "MIN"
        began = "GREATEST" if self.pg else "MAX"
        secs = _seconds(
            self.dialect,
            f"{ended}(COALESCE(ev.next_at, :end), :end)",
            f"{began}(ev.started_at, :start)",
        )
        self.q(
            f"WITH ev AS (SELECT a.region_code, e.status, e.responsible_party, e.started_at, "
            f"LEAD(e.started_at) OVER (PARTITION BY e.asset_id ORDER BY e.started_at, e.id) "
            f"AS next_at FROM asset_status_events e JOIN assets a ON a.id = e.asset_id "
            f"WHERE {w} AND e.started_at < :end) "
            f"SELECT ev.region_code, ev.responsible_party, sum({secs}) FROM ev "
            f"WHERE ev.status IN ('gangguan', 'dalam_perbaikan', 'tidak_digunakan') "
            f"AND COALESCE(ev.next_at, :end) > :start GROUP BY ev.region_code, ev.responsible_party",
            start=self.start, end=self.end, **p,
        )  # fmt: skip

    def usage(self, root, first=None):
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT region_code, count(*), sum(rekam), sum(cetak_ktp), sum(ditolak) "
            f"FROM usage_days WHERE {w} AND day >= :first AND day <= :last GROUP BY region_code",
            first=first or self.first, last=self.last, **p,
        )  # fmt: skip

    def blanko(self, root):
        w, p = _scope("region_code", root)
        self.q(f"SELECT region_code, on_hand, in_transit_in FROM blanko_balances WHERE {w}", **p)
        self.q(
            f"SELECT region_code, kind, sum(quantity) FROM blanko_movements WHERE {w} "
            f"AND occurred_at >= :start AND occurred_at < :end GROUP BY region_code, kind",
            start=self.start, end=self.end, **p,
        )  # fmt: skip

    def tickets(self, root):
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT region_code, count(*), "
            f"sum(CASE WHEN resolve_due_at <= :now THEN 1 ELSE 0 END), min(created_at) "
            f"FROM tickets WHERE {w} AND status IN ('baru', 'diterima', 'dikerjakan', "
            f"'menunggu_pihak_ketiga') GROUP BY region_code",
            now=NOW, **p,
        )  # fmt: skip

    def letters(self, root):
        """Sent and received in the period; sent without a reply at its end, and since when."""
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT region_code, "
            f"sum(CASE WHEN direction = 'keluar' AND sent_on >= :first THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN direction = 'masuk' AND received_on >= :first THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN direction = 'keluar' AND (replied_on IS NULL OR replied_on > :last) "
            f"THEN 1 ELSE 0 END), min(CASE WHEN direction = 'keluar' AND (replied_on IS NULL "
            f"OR replied_on > :last) THEN sent_on END) FROM letters WHERE {w} AND "
            f"((direction = 'keluar' AND sent_on <= :last AND (sent_on >= :first OR "
            f"replied_on IS NULL OR replied_on > :last)) OR (direction = 'masuk' "
            f"AND received_on >= :first AND received_on <= :last)) GROUP BY region_code",
            first=self.first, last=self.last, **p,
        )  # fmt: skip

    def ticket_flows(self, root):
        """Tickets filed (the daily rollup's days before today, today's tickets) and resolved
        (a `selesai` transition) in the period."""
        w, p = _scope("region_code", root)
        today = at_day(ANCHOR_DAY, 0)
        self.q(
            f"SELECT region_code, sum(filed) FROM ticket_daily WHERE {w} AND day >= :first "
            f"AND day < :today GROUP BY region_code",
            first=self.first, today=ANCHOR_DAY, **p,
        )  # fmt: skip
        self.q(
            f"SELECT region_code, count(*) FROM tickets WHERE {w} AND created_at >= :today "
            f"AND created_at < :end GROUP BY region_code",
            today=today, end=self.end, **p,
        )  # fmt: skip
        # a kab/kota's tickets, then their events (SQLite would start from the month's
        # events of the whole installation); a whole installation: the month's events
        lo, hi = (root, root + "/") if root else ("", "~")
        join = (
            "tickets t CROSS JOIN ticket_events e WHERE e.ticket_id = t.id AND"
            if root
            else "ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE"
        )
        self.q(
            f"SELECT t.region_code, count(DISTINCT e.ticket_id) FROM {join} "
            f"t.region_code >= :lo AND t.region_code < :hi "
            f"AND e.kind = 'transition' AND e.to_value = 'selesai' AND e.at >= :start "
            f"AND e.at < :end GROUP BY t.region_code",
            lo=lo, hi=hi, start=self.start, end=self.end,
        )  # fmt: skip

    def last_reports(self, root):
        """Each kecamatan's latest usage report up to the period's end (a probe each)."""
        w, p = _scope("r.code", root)
        self.q(
            f"SELECT r.code, (SELECT max(u.day) FROM usage_days u WHERE u.region_code = r.code "
            f"AND u.day <= :last) FROM regions r WHERE {w} AND r.level = 'kecamatan'",
            last=self.last, **p,
        )  # fmt: skip

    def trained(self, root):
        w, p = _scope("o.region_code", root)
        self.q(
            f"SELECT o.region_code, ct.topic, count(DISTINCT o.id), max(ct.valid_until) "
            f"FROM certificate_topics ct JOIN operators o ON o.id = ct.operator_id "
            f"JOIN training_attendance t ON t.id = ct.attendance_id "
            f"WHERE {w} AND o.active AND t.passed AND ct.valid_until >= :today "
            f"GROUP BY o.region_code, ct.topic",
            today=ANCHOR_DAY, **p,
        )  # fmt: skip

    def coverage(self, root):
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT region_code, max(as_of), sum(wajib_ktp), sum(sudah_rekam) "
            f"FROM coverage_snapshots WHERE {w} GROUP BY region_code",
            **p,
        )

    def idle(self, root):
        w, p = _scope("a.region_code", root)
        self.q(
            f"SELECT a.region_code, count(*), sum(a.unit_price) FROM assets a WHERE {w} AND "
            f"(a.status = 'tidak_digunakan' OR (a.status = 'operasional' AND a.category IN "
            f"('perekaman', 'cetak_ktp', 'cetak_kk') AND NOT EXISTS (SELECT 1 FROM usage_days u "
            f"WHERE u.region_code = a.region_code AND u.day >= :first AND u.day <= :last "
            f"AND u.rekam + u.cetak_ktp + u.cetak_kk > 0))) GROUP BY a.region_code",
            first=self.first, last=self.last, **p,
        )  # fmt: skip

    def region_choices(self, root, levels: str):
        """A page's region filter: the regions of these levels in scope, in code order."""
        w, p = _scope("code", root, "c")
        self.q(f"SELECT code, name, level FROM regions WHERE {w} AND level IN ({levels}) "
               f"ORDER BY code", **p)  # fmt: skip

    def idle_page(self, root):
        """The idle counts per region, and what the page lists: the first 25 idle assets
        with their region, the last day each listed region used its equipment, and the
        region filter's choices."""
        self.idle(root)
        w, p = _scope("a.region_code", root)
        wu, pu = _scope("u.region_code", root, "u")
        used = "u.day >= :first AND u.day <= :last AND u.rekam + u.cetak_ktp + u.cetak_kk > 0"
        # the faster form on each engine: one pass over the period's rows on PostgreSQL, a
        # probe of the (region, day) key per asset on SQLite
        unused = (
            f"a.region_code NOT IN (SELECT u.region_code FROM usage_days u WHERE {wu} AND {used})"
            if self.pg
            else f"NOT EXISTS (SELECT 1 FROM usage_days u WHERE u.region_code = a.region_code "
            f"AND {used})"
        )
        listed = self.q(
            f"SELECT a.id, a.region_code, r.name, a.kode_barang, a.register_no, a.name, "
            f"a.category, a.status, a.unit_price FROM assets a JOIN regions r "
            f"ON r.code = a.region_code WHERE {w} AND (a.status = 'tidak_digunakan' OR "
            f"(a.status = 'operasional' AND a.category IN ('perekaman', 'cetak_ktp', 'cetak_kk') "
            f"AND {unused})) ORDER BY a.region_code, a.kode_barang, a.register_no LIMIT 25",
            first=self.first, last=self.last, **p, **(pu if self.pg else {}),
        )  # fmt: skip
        codes = sorted({row[1] for row in listed}) or [""]
        marks = ", ".join(f":c{i}" for i in range(len(codes)))
        self.q(
            f"SELECT region_code, max(day) FROM usage_days WHERE region_code IN ({marks}) "
            f"AND rekam + cetak_ktp + cetak_kk > 0 GROUP BY region_code",
            **{f"c{i}": c for i, c in enumerate(codes)},
        )  # fmt: skip
        self.region_choices(root, "'kabkota', 'kecamatan'")

    def gaps(self, root):
        w, p = _scope("a.region_code", root)
        w2, p2 = _scope("o.region_code", root, "s")
        self.q(
            f"SELECT h.region_code, h.category, h.n, c.ops, c.latest FROM "
            f"(SELECT a.region_code, a.category, count(*) AS n FROM assets a WHERE {w} "
            f"AND a.status <> 'dihapuskan' AND a.category <> 'pendukung' "
            f"GROUP BY a.region_code, a.category) h LEFT JOIN "
            f"(SELECT o.region_code, ct.topic, count(DISTINCT o.id) AS ops, "
            f"max(ct.valid_until) AS latest FROM certificate_topics ct "
            f"JOIN operators o ON o.id = ct.operator_id JOIN training_attendance t "
            f"ON t.id = ct.attendance_id WHERE {w2} AND o.active AND t.passed "
            f"AND ct.valid_until >= :today GROUP BY o.region_code, ct.topic) c "
            f"ON c.region_code = h.region_code AND c.topic = h.category "
            f"ORDER BY h.region_code, h.category",
            today=ANCHOR_DAY, **p, **p2,
        )  # fmt: skip

    def gaps_page(self, root):
        """The matrix, and the page's other figures: certificates ending within 60 days (a
        count per topic and the first 10), the region filter's choices, and the training
        plan's count per topic (active operators of a region holding the
        category whose latest certificate for it is missing or ends within 60 days)."""
        self.gaps(root)
        w, p = _scope("o.region_code", root)
        horizon = ANCHOR_DAY + timedelta(days=60)
        best = (
            "(SELECT ct.operator_id, ct.topic, max(ct.valid_until) AS latest "
            "FROM certificate_topics ct JOIN training_attendance t ON t.id = ct.attendance_id "
            f"JOIN operators o ON o.id = ct.operator_id WHERE {w} AND t.passed "
            "GROUP BY ct.operator_id, ct.topic)"
        )
        self.q(
            f"SELECT b.topic, count(*) FROM {best} b JOIN operators o ON o.id = b.operator_id "
            f"WHERE o.active AND b.latest >= :today AND b.latest <= :horizon GROUP BY b.topic",
            today=ANCHOR_DAY, horizon=horizon, **p,
        )  # fmt: skip
        # the first 10 of those certificates, soonest first, as the page lists them
        self.q(
            f"SELECT o.id, o.name, o.region_code, r.name, b.topic, b.latest FROM {best} b "
            f"JOIN operators o ON o.id = b.operator_id JOIN regions r ON r.code = o.region_code "
            f"WHERE o.active AND b.latest >= :today AND b.latest <= :horizon "
            f"ORDER BY b.latest, o.region_code, o.name LIMIT 10",
            today=ANCHOR_DAY, horizon=horizon, **p,
        )  # fmt: skip
        self.region_choices(root, "'provinsi', 'kabkota', 'kecamatan'")
        wa, pa = _scope("a.region_code", root, "a")
        self.q(
            f"SELECT h.category, count(o.id) FROM (SELECT DISTINCT a.region_code, a.category "
            f"FROM assets a WHERE {wa} AND a.status <> 'dihapuskan' "
            f"AND a.category <> 'pendukung') h LEFT JOIN operators o "
            f"ON o.region_code = h.region_code AND o.active LEFT JOIN {best} b "
            f"ON b.operator_id = o.id AND b.topic = h.category "
            f"WHERE o.id IS NULL OR b.latest IS NULL OR b.latest <= :horizon "
            f"GROUP BY h.category",
            horizon=horizon, **p, **pa,
        )  # fmt: skip

    # ---- what every request shows or needs besides the page's own figures

    def session(self, user_id):
        """The logged-in user (the session cookie's id) with the region name the layout
        shows, and the menu's count of unread notifications."""
        self.q(
            "SELECT u.id, u.role, u.region_code, u.active, u.session_version, r.name "
            "FROM users u LEFT JOIN regions r ON r.code = u.region_code WHERE u.id = :id",
            id=user_id,
        )
        self.q(
            "SELECT count(*) FROM notify_outbox WHERE user_id = :id AND channel = 'aplikasi' "
            "AND read_at IS NULL",
            id=user_id,
        )

    def token(self, token_hash):
        """The API's Bearer token and its user."""
        self.q(
            "SELECT t.id, u.id, u.role, u.region_code FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = :h AND u.active",
            h=token_hash,
        )

    def inbox(self, root):
        """The menu badge of every page ("Perlu tindakan") for a Dinas user: new and overdue
        tickets, service points without today's usage report, low-stock blanko locations
        (30-day use: the maintained window of the 29 closed days and today's rollup row,
        whose flows out are negative)."""
        w, p = _scope("region_code", root)
        self.q(
            f"SELECT sum(CASE WHEN status = 'baru' THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN resolve_due_at <= :now OR (status = 'baru' AND "
            f"accept_due_at <= :now) THEN 1 ELSE 0 END) FROM tickets WHERE {w} AND status IN "
            f"('baru', 'diterima', 'dikerjakan', 'menunggu_pihak_ketiga')",
            now=NOW, **p,
        )  # fmt: skip
        wr, pr = _scope("r.code", root)
        wu, pu = _scope("u.region_code", root, "u")
        self.q(
            f"SELECT count(*) FROM regions r WHERE {wr} AND (r.level = 'kecamatan' OR "
            f"(r.level = 'kabkota' AND (SELECT 1 FROM assets a WHERE a.region_code = "
            f"r.code AND a.category IN ('perekaman', 'cetak_ktp', 'cetak_kk') "
            f"AND a.status <> 'dihapuskan' LIMIT 1) IS NOT NULL)) AND r.code NOT IN "
            f"(SELECT u.region_code FROM usage_days u WHERE u.day = :today AND {wu})",
            today=ANCHOR_DAY, **pr, **pu,
        )  # fmt: skip
        # (a probe per Dinas row, LIMIT 1: PostgreSQL hashes an EXISTS under OR over every
        # service asset.) A Dinas's blanko use is its whole kab/kota's: each kecamatan's
        # counts under both codes.
        w1, p1 = _scope("region_code", root, "w")
        self.q(
            f"WITH own AS (SELECT region_code AS code, used FROM blanko_window_use "
            f"WHERE through_day = :yesterday AND {w1} UNION ALL "
            f"SELECT region_code, -used FROM blanko_daily WHERE day = :today AND {w1}), u AS (SELECT code, sum(used) AS used FROM (SELECT code, used FROM own "
            f"UNION ALL SELECT substr(code, 1, 5), used FROM own WHERE length(code) > 5) x "
            f"GROUP BY code) "
            f"SELECT count(*) FROM regions r LEFT JOIN blanko_balances b ON b.region_code = r.code "
            f"LEFT JOIN blanko_location_settings s ON s.region_code = r.code "
            f"LEFT JOIN u ON u.code = r.code "
            f"WHERE {wr} AND r.level IN ('kabkota', 'kecamatan') AND ("
            f"(u.used > 0 AND (COALESCE(b.on_hand, 0) - COALESCE(b.reserved, 0)) * 30 "
            f"< COALESCE(s.low_stock_days, 7) * u.used) OR "
            f"(COALESCE(b.on_hand, 0) - COALESCE(b.reserved, 0) <= 0 AND (u.used > 0 OR "
            f"EXISTS (SELECT 1 FROM assets a WHERE a.region_code = r.code "
            f"AND a.category = 'cetak_ktp' AND a.status <> 'dihapuskan'))))",
            today=ANCHOR_DAY, yesterday=ANCHOR_DAY - timedelta(days=1), **p1, **pr,
        )  # fmt: skip

    # ---- pages

    def summary(self, root):
        """Every column of the summary (the API contract's and the packet's)."""
        self.register(root)
        self.downtime(root)
        self.usage(root)
        self.last_reports(root)
        self.blanko(root)
        self.tickets(root)
        self.ticket_flows(root)
        self.letters(root)
        self.trained(root)
        self.gaps(root)
        self.coverage(root)
        self.idle(root)

    def blanko_page(self, root):
        w, p = _scope("b.region_code", root)
        self.q(
            f"SELECT b.region_code, r.name, b.on_hand, b.in_transit_in, b.reserved, u.used "
            f"FROM blanko_balances b JOIN regions r ON r.code = b.region_code LEFT JOIN "
            f"(SELECT from_region, sum(quantity) AS used FROM blanko_movements "
            f"WHERE kind = 'pemakaian' AND occurred_at >= :since GROUP BY from_region) u "
            f"ON u.from_region = b.region_code WHERE {w} ORDER BY b.region_code",
            since=NOW - timedelta(days=30), **p,
        )  # fmt: skip
        # the page's reconciliation (this month to today): every flow per location and kind,
        # what leaves a location by its movements, what arrives by the receipts
        w1, p1 = _scope("m.from_region", root, "f")
        w2, p2 = _scope("m.to_region", root, "t")
        month = at_day(ANCHOR_DAY.replace(day=1), 0)
        self.q(
            f"SELECT loc, kind, sum(q) FROM (SELECT m.from_region AS loc, m.kind, "
            f"m.quantity AS q FROM blanko_movements m WHERE {w1} AND m.occurred_at >= :start "
            f"AND m.occurred_at < :end UNION ALL SELECT m.to_region, m.kind, "
            f"r.quantity_received FROM blanko_receipts r JOIN blanko_movements m "
            f"ON m.id = r.movement_id WHERE {w2} AND r.received_at >= :start "
            f"AND r.received_at < :end) x GROUP BY loc, kind",
            start=month, end=self.end, **p1, **p2,
        )  # fmt: skip

    def region_page(self, _root):
        """The kecamatan's summary figures, and the lists its panels show: the register
        (60 rows, each with its current status since when), 30 days of usage, the latest
        coverage, the last inventarisasi, ticket counts and the latest 10, the latest
        letters, the operators, the training gaps and the blanko location row."""
        self.summary(KEC)
        k = {"k": KEC}
        self.q(
            "SELECT a.id, a.kode_barang, a.register_no, a.name, a.status, a.unit_price, "
            "(SELECT max(e.started_at) FROM asset_status_events e WHERE e.asset_id = a.id) "
            "FROM assets a WHERE a.region_code = :k AND a.status <> 'dihapuskan' "
            "ORDER BY a.kode_barang, a.register_no LIMIT 60",
            **k,
        )
        self.q(
            "SELECT day, rekam, cetak_ktp, ditolak FROM usage_days WHERE region_code = :k "
            "AND day > :first ORDER BY day",
            first=ANCHOR_DAY - timedelta(days=30), **k,
        )  # fmt: skip
        self.q(
            "SELECT region_code, as_of, wajib_ktp, sudah_rekam FROM coverage_snapshots c "
            "WHERE (region_code = :k OR (region_code >= :lo AND region_code < :hi)) AND as_of = "
            "(SELECT max(as_of) FROM coverage_snapshots d WHERE d.region_code = c.region_code)",
            lo=KEC + ".", hi=KEC + "/", **k,
        )  # fmt: skip
        self.q(
            "SELECT id, title, status, opened_at FROM inventory_sessions WHERE region_code = :k "
            "ORDER BY opened_at DESC LIMIT 1",
            **k,
        )
        self.q(
            "SELECT id, number, title, status, priority, created_at FROM tickets "
            "WHERE region_code = :k ORDER BY created_at DESC LIMIT 10",
            **k,
        )
        self.q(
            "SELECT id, number, perihal, status, letter_date FROM letters WHERE region_code = :k "
            "ORDER BY letter_date DESC, id DESC LIMIT 10",
            **k,
        )
        self.q(
            "SELECT id, name, position, active FROM operators WHERE region_code = :k AND active "
            "ORDER BY name",
            **k,
        )
        self.gaps(KEC)
        self.q(
            "SELECT b.on_hand, b.in_transit_in, b.reserved, w.used, s.low_stock_days "
            "FROM regions r LEFT JOIN blanko_balances b ON b.region_code = r.code "
            "LEFT JOIN blanko_window_use w ON w.region_code = r.code "
            "LEFT JOIN blanko_location_settings s ON s.region_code = r.code WHERE r.code = :k",
            **k,
        )

    def asset_list(
        self,
        root,
        order="a.region_code, a.kode_barang, a.register_no",
        columns="a.id, a.region_code, r.name, a.kode_barang, a.register_no, a.name, a.status, "
        "a.unit_price",
    ):
        w, p = _scope("a.region_code", root)
        self.q(
            f"SELECT {columns} FROM assets a JOIN regions r ON r.code = a.region_code "
            f"WHERE {w} ORDER BY {order} LIMIT 50",
            **p,
        )
        self.q(f"SELECT count(*), sum(a.unit_price) FROM assets a WHERE {w}", **p)

    def api_assets(self, root):
        """The API's page: every field of the asset (the contract's 29), in its order."""
        self.asset_list(root, order="a.kode_barang, a.register_no, a.id", columns="a.*, r.name")

    def ticket_list(self, root):
        w, p = _scope("t.region_code", root)
        self.q(
            f"SELECT t.id, t.number, t.title, t.status, t.priority, r.name, t.created_at "
            f"FROM tickets t JOIN regions r ON r.code = t.region_code WHERE {w} "
            f"ORDER BY t.created_at DESC LIMIT 25",
            **p,
        )
        self.q(f"SELECT t.status, count(*) FROM tickets t WHERE {w} GROUP BY t.status", **p)

    def letter_list(self, root):
        w, p = _scope("l.region_code", root)
        self.q(
            f"SELECT l.id, l.number, l.perihal, l.status, l.letter_date, r.name FROM letters l "
            f"JOIN regions r ON r.code = l.region_code WHERE {w} "
            f"ORDER BY l.letter_date DESC, l.id DESC LIMIT 25",
            **p,
        )
        self.q(f"SELECT count(*) FROM letters l WHERE {w}", **p)


# (page label, path, api?, floor method)
PAGES = (
    ("/beranda", "/beranda", False, "summary"),
    ("/laporan/ringkasan", "/laporan/ringkasan", False, "summary"),
    ("GET /api/v1/reports/summary", "/api/v1/reports/summary", True, "summary"),
    ("/aset/menganggur", "/aset/menganggur", False, "idle_page"),
    ("/blanko/", "/blanko/", False, "blanko_page"),
    ("/wilayah/35.11.05", "/wilayah/35.11.05", False, "region_page"),
    ("/aset/ first page", "/aset/", False, "asset_list"),
    ("/pelatihan/kesenjangan", "/pelatihan/kesenjangan", False, "gaps_page"),
    # every figure of the summary per kab/kota side by side: the summary's SQL
    ("/laporan/kabkota", "/laporan/kabkota", False, "summary"),
    ("/tiket/", "/tiket/", False, "ticket_list"),
    ("/surat/", "/surat/", False, "letter_list"),
    ("GET /api/v1/assets", "/api/v1/assets", True, "api_assets"),
)


# ---------------------------------------------------------------------------------------------
# Measuring


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))]


class IsolatedClient:
    """Each request in a clean context, as a real server runs it: its own app context, `g`
    and database session, never the bench's (Flask would reuse the pushed app context)."""

    def __init__(self, app):
        self.client = app.test_client()

    def get(self, *args, **kwargs):
        return contextvars.Context().run(self.client.get, *args, **kwargs)

    def post(self, *args, **kwargs):
        return contextvars.Context().run(self.client.post, *args, **kwargs)


def login_client(app, username: str):
    client = IsolatedClient(app)
    html = client.get("/masuk").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    token = html[start : html.index('"', start)]
    resp = client.post(
        "/masuk", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    if resp.status_code != 302:
        raise RuntimeError(f"login {username} failed: HTTP {resp.status_code}")
    return client


def store_summary(app, db) -> str:
    """What the server's 5-minute `jobs run` keeps fresh: the closed days of every location's
    30-day blanko use (`jendela_blanko`, refreshed after a day change), then the whole
    installation's stored summary, read by the admin's summary pages and API (an
    installation under SUMMARY_SNAPSHOT_MIN_KECAMATAN kecamatan, e.g. --scale 0.05, skips it
    and stays live)."""
    from assets_app.blanko.services import refresh_use_window
    from assets_app.common.timeutil import utcnow
    from assets_app.hearing.services import refresh_installation_summary

    with app.test_request_context("/"):
        window = refresh_use_window(utcnow())
        db.session.commit()
        message = refresh_installation_summary()
        db.session.commit()
    return f"{window} {message}"


# A page with no figures of its own: session, user, CSRF, layout and the inbox badge, which
# every page pays before its own work (the net ratio subtracts it).
BARE_PAGE = "/akun/profil"


def _bare_request(client, warmup: int, runs: int) -> float:
    times = []
    for i in range(warmup + runs):
        started = time.perf_counter()
        client.get(BARE_PAGE).get_data()
        if i >= warmup:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(app, db, users: list[str], runs: int, warmup: int, meta: dict) -> list[dict]:
    from assets_app.auth.models import User
    from assets_app.auth.services import _token_hash, issue_token

    counter = {"n": 0}

    def count(*_a, **_k):
        counter["n"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    floors = Floors(db)
    results = []
    out(
        f"{'page':30} {'user':10} {'p50 ms':>9} {'p95 ms':>9} {'queries':>7} {'bytes':>10} "
        f"{'status':>6} {'floor ms':>9} {'ratio':>7} {'net':>6}"
    )
    for key in users:
        username, _role, region = USERS[key]
        user = db.session.scalar(sa.select(User).where(User.username == username))
        api_token = issue_token(user, "bench")
        token_hash = _token_hash(api_token)
        db.session.commit()
        client = login_client(app, username)
        headers = {"Authorization": f"Bearer {api_token}"}
        bare = _bare_request(client, warmup, runs)
        out(f"{BARE_PAGE} ({key}): p50 {bare:.1f} ms — the cost every page pays before its figures")
        for label, path, api, floor_name in PAGES:
            times, statuses, size, queries = [], set(), 0, 0
            for i in range(warmup + runs):
                counter["n"] = 0
                started = time.perf_counter()
                resp = client.get(path, headers=headers if api else None)
                body = resp.get_data()
                elapsed = (time.perf_counter() - started) * 1000
                statuses.add(resp.status_code)
                if i >= warmup:
                    times.append(elapsed)
                    size, queries = len(body), counter["n"]
            floor_times, own_times = [], []
            fn = getattr(floors, floor_name)
            for i in range(warmup + runs):
                started = time.perf_counter()
                fn(region)
                own = time.perf_counter()
                if api:
                    floors.token(token_hash)
                else:
                    floors.session(user.id)
                    floors.inbox(region)
                done = time.perf_counter()
                if i >= warmup:
                    floor_times.append((done - started) * 1000)
                    own_times.append((own - started) * 1000)
            db.session.rollback()
            p50, p95 = statistics.median(times), _pct(times, 95)
            floor, own_floor = statistics.median(floor_times), statistics.median(own_times)
            row = {
                "page": label,
                "user": key,
                **meta,
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "queries": queries,
                "bytes": size,
                "floor_ms": round(floor, 1),
                "ratio": round(p50 / floor, 1) if floor > 0 else None,
                "own_floor_ms": round(own_floor, 1),
                "bare_ms": round(bare, 1),
                "net_ratio": round(max(p50 - bare, 0) / own_floor, 1) if own_floor > 0 else None,
                "status": sorted(statuses)[0] if len(statuses) == 1 else sorted(statuses),
            }
            results.append(row)
            bad = statuses != {200}
            out(
                f"{label:30} {key:10} {p50:9.1f} {p95:9.1f} {queries:7d} {size:10,d} "
                f"{'/'.join(map(str, sorted(statuses))):>6} {floor:9.1f} "
                f"{row['ratio'] if row['ratio'] is not None else '–':>7} "
                f"{row['net_ratio'] if row['net_ratio'] is not None else '–':>6}"
                + ("   <<< NOT 200 >>>" if bad else "")
            )
    sa.event.remove(db.engine, "before_cursor_execute", count)
    return results


def print_table(results: list[dict], meta: dict) -> None:
    out()
    out(f"## National benchmark — {meta['engine']}, scale {meta['scale']}")
    out()
    out(
        "| page | user | p50 ms | p95 ms | queries | bytes | status | floor ms | ratio | "
        "own floor ms | bare ms | net ratio |"
    )
    out("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in results:
        out(
            f"| `{r['page']}` | {r['user']} | {r['p50_ms']:,.1f} | {r['p95_ms']:,.1f} | "
            f"{r['queries']} | {r['bytes']:,} | {r['status']} | {r['floor_ms']:,.1f} | "
            f"{r['ratio']} | {r['own_floor_ms']:,.1f} | {r['bare_ms']:,.1f} | {r['net_ratio']} |"
        )
    out()
    out(
        "floor = the page's own figures (own floor) + what every request reads: the session's "
        "user and the menu badge's counts (HTML), or the Bearer token (API); ratio = p50 / "
        f"floor; net ratio = (p50 − bare) / own floor, bare = p50 of {BARE_PAGE} for the same "
        "user (session, layout, badge: no figures of the page's own)."
    )


# ---------------------------------------------------------------------------------------------
# Dataset cache


def migration_head() -> str:
    from alembic.script import ScriptDirectory

    return "-".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))


def cache_key(engine: str, scale: float) -> str:
    return f"national-{engine}-s{scale:g}-seed{SEED}-v{DATA_VERSION}-head{migration_head()}"


def _libpq(url: str) -> str:
    return (
        sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def build(db, scale: float, check: bool) -> dict:
    started = time.perf_counter()
    info = build_dataset(db, scale)
    load_s = time.perf_counter() - started
    c = info["counts"]
    out(
        f"loaded in {load_s:.1f} s: {info['kabkota']} kab/kota, {info['kecamatan']:,} kecamatan, "
        f"{c.get('assets', 0):,} assets, {c.get('asset_status_events', 0):,} status events, "
        f"{c.get('usage_days', 0):,} usage days, {c.get('tickets', 0):,} tickets "
        f"({c.get('ticket_events', 0):,} events), "
        f"{c.get('letters', 0):,} letters, {c.get('blanko_movements', 0):,} blanko movements, "
        f"{c.get('blanko_receipts', 0):,} receipts, {c.get('operators', 0):,} operators"
    )
    out("  per table (s): " + ", ".join(f"{k} {v:.1f}" for k, v in info["timings"].items()))
    create_users(db)
    from assets_app.core.rollups import rebuild_all

    started = time.perf_counter()
    written = rebuild_all()
    db.session.commit()
    out(
        f"rollups rebuild_all: {time.perf_counter() - started:.2f} s "
        f"({', '.join(f'{k} {v:,}' for k, v in written.items()) or 'no rollups registered'})"
    )
    started = time.perf_counter()
    analyze(db)  # after the rollups: their tables are read too
    out(f"ANALYZE: {time.perf_counter() - started:.1f} s")
    if check:
        from assets_app.blanko.check import check_ledger

        started = time.perf_counter()
        result = check_ledger()
        db.session.rollback()
        took = time.perf_counter() - started
        if result.ok:
            out(
                f"blanko check: OK, {result.locations:,} locations, {result.movements:,} "
                f"movements ({took:.1f} s)"
            )
        else:
            out(f"blanko check: {len(result.mismatches)} MISMATCHES ({took:.1f} s) <<<")
            for line in result.mismatches[:10]:
                out(f"  {line}")
        info["blanko_check_ok"] = result.ok
    return info


def run(args) -> int:
    import time_machine

    from assets_app.extensions import db

    url = os.environ.get("DATABASE_URL", "")
    pg = url.startswith("postgresql")
    engine = "postgresql" if pg else "sqlite"
    load = os.getloadavg()
    out(f"machine load at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    cache_dir = Path(args.dataset_cache) if args.dataset_cache else None
    key = cache_key(engine, args.scale)
    cached = cache_dir / (key + (".dump" if pg else ".sqlite")) if cache_dir else None
    check = args.check if args.check is not None else args.scale <= 0.05
    meta = {"engine": engine, "scale": args.scale}
    failed = False
    total_started = time.perf_counter()
    traveller = time_machine.travel(NOW, tick=True)
    traveller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            scratch = (
                ScratchPostgres(url, "national")
                if pg
                else nullcontext(f"sqlite:///{tmp}/national.sqlite")
            )
            with scratch as db_url:
                os.environ["INSTANCE_PATH"] = tmp
                app = make_app(db_url, RATELIMIT_STORAGE_URI="memory://")
                started = time.perf_counter()
                if cached is not None and cached.exists():
                    if pg:
                        subprocess.run(
                            ["pg_restore", "--no-owner", "-j", "2", "-d", _libpq(db_url),
                             str(cached)],
                            check=True,
                        )  # fmt: skip
                    else:
                        shutil.copyfile(cached, Path(tmp) / "national.sqlite")
                    out(f"dataset from cache {cached} in {time.perf_counter() - started:.1f} s")
                    with app.app_context():
                        analyze(db)
                else:
                    build_schema(app)
                    out(f"schema (migrations): {time.perf_counter() - started:.1f} s")
                    with app.app_context():
                        info = build(db, args.scale, check)
                        failed |= info.get("blanko_check_ok") is False
                        db.session.remove()
                        db.engine.dispose()
                    if cached is not None:
                        cached.parent.mkdir(parents=True, exist_ok=True)
                        part = cached.with_suffix(".part")
                        if pg:
                            subprocess.run(
                                ["pg_dump", "-Fc", "-Z", "1", "-f", str(part), _libpq(db_url)],
                                check=True,
                            )
                        else:
                            shutil.copyfile(Path(tmp) / "national.sqlite", part)
                        part.rename(cached)
                        out(f"dataset cached as {cached}")
                out(f"dataset ready after {time.perf_counter() - total_started:.1f} s")
                with app.app_context():
                    out(
                        "jobs jendela_blanko, ringkasan_instalasi (jobs run, every 5 min): "
                        + store_summary(app, db)
                    )
                with app.app_context():
                    results = measure(app, db, args.users, args.runs, args.warmup, meta)
                    db.session.remove()
                    db.engine.dispose()
    finally:
        traveller.stop()
    print_table(results, meta)
    load = os.getloadavg()
    out()
    out(f"total {time.perf_counter() - total_started:.1f} s")
    out(f"machine load at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [{k: r[k] for k in JSON_KEYS} | {"status": r["status"]} for r in results],
                indent=1,
            )
        )
    bad = [r for r in results if r["status"] != 200]
    if bad:
        out(
            f"{len(bad)} measurement(s) NOT 200: "
            + ", ".join(f"{r['page']} ({r['user']}) {r['status']}" for r in bad)
        )
    return 1 if (bad or failed) else 0


JSON_KEYS = (
    "page", "user", "engine", "scale", "p50_ms", "p95_ms", "queries", "bytes", "floor_ms",
    "ratio", "own_floor_ms", "bare_ms", "net_ratio",
)  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=0.05, help="volume multiplier (1 = national)"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page and user")
    parser.add_argument(
        "--warmup",
        type=int,
        default=5,
        help="untimed runs of each page and of its floor first (default 5: psycopg prepares a "
        "statement on a connection at its fifth execution, a server's steady state)",
    )
    parser.add_argument("--json", help="write the results as JSON to this file")
    parser.add_argument("--dataset-cache", help="keep/reuse the built dataset in this folder")
    parser.add_argument(
        "--users",
        default="kabupaten,admin",
        type=lambda s: [u.strip() for u in s.split(",") if u.strip()],
        help="comma list of kabupaten (petugas 35.11), admin (whole installation), provinsi (35)",
    )
    parser.add_argument(
        "--check", action=argparse.BooleanOptionalAction, default=None,
        help="run the blanko ledger check after building (default: at scale ≤ 0.05)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    unknown = [u for u in args.users if u not in USERS]
    if unknown or args.runs < 1 or args.scale <= 0:
        parser.error(f"bad --users/--runs/--scale: {unknown or ''}")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
