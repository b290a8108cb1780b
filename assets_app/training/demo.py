"""Demo operators and sessions for the four seed kab/kota (idempotent).

The story: in Kab. Bondowoso 14 kecamatan hold KK printers nobody there is certified for (a
few of them were trained once, long ago — expired); a few other kecamatan have expired network
certificates and two will lose their KK-printing coverage within 60 days. Kota Depok is well
covered. Works whether or not the asset register has demo data: it only creates operators,
sessions and attendance. Dates are relative to the day of the first load.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from assets_app.assets import queries as register
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.training import queries, services
from assets_app.training.certificates import add_months
from assets_app.training.models import Attendance, Operator, Training

# The whole installation, acting as the loader (audit rows say cli:demo load).
SYSTEM = SimpleNamespace(id=None, region_code=None, role="admin", is_authenticated=True)

BONDOWOSO = "35.11"
DEPOK = "32.76"
SERANG = "36.73"
BEKASI = "32.16"
# Kecamatan of Bondowoso whose KK printers stand idle when the register has no demo data to
# tell (14 of 23; Pujer — the demo camat's kecamatan — is one of them).
IDLE_FALLBACK = (
    "35.11.01", "35.11.03", "35.11.04", "35.11.05", "35.11.07", "35.11.14", "35.11.15",
    "35.11.16", "35.11.18", "35.11.19", "35.11.20", "35.11.21", "35.11.22", "35.11.23",
)  # fmt: skip

FIRST = (
    "Siti", "Agus", "Dewi", "Bambang", "Rina", "Hendra", "Nur", "Yusuf", "Lestari", "Eko",
    "Wahyuni", "Imam", "Fitri", "Joko", "Ratna", "Slamet", "Indah", "Rudi", "Ayu", "Teguh",
    "Sri", "Dedi", "Yuliana", "Arif", "Novi", "Hadi", "Endah", "Budi", "Kartika", "Fajar",
)  # fmt: skip
LAST = (
    "Rahmawati", "Santoso", "Wulandari", "Hidayat", "Kusuma", "Prasetyo", "Handayani",
    "Saputra", "Maulana", "Permata", "Setiawan", "Anggraini", "Firmansyah", "Susanti",
    "Nugroho", "Pratiwi", "Hakim", "Utami", "Wibowo", "Safitri", "Kurniawan", "Lestiani",
    "Syahputra",
)  # fmt: skip
POSITIONS = ("Operator Perekaman", "Operator Pencetakan", "Petugas Pelayanan Adminduk")


def _months_ago(today: date, months: int, days: int = 0) -> date:
    return add_months(today, -months) - timedelta(days=days)


class _Loader:
    def __init__(self, today: date):
        self.today = today
        self.counter = 0
        self.created_ops = 0
        self.created_trainings = 0
        self.certificates = 0
        existing = db.session.execute(sa.select(Operator.name, Operator.region_code, Operator))
        self.ops = {(n, r): o for n, r, o in existing}
        self.trainings = {
            (t.title, t.region_code): t for t in db.session.scalars(sa.select(Training))
        }

    def kecamatan(self, kab: str) -> list[str]:
        stmt = (
            sa.select(Region.code)
            .where(Region.parent_code == kab, Region.level == "kecamatan")
            .order_by(Region.code)
        )
        return list(db.session.scalars(stmt))

    def staff(self, kab: str, per_kec: int, seed: int) -> tuple[list[str], dict]:
        """The kab/kota's kecamatan, and `per_kec` operators in each (seeds `seed`, `seed`+1…)."""
        kec = self.kecamatan(kab)
        return kec, {c: self.operators(c, per_kec, seed=seed + i) for i, c in enumerate(kec)}

    def operators(self, region: str, count: int, seed: int) -> list[Operator]:
        out = []
        for i in range(count):
            self.counter += 1
            k = seed * 7 + i * 13
            name = f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST) + seed + i) % len(LAST)]}"
            op = self.ops.get((name, region))
            if op is None:
                nip = None
                if (seed + i) % 2 == 0:
                    # A made-up but well-formed NIP: birth date, appointment, sex, sequence.
                    nip = (
                        f"{1975 + k % 20}{k % 12 + 1:02d}{k % 27 + 1:02d}"
                        f"{2003 + k % 18}{k % 12 + 1:02d}{1 + k % 2}{self.counter % 1000:03d}"
                    )
                    if queries.existing_nips({nip}):
                        nip = None
                op = services.create_operator(
                    {
                        "name": name,
                        "nip": nip,
                        "position": POSITIONS[i % len(POSITIONS)],
                        "region_code": region,
                        "phone": f"0812{(seed * 100 + i) % 10_000:04d}{region[-2:]}00",
                    },
                    by=SYSTEM,
                )
                self.ops[(name, region)] = op
                self.created_ops += 1
            out.append(op)
        return out

    def training(self, kab: str, title: str, topics, ends: date, days: int = 3, **kw):
        training = self.trainings.get((title, kab))
        if training is None:
            training = services.create_training(
                {
                    "title": title,
                    "topics": list(topics),
                    "starts_on": ends - timedelta(days=days - 1),
                    "ends_on": ends,
                    "place": kw.get("place", "Aula Disdukcapil"),
                    "organiser": kw.get("organiser", "dinas"),
                    "trainer": kw.get("trainer"),
                    "region_code": kab,
                },
                by=SYSTEM,
            )
            self.trainings[(title, kab)] = training
            self.created_trainings += 1
        return training

    def attend(self, training: Training, op: Operator, passed: bool, score: int):
        att = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.training_id == training.id, Attendance.operator_id == op.id
            )
        )
        if att is not None:
            return att  # never touch what the demo (or a user) already recorded
        att = services.record_attendance(
            training,
            operator_id=op.id,
            present=True,
            passed=passed,
            score=score,
            by=SYSTEM,
            today=self.today,
        )
        if att.certificate_no:
            self.certificates += 1
        return att


