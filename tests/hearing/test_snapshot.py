"""The whole installation's stored summary (hearing.snapshot, job `ringkasan_instalasi`): the
pages and the API of a whole-installation user read exactly what the live summary gives at
the snapshot's moment, and only while it answers their request (scope, default period, at
most 15 minutes old); a smaller installation stores none."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import current_app

from assets_app.extensions import db
from assets_app.hearing import snapshot
from assets_app.hearing.models import SummarySnapshot
from assets_app.hearing.period import default_period
from assets_app.hearing.summary import build_summary
from assets_app.regions.models import Region
from tests.hearing import fixture
from tests.hearing.fixture import NOW, TODAY
from tests.notify.helpers import jobs_run


@pytest.fixture
def stored(app, users):
    """The fixture's data, with the threshold at 0 so that the test installation stores."""
    fixture.build(users)
    app.config["SUMMARY_SNAPSHOT_MIN_KECAMATAN"] = 0
    yield users
    app.config["SUMMARY_SNAPSHOT_MIN_KECAMATAN"] = snapshot.DEFAULT_MIN_KECAMATAN


def _refresh(at=NOW):
    with time_machine.travel(at, tick=False):
        message = snapshot.refresh()
        db.session.commit()
    return message


def test_the_stored_summary_is_the_live_one_at_its_moment(stored, client, api_token):
    assert "kecamatan" in _refresh()
    admin = stored["admin"]
    start, end = default_period(TODAY)
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        read = snapshot.stored_summary(admin, None, start, end, "kabkota")
    with time_machine.travel(NOW, tick=False):
        live = build_summary(admin, None, start, end, TODAY, by="kabkota")
    assert read is not None and read.from_snapshot
    assert read.as_of == live.as_of and read.total == live.total
    assert read.kabkota == live.kabkota and read.available == live.available
    assert read.kecamatan_count == live.kecamatan_count > 0
    assert read.total.assets_count == fixture.EXPECTED["assets_count"]
    # the API answers the very JSON of the live summary at that moment, for both groupings
    headers = api_token(admin)
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        by_kec = client.get("/api/v1/reports/summary", headers=headers)
        by_kab = client.get("/api/v1/reports/summary?by=kabkota", headers=headers)
    with time_machine.travel(NOW, tick=False):
        live_kec = build_summary(admin, None, start, end, TODAY).as_api()
    assert by_kec.status_code == 200 and by_kec.mimetype == "application/json"
    assert by_kec.get_data() == current_app.json.response(live_kec).get_data()  # byte for byte
    assert len(by_kec.get_json()["kecamatan"]) == len(live.rows)
    db.session.execute(sa.delete(SummarySnapshot))
    with time_machine.travel(NOW, tick=False):
        computed = client.get("/api/v1/reports/summary", headers=headers)
    assert computed.get_data() == by_kec.get_data()  # the live API's very bytes
    assert by_kab.get_json() == json.loads(json.dumps(live.as_api()))


def test_pages_say_they_read_the_stored_summary(stored, client, login):
    _refresh()
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        login(stored["admin"])
        pages = [client.get(p) for p in ("/beranda", "/laporan/ringkasan", "/laporan/kabkota")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "(dihitung tiap 5 menit)" in html
        assert "keadaan per 30 Juni 2026 15.00 WIB" in html


def test_it_is_not_read_for_another_scope_period_or_when_stale(stored, client, login):
    _refresh()
    admin, petugas = stored["admin"], stored["petugas"]
    start, end = default_period(TODAY)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert snapshot.stored_summary(petugas, None, start, end, "kabkota") is None  # kab scope
        assert snapshot.stored_summary(admin, None, start, end - timedelta(1), "kabkota") is None
        assert snapshot.stored_summary(admin, None, start, end, "kecamatan") is None  # no rows
        bondowoso = db.session.get(Region, "35.11")
        assert snapshot.stored_summary(admin, bondowoso, start, end, "kabkota") is None
        login(admin)
        chosen = client.get(f"/laporan/ringkasan?dari={start}&sampai={end - timedelta(1)}")
        assert "(dihitung tiap 5 menit)" not in chosen.get_data(as_text=True)
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert snapshot.stored_summary(admin, None, start, end, "kabkota") is None  # too old
        login(admin)
        home = client.get("/beranda").get_data(as_text=True)
        assert "(dihitung tiap 5 menit)" not in home
        assert "keadaan per 30 Juni 2026 15.16 WIB" in home  # computed live
    with time_machine.travel(NOW + timedelta(hours=9), tick=False):  # 1 July: a new period
        assert snapshot.stored_summary(admin, None, *default_period(), "kabkota") is None


def test_a_refresh_replaces_the_stored_summary(stored):
    _refresh()
    _refresh(NOW + timedelta(minutes=5))
    rows = db.session.scalars(db.select(SummarySnapshot)).all()
    assert len(rows) == 1 and rows[0].as_of == NOW + timedelta(minutes=5)
    assert rows[0].took_ms >= 0 and rows[0].kecamatan_count > 0


def test_the_job_stores_it_and_a_small_installation_stores_none(app, users, runner):
    fixture.build(users)
    app.config["SUMMARY_SNAPSHOT_MIN_KECAMATAN"] = 0
    try:
        result = jobs_run(runner, NOW, "--only", "ringkasan_instalasi", "--force")
    finally:
        app.config["SUMMARY_SNAPSHOT_MIN_KECAMATAN"] = snapshot.DEFAULT_MIN_KECAMATAN
    assert "ringkasan_instalasi: berhasil" in result.output, result.output
    assert db.session.scalars(sa.select(SummarySnapshot)).first() is not None
    # the default threshold (1,000 kecamatan): the test installation computes live
    skipped = jobs_run(runner, NOW + timedelta(minutes=5), "--only", "ringkasan_instalasi")
    assert "dilewati" in skipped.output, skipped.output
    assert db.session.scalars(sa.select(SummarySnapshot)).first() is None
