"""/api/v1/officials: add, list, change; scope (404 outside it) and roles (403)."""

from assets_app.audit.models import AuditLog
from assets_app.extensions import db
from assets_app.officials.models import Official
from tests.officials.conftest import NIP, POSITION

BODY = {
    "region_code": "35.11",
    "name": "Drs. Bambang Sutrisno, M.Si.",
    "nip": NIP,
    "rank": "Pembina Tingkat I (IV/b)",
    "position": POSITION,
    "signs": ["surat", "berita_acara"],
}


def test_create_list_patch(client, users, api_token):
    h = api_token(users["admin"])
    r = client.post("/api/v1/officials", json=BODY, headers=h)
    assert r.status_code == 201, r.get_json()
    made = r.get_json()
    assert made["nip"] == NIP and made["signs"] == ["surat", "berita_acara"]
    listed = client.get("/api/v1/officials?region=35.11", headers=api_token(users["kadis"]))
    assert [o["id"] for o in listed.get_json()] == [made["id"]]
    r = client.patch(
        f"/api/v1/officials/{made['id']}",
        json={"signs": ["surat", "rdp", "kib"], "sign_line": "Plt."},
        headers=h,
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["signs"] == ["surat", "rdp", "kib"]
    assert r.get_json()["name"] == BODY["name"]  # untouched fields stay
    audit = db.session.query(AuditLog).filter_by(entity="officials").count()
    assert audit >= 2  # insert and update, through the audit listener


def test_bad_nip_and_rank_are_422_naming_the_field_and_write_nothing(client, users, api_token):
    body = {**BODY, "nip": "197013011990031001", "rank": "Jenderal"}
    r = client.post("/api/v1/officials", json=body, headers=api_token(users["admin"]))
    assert r.status_code == 422
    errors = r.get_json()["errors"]
    assert "tanggal lahir" in errors["nip"][0]
    assert "Pangkat/golongan tidak dikenal" in errors["rank"][0]
    assert db.session.query(Official).count() == 0
    r = client.post(
        "/api/v1/officials", json={**BODY, "signs": ["surat", "memo"]},
        headers=api_token(users["admin"]),
    )  # fmt: skip
    assert r.status_code == 422 and "signs" in str(r.get_json()["errors"])


def test_second_signer_of_the_same_kind_is_refused(client, users, api_token):
    h = api_token(users["admin"])
    assert client.post("/api/v1/officials", json=BODY, headers=h).status_code == 201
    other = {**BODY, "name": "Rina Kartika", "nip": "197805122003122002", "signs": ["surat"]}
    r = client.post("/api/v1/officials", json=other, headers=h)
    assert r.status_code == 422
    assert "sudah ditandatangani oleh Drs. Bambang" in r.get_json()["errors"]["signs"][0]


def test_scope_and_roles(client, users, api_token):
    r = client.post("/api/v1/officials", json=BODY, headers=api_token(users["admin"]))
    oid = r.get_json()["id"]
    serang = api_token(users["petugas_serang"])
    assert client.get(f"/api/v1/officials/{oid}", headers=serang).status_code == 404
    assert client.get("/api/v1/officials?region=35.11", headers=serang).status_code == 404
    kadis = api_token(users["kadis"])
    r = client.post("/api/v1/officials", json={**BODY, "region_code": "36.73"}, headers=kadis)
    assert r.status_code in (403, 404, 422) and db.session.query(Official).count() == 1
    for role in ("dprd", "camat"):
        h = api_token(users[role])
        assert client.get("/api/v1/officials", headers=h).status_code == 403
        assert client.post("/api/v1/officials", json=BODY, headers=h).status_code == 403
        r = client.patch(f"/api/v1/officials/{oid}", json={"name": "X"}, headers=h)
        assert r.status_code == 403
    petugas = api_token(users["petugas"])
    assert client.get("/api/v1/officials", headers=petugas).status_code == 200
    assert client.post("/api/v1/officials", json=BODY, headers=petugas).status_code == 403
