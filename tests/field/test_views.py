"""`/lapor-harian`: the page pre-fills from the current status and the day's report; the
fetch (JSON) answer names the field and keeps nothing half-written; the form post without
JavaScript keeps what was typed; the service worker is served from the root."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assets_app.assets import services as asset_services
from assets_app.assets.models import StatusEvent
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from tests.blanko.conftest import PUJER
from tests.field.helpers import counts, kecamatan
from tests.tickets.helpers import make_asset

JSON = {"Accept": "application/json"}


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _form(camera_id, **kw):
    data = {
        "rekam": "40", "cetak_ktp": "20", "cetak_kk": "5", "ditolak": "2", "suket": "1",
        "kuota": "60", "blanko_used": "5", "blanko_damaged": "0", "note": "",
        f"device_{camera_id}_status": "operasional",
    }  # fmt: skip
    data.update(kw)
    return data


def test_page_prefills_the_current_status_and_party_only_for_a_down_device(client, login, users):
    camera, printer = kecamatan(users, stock=0)
    asset_services.set_status(users["petugas"], printer, status="gangguan", cause="listrik",
                              responsible_party="pln", now=utcnow())  # fmt: skip
    db.session.commit()
    login(users["camat"])
    html = client.get("/lapor-harian").get_data(as_text=True)
    assert f'name="device_{camera.id}_responsible_party"' in html
    printer_block = html[html.index(f'data-testid="device-{printer.id}"') :]
    printer_block = printer_block[: printer_block.index("</fieldset>")]
    assert '<option value="pln" selected>' in printer_block
    camera_block = html[html.index(f'data-testid="device-{camera.id}"') :]
    camera_block = camera_block[: camera_block.index("</fieldset>")]
    assert " selected>" not in camera_block.split("data-party")[1].split("</select>")[0]
    assert 'data-offline-queue="laporan-harian"' in html


def test_json_answer_names_the_field_then_writes_once_per_key(client, login, users, no_csrf):
    camera, _ = kecamatan(users, stock=10)
    login(users["camat"])
    before = counts()
    bad = client.post(
        "/lapor-harian",
        data=_form(camera.id, blanko_used="11", **{f"device_{camera.id}_status": "gangguan"}),
        headers={**JSON, "Idempotency-Key": "web-1"},
    )
    assert bad.status_code == 422
    errors = bad.get_json()["errors"]
    assert "tidak cukup" in errors["blanko_used"][0]
    assert errors[f"device_{camera.id}_cause"] and errors[f"device_{camera.id}_responsible_party"]
    assert counts() == before
    for status in (201, 200, 200):
        ok = client.post("/lapor-harian", data=_form(camera.id),
                         headers={**JSON, "Idempotency-Key": "web-2"})  # fmt: skip
        assert ok.status_code == status
    assert counts()["reports"] == 1 and counts()["pemakaian"] == 1


def test_form_post_without_javascript_keeps_what_was_typed(client, login, users, no_csrf):
    camera, _ = kecamatan(users, stock=5)
    login(users["camat"])
    r = client.post("/lapor-harian", data=_form(camera.id, rekam="abc", blanko_used="3"))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'value="abc"' in html and counts()["reports"] == 0
    ok = client.post("/lapor-harian", data=_form(camera.id, blanko_used="3"))
    assert ok.status_code == 302 and counts()["reports"] == 1


def test_service_worker_is_served_from_the_root_with_local_workbox(client):
    r = client.get("/sw.js")
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert r.headers["Service-Worker-Allowed"] == "/"
    body = r.get_data(as_text=True)
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in body
    assert "googleapis" not in body
    for name in ("workbox-sw.js", "workbox-core.prod.js", "workbox-routing.prod.js",
                 "workbox-strategies.prod.js"):  # fmt: skip
        assert client.get(f"/static/vendor/workbox/{name}").status_code == 200


@pytest.mark.parametrize("asset_id", [10, 10754])
def test_devices_with_multi_digit_ids_are_read_from_their_field_names(
    client, login, users, no_csrf, asset_id
):
    """`device_<id>_cause` names device <id>, not <id> minus its last digit (PostgreSQL's
    sequences reach such ids within a test session; a live register has them anyway)."""
    camera = make_asset(PUJER, name="Kamera Perekaman", category="perekaman", id=asset_id)
    login(users["camat"])
    fields = {f"device_{camera.id}_status": "gangguan", f"device_{camera.id}_cause": "jaringan",
              f"device_{camera.id}_responsible_party": "diskominfo"}  # fmt: skip
    r = client.post("/lapor-harian", data=_form(camera.id, blanko_used="0", **fields),
                    headers={**JSON, "Idempotency-Key": f"ids-{asset_id}"})  # fmt: skip
    assert r.status_code == 201, r.get_json()
    event = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == camera.id))
    assert [(e.status, e.cause, e.responsible_party) for e in event] == [
        ("gangguan", "jaringan", "diskominfo")
    ]