def idle_kecamatan_bondowoso(all_kec: list[str]) -> list[str]:
    """Kecamatan whose KK printers (or, failing that, any equipment) the register marks
    `tidak_digunakan`; without register data, the fixed list of 14."""
    found = register.idle_region_codes(all_kec, "cetak_kk") or register.idle_region_codes(all_kec)
    return found or [c for c in IDLE_FALLBACK if c in all_kec]


def load_demo(today: date | None = None) -> str:
    today = today or today_wib()
    ld = _Loader(today)
    present = {
        c for c in db.session.scalars(sa.select(Region.code).where(Region.code.in_(
            [BONDOWOSO, DEPOK, SERANG, BEKASI])))
    }  # fmt: skip
    if BONDOWOSO in present:
        _bondowoso(ld, today)
    if DEPOK in present:
        _depok(ld, today)
    if SERANG in present:
        _serang(ld, today)
    if BEKASI in present:
        _bekasi(ld, today)
    db.session.flush()
    if not (ld.created_ops or ld.created_trainings or ld.certificates):
        return "sudah ada, tidak diubah"
    return (
        f"{ld.created_ops} operator, {ld.created_trainings} sesi, {ld.certificates} sertifikat baru"
    )


def _bondowoso(ld: _Loader, today: date) -> None:  # long: one demo story told step by step
    kec, ops = ld.staff(BONDOWOSO, 2, seed=0)
    idle = set(idle_kecamatan_bondowoso(kec))
    others = [c for c in kec if c not in idle]
    dinas = ld.operators(BONDOWOSO, 3, seed=40)

    # Everyone's first operator can record and print KTP-el (10 months ago).
    ktp = ld.training(
        BONDOWOSO,
        "Bimtek Perekaman dan Pencetakan KTP-el Operator Kecamatan",
        ("perekaman", "cetak_ktp"),
        _months_ago(today, 10),
        place="Aula Disdukcapil Kab. Bondowoso",
        trainer="Tim Teknis Disdukcapil",
    )
    for i, c in enumerate(kec):
        ld.attend(ktp, ops[c][0], True, 78 + i % 15)
        ld.attend(ktp, ops[c][1], i % 3 != 0, 70 if i % 3 == 0 else 81)

    # KK printing: long ago for four of the idle kecamatan (now expired); recently for most
    # of the others; 23 months ago for two of them (expiring within 60 days → amber).
    old_kk = ld.training(
        BONDOWOSO,
        "Pelatihan Pencetakan KK Angkatan I",
        ("cetak_kk",),
        _months_ago(today, 30),
        place="Hotel Ijen View Bondowoso",
        organiser="vendor",
        trainer="PT Vendor Printer Kartu",
    )
    for c in sorted(idle)[:4]:
        ld.attend(old_kk, ops[c][0], True, 80)
    amber = others[:2]
    early_kk = ld.training(
        BONDOWOSO,
        "Pelatihan Pencetakan KK Angkatan II",
        ("cetak_kk",),
        _months_ago(today, 22, days=15),
        place="Aula Disdukcapil Kab. Bondowoso",
    )
    for c in amber:
        ld.attend(early_kk, ops[c][0], True, 84)
    new_kk = ld.training(
        BONDOWOSO,
        "Pelatihan Pencetakan KK Angkatan III",
        ("cetak_kk",),
        _months_ago(today, 4),
        place="Aula Disdukcapil Kab. Bondowoso",
        trainer="Tim Teknis Disdukcapil",
    )
    for c in others[2:]:
        ld.attend(new_kk, ops[c][0], True, 86)
        ld.attend(new_kk, ops[c][1], True, 79)

    # Network: a few kecamatan were trained 28 months ago and never again (expired); the
    # rest had a refresher this year.
    stale = others[2:5]
    net = ld.training(
        BONDOWOSO,
        "Pelatihan Jaringan Komunikasi Data Kecamatan",
        ("jaringan",),
        _months_ago(today, 28),
        organiser="ditjen_dukcapil",
        trainer="Direktorat PIAK Ditjen Dukcapil",
    )
    for c in stale:
        ld.attend(net, ops[c][1], True, 75)
    net2 = ld.training(
        BONDOWOSO,
        "Penyegaran Jaringan Komunikasi Data Kecamatan",
        ("jaringan",),
        _months_ago(today, 5),
        days=2,
        trainer="Diskominfo Kab. Bondowoso",
    )
    for c in kec:
        if c not in stale:
            ld.attend(net2, ops[c][1], True, 80)

    # The Dinas: server and network, last year.
    srv = ld.training(
        BONDOWOSO,
        "Administrasi Server dan Jaringan SIAK",
        ("server", "jaringan"),
        _months_ago(today, 7),
        days=2,
        organiser="ditjen_dukcapil",
        place="Kantor Disdukcapil Kab. Bondowoso",
    )
    for op in dinas:
        ld.attend(srv, op, True, 88)


