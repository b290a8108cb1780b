"""`/api/v1/tickets` contract: fields, Idempotency-Key, scope, roles, transitions, letters."""

import sqlalchemy as sa

from assets_app.assets.models import StatusEvent
from assets_app.extensions import db
from assets_app.tickets.models import Ticket, TicketEvent
from tests.tickets.helpers import file_ticket, make_asset, walk

BODY = {
    "region_code": "35.11.05",
    "category": "jaringan",
    "urgency": "tinggi",
    "impact": "tinggi",
    "title": "Jaringan ke pusat data putus",
    "description": "Sejak pagi tidak bisa sinkron.",
}


def test_create_and_read_a_ticket(client, users, api_token):
    asset = make_asset("35.11.05")
    resp = client.post(
        "/api/v1/tickets", json={**BODY, "asset_id": asset.id}, headers=api_token(users["camat"])
    )
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    from assets_app.common.timeutil import today_wib

    assert body["number"] == f"TK-{today_wib().year}-00001"
    assert (body["status"], body["priority"], body["asset_id"]) == ("baru", "kritis", asset.id)
    assert isinstance(body["id"], int)
    one = client.get(f"/api/v1/tickets/{body['id']}", headers=api_token(users["petugas"]))
    detail = one.get_json()
    assert detail["events"][0]["to"] == "baru"
    assert detail["sla"]["accept"]["target_seconds"] == 4 * 3600
    assert detail["sla"]["resolve"]["state"] == "berjalan"
    assert detail["correspondence"] == "0 surat keluar, 0 balasan"
    listing = client.get("/api/v1/tickets?region=35.11.05", headers=api_token(users["kadis"]))
    assert listing.headers["X-Total-Count"] == "1"
    assert listing.get_json()[0]["number"] == body["number"]


