"""Demo equipment shaped after the real stories (DESIGN.md): idempotent, run by `demo load`.

- Kab. Bondowoso: a 2019 APBD recording + KK printing set in each of 14 kecamatan, unused.
- Kota Serang: Kec. Cipocok Jaya's recording server down for five months (network, then
  hardware), citizens turned away every day.
- Kab. Bekasi: network outages across the kecamatan, citizens turned away, quota 400 at the Dinas.
- Kota Depok: recording coverage of Kec. Tapos and Kel. Harjamukti.

Daily usage (`load_usage_demo`, a step of its own after the tickets, whose repairs also take
equipment down) reads like a real packet: every service point holding equipment — each
kecamatan with equipment and each Dinas — reports every working day (Mon–Fri) of the last
USAGE_DAYS days, today included. A row counts only the services its equipment gives (recording
needs a perekaman asset, KTP-el printing a card printer, KK printing a KK printer; anything
else is 0). A day on which no recording asset of the kecamatan was operational at noon WIB
(the `can_record_today` rule, applied to that day) reports zero service and the citizens turned
away. The kecamatan meant to be idle (Bondowoso's 14) report zeros, never nothing. Counts are
drawn from a generator seeded by (region, day), so a row never depends on which other rows
already exist or on the day of the load.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from assets_app.assets import services
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, level_of
from assets_app.regions.scope import subtree_clause

ACTOR = services.SystemActor(username="demo")

# (kode barang, name, category, brand/model, unit price): one 2019 APBD set per kecamatan.
BONDOWOSO_SET = (
    (
        "1.3.2.10.01.02.001",
        "PC Unit perekaman KTP-el",
        "perekaman",
        "HP ProDesk 400 G5 MT",
        14_750_000,
    ),
    (
        "1.3.2.05.01.05.068",
        "Alat Sidik Jari (fingerprint scanner)",
        "perekaman",
        "Futronic FS84",
        9_850_000,
    ),
    ("1.3.2.10.02.03.004", "Scanner iris mata", "perekaman", "IriShield MK 2120U", 18_500_000),
    ("1.3.2.10.02.03.004", "Signature pad", "perekaman", "Topaz T-LBK462", 3_400_000),
    ("1.3.2.05.02.06.023", "Kamera perekaman (tustel)", "perekaman", "Canon EOS 1500D", 7_250_000),
    ("1.3.2.10.02.03.003", "Printer cetak KK", "cetak_kk", "Epson L1300", 4_150_000),
)
BONDOWOSO_IDLE = (
    "35.11.01", "35.11.02", "35.11.03", "35.11.04", "35.11.06", "35.11.07", "35.11.08",
    "35.11.09", "35.11.10", "35.11.12", "35.11.13", "35.11.14", "35.11.15", "35.11.16",
)  # fmt: skip
BONDOWOSO_PARKED = ("35.11.03", "35.11.09", "35.11.14", "35.11.16")  # PC set aside entirely
BONDOWOSO_ACTIVE = ("35.11.05", "35.11.11")  # Pujer and Kec. Bondowoso do record
SERANG_KEC = ("36.73.01", "36.73.02", "36.73.03", "36.73.04", "36.73.05", "36.73.06")
CIPOCOK = "36.73.05"
BEKASI = "32.16"
DEPOK_TAPOS = "32.76.10"
DEPOK_HARJAMUKTI = "32.76.02.1007"
USAGE_DAYS = 90  # the demo packet's period (hearing/demo.py)

# (kode barang, name, category, brand/model) of the card printer each Dinas bought.
KTP_CARD_PRINTER = ("1.3.2.10.02.03.003", "Printer kartu KTP-el", "cetak_ktp", "Fargo HDP5000")
KK_PRINTER = ("1.3.2.10.02.03.003", "Printer cetak KK (loket Dinas)", "cetak_kk", "Epson L1300")

# One procurement each (acquired_on, contract_no, vendor), shared by the assets it bought.
BONDOWOSO_2021 = {
    "acquired_on": date(2021, 9, 14),
    "contract_no": "027/0911/SP/430.9.7/2021",
    "vendor": "PT Mitra Solusi Data",
}
BEKASI_2022 = {
    "acquired_on": date(2022, 4, 11),
    "contract_no": "027/1204/SPK/Disdukcapil/2022",
    "vendor": "PT Cikarang Teknika",
}
DEPOK_2023 = {
    "acquired_on": date(2023, 2, 20),
    "contract_no": "027/223/SPK/Disdukcapil/2023",
    "vendor": "CV Depok Digital",
}

# A day's usage: rekam, cetak KTP, cetak KK, ditolak, kuota; a (low, high) pair is drawn.
# A count whose equipment the service point lacks is reported 0 whatever the row says.
BONDOWOSO_ACTIVE_DAY = (18, 42), 0, (6, 20), (0, 3), 50
# Nobody there is trained: zero service; the few who still come are sent to the Dinas.
BONDOWOSO_IDLE_DAY = 0, 0, 0, (0, 3), 0
BONDOWOSO_DOWN_DAY = 0, 0, 0, (10, 30), 50
BONDOWOSO_DINAS_DAY = (60, 110), (80, 150), (30, 60), 0, 200
SERANG_DAY = (20, 45), (10, 30), (8, 20), (0, 4), 40
SERANG_DOWN_DAY = 0, 0, 0, (15, 38), 40
BEKASI_DAY = (30, 58), (15, 40), (10, 30), (0, 6), 60
BEKASI_DOWN_DAY = 0, 0, 0, (25, 70), 60
DEPOK_TAPOS_DAY = (35, 80), (20, 60), (15, 40), (0, 12), 80
DEPOK_DOWN_DAY = 0, 0, 0, (20, 50), 80
# (kab/kota, day profile, profile when recording is down) of each kecamatan's service point.
USAGE_PROFILES = {
    "35.11": (BONDOWOSO_ACTIVE_DAY, BONDOWOSO_DOWN_DAY),
    "36.73": (SERANG_DAY, SERANG_DOWN_DAY),
    "32.16": (BEKASI_DAY, BEKASI_DOWN_DAY),
    "32.76": (DEPOK_TAPOS_DAY, DEPOK_DOWN_DAY),
}
SERVICE_CATEGORY = {"rekam": "perekaman", "cetak_ktp": "cetak_ktp", "cetak_kk": "cetak_kk"}


def _at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB)


def _draw(rnd: random.Random, figures) -> dict:
    """One day's usage counts from a *_DAY row, drawing its (low, high) pairs in column order."""
    names = ("rekam", "cetak_ktp", "cetak_kk", "ditolak", "kuota")
    return {
        k: rnd.randint(*v) if isinstance(v, tuple) else v
        for k, v in zip(names, figures, strict=True)
    }


