"""Demo blanko data: Kab. Bekasi running out, Kota Depok ample, Bondowoso with a transfer
waiting for the camat of Pujer, and some write-offs pending. Idempotent per kab/kota."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.blanko import ditjen, rules, services
from assets_app.blanko.models import BlankoMovement
from assets_app.common.timeutil import WIB, today_wib, utcnow
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import subtree_clause

USAGE_DAYS = 35


def load_demo() -> str:
    done = []
    for code, username, loader in (
        ("32.16", "kadis.bekasi", _bekasi),
        ("32.76", "petugas.depok", _depok),
        ("35.11", "kadis.bondowoso", _bondowoso),
    ):
        if _has_data(code):
            continue
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None or db.session.get(Region, code) is None:
            continue
        done.append(loader(user))
    return "; ".join(done) if done else "sudah ada, tidak diubah"


def _has_data(kab: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(BlankoMovement)
            .where(subtree_clause(BlankoMovement.region_code, kab))
        )
    )


def _kecamatan(kab: str) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Region.code)
            .where(Region.parent_code == kab, Region.level == "kecamatan")
            .order_by(Region.code)
        )
    )


def _at(days_ago: int, hour: int = 10) -> datetime:
    today = today_wib()
    return datetime.combine(today - timedelta(days=days_ago), time(hour), WIB)


def _stock_kab(user, kab: str, plan: dict[str, tuple[int, int]], extra_dinas: int, serial0: int):
    """Receive enough for `plan` {kec: (distributed, daily use)} + `extra_dinas`, distribute,
    confirm, then book the daily use of the last USAGE_DAYS days."""
    total = sum(d for d, _ in plan.values()) + extra_dinas
    services.record_movement(
        user,
        kind="penerimaan",
        to_region=kab,
        quantity=total,
        occurred_at=_at(USAGE_DAYS + 5),
        reference=f"BAST/{kab}/DEMO/{utcnow().year}",
        bast_date=_at(USAGE_DAYS + 5).date(),
        serial_ranges=[[serial0, serial0 + total - 1]],
        note="Penerimaan dari gudang Ditjen Dukcapil, Pasar Minggu (data demo)",
    )
    cursor = serial0
    for i, (kec, (qty, _use)) in enumerate(plan.items()):
        m = services.record_movement(
            user,
            kind="distribusi",
            from_region=kab,
            to_region=kec,
            quantity=qty,
            occurred_at=_at(USAGE_DAYS + 2),
            reference=f"SJ/{kec}/DEMO",
            serial_ranges=[[cursor, cursor + qty - 1]],
        )
        cursor += qty
        short = 2 if i == 1 else 0
        services.receive_movement(
            user,
            m.id,
            quantity_received=qty - short,
            received_at=_at(USAGE_DAYS + 1),
            note="2 keping hilang dalam perjalanan; dilaporkan kurir" if short else None,
            on_behalf_reason=None
            if rules.is_receiver(user, kec)
            else "Data awal (demo): serah terima dicatat Dinas bersama operator kecamatan.",
        )
    for day in range(USAGE_DAYS, 0, -1):
        for kec, (_qty, use) in plan.items():
            services.record_movement(
                user,
                kind="pemakaian",
                from_region=kec,
                quantity=use,
                occurred_at=_at(day, 14),
                note="Rekap cetak harian (data demo)",
            )


def _bekasi(user) -> str:
    kecs = _kecamatan("32.16")
    plan = {}
    for i, kec in enumerate(kecs):
        use = 4 + i % 7
        left_days = (1, 5, 12)[i % 3]  # every third kecamatan has about one day left
        plan[kec] = (use * USAGE_DAYS + use * left_days + (2 if i == 1 else 0), use)
    _stock_kab(user, "32.16", plan, extra_dinas=150, serial0=3216_0000_0001)
    for kec, reason in ((kecs[2], "Gagal cetak: chip tidak terbaca"), (kecs[5], "Kartu tergores")):
        services.record_movement(
            user, kind="rusak", from_region=kec, quantity=3, occurred_at=_at(2), note=reason
        )
    # Four eyes: the petugas records the write-off, the kadis approves it.
    recorder = db.session.scalar(sa.select(User).where(User.username == "petugas.bekasi"))
    m = services.record_movement(
        recorder or user,
        kind="rusak",
        from_region=kecs[4],
        quantity=2,
        occurred_at=_at(6),
        note="Gagal cetak",
    )
    if recorder is not None:
        services.decide_movement(
            user, m.id, approved=True, berita_acara_no="BA.400.12.2.1/07/Disdukcapil/DEMO"
        )
    ditjen.create_request(user, region_code="32.16", note="Stok di beberapa kecamatan habis.")
    return f"Kab. Bekasi: {len(kecs)} kecamatan, stok menipis, 1 permintaan terbuka"


def _depok(user) -> str:
    kecs = _kecamatan("32.76")
    plan = {kec: (1000, 6 + i % 5) for i, kec in enumerate(kecs)}
    _stock_kab(user, "32.76", plan, extra_dinas=9000, serial0=3276_0000_0001)
    for kec in kecs[:2]:
        services.record_movement(
            user, kind="rusak", from_region=kec, quantity=4, occurred_at=_at(1), note="Gagal cetak"
        )
    return f"Kota Depok: {len(kecs)} kecamatan, stok cukup, 2 penghapusan menunggu"


def _bondowoso(user) -> str:
    kecs = [k for k in _kecamatan("35.11") if k in ("35.11.05", "35.11.06", "35.11.07")]
    plan = {kec: (300, 5) for kec in kecs}
    _stock_kab(user, "35.11", plan, extra_dinas=1500, serial0=3511_0000_0001)
    if "35.11.05" in kecs:
        services.record_movement(
            user,
            kind="distribusi",
            from_region="35.11",
            to_region="35.11.05",
            quantity=200,
            occurred_at=min(_at(0, 8), utcnow() - timedelta(hours=1)),
            reference="SJ/35.11.05/DEMO-2",
        )
    return "Kab. Bondowoso: distribusi ke Kec. Pujer menunggu konfirmasi camat"
