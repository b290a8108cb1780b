"""`/api/v1/letters` end to end (issue 13): a ticket's drafts written through the API are
signed by the kadis (consecutive unique numbers, stored PDF with SHA-256), recorded sent
(counted in `letters_sent` of the summary) and answered (the reply removes the letter from
`letters_unanswered`); petugas and DPRD tokens may not sign; bad input writes nothing."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.common.formatting import WIB
from assets_app.extensions import db
from assets_app.letters.models import Letter
from tests.factories import make_user

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
TICKET = {
    "region_code": "35.11.05",
    "category": "jaringan",
    "urgency": "tinggi",
    "impact": "tinggi",
    "title": "Jaringan ke pusat data putus",
    "description": "Sejak pagi tidak bisa sinkron.",
}
SUMMARY = "/api/v1/reports/summary?region=35.11&from=2026-11-01&to=2026-11-23"
PDF_SCAN = b"%PDF-1.4\n% balasan Ditjen\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _drafts(client, headers, n: int) -> list[int]:
    ticket = client.post("/api/v1/tickets", json=TICKET, headers=headers).get_json()
    ids = []
    for i in range(n):
        resp = client.post(
            f"/api/v1/tickets/{ticket['id']}/letters",
            json={"direction": "keluar", "recipient": f"Pimpinan PT Penyedia {i}"},
            headers=headers,
        )
        assert resp.status_code == 201, resp.get_json()
        assert resp.get_json()["status"] == "draf" and resp.get_json()["number"] is None
        ids.append(resp.get_json()["id"])
    return ids


def _figures(client, headers) -> dict:
    resp = client.get(SUMMARY, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["total"]


def test_three_drafts_signed_by_the_kadis_get_consecutive_unique_numbers(client, users, api_token):
    ids = _drafts(client, api_token(users["petugas"]), 3)
    kadis = api_token(users["kadis"])
    signed = []
    for letter_id in ids:
        resp = client.post(f"/api/v1/letters/{letter_id}/sign", headers=kadis)
        assert resp.status_code == 200, resp.get_json()
        signed.append(resp.get_json())
    assert [s["status"] for s in signed] == ["ditandatangani"] * 3
    numbers = [s["number"] for s in signed]
    assert numbers == [f"000.2.2/{n:04d}/Disdukcapil/2026" for n in (1, 2, 3)]
    rows = db.session.scalars(sa.select(Letter).where(Letter.id.in_(ids))).all()
    assert sorted(r.seq_no for r in rows) == [1, 2, 3]
    assert all(r.signed_by_id == users["kadis"].id for r in rows)
    # the stored PDF is served, byte for byte the one whose SHA-256 was recorded at signing
    for s in signed:
        pdf = client.get(f"/api/v1/letters/{s['id']}/pdf", headers=kadis)
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(b"%PDF-")
        assert hashlib.sha256(pdf.data).hexdigest() == s["pdf_sha256"]
    again = client.post(f"/api/v1/letters/{ids[0]}/sign", headers=kadis)
    assert again.status_code == 422 and "hanya draf" in str(again.get_json()["errors"])
    assert db.session.get(Letter, ids[0]).number == numbers[0]


@pytest.mark.parametrize("role", ["petugas", "dprd", "camat"])
def test_only_a_kadis_may_sign(client, users, api_token, role):
    (letter_id,) = _drafts(client, api_token(users["petugas"]), 1)
    resp = client.post(f"/api/v1/letters/{letter_id}/sign", headers=api_token(users[role]))
    assert resp.status_code == 403
    assert "errors" in resp.get_json()
    letter = db.session.get(Letter, letter_id)
    assert (letter.status, letter.number, letter.pdf_sha256) == ("draf", None, None)


def test_a_kadis_of_another_kabupaten_gets_404(client, users, api_token):
    (letter_id,) = _drafts(client, api_token(users["petugas"]), 1)
    serang = make_user("kadis", "36.73", username="kadis.serang")
    resp = client.post(f"/api/v1/letters/{letter_id}/sign", headers=api_token(serang))
    assert resp.status_code == 404
    assert client.get(f"/api/v1/letters/{letter_id}", headers=api_token(serang)).status_code == 404
    listing = client.get("/api/v1/letters", headers=api_token(serang))
    assert listing.get_json() == [] and listing.headers["X-Total-Count"] == "0"
    assert db.session.get(Letter, letter_id).status == "draf"


def test_sent_counts_in_letters_sent_and_a_reply_removes_it_from_unanswered(
    client, users, api_token
):
    petugas, kadis = api_token(users["petugas"]), api_token(users["kadis"])
    (letter_id,) = _drafts(client, petugas, 1)
    before = _figures(client, petugas)
    assert (before["letters_sent"], before["letters_unanswered"]) == (0, 0)
    client.post(f"/api/v1/letters/{letter_id}/sign", headers=kadis)
    sent = client.post(
        f"/api/v1/letters/{letter_id}/send",
        json={"sent_on": "2026-11-23", "via": "srikandi"},
        headers=petugas,
    )
    assert sent.status_code == 200, sent.get_json()
    assert (sent.get_json()["status"], sent.get_json()["channel"]) == ("terkirim", "srikandi")
    after_send = _figures(client, petugas)
    assert (after_send["letters_sent"], after_send["letters_unanswered"]) == (1, 1)

    reply = client.post(
        f"/api/v1/letters/{letter_id}/reply",
        json={
            "number": "B-77/PT/XI/2026",
            "letter_date": "2026-11-23",
            "perihal": "Jawaban: teknisi dijadwalkan 25 November",
            "file": base64.b64encode(PDF_SCAN).decode(),
            "file_name": "balasan.pdf",
        },
        headers=petugas,
    )
    assert reply.status_code == 201, reply.get_json()
    answer = reply.get_json()
    assert (answer["direction"], answer["in_reply_to_id"]) == ("masuk", letter_id)
    assert answer["number"] == "B-77/PT/XI/2026" and answer["subject_type"] == "ticket"
    assert answer["pdf_sha256"] == hashlib.sha256(PDF_SCAN).hexdigest()
    after_reply = _figures(client, petugas)
    assert (after_reply["letters_sent"], after_reply["letters_unanswered"]) == (1, 0)
    assert after_reply["letters_received"] == 0  # a reply is not a new incoming letter

    detail = client.get(f"/api/v1/letters/{letter_id}", headers=petugas).get_json()
    assert detail["status"] == "dibalas" and detail["replied_on"] == "2026-11-23"
    assert [r["id"] for r in detail["replies"]] == [answer["id"]]
    scan = client.get(f"/api/v1/letters/{answer['id']}/pdf", headers=petugas)
    assert scan.status_code == 200 and scan.data == PDF_SCAN


def test_list_filters_by_direction_and_status(client, users, api_token):
    petugas, kadis = api_token(users["petugas"]), api_token(users["kadis"])
    ids = _drafts(client, petugas, 2)
    client.post(f"/api/v1/letters/{ids[0]}/sign", headers=kadis)
    drafts = client.get("/api/v1/letters?direction=keluar&status=draf", headers=kadis)
    assert [lt["id"] for lt in drafts.get_json()] == [ids[1]]
    assert drafts.headers["X-Total-Count"] == "1"
    signed = client.get("/api/v1/letters?region=35.11.05&status=ditandatangani", headers=kadis)
    assert [lt["id"] for lt in signed.get_json()] == [ids[0]]
    assert client.get("/api/v1/letters?region=36.73", headers=kadis).status_code == 404
    bad = client.get("/api/v1/letters?status=hilang", headers=kadis)
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Letter))


def test_bad_input_names_the_field_and_writes_nothing(client, users, api_token):
    petugas, kadis = api_token(users["petugas"]), api_token(users["kadis"])
    (letter_id,) = _drafts(client, petugas, 1)
    draft_send = client.post(
        f"/api/v1/letters/{letter_id}/send",
        json={"sent_on": "2026-11-23", "via": "srikandi"},
        headers=petugas,
    )
    assert draft_send.status_code == 422  # a draft is not sent before it is signed
    client.post(f"/api/v1/letters/{letter_id}/sign", headers=kadis)
    bad_via = client.post(
        f"/api/v1/letters/{letter_id}/send",
        json={"sent_on": "2026-11-23", "via": "merpati"},
        headers=petugas,
    )
    assert bad_via.status_code == 422 and "via" in bad_via.get_json()["errors"]
    future = client.post(
        f"/api/v1/letters/{letter_id}/send",
        json={"sent_on": "2026-12-10", "via": "pos"},
        headers=petugas,
    )
    assert future.status_code == 422 and "sent_on" in future.get_json()["errors"]
    assert db.session.get(Letter, letter_id).status == "ditandatangani"
    early = client.post(
        f"/api/v1/letters/{letter_id}/reply",
        json={"number": "X/1", "letter_date": "2026-11-23", "perihal": "Jawaban"},
        headers=petugas,
    )
    assert early.status_code == 422  # no reply to a letter that was never sent
    client.post(
        f"/api/v1/letters/{letter_id}/send",
        json={"sent_on": "2026-11-23", "via": "pos"},
        headers=petugas,
    )
    written = _count()
    for body, field in (
        ({"file": base64.b64encode(b"MZ\x90\x00 not a scan").decode()}, "file"),
        ({"file": "%%% bukan base64 %%%"}, "file"),
        ({"letter_date": "2026-11-01"}, "letter_date"),  # before the letter was sent
        ({"number": ""}, "number"),
    ):
        resp = client.post(
            f"/api/v1/letters/{letter_id}/reply",
            json={"number": "X/1", "letter_date": "2026-11-23", "perihal": "Jawaban", **body},
            headers=petugas,
        )
        assert resp.status_code == 422, (body, resp.get_json())
        assert field in resp.get_json()["errors"], (field, resp.get_json())
    assert _count() == written
    assert db.session.get(Letter, letter_id).status == "terkirim"
    dprd = client.post(
        f"/api/v1/letters/{letter_id}/reply",
        json={"number": "X/1", "letter_date": "2026-11-23", "perihal": "Jawaban"},
        headers=api_token(users["dprd"]),
    )
    assert dprd.status_code == 403


def test_the_blanko_request_to_ditjen_is_a_letter_end_to_end(client, users, api_token, login):
    from assets_app.blanko import ditjen
    from assets_app.blanko.models import BlankoRequest

    petugas, kadis = api_token(users["petugas"]), api_token(users["kadis"])
    req = ditjen.create_request(users["petugas"], region_code="35.11", quantity=500)
    db.session.commit()
    assert req.letter_no is None
    [draft] = client.get("/api/v1/letters?subject_type=blanko_request", headers=petugas).get_json()
    assert (draft["subject_id"], draft["status"], draft["region_code"]) == (req.id, "draf", "35.11")
    assert draft["classification"] == "400.12.2.1"
    assert "500 (lima ratus) keping" in draft["body"]
    assert "Direktur Jenderal Kependudukan" in draft["recipient"]

    signed = client.post(f"/api/v1/letters/{draft['id']}/sign", headers=kadis).get_json()
    assert signed["number"] == "400.12.2.1/0001/Disdukcapil/2026"
    assert db.session.get(BlankoRequest, req.id).letter_no == signed["number"]
    login(users["petugas"])
    pdf = client.get(f"/blanko/permintaan/{req.id}/surat.pdf")
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.data).hexdigest() == signed["pdf_sha256"]  # the stored letter

    client.post(
        f"/api/v1/letters/{draft['id']}/send",
        json={"sent_on": "2026-11-23", "via": "srikandi"},
        headers=petugas,
    )
    figures = _figures(client, petugas)
    assert (figures["letters_sent"], figures["letters_unanswered"]) == (1, 1)
    page = client.get(f"/blanko/permintaan/{req.id}").get_data(as_text=True)
    assert signed["number"] in page and "Terkirim" in page
    log = client.get("/surat/?direction=keluar").get_data(as_text=True)
    assert f"Permintaan blanko #{req.id}" in log and signed["number"] in log

    client.post(
        f"/api/v1/letters/{draft['id']}/reply",
        json={"number": "B-1/DUK/2026", "letter_date": "2026-11-23", "perihal": "Alokasi 300"},
        headers=petugas,
    )
    assert _figures(client, petugas)["letters_unanswered"] == 0
    page = client.get(f"/blanko/permintaan/{req.id}").get_data(as_text=True)
    assert "B-1/DUK/2026" in page and "Dibalas" in page
