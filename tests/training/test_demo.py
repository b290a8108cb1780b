"""The demo story holds, with or without the register's demo assets, and reloading is a no-op."""

from datetime import date

import sqlalchemy as sa

from assets_app.training import gaps
from assets_app.training.demo import IDLE_FALLBACK, load_demo
from assets_app.training.models import Attendance, CertificateTopic, Operator, Training
from tests.training.factories import SYSTEM, make_asset

TODAY = date(2026, 11, 23)


def _kecamatan(db, kab):
    from assets_app.regions.models import Region

    stmt = sa.select(Region.code).where(Region.parent_code == kab, Region.level == "kecamatan")
    return sorted(db.session.scalars(stmt))


def test_demo_story_with_register_assets(app, db, regions):
    from assets_app.regions.services import load_regions

    load_regions(["32.76"])
    db.session.commit()
    bondowoso = _kecamatan(db, "35.11")
    # The register's story: KK printers idle in 14 kecamatan (not the fallback list, to prove
    # the demo follows the register).
    idle = bondowoso[-14:]
    for code in bondowoso:
        make_asset(code, "cetak_kk", status="tidak_digunakan" if code in idle else "operasional")
        make_asset(code, "perekaman")
        make_asset(code, "jaringan")
    make_asset("35.11", "server")
    for code in _kecamatan(db, "32.76"):
        for cat in ("perekaman", "cetak_ktp", "cetak_kk", "jaringan"):
            make_asset(code, cat)
    summary = load_demo(TODAY)
    db.session.commit()
    assert "operator" in summary and "sertifikat" in summary

    rows = gaps.training_gaps(SYSTEM, "35.11", today=TODAY)
    kk = {r.region_code: r.status for r in rows if r.category == "cetak_kk"}
    assert sorted(c for c, s in kk.items() if s == "red") == idle
    assert (
        sorted(c for c, s in kk.items() if s == "amber")
        == [c for c in bondowoso if c not in idle][:2]
    )
    # Some idle kecamatan were trained once, long ago: certificates exist but expired.
    expired_ops = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Operator.id)))
        .join(CertificateTopic, CertificateTopic.operator_id == Operator.id)
        .where(
            Operator.region_code.in_(idle),
            CertificateTopic.topic == "cetak_kk",
            CertificateTopic.valid_until < TODAY,
        )
    )
    assert expired_ops == 4
    # A few other kecamatan hold network gear with only expired certificates.
    net_red = [r.region_code for r in rows if r.category == "jaringan" and r.status == "red"]
    assert len(net_red) == 3 and not set(net_red) & set(idle)
    expired_net = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Operator.region_code)))
        .join(CertificateTopic, CertificateTopic.operator_id == Operator.id)
        .where(
            Operator.region_code.in_(net_red),
            CertificateTopic.topic == "jaringan",
            CertificateTopic.valid_until < TODAY,
        )
    )
    assert expired_net == 3
    assert {r.region_code: r.status for r in rows}["35.11"] == "ok"  # the Dinas' server
    assert all(r.status == "ok" for r in rows if r.category == "perekaman")
    # Kota Depok is well covered.
    depok = gaps.training_gaps(SYSTEM, "32.76", today=TODAY)
    assert depok and all(r.status == "ok" for r in depok)
    assert all(r.valid_operators >= 2 for r in depok)

    counts = {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Operator, Training, Attendance)
    }
    assert load_demo(TODAY) == "sudah ada, tidak diubah"
    db.session.commit()
    assert counts == {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Operator, Training, Attendance)
    }


def test_demo_without_assets_uses_the_fixed_idle_list(app, db, regions):
    summary = load_demo(TODAY)
    db.session.commit()
    assert summary.startswith("61 operator")  # Bondowoso 23 × 2 + 3 at the Dinas, Serang 6 × 2
    kk_covered = set(
        db.session.scalars(
            sa.select(Operator.region_code)
            .join(CertificateTopic, CertificateTopic.operator_id == Operator.id)
            .where(CertificateTopic.topic == "cetak_kk", CertificateTopic.valid_until >= TODAY)
        )
    )
    assert not kk_covered & set(IDLE_FALLBACK)
    assert len(kk_covered) == 23 - 14
    # Unique, well-formed certificate numbers.
    numbers = list(db.session.scalars(sa.select(Attendance.certificate_no).where(
        Attendance.certificate_no.is_not(None))))  # fmt: skip
    assert len(numbers) == len(set(numbers)) and all(n.startswith("SERT/") for n in numbers)
