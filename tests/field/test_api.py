"""`/api/v1/daily-reports` honours Idempotency-Key; `/api/v1/reports/compliance`."""

from __future__ import annotations

from datetime import timedelta

from assets_app.common.timeutil import today_wib
from tests.blanko.conftest import PUJER
from tests.field.helpers import counts, kecamatan


def _body(**kw):
    body = {
        "region_code": PUJER, "rekam": 40, "cetak_ktp": 25, "cetak_kk": 10, "ditolak": 7,
        "suket": 2, "kuota": 60, "blanko_used": 25, "blanko_damaged": 1, "devices": [],
        "note": "Jaringan sempat putus siang.",
    }  # fmt: skip
    body.update(kw)
    return body


def test_post_with_a_key_writes_once_and_replays_the_stored_result(client, users, api_token):
    camera, _ = kecamatan(users, stock=50)
    headers = {**api_token(users["camat"]), "Idempotency-Key": "api-key-1"}
    body = _body(devices=[{"asset_id": camera.id, "status": "gangguan", "cause": "listrik",
                           "responsible_party": "pln"}])  # fmt: skip
    first = client.post("/api/v1/daily-reports", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    data = first.get_json()
    assert (data["ditolak"], data["suket"], data["blanko_used"]) == (7, 2, 25)
    assert data["devices_changed"] == 1
    before = counts()
    assert before == {"reports": 1, "usage": 1, "events": 1, "pemakaian": 1, "rusak": 1}
    for _ in range(2):
        again = client.post("/api/v1/daily-reports", json=body, headers=headers)
        assert again.status_code == 200
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.get_json()["id"] == data["id"]
    assert counts() == before
    other = client.post("/api/v1/daily-reports", json=_body(rekam=1), headers=headers)
    assert other.status_code == 422
    assert "isi berbeda" in other.get_json()["errors"]["idempotency_key"][0]


def test_refusal_names_the_field_and_writes_nothing(client, users, api_token):
    kecamatan(users, stock=5)
    before = counts()
    r = client.post(
        "/api/v1/daily-reports", json=_body(blanko_used=9, blanko_damaged=0),
        headers={**api_token(users["camat"]), "Idempotency-Key": "k-short"},
    )  # fmt: skip
    assert r.status_code == 422
    assert "tidak cukup" in r.get_json()["errors"]["blanko_used"][0]
    assert counts() == before
    # the key was not spent by the refused request
    ok = client.post(
        "/api/v1/daily-reports", json=_body(blanko_used=5, blanko_damaged=0),
        headers={**api_token(users["camat"]), "Idempotency-Key": "k-short"},
    )  # fmt: skip
    assert ok.status_code == 201, ok.get_json()


def test_list_and_compliance(client, users, api_token):
    kecamatan(users, stock=50)
    camat = api_token(users["camat"])
    assert client.post("/api/v1/daily-reports", json=_body(), headers=camat).status_code == 201
    kadis = api_token(users["kadis"])
    listed = client.get("/api/v1/daily-reports?region=35.11", headers=kadis)
    assert listed.status_code == 200
    assert [r["region_code"] for r in listed.get_json()] == [PUJER]
    assert client.get("/api/v1/daily-reports?region=36.73", headers=kadis).status_code == 404
    today = today_wib()
    q = f"region=35.11&from={today.isoformat()}&to={today.isoformat()}"
    rows = {r["region_code"]: r for r in client.get(f"/api/v1/reports/compliance?{q}",
                                                    headers=kadis).get_json()}  # fmt: skip
    pujer = rows[PUJER]
    if today.weekday() < 5:
        assert (pujer["days_reported"], pujer["days_expected"]) == (1, 1)
        assert pujer["reporting_pct"] == 100.0
    assert pujer["last_report_at"] is not None
    other = rows["35.11.06"]
    assert other["days_reported"] == 0 and other["last_report_at"] is None
    back = (today - timedelta(days=3)).isoformat()
    bad = client.get(f"/api/v1/reports/compliance?from={today}&to={back}", headers=kadis)
    assert bad.status_code == 422