def _depok(ld: _Loader, today: date) -> None:
    kec, ops = ld.staff(DEPOK, 3, seed=50)
    dinas = ld.operators(DEPOK, 2, seed=70)
    full = ld.training(
        DEPOK,
        "Bimtek Operator Pelayanan Adminduk Kota Depok",
        ("perekaman", "cetak_ktp", "cetak_kk", "jaringan"),
        _months_ago(today, 3),
        place="Balai Kota Depok",
        trainer="Tim Teknis Disdukcapil Kota Depok",
    )
    for c in kec:
        ld.attend(full, ops[c][0], True, 90)
        ld.attend(full, ops[c][1], True, 85)
        ld.attend(full, ops[c][2], False, 60)
    srv = ld.training(
        DEPOK,
        "Pengelolaan Server SIAK Kota Depok",
        ("server", "jaringan"),
        _months_ago(today, 2),
        days=2,
        organiser="ditjen_dukcapil",
    )
    for op in dinas:
        ld.attend(srv, op, True, 92)


def _serang(ld: _Loader, today: date) -> None:
    kec, ops = ld.staff(SERANG, 2, seed=80)
    ktp = ld.training(
        SERANG,
        "Bimtek Perekaman KTP-el Kota Serang",
        ("perekaman", "cetak_ktp"),
        _months_ago(today, 8),
        place="Aula Disdukcapil Kota Serang",
    )
    for c in kec:
        ld.attend(ktp, ops[c][0], True, 82)


def _bekasi(ld: _Loader, today: date) -> None:
    kec, ops = ld.staff(BEKASI, 2, seed=100)
    rec = ld.training(
        BEKASI,
        "Bimtek Perekaman KTP-el Kab. Bekasi",
        ("perekaman",),
        _months_ago(today, 14),
        place="Aula Disdukcapil Kab. Bekasi",
    )
    for i, c in enumerate(kec):
        ld.attend(rec, ops[c][0], i % 4 != 0, 80)
