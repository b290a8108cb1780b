"""The inventarisasi pages: the scan page's JSON answers, the camat's view of a kab/kota
session, the asset page, the register filter, the kecamatan panel and the kadis's inbox."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl

from assets_app.extensions import db
from assets_app.inventory import queries, services
from tests.inventory.helpers import assets_two_kecamatan, open_pujer

JSON = {"Accept": "application/json"}


def _waiting(client) -> str:
    html = client.get("/perlu-tindakan").get_data(as_text=True)
    found = re.search(r"Inventarisasi menunggu konfirmasi.*?inbox-count\">(\d+)<", html, re.S)
    assert found, "inbox line missing"
    return found.group(1)


def test_scan_page_json_answers_and_second_scan_changes_nothing(app, client, login, users):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        a, *_ = assets_two_kecamatan()
        session = open_pujer(users["petugas"])
        login(users["camat"])
        page = client.get(f"/inventarisasi/{session.id}/pindai")
        assert page.status_code == 200 and b"jsQR.js" in page.data
        url = f"/inventarisasi/{session.id}/pindai"
        form = {"scan-code": f"http://localhost/l/{a.label_token}", "scan-condition": "RB"}
        first = client.post(url, data=form, headers={**JSON, "Idempotency-Key": "w1"})
        assert first.status_code == 200 and first.json["created"] is True
        assert "dicatat ditemukan" in first.json["message"]
        again = client.post(url, data={**form, "scan-condition": "B"}, headers=JSON)
        assert again.json["created"] is False and "tidak ada yang berubah" in again.json["message"]
        bad = client.post(url, data={"scan-code": "9999", "scan-condition": "B"}, headers=JSON)
        assert bad.status_code == 422 and "tidak dikenal" in bad.json["errors"]["asset"][0]
        db.session.expire_all()
        scans = queries.scans_of(session)
        assert [(s.asset_id, s.condition) for s in scans] == [(a.id, "RB")]
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_camat_sees_kab_session_with_own_assets_only(client, login, users):
    a, b, c, other = assets_two_kecamatan()
    session = services.open_session(users["petugas"], regions=["35.11"])
    db.session.commit()
    login(users["camat"])
    html = client.get(f"/inventarisasi/{session.id}").get_data(as_text=True)
    assert "PC perekaman Pujer" in html and "PC kecamatan lain" not in html
    login(users["kadis"])
    html = client.get(f"/inventarisasi/{session.id}").get_data(as_text=True)
    assert "PC kecamatan lain" in html
    services.confirm_session(users["kadis"], session)
    db.session.commit()
    login(users["camat"])
    html = client.get(f"/inventarisasi/{session.id}").get_data(as_text=True)
    assert "PC perekaman Pujer" in html and "PC kecamatan lain" not in html
    xlsx = client.get(f"/inventarisasi/{session.id}/hasil.xlsx")
    assert xlsx.status_code == 200
    names = {
        row[3]
        for row in openpyxl.load_workbook(BytesIO(xlsx.data)).active.iter_rows(
            min_row=5, values_only=True
        )
    }
    assert "PC perekaman Pujer" in names and "PC kecamatan lain" not in names


def test_asset_page_register_filter_panel_and_inbox(client, login, users):
    a, b, c, other = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    services.record_scan(users["petugas"], session, asset_id=a.id, condition="B")
    services.submit_session(users["petugas"], session)
    db.session.commit()
    login(users["kadis"])
    assert _waiting(client) == "1"
    panel = client.get("/wilayah/35.11.05").get_data(as_text=True)
    assert session.title in panel and "Menunggu konfirmasi" in panel
    services.confirm_session(users["kadis"], session)
    db.session.commit()
    assert _waiting(client) == "0"
    page = client.get(f"/aset/{c.id}").get_data(as_text=True)
    assert "Inventarisasi terakhir" in page and "Tidak ditemukan" in page
    listed = client.get("/aset/?not_inventoried_since=2000-01-01&status=").get_data(as_text=True)
    assert "PC kecamatan lain" in listed and "Kamera Pujer" not in listed


def test_kadis_who_opened_cannot_confirm_and_relocation_refusal_is_explained(
    app, client, login, users
):
    a, b, c, other = assets_two_kecamatan()
    own = services.open_session(users["kadis"], regions=["35.11.06"])
    db.session.commit()
    login(users["kadis"])
    html = client.get(f"/inventarisasi/{own.id}").get_data(as_text=True)
    assert "dikonfirmasi oleh Kepala Dinas lain" in html and "Konfirmasi hasil" not in html
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post(f"/inventarisasi/{own.id}/konfirmasi").status_code == 403
        # A relocation the register refuses (the NUP is taken there) leaves everything as it was.
        from tests.assets.helpers import make_asset

        make_asset(region_code="35.11.06", register_no=a.register_no, name="Sudah ada di sana")
        session = open_pujer(users["petugas"])
        services.record_scan(
            users["petugas"], session, asset_id=a.id, condition="RB", found_in_region="35.11.06"
        )
        db.session.commit()
        resp = client.post(f"/inventarisasi/{session.id}/konfirmasi")
        assert resp.status_code == 422
        assert "tidak dapat diperbarui" in resp.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    db.session.expire_all()
    assert queries.get_session_or_404(users["kadis"], session.id).status == "berjalan"
    from assets_app.assets import queries as asset_queries

    assert asset_queries.get_asset(a.id).condition == "B"


def test_without_script_a_refused_scan_keeps_what_was_typed(app, client, login, users):
    assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    login(users["petugas"])
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        resp = client.post(
            f"/inventarisasi/{session.id}/pindai",
            data={"scan-code": "9999", "scan-condition": "KB", "scan-note": "di lemari"},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "tidak dikenal di register aset" in html
    assert 'value="9999"' in html and "di lemari" in html
    assert queries.scans_of(session) == []
