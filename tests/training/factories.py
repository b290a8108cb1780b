"""Factories for the training tests: assets (inserted directly: the register's own services
live on another branch), operators, sessions and attendance. All commit."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from assets_app.extensions import db

_seq = itertools.count(1)
# Acts as the whole installation when a test does not care who records.
SYSTEM = SimpleNamespace(id=None, region_code=None, role="admin", is_authenticated=True)


def make_asset(region_code: str, category: str = "cetak_kk", *, status: str = "operasional", **kw):
    from assets_app.assets.models import Asset

    n = next(_seq)
    asset = Asset(
        region_code=region_code,
        kode_barang=kw.pop("kode_barang", "1.3.2.10.02.03.003"),
        register_no=kw.pop("register_no", f"{n:05d}"),
        name=kw.pop("name", f"Printer {category} {n}"),
        category=category,
        acquired_on=kw.pop("acquired_on", date(2024, 3, 1)),
        funding_source=kw.pop("funding_source", "APBD"),
        acquisition_method=kw.pop("acquisition_method", "pembelian"),
        unit_price=kw.pop("unit_price", 50_000_000),
        condition=kw.pop("condition", "B"),
        label_token=kw.pop("label_token", secrets.token_hex(8)),
        status=status,
        status_since=kw.pop("status_since", datetime(2025, 1, 1, tzinfo=UTC)),
        **kw,
    )
    db.session.add(asset)
    db.session.commit()
    return asset


def make_operator(region_code: str, name: str | None = None, **kw):
    from assets_app.training.services import create_operator

    n = next(_seq)
    data = {
        "name": name or f"Operator Uji {n}",
        "position": kw.pop("position", "Operator Pencetakan"),
        "region_code": region_code,
        **kw,
    }
    op = create_operator(data, by=kw.pop("by", SYSTEM))
    db.session.commit()
    return op


def make_training(
    topics=("cetak_kk",),
    *,
    ends_on: date | None = None,
    days: int = 1,
    region_code: str = "35.11",
    title: str | None = None,
    by=SYSTEM,
    **kw,
):
    from assets_app.training.services import create_training

    ends_on = ends_on or date(2026, 1, 15)
    training = create_training(
        {
            "title": title or f"Pelatihan {' & '.join(topics)} {next(_seq)}",
            "topics": list(topics),
            "starts_on": ends_on - timedelta(days=days - 1),
            "ends_on": ends_on,
            "place": kw.pop("place", "Aula Disdukcapil"),
            "organiser": kw.pop("organiser", "dinas"),
            "region_code": region_code,
            **kw,
        },
        by=by,
    )
    db.session.commit()
    return training


def attend(training, operator, *, passed=True, present=True, score=None, today=None, by=SYSTEM):
    from assets_app.training.services import record_attendance

    att = record_attendance(
        training,
        operator_id=operator.id,
        present=present,
        passed=passed,
        score=score,
        by=by,
        today=today or date(2030, 1, 1),
    )
    db.session.commit()
    return att


def certify(region_code: str, topics=("cetak_kk",), *, ends_on: date | None = None, name=None):
    """An operator in `region_code` holding a passed certificate for `topics`."""
    op = make_operator(region_code, name)
    kab = ".".join(region_code.split(".")[:2])
    training = make_training(topics, ends_on=ends_on, region_code=kab)
    att = attend(training, op)
    return op, training, att


def bulk_kecamatan(db):
    """200 kecamatan in 4 made-up kabupaten, each holding 3 categories, half of them covered."""
    from assets_app.assets.models import Asset
    from assets_app.regions.models import Region
    from assets_app.training.models import Attendance, CertificateTopic, Operator

    db.session.execute(
        sa.insert(Region),
        [{"code": "99", "name": "Provinsi Uji", "level": "provinsi", "parent_code": None}],
    )
    db.session.commit()
    training = make_training(("cetak_kk", "perekaman"), ends_on=date(2026, 1, 15), region_code="99")
    regions, assets, ops, atts, certs = [], [], [], [], []
    n = 0
    for k in range(1, 5):
        kab = f"99.{k:02d}"
        regions.append(
            {"code": kab, "name": f"Kab. Uji {k}", "level": "kabkota", "parent_code": "99"}
        )
        for c in range(1, 51):
            n += 1
            kec = f"{kab}.{c:02d}"
            regions.append(
                {"code": kec, "name": f"Uji {n}", "level": "kecamatan", "parent_code": kab}
            )
            for cat in ("perekaman", "cetak_kk", "jaringan"):
                assets.append(
                    {
                        "region_code": kec,
                        "kode_barang": "1.3.2",
                        "register_no": f"{n}-{cat}",
                        "name": cat,
                        "category": cat,
                        "acquired_on": date(2024, 1, 1),
                        "funding_source": "APBD",
                        "acquisition_method": "pembelian",
                        "unit_price": 1,
                        "condition": "B",
                        "label_token": f"t{n}{cat}",
                        "status": "operasional",
                        "status_since": datetime(2025, 1, 1, tzinfo=UTC),
                        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
                        "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
                    }
                )
            for j in range(2):
                ops.append({"id": 10_000 + n * 2 + j, "name": f"Op {n}-{j}", "position": "Operator", "region_code": kec, "active": True, "created_at": datetime(2025, 1, 1, tzinfo=UTC), "updated_at": datetime(2025, 1, 1, tzinfo=UTC)})  # fmt: skip
            if n % 2 == 0:
                oid = 10_000 + n * 2
                atts.append({"id": 50_000 + n, "training_id": training.id, "operator_id": oid, "present": True, "passed": True, "certificate_no": f"SERT/2026/{n:06d}", "issued_on": date(2026, 1, 15), "valid_until": date(2028, 1, 14), "verify_token": f"tok{n}", "created_at": datetime(2025, 1, 1, tzinfo=UTC), "updated_at": datetime(2025, 1, 1, tzinfo=UTC)})  # fmt: skip
                for topic in ("cetak_kk", "perekaman"):
                    certs.append({"attendance_id": 50_000 + n, "operator_id": oid, "topic": topic, "valid_until": date(2028, 1, 14)})  # fmt: skip
    db.session.execute(sa.insert(Region), regions)
    db.session.execute(sa.insert(Asset), assets)
    db.session.execute(sa.insert(Operator), ops)
    db.session.execute(sa.insert(Attendance), atts)
    db.session.execute(sa.insert(CertificateTopic), certs)
    db.session.commit()
