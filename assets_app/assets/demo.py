"""Demo equipment shaped after the real stories (DESIGN.md): idempotent, run by `demo load`.

- Kab. Bondowoso: a 2019 APBD recording + KK printing set in each of 14 kecamatan, unused.
- Kota Serang: Kec. Cipocok Jaya's recording server down for five months (network, then
  hardware), citizens turned away every day.
- Kab. Bekasi: network outages across the kecamatan, citizens turned away, quota 400 at the Dinas.
- Kota Depok: recording coverage of Kec. Tapos and Kel. Harjamukti.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from assets_app.assets import services
from assets_app.assets.models import Asset, CoverageSnapshot, UsageDay
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, level_of

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
USAGE_DAYS = 45

# (kode barang, name, category, brand/model) of the card printer each Dinas bought.
KTP_CARD_PRINTER = ("1.3.2.10.02.03.003", "Printer kartu KTP-el", "cetak_ktp", "Fargo HDP5000")

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
BONDOWOSO_ACTIVE_DAY = (18, 42), 0, (6, 20), (0, 3), 50
BONDOWOSO_DINAS_DAY = (60, 110), (80, 150), (30, 60), 0, 200
SERANG_DAY = (20, 45), (10, 30), (8, 20), (0, 4), 40
CIPOCOK_DOWN_DAY = 0, 0, (2, 6), (15, 38), 40
BEKASI_DAY = (30, 58), (15, 40), (10, 30), (0, 6), 60
BEKASI_DOWN_DAY = 0, 0, (0, 5), (25, 70), 60
DEPOK_TAPOS_DAY = (35, 80), (20, 60), (15, 40), (0, 12), 80


def _at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB)


def _workdays(ld: _Loader):
    """The weekdays of the last USAGE_DAYS days, newest first."""
    for d in range(USAGE_DAYS):
        day = ld.today - timedelta(days=d)
        if day.weekday() < 5:
            yield day


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
        self.usage = {
            tuple(r) for r in db.session.execute(sa.select(UsageDay.region_code, UsageDay.day))
        }
        self.created = 0
        self.usage_rows = 0
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

    def usage_day(self, region, day, **counts):
        if region not in self.regions or (region, day) in self.usage:
            return
        services.record_usage(
            ACTOR, {"region_code": region, "day": day, **counts}, today=self.today
        )
        self.usage.add((region, day))
        self.usage_rows += 1

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
    rnd = random.Random(3511)
    for day in _workdays(ld):
        for region in BONDOWOSO_ACTIVE:
            ld.usage_day(region, day, **_draw(rnd, BONDOWOSO_ACTIVE_DAY))
        ld.usage_day(dinas, day, **_draw(rnd, BONDOWOSO_DINAS_DAY))


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
    rnd = random.Random(3673)
    for day in _workdays(ld):
        for region in SERANG_KEC:
            figures = CIPOCOK_DOWN_DAY if region == CIPOCOK else SERANG_DAY
            ld.usage_day(region, day, **_draw(rnd, figures))


def _bekasi(ld: _Loader) -> None:
    kecamatan = sorted(
        c for c in ld.regions if c.startswith(BEKASI + ".") and level_of(c) == "kecamatan"
    )
    rnd = random.Random(3216)
    outages: dict[str, list[tuple[date, date | None]]] = {}
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
        outages[region] = spells
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
    for day in _workdays(ld):
        down_count = 0
        for region in kecamatan:
            down = any(s <= day and (e is None or day < e) for s, e in outages.get(region, []))
            down_count += down
            ld.usage_day(region, day, **_draw(rnd, BEKASI_DOWN_DAY if down else BEKASI_DAY))
        # Citizens who cannot record at their kecamatan queue at the Dinas (quota 400/day).
        ld.usage_day(
            dinas,
            day,
            rekam=400,
            cetak_ktp=rnd.randint(250, 380),
            cetak_kk=rnd.randint(120, 200),
            ditolak=40 + down_count * rnd.randint(15, 35),
            kuota=400,
        )


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


def _depok_usage(ld: _Loader) -> None:
    rnd = random.Random(3276)
    for day in _workdays(ld):
        ld.usage_day(DEPOK_TAPOS, day, **_draw(rnd, DEPOK_TAPOS_DAY))


def load_demo() -> str:
    ld = _Loader()
    for step in (_bondowoso, _serang, _bekasi, _depok, _depok_usage):
        step(ld)
    db.session.flush()
    if not ld.created and not ld.usage_rows:
        return "sudah ada, tidak diubah"
    return f"{ld.created} aset baru, {ld.usage_rows} hari pemakaian baru"
