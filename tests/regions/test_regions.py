import sqlalchemy as sa

from assets_app.regions.models import Region


def _count(db, parent, level="kecamatan"):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Region)
        .where(Region.parent_code == parent, Region.level == level)
    )


def test_regions_load_demo_kabkota_with_real_codes(runner, app, db):
    result = runner.invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert _count(db, "36.73") == 6
    assert db.session.get(Region, "36.73.05").name == "Cipocok Jaya"
    assert _count(db, "35.11") == 23
    assert _count(db, "32.16") == 23
    assert _count(db, "32.76") == 11
    assert db.session.get(Region, "32.76.02.1007").name == "Harjamukti"
    assert db.session.get(Region, "32.76").kind == "kota"
    again = runner.invoke(args=["regions", "load"])
    assert "baru 0" in again.output


def test_regions_load_unknown_code_fails_with_message(runner, app, db):
    result = runner.invoke(args=["regions", "load", "36.73", "99.99"])
    assert result.exit_code == 1
    assert "Kode wilayah 99.99 tidak dikenal" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Region)) == 0


def test_codes_stay_text(runner, app, db):
    runner.invoke(args=["regions", "load", "32.10"])
    assert db.session.get(Region, "32.10") is not None
    assert db.session.get(Region, "32.1") is None


def test_camat_sees_only_own_kecamatan(client, login, users):
    login(users["camat"])
    index = client.get("/wilayah/").get_data(as_text=True)
    assert "Pujer" in index and "Bondowoso" not in index
    assert client.get("/wilayah/35.11.05").status_code == 200
    assert client.get("/wilayah/35.11.06").status_code == 404
    assert client.get("/wilayah/36.73.05").status_code == 404


def test_kabupaten_page_lists_kecamatan(client, login, users):
    login(users["petugas"])
    html = client.get("/wilayah/35.11").get_data(as_text=True)
    assert "Wilayah bawahan (23)" in html
    assert "Pujer" in html


def test_api_regions_scoped_and_paginated(client, users, api_token):
    camat = api_token(users["camat"])
    resp = client.get("/api/v1/regions?parent=35.11", headers=camat)
    assert resp.status_code == 404
    assert "errors" in resp.get_json()
    own = client.get("/api/v1/regions?parent=35.11.05", headers=camat)
    assert own.status_code == 200
    assert all(r["code"].startswith("35.11.05.") for r in own.get_json())
    admin = api_token(users["admin"])
    page = client.get("/api/v1/regions?level=kecamatan&per_page=10&page=2", headers=admin)
    assert page.headers["X-Total-Count"] == "29"
    assert len(page.get_json()) == 10
    too_many = client.get("/api/v1/regions?per_page=501", headers=admin)
    assert too_many.status_code == 422
    assert "per_page" in too_many.get_json()["errors"]
    assert client.get("/api/v1/regions/36.73.05", headers=camat).status_code == 404


def test_api_requires_token(client, users, login):
    assert client.get("/api/v1/regions").status_code == 401
    login(users["admin"])  # a browser session is not an API credential
    resp = client.get("/api/v1/regions")
    assert resp.status_code == 401
    assert resp.get_json() == {
        "errors": {"_schema": ["Token API tidak ada, salah, atau sudah dicabut."]}
    }


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/regions" in doc["paths"]


def test_api_unknown_route_is_json_404(client, users, api_token):
    resp = client.get("/api/v1/tidak-ada", headers=api_token(users["admin"]))
    assert resp.status_code == 404
    assert "errors" in resp.get_json()


def test_malformed_json_is_an_indonesian_400_on_every_api(client, users, api_token):
    headers = {**api_token(users["petugas"]), "Content-Type": "application/json"}
    for path in (
        "/api/v1/tickets",
        "/api/v1/operators",
        "/api/v1/blanko/movements",
        "/api/v1/assets",
    ):
        resp = client.post(path, data="{bukan json", headers=headers)
        assert resp.status_code == 400, path
        assert resp.get_json() == {
            "errors": {"_schema": ["Badan permintaan bukan JSON yang valid."]}
        }