class _Loader:
    def __init__(self):
        self.today = today_wib()
        self.now = datetime.now(WIB)
        self.regions = set(db.session.scalars(sa.select(Region.code)))
        self.existing = {
            tuple(r)
            for r in db.session.execute(
                sa.select(Asset.kode_barang, Asset.register_no, Asset.region_code)
            )
        }
        self.created = 0
        self.next_reg: dict[tuple[str, str], int] = {}

    def asset(self, region, kode, name, category, brand, price, **kw) -> Asset | None:
        """Creates the asset unless its (kode, register, region) exists; None when skipped."""
        key = (kode, region)
        n = self.next_reg.get(key, 0) + 1
        self.next_reg[key] = n
        reg = f"{n:04d}"
        if region not in self.regions or (kode, reg, region) in self.existing:
            return None
        acquired = kw.pop("acquired_on", date(2019, 11, 18))
        data = {
            "region_code": region,
            "kode_barang": kode,
            "register_no": reg,
            "name": name,
            "category": category,
            "brand_model": brand,
            "serial_number": kw.pop(
                "serial", f"SN{zlib.crc32(f'{region}|{kode}|{n}'.encode()):010d}"
            ),
            "acquired_on": acquired,
            "funding_source": kw.pop("funding_source", "APBD"),
            "acquisition_method": kw.pop("acquisition_method", "pembelian"),
            "contract_no": kw.pop("contract_no", None),
            "vendor": kw.pop("vendor", None),
            "unit_price": price,
            "bast_no": kw.pop("bast_no", None),
            "bast_date": kw.pop("bast_date", acquired),
            "condition": kw.pop("condition", "B"),
            "custodian": kw.pop("custodian", "Operator perekaman kecamatan"),
            "notes": kw.pop("notes", None),
        }
        asset = services.create_asset(ACTOR, data, today=self.today)
        self.created += 1
        return asset

    def status(self, asset, status, when, cause=None, party=None, note=None):
        if asset is None:
            return
        services.set_status(
            ACTOR,
            asset,
            status=status,
            cause=cause,
            responsible_party=party,
            started_at=when,
            note=note,
            now=self.now,
        )

    def coverage(self, region, as_of, wajib, rekam):
        if region not in self.regions:
            return
        exists = db.session.scalar(
            sa.select(CoverageSnapshot.id).where(
                CoverageSnapshot.region_code == region, CoverageSnapshot.as_of == as_of
            )
        )
        if exists is None:
            services.record_coverage(
                ACTOR,
                {"region_code": region, "as_of": as_of, "wajib_ktp": wajib, "sudah_rekam": rekam},
                today=self.today,
            )


