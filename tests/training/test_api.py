"""API contract: /api/v1/operators, /trainings (+ /{id}/attendance), /training-gaps."""

from datetime import date

from tests.training.factories import make_asset, make_operator, make_training


def test_operators_create_list_and_scope(client, users, api_token, db):
    petugas = api_token(users["petugas"])
    resp = client.post(
        "/api/v1/operators",
        json={"name": "Rina Kusuma", "region_code": "35.11.05", "position": "Operator",
              "nip": "198703122010012003", "phone": "0812345678"},
        headers=petugas,
    )  # fmt: skip
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["id"] and body["nip"] == "198703122010012003" and body["active"] is True
    make_operator("36.73.05", "Orang Serang")
    resp = client.get("/api/v1/operators", headers=petugas)
    assert resp.headers["X-Total-Count"] == "1"
    assert [o["name"] for o in resp.get_json()] == ["Rina Kusuma"]
    # DPRD reads names, not NIP or phone; camat of another kecamatan sees nothing.
    dprd = client.get("/api/v1/operators", headers=api_token(users["dprd"])).get_json()
    assert dprd[0]["name"] == "Rina Kusuma" and dprd[0]["nip"] is None and dprd[0]["phone"] is None
    other = client.get("/api/v1/operators", headers=api_token(users["camat2"]))
    assert other.get_json() == [] and other.headers["X-Total-Count"] == "0"
    assert (
        client.get(
            f"/api/v1/operators/{body['id']}", headers=api_token(users["camat2"])
        ).status_code
        == 404
    )


def test_operator_errors_and_roles(client, users, api_token):
    petugas = api_token(users["petugas"])
    resp = client.post("/api/v1/operators", json={"name": ""}, headers=petugas)
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert errors["region_code"] == ["Wajib diisi."] and errors["position"] == ["Wajib diisi."]
    resp = client.post(
        "/api/v1/operators",
        json={"name": "X", "region_code": "36.73.05", "position": "Operator", "nip": "12"},
        headers=petugas,
    )
    errors = resp.get_json()["errors"]
    assert resp.status_code == 422
    assert errors["region_code"] == ["Wilayah 36.73.05 di luar cakupan wilayah Anda."]
    assert errors["nip"][0].startswith("NIP harus 18 angka")
    for role in ("camat", "dprd"):
        resp = client.post(
            "/api/v1/operators",
            json={"name": "X", "region_code": "35.11.05", "position": "Operator"},
            headers=api_token(users[role]),
        )
        assert resp.status_code == 403
    assert client.get("/api/v1/operators").status_code == 401


def test_training_attendance_and_gaps_via_api(client, users, api_token, db):
    make_asset("35.11.05", "cetak_kk")
    make_asset("35.11.05", "perekaman", status="dihapuskan")
    op = make_operator("35.11.05", "Rina")
    h = api_token(users["petugas"])
    gaps = client.get("/api/v1/training-gaps?region=35.11.05", headers=h)
    assert gaps.headers["X-Total-Count"] == "1"
    assert gaps.get_json() == [
        {"region_code": "35.11.05", "region_name": "Kec. Pujer", "region_level": "kecamatan",
         "category": "cetak_kk", "assets_count": 1, "valid_operators": 0,
         "latest_valid_until": None, "status": "red"}
    ]  # fmt: skip
    resp = client.post(
        "/api/v1/trainings",
        json={"title": "Bimtek KK", "topics": ["cetak_kk"], "starts_on": "2026-01-14",
              "ends_on": "2026-01-15", "place": "Aula", "organiser": "ditjen_dukcapil"},
        headers=h,
    )  # fmt: skip
    assert resp.status_code == 201, resp.get_json()
    training = resp.get_json()
    assert training["region_code"] == "35.11" and training["topics"] == ["cetak_kk"]
    resp = client.post(
        f"/api/v1/trainings/{training['id']}/attendance",
        json={"operator_id": op.id, "present": True, "passed": True, "score": 90},
        headers=h,
    )
    assert resp.status_code == 201, resp.get_json()
    att = resp.get_json()
    assert att["certificate_no"] == "SERT/2026/000001"
    assert att["valid_until"] == "2028-01-14"
    assert att["topics"] == [{"topic": "cetak_kk", "valid_until": "2028-01-14"}]
    assert "/sertifikat/" in att["verify_url"]
    # Posting again updates the same attendance (no second certificate).
    again = client.post(
        f"/api/v1/trainings/{training['id']}/attendance",
        json={"operator_id": op.id, "present": True, "passed": True, "score": 95},
        headers=h,
    ).get_json()
    assert again["id"] == att["id"] and again["certificate_no"] == att["certificate_no"]
    gaps = client.get("/api/v1/training-gaps?region=35.11.05", headers=h).get_json()
    assert gaps[0]["status"] == "ok" and gaps[0]["valid_operators"] == 1
    red = client.get("/api/v1/training-gaps?status=red", headers=h)
    assert red.get_json() == [] and red.headers["X-Total-Count"] == "0"
    detail = client.get(f"/api/v1/trainings/{training['id']}", headers=h).get_json()
    assert [a["operator_name"] for a in detail["attendance"]] == ["Rina"]
    listed = client.get("/api/v1/trainings?topic=cetak_kk&year=2026", headers=h)
    assert listed.headers["X-Total-Count"] == "1"


