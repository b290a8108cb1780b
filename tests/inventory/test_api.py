"""API /api/v1/inventories: open, scan (Idempotency-Key), close by the kadis, read groups."""

from __future__ import annotations

from tests.inventory.helpers import assets_two_kecamatan


def _open(client, h, regions=("35.11.05",)):
    return client.post("/api/v1/inventories", json={"regions": list(regions)}, headers=h)


def test_open_scan_close_and_groups(db, client, users, api_token):
    a, b, c, other = assets_two_kecamatan()
    petugas = api_token(users["petugas"])
    opened = _open(client, petugas)
    assert opened.status_code == 201, opened.json
    sid = opened.json["id"]
    assert opened.json["regions"] == ["35.11.05"] and opened.json["expected"] == 3
    url = f"/api/v1/inventories/{sid}/scans"
    first = client.post(
        url,
        json={"label_token": a.label_token, "condition": "KB", "note": "Layar retak"},
        headers={**petugas, "Idempotency-Key": "scan-1"},
    )
    assert first.status_code == 201, first.json
    assert first.json["asset_id"] == a.id and first.json["condition"] == "KB"
    replay = client.post(
        url, json={"label_token": a.label_token, "condition": "B"},
        headers={**petugas, "Idempotency-Key": "scan-1"},
    )  # fmt: skip
    assert replay.status_code == 200 and replay.json["id"] == first.json["id"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    twice = client.post(url, json={"asset_id": a.id, "condition": "RB"}, headers=petugas)
    assert twice.status_code == 200 and twice.json["condition"] == "KB"
    moved = client.post(
        url,
        json={"register_no": b.register_no, "condition": "B", "found_in_region": "35.11.06"},
        headers=petugas,
    )
    assert moved.status_code == 201, moved.json
    unreg = client.post(
        url, json={"unregistered": True, "description": "UPS tanpa label"}, headers=petugas
    )
    assert unreg.status_code == 201 and unreg.json["asset_id"] is None

    # Only the Kepala Dinas closes.
    assert client.post(f"/api/v1/inventories/{sid}/close", headers=petugas).status_code == 403
    kadis = api_token(users["kadis"])
    closed = client.post(
        f"/api/v1/inventories/{sid}/close", json={"note": "Kamera ditelusuri"}, headers=kadis
    )
    assert closed.status_code == 200, closed.json
    assert closed.json["confirm_note"] == "Kamera ditelusuri"
    got = client.get(f"/api/v1/inventories/{sid}", headers=kadis).json
    assert got["status"] == "selesai"
    ids = {k: [ln["asset_id"] for ln in v] for k, v in got["groups"].items()}
    assert sorted(ids["found"]) == sorted([a.id, b.id])
    assert ids["not_found"] == [c.id]
    assert ids["condition_changed"] == [a.id]
    assert ids["moved"] == [b.id]
    assert ids["unregistered"] == [None]
    assert got["values"] == {
        "found": 14_000_000,
        "not_found": 1_500_000,
        "condition_changed": 10_000_000,
        "moved": 4_000_000,
        "unregistered": 0,
    }
    asset = client.get(f"/api/v1/assets/{b.id}", headers=kadis).json
    assert asset["region_code"] == "35.11.06" and asset["label_token"] == b.label_token
    assert asset["last_inventory_result"] == "ditemukan"
    gone = client.get(f"/api/v1/assets/{c.id}", headers=kadis).json
    assert gone["last_inventory_result"] == "tidak_ditemukan" and gone["status"] == "operasional"
    late = client.post(url, json={"asset_id": c.id, "condition": "B"}, headers=petugas)
    assert late.status_code == 409


def test_scope_roles_and_indonesian_errors(db, client, users, api_token):
    a, b, c, other = assets_two_kecamatan()
    camat = api_token(users["camat"])
    refused = _open(client, camat, ("35.11.06",))
    assert refused.status_code == 422
    assert "di luar cakupan wilayah Anda" in refused.json["errors"]["regions"][0]
    sid = _open(client, camat).json["id"]
    url = f"/api/v1/inventories/{sid}/scans"
    out = client.post(url, json={"asset_id": other.id, "condition": "B"}, headers=camat)
    assert out.status_code == 422 and "di luar cakupan" in out.json["errors"]["asset"][0]
    bad = client.post(url, json={"asset_id": a.id, "condition": "X"}, headers=camat)
    assert bad.status_code == 422 and "condition" in bad.json["errors"]
    none = client.post(url, json={"condition": "B"}, headers=camat)
    assert none.status_code == 422 and "asset" in none.json["errors"]
    wrong_type = client.post(url, json={"asset_id": "satu", "condition": "B"}, headers=camat)
    assert wrong_type.status_code == 422
    # Another camat and another kab/kota do not see the session.
    assert (
        client.get(f"/api/v1/inventories/{sid}", headers=api_token(users["camat2"])).status_code
        == 404
    )
    serang = api_token(users["petugas_serang"])
    assert (
        client.post(url, json={"asset_id": a.id, "condition": "B"}, headers=serang).status_code
        == 404
    )
    dprd = api_token(users["dprd"])
    assert client.get(f"/api/v1/inventories/{sid}", headers=dprd).status_code == 200
    assert _open(client, dprd).status_code == 403
    # The camat sees the kab/kota-wide session of the Dinas, with only their assets.
    kab = _open(client, api_token(users["kadis"]), ("35.11",))
    assert kab.status_code == 409  # the camat's session over Pujer still runs
