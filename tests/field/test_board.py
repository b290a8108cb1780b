"""The public service board: no login, since-when and the public cause after a device goes
down, no personal data in the HTML or the JSON, within its byte budget; on/off and notice."""

from __future__ import annotations

import re
from datetime import timedelta

from assets_app.assets import services as asset_services
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.field import services
from assets_app.field.vocab import BOARD_BYTE_BUDGET
from tests.blanko.conftest import PUJER
from tests.field.helpers import kecamatan
from tests.tickets.helpers import file_ticket

PERSONAL = ("Camat", "NIP", "08", "Server tidak menyala", "Kamera mati total")


def _down(users, asset, cause="jaringan", days=3):
    asset_services.set_status(
        users["petugas"], asset, status="gangguan", cause=cause,
        responsible_party="diskominfo", started_at=utcnow() - timedelta(days=days),
    )  # fmt: skip
    db.session.commit()


def test_board_needs_no_login_and_shows_since_when_and_the_public_cause(client, users):
    camera, _ = kecamatan(users, stock=20)
    up = client.get("/status/35.11.json").get_json()
    pujer = next(k for k in up["kecamatan"] if k["region_code"] == PUJER)
    assert pujer["can_record"] is True and pujer["cause"] is None
    _down(users, camera, days=3)
    r = client.get("/status/35.11")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Sebab: jaringan terputus, sejak" in html
    assert '<meta http-equiv="refresh"' in html
    data = client.get("/status/35.11.json").get_json()
    pujer = next(k for k in data["kecamatan"] if k["region_code"] == PUJER)
    assert pujer["can_record"] is False
    assert pujer["cause"] == "jaringan terputus"
    assert pujer["since"].startswith((utcnow() - timedelta(days=3)).date().isoformat()[:7])
    assert pujer["blanko_available"] == 20
    assert set(data) == {"region_code", "name", "as_of", "notice", "kecamatan"}
    # every kecamatan without a working recording device: the banner
    assert 'data-testid="board-banner"' in html


def test_no_personal_data_and_the_byte_budget(client, users):
    camera, _ = kecamatan(users, stock=0)
    users["camat"].name = "Camat Budi Santoso"
    db.session.commit()
    file_ticket(users["camat"], PUJER, asset_id=camera.id, mark_asset_down=True,
                description="Kamera mati total sejak pagi, hubungi 081234567890.")  # fmt: skip
    html = client.get("/status/35.11").get_data(as_text=True)
    body = client.get("/status/35.11.json").get_data(as_text=True)
    for text in (html, body):
        assert "Budi Santoso" not in text
        assert "081234567890" not in text
        assert "Kamera mati total" not in text
        assert "Server perekaman mati" not in text  # the ticket's title
        assert not re.search(r"\b\d{18}\b", text)  # no NIP
    assert "perangkat rusak" in html  # ticket category perangkat → cause perangkat_keras
    assert "blanko habis" in html  # printer works but no cards
    css = client.get("/static/css/board.css").get_data()
    assert len(html.encode()) + len(css) <= BOARD_BYTE_BUDGET
    assert "http://" not in html.replace('href="/status', "") and "https://" not in html, (
        "no external requests"
    )


def test_board_switched_off_is_404_and_the_notice_shows(client, users, login):
    kecamatan(users, stock=0)
    services.set_board(users["kadis"], "35.11", enabled=True,
                       notice="Layanan perekaman dialihkan ke kantor Dinas.")  # fmt: skip
    db.session.commit()
    assert "dialihkan ke kantor Dinas" in client.get("/status/35.11").get_data(as_text=True)
    assert client.get("/status/35.11.json").get_json()["notice"].startswith("Layanan")
    services.set_board(users["kadis"], "35.11", enabled=False, notice=None)
    db.session.commit()
    assert client.get("/status/35.11").status_code == 404
    assert client.get("/status/35.11.json").status_code == 404
    assert client.get("/status/35.11.05").status_code == 404  # a kecamatan has no board
    assert client.get("/status/99.99").status_code == 404


def test_board_settings_form_is_scoped(client, users, login, app):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        login(users["kadis"])
        r = client.post("/status/35.11/pengaturan", data={"enabled": "y", "notice": "Libur."})
        assert r.status_code == 302
        assert "Libur." in client.get("/status/35.11").get_data(as_text=True)
        assert client.post("/status/36.73/pengaturan", data={"enabled": "y"}).status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