def test_training_and_attendance_errors(client, users, api_token, db):
    h = api_token(users["petugas"])
    resp = client.post("/api/v1/trainings", json={"title": "X"}, headers=h)
    assert resp.status_code == 422
    assert set(resp.get_json()["errors"]) >= {"topics", "starts_on", "place", "organiser"}
    resp = client.post(
        "/api/v1/trainings",
        json={"title": "X", "topics": ["kopi"], "starts_on": "2026-13-01", "place": "A",
              "organiser": "dinas"},
        headers=h,
    )  # fmt: skip
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["starts_on"] == ["Tanggal tidak valid (format YYYY-MM-DD)."]
    resp = client.post(
        "/api/v1/trainings",
        json={"title": "X", "topics": ["kopi"], "starts_on": "2026-01-01", "place": "A",
              "organiser": "dinas"},
        headers=h,
    )  # fmt: skip
    assert resp.get_json()["errors"]["topics"][0].startswith("Materi 'kopi' tidak dikenal")
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    serang = make_training(("cetak_kk",), ends_on=date(2026, 1, 15), region_code="36.73")
    op = make_operator("35.11.05")
    url = f"/api/v1/trainings/{training.id}/attendance"
    resp = client.post(
        url, json={"operator_id": op.id, "present": False, "passed": True}, headers=h
    )
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["passed"] == ["Peserta yang tidak hadir tidak dapat lulus."]
    resp = client.post(url, json={"operator_id": "x", "present": True}, headers=h)
    assert resp.status_code == 422 and "passed" in resp.get_json()["errors"]
    resp = client.post(
        f"/api/v1/trainings/{serang.id}/attendance",
        json={"operator_id": op.id, "present": True, "passed": False},
        headers=h,
    )
    assert resp.status_code == 404
    assert client.get(f"/api/v1/trainings/{serang.id}", headers=h).status_code == 404
    resp = client.post(
        url,
        json={"operator_id": op.id, "present": True, "passed": False},
        headers=api_token(users["dprd"]),
    )
    assert resp.status_code == 403
    assert client.get("/api/v1/training-gaps?status=ungu", headers=h).status_code == 422


def test_openapi_lists_the_training_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for p in ("/api/v1/operators", "/api/v1/trainings", "/api/v1/trainings/{training_id}/attendance",
              "/api/v1/training-gaps"):  # fmt: skip
        assert p in paths, p


def test_attendance_of_someone_not_passing_via_api_gives_no_certificate(client, users, api_token):
    make_asset("35.11.05", "cetak_kk")
    op = make_operator("35.11.05")
    training = make_training(("cetak_kk",), ends_on=date(2026, 1, 15))
    h = api_token(users["kadis"])
    att = client.post(
        f"/api/v1/trainings/{training.id}/attendance",
        json={"operator_id": op.id, "present": True, "passed": False, "score": 40},
        headers=h,
    ).get_json()
    assert att["certificate_no"] is None and att["topics"] == [] and att["verify_url"] is None
    gaps = client.get("/api/v1/training-gaps?region=35.11.05", headers=h).get_json()
    assert gaps[0]["status"] == "red"
