"""Benchmark of the DPRD hearing packet: summary + PDF + XLSX for one kabupaten (23 kecamatan)
and for a province-sized scope, each beside a bare reportlab/openpyxl floor writing the same rows.

    .venv/bin/python bench/hearing.py [--only kabupaten|provinsi] [--keep DIR]

Data are bulk-inserted (benchmark only) into a throw-away SQLite database, or into
DATABASE_URL's PostgreSQL (a fresh database is created and dropped) when it is set.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
import tracemalloc
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from _common import ScratchPostgres, analyze, build_schema, make_app

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
TODAY = date(2026, 6, 30)
REPEAT = 3
SET = (  # one recording set + printing + network at a kecamatan: (name, category, kode, price)
    ("PC Unit", "perekaman", "1.3.2.10.01.02.001", 12_500_000),
    ("Kamera", "perekaman", "1.3.2.05.02.06.023", 6_750_000),
    ("Alat Sidik Jari", "perekaman", "1.3.2.05.01.05.068", 8_750_000),
    ("Iris Scanner", "perekaman", "1.3.2.10.02.03.004", 9_900_000),
    ("Signature Pad", "perekaman", "1.3.2.10.02.03.004", 2_400_000),
)
EXTRA = (
    ("Printer kartu", "cetak_ktp", "1.3.2.10.02.03.003", 49_990_000),
    ("Printer KK", "cetak_kk", "1.3.2.10.02.03.003", 4_600_000),
    ("Router VPN", "jaringan", "1.3.2.10.02.04.002", 6_200_000),
)


def _insert(db, table, rows, chunk=5000):
    for i in range(0, len(rows), chunk):
        db.session.execute(sa.insert(table), rows[i : i + chunk])


def load_data(db, root: str, *, seed: int, usage_every: int = 1) -> dict:
    """Register, status events, usage and coverage for every kecamatan under `root`, and a
    year of every other domain (see load_domains)."""
    from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
    from assets_app.regions.models import Region

    rnd = random.Random(seed)
    kecamatan = list(
        db.session.scalars(
            sa.select(Region.code).where(Region.level == "kecamatan", Region.code.like(root + ".%"))
        )
    )
    kabkota = list(
        db.session.scalars(
            sa.select(Region.code).where(
                Region.level == "kabkota",
                sa.or_(Region.code == root, Region.code.like(root + ".%")),
            )
        )
    )
    now = datetime(2026, 6, 30, tzinfo=UTC)
    assets, n = [], 0
    for code in kecamatan + kabkota:
        items = SET * rnd.choice((1, 2, 2, 3)) + EXTRA
        for name, category, kode, price in items:
            n += 1
            status = rnd.choices(
                ("operasional", "gangguan", "dalam_perbaikan", "tidak_digunakan"), (80, 7, 5, 8)
            )[0]
            assets.append(
                dict(
                    id=n,
                    region_code=code,
                    kode_barang=kode,
                    register_no=f"{n:06d}",
                    name=name,
                    category=category,
                    brand_model=rnd.choice(("Lenovo", "HP", "Fargo HDP5000", "Suprema", None)),
                    acquired_on=date(rnd.choice((2013, 2018, 2019, 2021, 2023, 2024)), 3, 1),
                    funding_source=rnd.choice(("APBD", "APBD", "APBN", "DAK")),
                    acquisition_method="pembelian",
                    unit_price=price,
                    condition="B",
                    label_token=secrets.token_hex(8),
                    status=status,
                    status_since=now - timedelta(days=rnd.randint(1, 200)),
                    # the cache of the last event written below
                    status_cause="operator" if status == "tidak_digunakan" else "jaringan",
                    status_party="disdukcapil",
                    created_at=now,
                    updated_at=now,
                )
            )
    _insert(db, Asset.__table__, assets)
    events = []
    for a in assets:  # a year of status changes, ~1 a month
        t = datetime(2025, 7, 1, tzinfo=UTC)
        while t < a["status_since"]:
            down = rnd.random() < 0.5
            events.append(
                dict(
                    asset_id=a["id"],
                    status="gangguan" if down else "operasional",
                    cause=rnd.choice(("jaringan", "listrik", "perangkat_keras", "operator"))
                    if down
                    else None,
                    responsible_party=rnd.choice(("diskominfo", "vendor", "pln", "disdukcapil"))
                    if down
                    else None,
                    started_at=t,
                    created_at=t,
                )
            )
            t += timedelta(days=rnd.randint(10, 45))
        events.append(
            dict(
                asset_id=a["id"],
                status=a["status"],
                cause="operator" if a["status"] == "tidak_digunakan" else "jaringan",
                responsible_party="disdukcapil",
                started_at=a["status_since"],
                created_at=a["status_since"],
            )
        )
    _insert(db, StatusEvent.__table__, events)
    usage = []
    day = PERIOD[0]
    while day <= PERIOD[1]:
        for code in kecamatan:
            usage.append(
                dict(
                    region_code=code,
                    day=day,
                    rekam=rnd.randint(0, 80),
                    cetak_ktp=rnd.randint(0, 60),
                    cetak_kk=rnd.randint(0, 40),
                    ditolak=rnd.randint(0, 10),
                    kuota=80,
                    created_at=now,
                    updated_at=now,
                )
            )
        day += timedelta(days=usage_every)
    _insert(db, UsageDay.__table__, usage)
    coverage = []
    for code in kecamatan:
        for month in range(1, 7):
            wajib = rnd.randint(20_000, 70_000)
            coverage.append(
                dict(
                    region_code=code,
                    as_of=date(2026, month, 1),
                    wajib_ktp=wajib,
                    sudah_rekam=int(wajib * rnd.uniform(0.9, 0.99)),
                    created_at=now,
                    updated_at=now,
                )
            )
    _insert(db, CoverageSnapshot.__table__, coverage)
    volume = {
        "kecamatan": len(kecamatan),
        "assets": len(assets),
        "status_events": len(events),
        "usage_days": len(usage),
        "coverage": len(coverage),
    }
    volume.update(load_domains(db, rnd, kecamatan, kabkota, assets, now))
    from assets_app.core.rollups import rebuild_all

    rebuild_all()  # rows loaded past the services: fill the daily rollups the figures read
    db.session.commit()
    return volume


def _installed(name: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def load_domains(db, rnd, kecamatan, kabkota, assets, now) -> dict:
    """A year of tickets (with letters), operators and certificates, and blanko movements —
    for each of those domains that is installed."""
    out = {"tickets": 0, "letters": 0, "operators": 0, "blanko_movements": 0}
    if _installed("assets_app.tickets") and _installed("assets_app.letters"):
        out.update(load_tickets(db, rnd, kecamatan, now))
    if _installed("assets_app.training"):
        out.update(load_training(db, rnd, kecamatan, kabkota, now))
    if _installed("assets_app.blanko"):
        out.update(load_blanko(db, rnd, kecamatan, kabkota, now))
    return out


def load_tickets(db, rnd, kecamatan, now) -> dict:
    from assets_app.letters.models import Letter
    from assets_app.tickets.models import Ticket

    start = datetime(2025, 7, 1, tzinfo=UTC)
    tickets, letters = [], []
    for i, code in enumerate(kecamatan * 10):  # ~10 tickets a year per kecamatan
        created = start + timedelta(hours=rnd.randint(0, 364 * 24))
        done = rnd.random() < 0.7
        resolved = created + timedelta(days=rnd.randint(1, 40)) if done else None
        if resolved and resolved > now:
            resolved = None
        tickets.append(
            dict(
                id=i + 1,
                number=f"TK-{i + 1:07d}",
                region_code=code,
                category=rnd.choice(("jaringan", "perangkat", "listrik", "aplikasi")),
                urgency="tinggi",
                impact=rnd.choice(("sedang", "tinggi")),
                priority=rnd.choice(("tinggi", "kritis", "sedang")),
                title="Gangguan layanan perekaman",
                description="Data uji bench.",
                status="selesai"
                if resolved
                else rnd.choice(("baru", "dikerjakan", "menunggu_pihak_ketiga")),
                responsible_party=rnd.choice(("diskominfo", "vendor", "pln", "disdukcapil")),
                accepted_at=created + timedelta(hours=2),
                resolved_at=resolved,
                accept_due_at=created + timedelta(hours=4),
                resolve_due_at=created + timedelta(days=3),
                created_at=created,
                updated_at=created,
            )
        )
        if rnd.random() < 0.3:  # a letter about one ticket in three
            sent = (created + timedelta(days=5)).date()
            letters.append(
                dict(
                    region_code=code,
                    issuer_code=code[:5],
                    direction="keluar",
                    status="terkirim",
                    number=f"000.2.2/{len(letters) + 1}/Disdukcapil/2026",
                    seq_year=2026,
                    seq_no=len(letters) + 1,
                    letter_date=sent,
                    perihal="Permohonan tindak lanjut perbaikan",
                    recipient="Kepala Dinas Komunikasi dan Informatika",
                    body="",
                    kop={},
                    subject_type="ticket",
                    subject_id=i + 1,
                    sent_on=sent,
                    replied_on=sent + timedelta(days=14) if rnd.random() < 0.5 else None,
                    created_at=created,
                    updated_at=created,
                )
            )
    _insert(db, Ticket.__table__, tickets)
    _insert(db, Letter.__table__, letters)
    return {"tickets": len(tickets), "letters": len(letters)}


def load_training(db, rnd, kecamatan, kabkota, now) -> dict:
    from assets_app.training.models import Attendance, CertificateTopic, Operator, Training

    operators, trainings, attendance, topics = [], [], [], []
    for k, kab in enumerate(kabkota):
        trainings.append(
            dict(
                id=k + 1,
                title="Bimtek operator",
                starts_on=date(2025, 9, 1),
                ends_on=date(2025, 9, 3),
                place="Aula Disdukcapil",
                organiser="dinas",
                region_code=kab,
                created_at=now,
                updated_at=now,
            )
        )
    for code in kecamatan:
        for _ in range(3):
            oid = len(operators) + 1
            operators.append(
                dict(
                    id=oid,
                    name=f"Operator {oid}",
                    position="Operator",
                    region_code=code,
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            if rnd.random() < 0.6:
                aid = len(attendance) + 1
                attendance.append(
                    dict(
                        id=aid,
                        training_id=kabkota.index(code[:5]) + 1 if code[:5] in kabkota else 1,
                        operator_id=oid,
                        present=True,
                        passed=True,
                        certificate_no=f"SERT/2025/{aid:06d}",
                        issued_on=date(2025, 9, 3),
                        valid_until=date(2027, 9, 3),
                        verify_token=f"b{aid:030d}",
                        created_at=now,
                        updated_at=now,
                    )
                )
                for topic in rnd.sample(("perekaman", "cetak_ktp", "cetak_kk", "jaringan"), 2):
                    topics.append(
                        dict(
                            attendance_id=aid,
                            operator_id=oid,
                            topic=topic,
                            valid_until=date(2027, 9, 3),
                        )
                    )
    _insert(db, Training.__table__, trainings)
    _insert(db, Operator.__table__, operators)
    _insert(db, Attendance.__table__, attendance)
    _insert(db, CertificateTopic.__table__, topics)
    return {"operators": len(operators)}


def load_blanko(db, rnd, kecamatan, kabkota, now) -> dict:
    from assets_app.blanko.models import BlankoApproval, BlankoMovement, BlankoReceipt

    movements, receipts, approvals = [], [], []

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
        for month in range(1, 7):  # a delivery from Ditjen each month
            move("penerimaan", kab, None, kab, 5_000, datetime(2026, month, 2, 2, tzinfo=UTC))
    for code in kecamatan:
        kab = code[:5]
        for month in range(1, 7):
            at = datetime(2026, month, 5, 3, tzinfo=UTC)
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
            for day in range(6, 28, 3):
                move(
                    "pemakaian",
                    code,
                    code,
                    None,
                    rnd.randint(5, 25),
                    datetime(2026, month, day, 4, tzinfo=UTC),
                )
            if rnd.random() < 0.3:
                mid = move(
                    "rusak",
                    code,
                    code,
                    None,
                    rnd.randint(1, 4),
                    datetime(2026, month, 27, 4, tzinfo=UTC),
                )
                approvals.append(
                    dict(
                        movement_id=mid,
                        region_code=code,
                        approved=True,
                        berita_acara_no=f"BA/{mid}",
                        decided_at=datetime(2026, month, 28, 4, tzinfo=UTC),
                        created_at=now,
                    )
                )
    _insert(db, BlankoMovement.__table__, movements)
    _insert(db, BlankoReceipt.__table__, receipts)
    _insert(db, BlankoApproval.__table__, approvals)
    return {"blanko_movements": len(movements)}


def floor(packet) -> tuple[float, float]:
    """Bare reportlab and openpyxl writing the same rows and columns: default table style,
    no wrapping, no number formats, no sentences, charts, cover or page furniture."""
    from openpyxl import Workbook
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table

    from reports.hearing_xlsx import _kecamatan_columns, _metric

    specs = _kecamatan_columns(packet)
    kec = [
        [r.region_code, r.name] + [_metric(packet, r.figures, x) for _, _, x in specs]
        for r in packet.rows
    ]
    idle = [
        [
            a.region_code,
            a.region_name,
            a.name,
            a.brand_model,
            a.kode_barang,
            a.register_no,
            a.acquired_year,
            a.funding_source,
            a.unit_price,
            a.since,
            a.days_idle,
            a.reason,
        ]
        for a in packet.idle_assets
    ]
    purchases = [
        [
            x.year,
            x.funding_source,
            x.category,
            x.name,
            x.brand_model,
            x.quantity,
            x.unit_price,
            x.total_value,
        ]
        for x in packet.purchases
    ]
    sheets = [kec, idle, purchases]
    t0 = time.perf_counter()
    story = []
    for rows in sheets:
        # the PDF tables show ~10 columns each; two tables per kecamatan row as in the packet
        if rows is kec:
            story += [Table([[str(v) for v in r[:12]] for r in rows], repeatRows=1), PageBreak()]
            story += [
                Table([[str(v) for v in r[:2] + r[12:21]] for r in rows], repeatRows=1),
                PageBreak(),
            ]
        elif rows:
            story += [Table([[str(v) for v in r[:8]] for r in rows], repeatRows=1), PageBreak()]
    SimpleDocTemplate(BytesIO(), pagesize=A4).build(story)
    t_pdf = time.perf_counter() - t0
    t0 = time.perf_counter()
    wb = Workbook(write_only=True)
    for rows in sheets:
        ws = wb.create_sheet()
        for r in rows:
            ws.append(r)
    wb.save(BytesIO())
    return t_pdf, time.perf_counter() - t0


def run(app, db, root: str, label: str, *, usage_every: int, keep: Path | None) -> dict:
    from pypdf import PdfReader

    from assets_app.hearing import services
    from assets_app.regions.models import Region
    from reports.hearing_pdf import render_hearing_pdf
    from reports.hearing_xlsx import render_hearing_xlsx
    from tests.querycount import count_queries

    t0 = time.perf_counter()
    volume = load_data(db, root, seed=len(root), usage_every=usage_every)
    analyze(db)
    load_s = time.perf_counter() - t0
    region = db.session.get(Region, root)
    db.session.expire_all()
    t0 = time.perf_counter()
    with count_queries(db.engine) as statements:
        summary = services.summary_for(None, region, *PERIOD, today=TODAY, sections=True)
    t_summary = time.perf_counter() - t0
    packet = services.build_packet(
        summary,
        region,
        token="bench",
        verify_url="https://aset.example/verifikasi/bench",
        generated_at=datetime(2026, 7, 1, tzinfo=UTC),
        author="bench",
    )
    # best of REPEAT: the machine is shared, the minimum is the least noisy estimate
    t_pdf = t_xlsx = float("inf")
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        pdf = render_hearing_pdf(packet)
        t_pdf = min(t_pdf, time.perf_counter() - t0)
        t0 = time.perf_counter()
        xlsx = render_hearing_xlsx(packet)
        t_xlsx = min(t_xlsx, time.perf_counter() - t0)
    # memory in a separate pass: tracemalloc slows Python down several times
    tracemalloc.start()
    render_hearing_pdf(packet)
    render_hearing_xlsx(packet)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    f_pdf, f_xlsx = (min(x) for x in zip(*(floor(packet) for _ in range(REPEAT)), strict=True))
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"hearing-{label}.pdf").write_bytes(pdf)
        (keep / f"hearing-{label}.xlsx").write_bytes(xlsx)
    return {
        "label": label,
        **volume,
        "load_s": load_s,
        "queries": len(statements),
        "summary_s": t_summary,
        "pdf_s": t_pdf,
        "pdf_pages": len(PdfReader(BytesIO(pdf)).pages),
        "pdf_kb": len(pdf) // 1024,
        "xlsx_s": t_xlsx,
        "xlsx_kb": len(xlsx) // 1024,
        "floor_pdf_s": f_pdf,
        "floor_xlsx_s": f_xlsx,
        "peak_mib": peak / 2**20,
        "idle_rows": len(packet.idle_assets),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("kabupaten", "provinsi"))
    parser.add_argument("--keep", type=Path, help="folder to keep the generated files in")
    args = parser.parse_args()

    from assets_app.extensions import db
    from assets_app.regions.services import load_regions

    scenarios = [("kabupaten", "35.11", 1), ("provinsi", "35", 7)]
    if args.only:
        scenarios = [s for s in scenarios if s[0] == args.only]
    url = os.environ.get("DATABASE_URL", "")
    results = []
    for label, root, usage_every in scenarios:
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
                    load_regions([root])
                    db.session.commit()
                    results.append(
                        run(app, db, root, label, usage_every=usage_every, keep=args.keep)
                    )
                    db.session.remove()
                    db.engine.dispose()
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"Paket RDP DPRD — {engine}, periode {PERIOD[0]} s.d. {PERIOD[1]}")
    for r in results:
        total = r["summary_s"] + r["pdf_s"] + r["xlsx_s"]
        print(
            f"\n[{r['label']}] {r['kecamatan']} kecamatan · {r['assets']:,} aset · "
            f"{r['status_events']:,} status · {r['usage_days']:,} hari pemakaian · "
            f"{r['coverage']:,} cakupan · {r['tickets']:,} tiket · {r['letters']:,} surat · "
            f"{r['operators']:,} operator · {r['blanko_movements']:,} mutasi blanko "
            f"(muat {r['load_s']:.1f} s)"
        )
        print(
            f"  ringkasan   {r['summary_s']:6.2f} s  ({r['queries']} kueri, {r['idle_rows']} aset menganggur)"
        )
        print(
            f"  PDF         {r['pdf_s']:6.2f} s  ({r['pdf_pages']} halaman, {r['pdf_kb']} KiB)"
            f"   lantai reportlab {r['floor_pdf_s']:.2f} s"
        )
        print(
            f"  XLSX        {r['xlsx_s']:6.2f} s  ({r['xlsx_kb']} KiB)"
            f"   lantai openpyxl {r['floor_xlsx_s']:.2f} s"
        )
        print(f"  total       {total:6.2f} s   puncak memori {r['peak_mib']:.0f} MiB")
    print(f"\n(waktu render: terbaik dari {REPEAT} kali; ringkasan: sekali, basis data dingin)")


if __name__ == "__main__":
    main()