def _bondowoso(ld: _Loader) -> None:
    spk = "027/0412/SPK/430.9.7/2019"
    for region in (*BONDOWOSO_IDLE, *BONDOWOSO_ACTIVE):
        created = []
        for kode, name, category, brand, price in BONDOWOSO_SET:
            created.append(
                ld.asset(
                    region,
                    kode,
                    name,
                    category,
                    brand,
                    price,
                    contract_no=spk,
                    vendor="CV Sinar Data Nusantara",
                    bast_no="027/0533/BAST/430.9.7/2019",
                    notes="Paket perangkat perekaman APBD 2019",
                )
            )
        if region in BONDOWOSO_PARKED:
            ld.status(
                created[0],
                "tidak_digunakan",
                _at(date(2020, 2, 3)),
                "operator",
                "disdukcapil",
                "Belum ada operator terlatih; perangkat disimpan di gudang kecamatan.",
            )
    dinas = "35.11"
    ld.asset(
        dinas,
        "1.3.2.10.02.04.001",
        "Server database kependudukan",
        "server",
        "Dell PowerEdge R550",
        185_000_000,
        **BONDOWOSO_2021,
        custodian="Pranata komputer Dinas",
    )
    ld.asset(
        dinas,
        *KTP_CARD_PRINTER,
        52_500_000,
        **BONDOWOSO_2021,
        custodian="Petugas cetak Dinas",
    )
    # The Dinas' own counter, where the citizens of the idle kecamatan record and get their KK.
    ld.asset(
        dinas,
        "1.3.2.10.01.02.001",
        "PC Unit perekaman KTP-el (loket Dinas)",
        "perekaman",
        "HP ProDesk 400 G7 MT",
        15_250_000,
        **BONDOWOSO_2021,
        custodian="Operator loket Dinas",
    )
    ld.asset(dinas, *KK_PRINTER, 4_350_000, **BONDOWOSO_2021, custodian="Petugas cetak Dinas")


def _serang(ld: _Loader) -> None:
    down_since = ld.today - timedelta(days=152)
    for region in SERANG_KEC:
        pc = ld.asset(
            region,
            "1.3.2.10.02.04.001",
            "Server/PC perekaman KTP-el",
            "perekaman",
            "Lenovo ThinkCentre M720t",
            16_900_000,
            acquired_on=date(2018, 3, 12),
            funding_source="APBN",
            acquisition_method="hibah",
            vendor="Ditjen Dukcapil Kemendagri",
            bast_no="BAST/DUKCAPIL/2018/117",
            contract_no=None,
        )
        router = ld.asset(
            region,
            "1.3.2.10.02.04.002",
            "Router VPN SIAK",
            "jaringan",
            "MikroTik RB1100AHx4",
            6_800_000,
            acquired_on=date(2020, 7, 6),
            contract_no="027/77/SPK/Disdukcapil/2020",
            vendor="CV Banten Net",
        )
        if region == CIPOCOK:
            ld.status(
                router,
                "gangguan",
                _at(down_since, 9),
                "jaringan",
                "diskominfo",
                "Jaringan VPN kecamatan ke pusat putus. Surat ke Diskominfo sudah 3 kali "
                "dikirim, belum ada jawaban.",
            )
            ld.status(
                pc,
                "gangguan",
                _at(down_since, 9),
                "jaringan",
                "diskominfo",
                "Server perekaman tidak bisa mengirim data ke pusat karena jaringan putus.",
            )
            ld.status(
                pc,
                "dalam_perbaikan",
                _at(down_since + timedelta(days=34), 10),
                "perangkat_keras",
                "vendor",
                "Hard disk rusak setelah listrik padam; menunggu suku cadang dari penyedia.",
            )


