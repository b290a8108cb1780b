"""The settings page: add an official, a typing fault kept with its message, the logo upload
checked by content."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.officials.models import Official
from tests.officials.conftest import NIP


@pytest.fixture(autouse=True)
def _no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (30, 60, 110)).save(buf, format="PNG")
    return buf.getvalue()


def test_page_adds_an_official_and_keeps_a_bad_nip(client, login, users):
    login(users["kadis"])
    page = client.get("/admin/pejabat")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Berlaku untuk" in html and "Kabupaten Bondowoso" in html
    assert "Belum ada penanda tangan untuk" in html
    form = {"region": "35.11", "name": "Drs. Bambang", "nip": "197001011990033001",
            "position": "Kepala Dinas", "signs": ["surat", "kib"]}  # fmt: skip
    bad = client.post("/admin/pejabat", data=form)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "jenis kelamin" in html and "197001011990033001" in html
    assert db.session.query(Official).count() == 0
    ok = client.post("/admin/pejabat", data={**form, "nip": NIP})
    assert ok.status_code == 302
    official = db.session.query(Official).one()
    assert official.signs == ["surat", "kib"] and official.region_code == "35.11"
    assert client.get(f"/admin/pejabat/{official.id}").status_code == 200


def test_roles_and_scope_of_the_page(client, login, users):
    for role in ("petugas", "dprd", "camat"):
        login(users[role])
        assert client.get("/admin/pejabat").status_code == 403
    login(users["admin"])
    client.post("/admin/pejabat", data={"region": "35.11", "name": "A", "nip": NIP,
                                         "position": "Kepala Dinas", "signs": ["surat"]})  # fmt: skip
    official = db.session.query(Official).one()
    login(users["petugas_serang"])
    assert client.get(f"/admin/pejabat/{official.id}").status_code in (403, 404)


def test_logo_upload_is_checked_by_content(app, client, login, users):
    login(users["admin"])
    fake = client.post(
        "/admin/pejabat/lambang",
        data={"region": "35.11", "logo": (io.BytesIO(b"GIF89a not a png"), "lambang.png")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "PNG atau SVG" in fake.get_data(as_text=True)
    svg = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>'
    bad = client.post(
        "/admin/pejabat/lambang",
        data={"region": "35.11", "logo": (io.BytesIO(svg), "l.svg")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "DOCTYPE" in bad.get_data(as_text=True)
    assert not letters.get_settings("35.11").logo_path
    ok = client.post(
        "/admin/pejabat/lambang",
        data={"region": "35.11", "logo": (io.BytesIO(_png()), "lambang.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    rel = letters.get_settings("35.11").logo_path
    assert rel.startswith("kop/") and rel.endswith(".png")
    assert letters.logo_file(rel).startswith(app.instance_path)
    too_big = b"\x89PNG\r\n\x1a\n" + b"0" * (600 * 1024)
    big = client.post(
        "/admin/pejabat/lambang",
        data={"region": "35.11", "logo": (io.BytesIO(too_big), "l.png")},
        content_type="multipart/form-data",
    )
    assert big.status_code == 422 and "512 KB" in big.get_data(as_text=True)


def test_draft_letter_page_warns_admins_until_an_official_is_set(client, login, users):
    from assets_app.letters import services as letter_services
    from assets_app.officials import services

    draft = letter_services.compose_letter(
        by=users["petugas"], region_code="35.11", direction="keluar", recipient="Diskominfo",
        perihal="Jaringan", body="Mohon perbaikan.", classification="000.2.2",
    )  # fmt: skip
    db.session.commit()
    login(users["admin"])
    html = client.get(f"/surat/{draft.id}").get_data(as_text=True)
    assert 'data-testid="signer-missing"' in html and "/admin/pejabat?region=35.11" in html
    services.create_official(
        users["admin"], region_code="35.11", name="A", nip=NIP, position="Kepala", signs=["surat"]
    )
    db.session.commit()
    assert 'data-testid="signer-missing"' not in client.get(f"/surat/{draft.id}").get_data(
        as_text=True
    )


def test_svg_logo_is_accepted_and_drawn_in_the_kop(client, login, users):
    from assets_app.letters import pdf as letter_pdf
    from assets_app.letters import services as letter_services
    from reports._kop import logo_flowable

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="48">'
        b'<path d="M20 0 L40 10 L36 40 L20 48 L4 40 L0 10 Z" fill="#1f3b6e"/></svg>'
    )
    login(users["admin"])
    ok = client.post(
        "/admin/pejabat/lambang",
        data={"region": "35.11", "logo": (io.BytesIO(svg), "lambang.svg")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    rel = letters.get_settings("35.11").logo_path
    assert rel.endswith(".svg") and logo_flowable(letters.logo_file(rel), 50) is not None
    draft = letter_services.compose_letter(
        by=users["petugas"], region_code="35.11", direction="keluar", recipient="Diskominfo",
        perihal="Jaringan", body="Mohon perbaikan.", classification="000.2.2",
    )  # fmt: skip
    plain = letter_pdf.render_letter_pdf(draft)
    assert draft.kop["logo"] == rel and len(plain) > 2000