def test_idempotency_key_returns_the_same_ticket(client, users, api_token):
    headers = {**api_token(users["camat"]), "Idempotency-Key": "7c1e-uji"}
    first = client.post("/api/v1/tickets", json=BODY, headers=headers)
    again = client.post("/api/v1/tickets", json=BODY, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 1
    other = client.post("/api/v1/tickets", json={**BODY, "title": "Lain"}, headers=headers)
    assert other.status_code == 422
    assert "isi berbeda" in other.get_json()["errors"]["idempotency_key"][0]
    fresh = client.post("/api/v1/tickets", json=BODY, headers=api_token(users["camat"]))
    assert fresh.status_code == 201  # without a key, a new ticket
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 2


def test_validation_errors_in_indonesian(client, users, api_token):
    resp = client.post(
        "/api/v1/tickets",
        json={"region_code": "35.11.05", "category": "cuaca", "urgency": "tinggi"},
        headers=api_token(users["camat"]),
    )
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert errors["category"] == [
        "Harus salah satu dari: jaringan, perangkat, listrik, blanko, aplikasi, lainnya."
    ]
    assert errors["impact"] == ["Wajib diisi."]
    assert errors["title"] == ["Wajib diisi."]
    out = client.post(
        "/api/v1/tickets",
        json={**BODY, "region_code": "35.11.06"},
        headers=api_token(users["camat"]),
    )
    assert out.status_code == 422
    assert out.get_json()["errors"]["region_code"] == [
        "Wilayah 35.11.06 di luar cakupan wilayah Anda."
    ]
    empty = client.post(
        "/api/v1/tickets", json={**BODY, "title": "   "}, headers=api_token(users["camat"])
    )
    assert empty.get_json()["errors"] == {"title": ["Wajib diisi."]}


def test_roles_and_scope(client, users, api_token):
    assert (
        client.post("/api/v1/tickets", json=BODY, headers=api_token(users["dprd"])).status_code
        == 403
    )
    t = file_ticket(users["camat"])
    assert (
        client.get(f"/api/v1/tickets/{t.id}", headers=api_token(users["camat2"])).status_code == 404
    )
    assert (
        client.get(
            f"/api/v1/tickets/{t.id}", headers=api_token(users["petugas_serang"])
        ).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/tickets/{t.id}", headers=api_token(users["dprd"])).status_code == 200
    )
    assert client.get("/api/v1/tickets", headers=api_token(users["camat2"])).get_json() == []
    assert client.get(f"/api/v1/tickets/{t.id}").status_code == 401


def test_transitions_per_role(client, users, api_token):
    expected = {"admin": 200, "kadis": 200, "petugas": 200, "camat": 422, "dprd": 403}
    for role, status in expected.items():
        t = file_ticket(users["admin_kab"], title=role)
        resp = client.post(
            f"/api/v1/tickets/{t.id}/transitions",
            json={"to": "diterima", "note": "diterima"},
            headers=api_token(users[role]),
        )
        assert resp.status_code == status, (role, resp.get_json())
        if status == 200:
            assert resp.get_json()["status"] == "diterima"
    t = file_ticket(users["camat"])
    walk(t, users["petugas"], None, "dikerjakan")
    resp = client.post(
        f"/api/v1/tickets/{t.id}/transitions",
        json={
            "to": "menunggu_pihak_ketiga",
            "note": "garansi",
            "responsible_party": "vendor",
            "assignee_id": users["kadis"].id,
        },
        headers=api_token(users["petugas"]),
    )
    body = resp.get_json()
    assert resp.status_code == 200
    assert (body["status"], body["responsible_party"], body["assignee_id"]) == (
        "menunggu_pihak_ketiga",
        "vendor",
        users["kadis"].id,
    )
    bad = client.post(
        f"/api/v1/tickets/{t.id}/transitions",
        json={"to": "ditutup"},
        headers=api_token(users["petugas"]),
    )
    assert bad.status_code == 422
    assert "tidak dapat diubah menjadi Ditutup" in bad.get_json()["errors"]["to"][0]
    unknown = client.post(
        f"/api/v1/tickets/{t.id}/transitions",
        json={"to": "hilang"},
        headers=api_token(users["petugas"]),
    )
    assert unknown.status_code == 422
    other = client.post(
        f"/api/v1/tickets/{t.id}/transitions",
        json={"to": "dikerjakan"},
        headers=api_token(users["petugas_serang"]),
    )
    assert other.status_code == 404


def test_letters_of_a_ticket(client, users, api_token):
    t = file_ticket(users["camat"])
    headers = api_token(users["petugas"])
    out = client.post(
        f"/api/v1/tickets/{t.id}/letters",
        json={"direction": "keluar", "recipient": "Pimpinan PT Sinar Data"},
        headers=headers,
    )
    assert out.status_code == 201, out.get_json()
    letter = out.get_json()
    assert (letter["direction"], letter["status"], letter["number"]) == ("keluar", "draf", None)
    assert "- Kecamatan: Pujer" in letter["body"]  # facts pre-filled when no body is sent
    assert letter["subject_type"] == "ticket" and letter["subject_id"] == t.id
    incoming = client.post(
        f"/api/v1/tickets/{t.id}/letters",
        json={
            "direction": "masuk",
            "recipient": "Kepala Dinas",
            "perihal": "Permohonan perbaikan",
            "body": "Mohon segera.",
            "letter_date": "2026-11-20",
            "number": "045/3/Pjr/2026",
            "sender": "Camat Pujer",
        },
        headers=headers,
    )
    assert incoming.status_code == 201, incoming.get_json()
    assert incoming.get_json()["number"] == "045/3/Pjr/2026"
    missing = client.post(
        f"/api/v1/tickets/{t.id}/letters",
        json={"direction": "masuk", "recipient": "Kepala Dinas", "perihal": "x"},
        headers=headers,
    )
    assert missing.status_code == 422
    assert set(missing.get_json()["errors"]) == {"number", "letter_date"}
    numbered = client.post(
        f"/api/v1/tickets/{t.id}/letters",
        json={"direction": "keluar", "recipient": "X", "number": "1/2/3"},
        headers=headers,
    )
    assert numbered.status_code == 422
    listing = client.get(f"/api/v1/tickets/{t.id}/letters", headers=api_token(users["camat"]))
    assert [x["direction"] for x in listing.get_json()] == ["keluar", "masuk"]
    camat = client.post(
        f"/api/v1/tickets/{t.id}/letters",
        json={"direction": "keluar", "recipient": "X"},
        headers=api_token(users["camat"]),
    )
    assert camat.status_code == 403


def test_openapi_lists_the_ticket_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/transitions",
        "/api/v1/tickets/{ticket_id}/letters",
    ):
        assert path in paths


def test_waiting_transition_without_a_party_is_refused_not_defaulted(client, users, api_token):
    """Issue 12: no default party; the API answers 422 on the field and writes nothing."""
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id)
    walk(t, users["petugas"], None, "dikerjakan")
    count = lambda m: db.session.scalar(sa.select(sa.func.count()).select_from(m))  # noqa: E731
    before = (count(TicketEvent), count(StatusEvent))
    for body in (
        {"to": "menunggu_pihak_ketiga", "note": "garansi"},
        {"to": "menunggu_pihak_ketiga", "note": "garansi", "responsible_party": None},
    ):
        resp = client.post(
            f"/api/v1/tickets/{t.id}/transitions", json=body, headers=api_token(users["petugas"])
        )
        assert resp.status_code == 422, resp.get_json()
        assert "wajib dipilih" in resp.get_json()["errors"]["responsible_party"][0]
    db.session.expire_all()
    ticket = db.session.get(Ticket, t.id)
    assert (ticket.status, ticket.responsible_party) == ("dikerjakan", "disdukcapil")
    assert (count(TicketEvent), count(StatusEvent)) == before