def _bekasi(ld: _Loader) -> None:
    kecamatan = sorted(
        c for c in ld.regions if c.startswith(BEKASI + ".") and level_of(c) == "kecamatan"
    )
    rnd = random.Random(3216)
    for i, region in enumerate(kecamatan):
        pc = ld.asset(
            region,
            "1.3.2.10.01.02.001",
            "PC Unit perekaman KTP-el",
            "perekaman",
            "Acer Veriton M4665G",
            15_300_000,
            **BEKASI_2022,
        )
        router = ld.asset(
            region,
            "1.3.2.10.02.04.002",
            "Router VPN SIAK",
            "jaringan",
            "Cisco ISR 1111",
            12_400_000,
            **BEKASI_2022,
        )
        if i % 3 != 0:
            continue
        # Outages: some fixed after a few days, the last three still open today.
        start = ld.today - timedelta(days=rnd.randint(20, 40))
        length = rnd.randint(2, 6)
        spells = [(start, start + timedelta(days=length))]
        if i >= len(kecamatan) - 9:
            spells.append((ld.today - timedelta(days=rnd.randint(2, 9)), None))
        for s, e in spells:
            for asset in (router, pc):
                ld.status(
                    asset,
                    "gangguan",
                    _at(s, 8),
                    "jaringan",
                    "diskominfo",
                    "Jaringan SIAK terputus; pelayanan perekaman dihentikan.",
                )
                if e is not None:
                    ld.status(asset, "operasional", _at(e, 13), note="Jaringan pulih.")
    dinas = BEKASI
    for n in range(2):
        ld.asset(
            dinas,
            "1.3.2.10.01.02.001",
            "PC Unit perekaman KTP-el (loket Dinas)",
            "perekaman",
            "Acer Veriton M4665G",
            15_300_000,
            **BEKASI_2022,
            custodian=f"Operator loket {n + 1}",
        )
    ld.asset(
        dinas,
        *KTP_CARD_PRINTER,
        54_000_000,
        **BEKASI_2022,
    )
    ld.asset(dinas, *KK_PRINTER, 4_350_000, **BEKASI_2022, custodian="Petugas cetak Dinas")


def _depok(ld: _Loader) -> None:
    as_of = date(2026, 6, 30) if ld.today >= date(2026, 6, 30) else ld.today
    ld.coverage(DEPOK_TAPOS, as_of, 289_607, 144_509)
    ld.coverage(DEPOK_HARJAMUKTI, as_of, 16_470, 15_407)
    ld.asset(
        DEPOK_TAPOS,
        "1.3.2.10.01.02.001",
        "PC Unit perekaman KTP-el",
        "perekaman",
        "HP ProDesk 400 G7",
        15_950_000,
        **DEPOK_2023,
    )
    ld.asset(
        DEPOK_TAPOS,
        "1.3.2.10.01.02.002",
        "Laptop perekaman keliling (jemput bola)",
        "perekaman",
        "Lenovo ThinkPad E14",
        13_200_000,
        **DEPOK_2023,
    )


def load_demo() -> str:
    ld = _Loader()
    for step in (_bondowoso, _serang, _bekasi, _depok):
        step(ld)
    db.session.flush()
    if not ld.created:
        return "sudah ada, tidak diubah"
    return f"{ld.created} aset baru"


# --- daily usage ---------------------------------------------------------------------------

DEMO_KABKOTA = ("35.11", "36.73", "32.16", "32.76")
USAGE_COLUMNS = ("rekam", "cetak_ktp", "cetak_kk", "ditolak", "kuota")


def _workdays(today: date) -> list[date]:
    """The weekdays (Mon–Fri) of the last USAGE_DAYS days, today included, oldest first."""
    days = (today - timedelta(days=d) for d in range(USAGE_DAYS - 1, -1, -1))
    return [day for day in days if day.weekday() < 5]


def _draw(rnd: random.Random, figures) -> dict:
    """One day's usage counts from a *_DAY row, drawing its (low, high) pairs in column order."""
    return {
        k: rnd.randint(*v) if isinstance(v, tuple) else v
        for k, v in zip(USAGE_COLUMNS, figures, strict=True)
    }


def _service_points(kabkota: list[str]) -> dict[str, set[str]]:
    """{region: categories of its equipment not disposed of} for every kecamatan and Dinas of
    the demo kab/kota that holds equipment: the places that report daily."""
    under = sa.or_(*(subtree_clause(Asset.region_code, k) for k in kabkota))
    points: dict[str, set[str]] = {}
    rows = db.session.execute(
        sa.select(Asset.region_code, Asset.category).where(under, Asset.status != "dihapuskan")
    )
    for code, category in rows:
        if level_of(code) in ("kabkota", "kecamatan"):
            points.setdefault(code, set()).add(category)
    return points


