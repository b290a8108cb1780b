"""API /api/v1/assets, /usage, /coverage: contract, scope, roles, and bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assets_app.assets.models import Asset, StatusEvent, UsageDay
from tests.assets.helpers import asset_data, make_asset


def body(**overrides):
    data = asset_data(**overrides)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def test_create_get_patch_list(db, client, users, api_token):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/assets", json=body(register_no="12"), headers=h)
    assert resp.status_code == 201, resp.json
    created = resp.json
    assert created["id"] and created["register_no"] == "0012" and created["status"] == "operasional"
    assert created["unit_price"] == 14_750_000 and created["acquired_on"] == "2019-08-15"
    got = client.get(f"/api/v1/assets/{created['id']}", headers=h)
    assert got.status_code == 200 and got.json["name"] == created["name"]
    patched = client.patch(
        f"/api/v1/assets/{created['id']}", json={"unit_price": 15_000_000}, headers=h
    )
    assert patched.status_code == 200 and patched.json["unit_price"] == 15_000_000
    assert patched.json["name"] == created["name"]
    make_asset(
        users["petugas"],
        region_code="35.11.06",
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
    )
    listed = client.get("/api/v1/assets?region=35.11.05&per_page=1", headers=h)
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "1"
    cat = client.get("/api/v1/assets?category=cetak_kk&sort=-harga", headers=h)
    assert [a["category"] for a in cat.json] == ["cetak_kk"]
    bad = client.get("/api/v1/assets?category=printer", headers=h)
    assert bad.status_code == 422 and "category" in bad.json["errors"]


def test_scope_and_roles(db, client, users, api_token):
    own = make_asset(region_code="35.11.05")
    other = make_asset(region_code="35.11.06")
    camat = api_token(users["camat"])
    ids = [a["id"] for a in client.get("/api/v1/assets", headers=camat).json]
    assert ids == [own.id]
    assert client.get(f"/api/v1/assets/{other.id}", headers=camat).status_code == 404
    assert client.post("/api/v1/assets", json=body(), headers=camat).status_code == 403
    assert (
        client.patch(f"/api/v1/assets/{own.id}", json={"name": "x"}, headers=camat).status_code
        == 403
    )
    dprd = api_token(users["dprd"])
    assert client.get("/api/v1/assets", headers=dprd).status_code == 200
    for path, payload in (
        ("/api/v1/assets", body()),
        (f"/api/v1/assets/{own.id}/status", {"status": "operasional"}),
        ("/api/v1/usage", {"region_code": "35.11.05", "day": "2026-11-02"}),
        (
            "/api/v1/coverage",
            {"region_code": "35.11.05", "as_of": "2026-06-30", "wajib_ktp": 10, "sudah_rekam": 5},
        ),
    ):
        resp = client.post(path, json=payload, headers=dprd)
        assert resp.status_code == 403, path
        assert "tidak diizinkan" in resp.json["errors"]["_schema"][0]
    serang = api_token(users["petugas_serang"])
    assert client.get(f"/api/v1/assets/{own.id}", headers=serang).status_code == 404
    assert client.get("/api/v1/assets", headers={}).status_code == 401


@pytest.mark.parametrize(
    ("payload", "field", "text"),
    [
        ({"unit_price": "abc"}, "unit_price", "bilangan bulat"),
        ({"unit_price": 1.5}, "unit_price", "bilangan bulat"),
        ({"unit_price": -10}, "unit_price", "tidak boleh negatif"),
        ({"acquired_on": 20190815}, "acquired_on", "Tanggal tidak valid"),
        ({"acquired_on": "15-08-2019x"}, "acquired_on", "Tanggal tidak valid"),
        ({"name": 12345}, "name", "Harus berupa teks"),
        ({"category": ["perekaman"]}, "category", "Harus berupa teks"),
        ({"category": "printer"}, "category", "tidak dikenal"),
        ({"region_code": "36.73.05"}, "region_code", "di luar cakupan"),
        ({"warna": "merah"}, "warna", "Kolom tidak dikenal"),
        ({"name": None}, "name", "Wajib diisi"),
    ],
)
def test_post_asset_bad_types_and_rules_give_indonesian_errors(
    db, client, users, api_token, payload, field, text
):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/assets", json={**body(), **payload}, headers=h)
    assert 400 <= resp.status_code < 500, resp.status_code
    assert any(text in m for m in resp.json["errors"][field]), resp.json
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0


@pytest.mark.parametrize(
    "raw",
    ['{"name": "PC",', "tidak json", "[1, 2, 3]", '"teks saja"', "null", "\xff\xfe"],
)
def test_post_asset_malformed_json_never_500(db, client, users, api_token, raw):
    h = {**api_token(users["petugas"]), "Content-Type": "application/json"}
    resp = client.post("/api/v1/assets", data=raw.encode("latin-1"), headers=h)
    assert 400 <= resp.status_code < 500, (raw, resp.status_code)
    errors = resp.json["errors"]
    text = json.dumps(errors, ensure_ascii=False)
    assert "Invalid" not in text and "Not a valid" not in text
    assert any(
        m in text for m in ("bukan JSON yang valid", "Data masukan tidak valid", "Wajib diisi")
    ), errors


def test_status_api(db, client, users, api_token):
    asset = make_asset(region_code="35.11.05")
    other = make_asset(region_code="35.11.06")
    camat = api_token(users["camat"])
    url = f"/api/v1/assets/{asset.id}/status"
    missing = client.post(url, json={"status": "gangguan"}, headers=camat)
    assert missing.status_code == 422
    assert set(missing.json["errors"]) == {"cause", "responsible_party"}
    ok = client.post(
        url,
        json={
            "status": "gangguan",
            "cause": "jaringan",
            "responsible_party": "diskominfo",
            "started_at": "2026-11-20T08:00:00",
            "note": "VPN putus",
        },
        headers=camat,
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["started_at"] == "2026-11-20T01:00:00+00:00"  # naive = WIB
    db.session.refresh(asset)
    assert asset.status == "gangguan"
    assert (
        client.post(
            f"/api/v1/assets/{other.id}/status", json={"status": "gangguan"}, headers=camat
        ).status_code
        == 404
    )
    dispose = client.post(url, json={"status": "dihapuskan", "note": "x"}, headers=camat)
    assert dispose.status_code == 403
    bad_time = client.post(
        url, json={"status": "operasional", "started_at": "kemarin"}, headers=camat
    )
    assert bad_time.status_code == 422 and "started_at" in bad_time.json["errors"]
    assert (
        db.session.scalar(
            db.select(db.func.count(StatusEvent.id)).where(StatusEvent.asset_id == asset.id)
        )
        == 2
    )


def test_usage_api(db, client, users, api_token):
    camat = api_token(users["camat"])
    payload = {
        "region_code": "35.11.05",
        "day": "2026-11-02",
        "rekam": 40,
        "cetak_ktp": 20,
        "cetak_kk": 10,
        "ditolak": 3,
        "kuota": 60,
    }
    first = client.post("/api/v1/usage", json=payload, headers=camat)
    assert first.status_code == 201 and first.json["id"]
    again = client.post("/api/v1/usage", json={**payload, "rekam": 41}, headers=camat)
    assert again.status_code == 200 and again.json["rekam"] == 41
    assert again.json["id"] == first.json["id"]
    other = client.post("/api/v1/usage", json={**payload, "region_code": "35.11.06"}, headers=camat)
    assert other.status_code == 422 and "di luar cakupan" in other.json["errors"]["region_code"][0]
    wrong = client.post("/api/v1/usage", json={**payload, "rekam": "empat"}, headers=camat)
    assert wrong.status_code == 422 and "bilangan bulat" in wrong.json["errors"]["rekam"][0]
    listed = client.get("/api/v1/usage?from=2026-11-01&to=2026-11-30", headers=camat)
    assert listed.headers["X-Total-Count"] == "1" and listed.json[0]["rekam"] == 41
    assert db.session.scalar(db.select(db.func.count(UsageDay.id))) == 1


def test_coverage_api(db, client, users, api_token):
    h = api_token(users["petugas"])
    for as_of, rekam in (("2026-06-30", 27_000), ("2026-10-31", 28_500)):
        resp = client.post(
            "/api/v1/coverage",
            json={
                "region_code": "35.11.05",
                "as_of": as_of,
                "wajib_ktp": 30_000,
                "sudah_rekam": rekam,
            },
            headers=h,
        )
        assert resp.status_code == 201, resp.json
    latest = client.get("/api/v1/coverage?latest=true", headers=h).json
    assert len(latest) == 1 and latest[0]["sudah_rekam"] == 28_500
    assert latest[0]["belum_rekam"] == 1_500 and latest[0]["coverage_pct"] == pytest.approx(95.0)
    assert len(client.get("/api/v1/coverage", headers=h).json) == 2
    camat = api_token(users["camat"])
    assert client.post("/api/v1/coverage", json={}, headers=camat).status_code == 403


def test_openapi_lists_the_resources(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for p in (
        "/api/v1/assets",
        "/api/v1/assets/{asset_id}",
        "/api/v1/assets/{asset_id}/status",
        "/api/v1/usage",
        "/api/v1/coverage",
    ):
        assert p in paths


def test_row_schemas_dump_what_marshmallow_dumps(db, users):
    """`RowOut` reads model attributes directly: the same JSON as marshmallow's own path,
    for a full row, a row with empty optional fields, a dict, and a field with a default or
    another attribute name."""
    import marshmallow as ma

    from assets_app.api.base import RowOut
    from assets_app.assets.api import AssetOut

    full = make_asset(users["petugas"], bast_no="BAST-7", bast_date=date(2020, 1, 2))
    bare = make_asset(users["petugas"], register_no="0099", serial_number=None, notes=None)
    schema = AssetOut()
    for asset in (full, bare):
        dumped = schema.dump(asset)
        assert dumped == ma.Schema._serialize(schema, asset)
        assert dumped["id"] == asset.id and dumped["acquired_on"] == asset.acquired_on.isoformat()
        assert dumped["status_since"].endswith("+00:00")  # aware, UTC
    assert [d["id"] for d in AssetOut(many=True).dump([full, bare])] == [full.id, bare.id]

    class Shaped(RowOut):
        title = ma.fields.String(attribute="name")
        shown = ma.fields.String(data_key="tampil", attribute="register_no")
        absent = ma.fields.String(dump_default="–")
        upper = ma.fields.Function(lambda obj: obj.name.upper() if hasattr(obj, "name") else "")
        price = ma.fields.Float(attribute="unit_price")  # an int written as a float
        label = ma.fields.Integer(attribute="id", as_string=True)

    shaped = Shaped()
    assert shaped.dump(full) == ma.Schema._serialize(shaped, full)
    assert shaped.dump(full) == {
        "title": full.name, "tampil": full.register_no, "absent": "–", "upper": full.name.upper(),
        "price": float(full.unit_price), "label": str(full.id),
    }  # fmt: skip
    assert type(shaped.dump(full)["price"]) is float
    as_dict = {"name": "Kamera", "register_no": "0001"}
    assert shaped.dump(as_dict) == ma.Schema._serialize(shaped, as_dict)
