"""The daily report: one transaction through the usage, status and blanko services; a
correction of the same day replaces the counts and posts only the blanko difference."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assets_app.assets.models import StatusEvent, UsageDay
from assets_app.audit.models import AuditLog
from assets_app.blanko import queries as blanko_queries
from assets_app.blanko.models import BlankoMovement
from assets_app.common.errors import Forbidden, ValidationFailed
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.extensions import db
from assets_app.field import services
from tests.blanko.conftest import PUJER
from tests.field.helpers import counts, kecamatan, report


def _file(by, data, **kw):
    now = utcnow()
    out = services.file_daily_report(by, data, now=now, today=today_wib(now), **kw)
    db.session.commit()
    return out


def test_one_report_writes_usage_status_and_blanko(users):
    camera, _ = kecamatan(users, stock=50)
    down = {"asset_id": camera.id, "status": "gangguan", "cause": "jaringan",
            "responsible_party": "diskominfo"}  # fmt: skip
    rep, written = _file(users["camat"], report(devices=[down]))
    assert written and rep.region_code == PUJER and rep.day == today_wib()
    usage = db.session.get(UsageDay, rep.usage_day_id)
    assert (usage.rekam, usage.ditolak, usage.suket, usage.kuota) == (42, 3, 5, 60)
    ev = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == camera.id)).one()
    assert (ev.status, ev.cause, ev.responsible_party) == ("gangguan", "jaringan", "diskominfo")
    moves = db.session.scalars(sa.select(BlankoMovement).where(BlankoMovement.kind == "pemakaian"))
    assert [m.quantity for m in moves] == [30]
    assert blanko_queries.balance_of(PUJER).on_hand == 20


def test_a_failure_anywhere_writes_nothing_and_names_the_field(users):
    camera, _ = kecamatan(users, stock=10)
    before = counts()
    # More blanko used than on hand, and a device newly down without a responsible party.
    down = {"asset_id": camera.id, "status": "gangguan", "cause": "jaringan"}
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(users["camat"], report(blanko_used="25", devices=[down]))
    db.session.rollback()  # what the request's unit of work does with a refusal
    assert "tidak cukup" in " ".join(e.value.errors["blanko_used"])
    assert e.value.errors[f"device_{camera.id}_responsible_party"]
    assert counts() == before
    assert blanko_queries.balance_of(PUJER).on_hand == 10


def test_a_bad_count_is_refused_with_its_field(users):
    kecamatan(users, stock=10)
    before = counts()
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(users["camat"], report(rekam="-4", blanko_used="2"))
    db.session.rollback()
    assert e.value.errors["rekam"] == ["Tidak boleh negatif."]
    assert counts() == before


def test_correction_replaces_counts_audited_and_posts_the_blanko_difference(users):
    kecamatan(users, stock=50)
    first, _ = _file(users["camat"], report(blanko_used="20", blanko_damaged="0"))
    again, written = _file(users["camat"], report(rekam="50", blanko_used="26", blanko_damaged="2"))
    assert written and again.id == first.id and again.corrections == 1
    usage = db.session.get(UsageDay, again.usage_day_id)
    assert usage.rekam == 50
    audit = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "usage_days", AuditLog.action == "update")
    ).all()
    assert audit, "the replaced counts leave an audit row"
    used = db.session.scalars(
        sa.select(BlankoMovement.quantity).where(BlankoMovement.kind == "pemakaian")
    ).all()
    assert sorted(used) == [6, 20]  # the correction posts only the difference
    rusak = db.session.scalars(
        sa.select(BlankoMovement.quantity).where(BlankoMovement.kind == "rusak")
    ).all()
    assert rusak == [2]
    assert counts()["reports"] == 1 and counts()["usage"] == 1


def test_a_camat_cannot_lower_blanko_used_but_the_dinas_adjusts(users):
    kecamatan(users, stock=50)
    _file(users["camat"], report(blanko_used="20"))
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(users["camat"], report(blanko_used="15"))
    db.session.rollback()
    assert "penyesuaian" in e.value.errors["blanko_used"][0]
    _, written = _file(users["petugas"], report(blanko_used="15"))
    assert written
    adj = db.session.scalars(
        sa.select(BlankoMovement).where(BlankoMovement.kind == "penyesuaian")
    ).one()
    assert adj.quantity == 5


def test_same_key_answers_with_the_stored_report_and_writes_once(users):
    kecamatan(users, stock=50)
    data = report()
    first, written = _file(users["camat"], data, idempotency_key="k-1", request_fingerprint="f")
    before = counts()
    for _ in range(2):
        again, written = _file(users["camat"], data, idempotency_key="k-1", request_fingerprint="f")
        assert not written and again.id == first.id
    assert counts() == before
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(
            users["camat"], data, idempotency_key="k-1", request_fingerprint="other"
        )
    assert "isi berbeda" in e.value.errors["idempotency_key"][0]


def test_an_unchanged_device_writes_no_event_and_another_kecamatan_is_refused(users):
    camera, _ = kecamatan(users, stock=0)
    same = {"asset_id": camera.id, "status": "operasional"}
    _file(users["camat"], report(blanko_used="0", devices=[same]))
    assert counts()["events"] == 0
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(users["camat2"], report(region_code=PUJER, blanko_used="0"))
    assert "cakupan" in e.value.errors["region_code"][0]
    with pytest.raises(Forbidden):
        services.file_daily_report(users["dprd"], report())


def test_a_daily_report_never_disposes_a_device(users):
    camera, _ = kecamatan(users, stock=0)
    gone = {"asset_id": camera.id, "status": "dihapuskan"}
    with pytest.raises(ValidationFailed) as e:
        services.file_daily_report(users["admin"], report(blanko_used="0", devices=[gone]))
    db.session.rollback()
    assert "Penghapusan" in e.value.errors[f"device_{camera.id}_status"][0]
    assert counts()["events"] == 0
