"""Certificate PDF (read back with pypdf) and the public verification page."""

import io
import re
from datetime import UTC, date, datetime

import time_machine
from pypdf import PdfReader

from assets_app.training.models import Operator
from tests.training.factories import attend, make_operator, make_training


def _certified(db):
    op = make_operator(
        "35.11.05",
        "Siti Nurhaliza",
        nip="198703122010012003",
        phone="081234567890",
        position="Operator Pencetakan",
    )
    training = make_training(
        ("cetak_kk", "cetak_ktp"),
        ends_on=date(2026, 3, 10),
        days=3,
        title="Bimtek Pencetakan KK dan KTP-el",
        trainer="Tim Teknis",
    )
    att = attend(training, op, score=88)
    return op, training, att


def test_certificate_pdf_reads_back(app, client, login, users, db):
    _, _, att = _certified(db)
    login(users["petugas"])
    resp = client.get(f"/pelatihan/sertifikat/{att.id}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert "sertifikat-SERT-2026-000001.pdf" in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    text = " ".join(reader.pages[0].extract_text().split())
    for want in (
        "SERTIFIKAT",
        "Nomor: SERT/2026/000001",
        "Siti Nurhaliza",
        "NIP 198703122010012003",
        "Bimtek Pencetakan KK dan KTP-el",
        "Cetak KTP-el",
        "Cetak KK",
        "9 Maret 2028",
        "8 Maret 2026 s.d. 10 Maret 2026",
        "KABUPATEN BONDOWOSO",
        f"/sertifikat/{att.verify_token}",
    ):
        assert want in text, want
    assert "081234567890" not in text  # the phone never goes on paper
    assert reader.metadata.title == "Sertifikat SERT/2026/000001"


def test_no_certificate_for_someone_who_did_not_pass(app, client, login, users, db):
    op = make_operator("35.11.05")
    att = attend(make_training(("cetak_kk",)), op, passed=False)
    login(users["petugas"])
    assert client.get(f"/pelatihan/sertifikat/{att.id}.pdf").status_code == 404


def test_public_page_works_without_login_and_shows_nothing_private(client, db, regions):
    op, _, att = _certified(db)
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=False):
        resp = client.get(f"/sertifikat/{att.verify_token}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    body = html.split("<main", 1)[1]
    for want in ("Berlaku", "Siti Nurhaliza", "SERT/2026/000001", "Cetak KK", "Cetak KTP-el",
                 "9 Maret 2028", "8 Maret 2026", "10 Maret 2026"):  # fmt: skip
        assert want in body, want
    for private in ("198703122010012003", "081234567890", "Operator Pencetakan", "Pujer",
                    "35.11.05", "88", "Tim Teknis", "Bimtek Pencetakan"):  # fmt: skip
        assert private not in body, private
    assert "Keluar" not in html  # no session, no navigation


def test_public_page_states(client, db, regions):
    _, training, att = _certified(db)
    with time_machine.travel(datetime(2028, 3, 10, 3, 0, tzinfo=UTC), tick=False):
        html = client.get(f"/sertifikat/{att.verify_token}").get_data(as_text=True)
    assert re.search(r'data-testid="certificate-status">\s*Kedaluwarsa', html)
    attend(
        training,
        db.session.get(Operator, att.operator_id),
        passed=False,
    )
    html = client.get(f"/sertifikat/{att.verify_token}").get_data(as_text=True)
    assert "Tidak berlaku (kelulusan dibatalkan)" in html
    resp = client.get("/sertifikat/tidak-ada-token-ini")
    assert resp.status_code == 404 and "Sertifikat tidak ditemukan" in resp.get_data(as_text=True)
