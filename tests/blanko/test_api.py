"""/api/v1/blanko: the exact contract of DESIGN.md."""

from __future__ import annotations

from tests.blanko.conftest import DINAS, KEC2, PUJER, ago


def post(client, headers, path, body):
    return client.post(f"/api/v1/blanko{path}", json=body, headers=headers)


def test_full_path_through_the_api(client, users, api_token):
    petugas, camat, kadis = (api_token(users[r]) for r in ("petugas", "camat", "kadis"))
    r = post(
        client,
        petugas,
        "/movements",
        {
            "kind": "penerimaan",
            "to_region": DINAS,
            "quantity": 1000,
            "occurred_at": ago(1).isoformat(),
            "reference": "BAST/DITJEN/2026/17",
            "bast_date": ago(1).date().isoformat(),
            "serial_ranges": [[5000001, 5001000]],
            "note": "Diambil di Pasar Minggu",
        },
    )
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["id"] and body["status"] == "posted"
    assert body["serial_ranges"] == [[5000001, 5001000]]
    assert body["to_region"] == DINAS and body["from_region"] is None
    r = post(
        client,
        petugas,
        "/movements",
        {
            "kind": "distribusi",
            "from_region": DINAS,
            "to_region": PUJER,
            "quantity": 200,
            "reference": "SJ/1",
            "serial_ranges": [["5000001", "5000200"]],
        },
    )
    assert r.status_code == 201, r.get_json()
    dist = r.get_json()
    assert dist["status"] == "in_transit" and dist["receipt"] is None
    r = post(
        client, camat, f"/movements/{dist['id']}/receive", {"quantity_received": 200, "note": ""}
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["status"] == "received"
    assert r.get_json()["receipt"]["quantity_received"] == 200
    r = post(
        client,
        camat,
        "/movements",
        {"kind": "rusak", "from_region": PUJER, "quantity": 5, "note": "Gagal cetak"},
    )
    assert r.status_code == 201
    rusak = r.get_json()
    assert rusak["status"] == "pending_approval"
    r = post(
        client,
        kadis,
        f"/movements/{rusak['id']}/approve",
        {"approved": True, "berita_acara_no": "BA/2026/3", "note": "dimusnahkan"},
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["approval"]["berita_acara_no"] == "BA/2026/3"
    r = client.get("/api/v1/blanko/balances?region=35.11", headers=petugas)
    assert r.status_code == 200
    rows = {row["region_code"]: row for row in r.get_json()}
    assert rows[DINAS]["on_hand"] == 800 and rows[PUJER]["on_hand"] == 195
    assert rows[PUJER]["in_transit"] == 0 and rows[PUJER]["days_of_cover"] is None
    assert int(r.headers["X-Total-Count"]) == len(
        [c for c in rows if c == DINAS or c.startswith(DINAS + ".")]
    )


def test_balances_filter_and_scope(client, users, api_token, ledger):
    ledger.stock(PUJER, 40)
    camat = api_token(users["camat"])
    r = client.get("/api/v1/blanko/balances", headers=camat)
    assert [row["region_code"] for row in r.get_json()] == [PUJER]
    assert r.get_json()[0]["on_hand"] == 40
    r = client.get("/api/v1/blanko/balances?region=35.11.06", headers=camat)
    assert r.status_code == 404 and "region" in r.get_json()["errors"]  # out of scope
    r = client.get("/api/v1/blanko/balances?per_page=1000", headers=camat)
    assert r.status_code == 422 and "per_page" in r.get_json()["errors"]


def test_movement_list_filters_and_pagination(client, users, api_token, ledger):
    ledger.stock(PUJER, 40)
    for _ in range(3):
        ledger.use(1)
    petugas = api_token(users["petugas"])
    r = client.get("/api/v1/blanko/movements?kind=pemakaian&per_page=2", headers=petugas)
    assert r.status_code == 200
    assert r.headers["X-Total-Count"] == "3" and len(r.get_json()) == 2
    r = client.get("/api/v1/blanko/movements?status=received", headers=petugas)
    assert [m["kind"] for m in r.get_json()] == ["distribusi"]
    r = client.get("/api/v1/blanko/movements?region=36.73", headers=petugas)
    assert r.status_code == 404 and "region" in r.get_json()["errors"]  # out of scope
    r = client.get("/api/v1/blanko/movements?kind=hilang", headers=petugas)
    assert r.status_code == 422 and "kind" in r.get_json()["errors"]


def test_refused_movement_is_a_422_with_the_clear_message(client, users, api_token, ledger):
    ledger.stock(PUJER, 3)
    r = post(
        client,
        api_token(users["camat"]),
        "/movements",
        {"kind": "pemakaian", "from_region": PUJER, "quantity": 5},
    )
    assert r.status_code == 422
    assert r.get_json() == {
        "errors": {"quantity": ["Stok di Kec. Pujer tidak cukup: tersedia 3, diminta 5."]}
    }


def test_bad_input_names_the_field_never_500(client, users, api_token):
    h = api_token(users["petugas"])
    cases = [
        ({}, "kind"),
        ({"kind": "penerimaan", "to_region": DINAS, "quantity": "banyak"}, "quantity"),
        (
            {"kind": "penerimaan", "to_region": DINAS, "quantity": 5, "occurred_at": "kemarin"},
            "occurred_at",
        ),
        (
            {
                "kind": "penerimaan",
                "to_region": DINAS,
                "quantity": 5,
                "reference": "B",
                "bast_date": "2026-02-31",
            },
            "bast_date",
        ),
        (
            {
                "kind": "penerimaan",
                "to_region": DINAS,
                "quantity": 5,
                "reference": "B",
                "bast_date": "2026-01-02",
                "serial_ranges": [[1, 2, 3]],
            },
            "serial_ranges",
        ),
        (
            {
                "kind": "penerimaan",
                "to_region": DINAS,
                "quantity": 5,
                "reference": "B",
                "bast_date": "2026-01-02",
                "serial_ranges": "1-5",
            },
            "serial_ranges",
        ),
        (
            {"kind": "distribusi", "from_region": DINAS, "to_region": "99.99", "quantity": 5},
            "to_region",
        ),
        ({"kind": "pemakaian", "quantity": 5, "warna": "merah"}, "warna"),
    ]
    for body, field in cases:
        r = post(client, h, "/movements", body)
        assert r.status_code == 422, (body, r.get_json())
        assert field in r.get_json()["errors"], (body, r.get_json())
    r = client.post(
        "/api/v1/blanko/movements", data="bukan json", headers=h, content_type="application/json"
    )
    assert 400 <= r.status_code < 500


def test_receive_and_approve_errors(client, users, api_token, ledger):
    ledger.receive(100)
    m = ledger.distribute(50, PUJER)
    camat2 = api_token(users["camat2"])
    r = post(client, camat2, f"/movements/{m.id}/receive", {"quantity_received": 50})
    assert r.status_code == 404
    camat = api_token(users["camat"])
    r = post(client, camat, f"/movements/{m.id}/receive", {"quantity_received": 48})
    assert r.status_code == 422 and "note" in r.get_json()["errors"]
    r = post(
        client, camat, f"/movements/{m.id}/receive", {"quantity_received": 48, "note": "2 basah"}
    )
    assert r.status_code == 201 and r.get_json()["receipt"]["difference"] == 2
    r = post(client, camat, f"/movements/{m.id}/receive", {"quantity_received": 48, "note": "lagi"})
    assert r.status_code == 409
    rusak = ledger.damage(2)
    r = post(
        client, camat, f"/movements/{rusak.id}/approve", {"approved": True, "berita_acara_no": "X"}
    )
    assert r.status_code == 403
    kadis = api_token(users["kadis"])
    r = post(client, kadis, f"/movements/{rusak.id}/approve", {"approved": True})
    assert r.status_code == 422 and "berita_acara_no" in r.get_json()["errors"]
    r = post(client, kadis, f"/movements/{rusak.id}/approve", {"approved": "mungkin"})
    assert r.status_code == 422 and "approved" in r.get_json()["errors"]
    r = post(client, kadis, f"/movements/{rusak.id}/approve", {"approved": False, "note": "utuh"})
    assert r.status_code == 201 and r.get_json()["status"] == "rejected"
    r = post(client, kadis, "/movements/999999/approve", {"approved": False})
    assert r.status_code == 404
    r = client.get("/api/v1/blanko/movements/999999", headers=kadis)
    assert r.status_code == 404


def test_penyesuaian_from_a_count_through_the_api(client, users, api_token, ledger):
    ledger.stock(KEC2, 100)
    h = api_token(users["petugas"])
    r = post(
        client,
        h,
        "/movements",
        {"kind": "penyesuaian", "region_code": KEC2, "counted_quantity": 96, "note": "4 hilang"},
    )
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["kind"] == "penyesuaian" and body["quantity"] == 4 and body["from_region"] == KEC2
    r = post(client, h, "/movements", {"kind": "penyesuaian", "to_region": KEC2, "quantity": 1})
    assert r.status_code == 422 and "note" in r.get_json()["errors"]


def test_dprd_reads_but_cannot_write(client, users, api_token, ledger):
    ledger.stock(PUJER, 10)
    h = api_token(users["dprd"])
    assert client.get("/api/v1/blanko/balances", headers=h).status_code == 200
    assert client.get("/api/v1/blanko/movements", headers=h).status_code == 200
    r = post(client, h, "/movements", {"kind": "pemakaian", "from_region": PUJER, "quantity": 1})
    assert r.status_code == 403


def test_no_token_is_401(client):
    assert client.get("/api/v1/blanko/balances").status_code == 401


def test_openapi_lists_the_blanko_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for p in (
        "/api/v1/blanko/balances",
        "/api/v1/blanko/movements",
        "/api/v1/blanko/movements/{movement_id}/receive",
        "/api/v1/blanko/movements/{movement_id}/approve",
    ):
        assert p in paths