def _recording_down(points, days: list[date]) -> dict[str, set[date]]:
    """{region: the days on which none of its recording assets was operational at noon WIB}:
    `queries.can_record_today` applied to each day, from the status history (the outages of
    the story and the repairs of the tickets demo alike)."""
    stmt = (
        sa.select(
            Asset.region_code, StatusEvent.asset_id, StatusEvent.status, StatusEvent.started_at
        )
        .join(Asset, Asset.id == StatusEvent.asset_id)
        .where(Asset.region_code.in_(list(points)), Asset.category == "perekaman")
        .order_by(StatusEvent.asset_id, StatusEvent.started_at, StatusEvent.id)
    )
    history: dict[str, dict[int, list[tuple[datetime, str]]]] = {}
    for code, asset_id, status, started in db.session.execute(stmt):
        history.setdefault(code, {}).setdefault(asset_id, []).append((started, status))
    down: dict[str, set[date]] = {}
    for code, assets in history.items():
        for day in days:
            noon = datetime.combine(day, time(12), tzinfo=WIB)
            statuses = (
                next((st for at, st in reversed(events) if at <= noon), None)
                for events in assets.values()
            )
            if "operasional" not in statuses:
                down.setdefault(code, set()).add(day)
    return down


def _usage_row(code: str, day: date, services_: set[str], down: bool, down_count: int) -> dict:
    """The counts one service point reports for one day (see the module docstring)."""
    rnd = random.Random(zlib.crc32(f"usage|{code}|{day.isoformat()}".encode()))
    kab = code[:5]
    if code == BEKASI:
        # Citizens who cannot record at their kecamatan queue at the Dinas (quota 400/day).
        counts = {
            "rekam": 400,
            "cetak_ktp": rnd.randint(250, 380),
            "cetak_kk": rnd.randint(120, 200),
            "ditolak": 40 + down_count * rnd.randint(15, 35),
            "kuota": 400,
        }
    elif code == kab:
        counts = _draw(rnd, BONDOWOSO_DINAS_DAY)  # the only other Dinas with equipment
    elif code in BONDOWOSO_IDLE:
        counts = _draw(rnd, BONDOWOSO_IDLE_DAY)
    else:
        up, broken = USAGE_PROFILES[kab]
        counts = _draw(rnd, broken if down else up)
    for count, category in SERVICE_CATEGORY.items():
        if category not in services_:
            counts[count] = 0  # no equipment for it, so nothing to report
    return counts


def load_usage_demo() -> str:
    """Daily usage of every service point with equipment in the demo kab/kota: every working
    day of the last USAGE_DAYS days (see the module docstring). Idempotent: a day already
    reported is left as it is. ORM inserts in one flush, so the audit log has every row."""
    today = today_wib()
    regions = {
        r.code: r
        for r in db.session.scalars(
            sa.select(Region).where(sa.or_(*(subtree_clause(Region.code, k) for k in DEMO_KABKOTA)))
        )
    }
    points = _service_points([k for k in DEMO_KABKOTA if k in regions])
    days = _workdays(today)
    if not points or not days:
        return "sudah ada, tidak diubah"
    existing = {
        tuple(r)
        for r in db.session.execute(
            sa.select(UsageDay.region_code, UsageDay.day).where(
                UsageDay.region_code.in_(list(points)), UsageDay.day >= days[0]
            )
        )
    }
    down = _recording_down(points, days)
    created = 0
    for day in days:
        bekasi_down = sum(
            1 for c in points if c.startswith(BEKASI + ".") and day in down.get(c, ())
        )
        for code in sorted(points):
            if (code, day) in existing:
                continue
            counts = _usage_row(code, day, points[code], day in down.get(code, ()), bekasi_down)
            clean = services.clean_usage(
                ACTOR, {"region_code": code, "day": day, **counts}, today=today, regions=regions
            )
            db.session.add(UsageDay(**clean, created_by_id=None))
            created += 1
    db.session.flush()
    if not created:
        return "sudah ada, tidak diubah"
    return f"{created} hari pemakaian baru ({len(points)} titik layanan, {len(days)} hari kerja)"
