"""Issue 14, defect 6: numbers in messages in Indonesian format ("tersedia 1.300, diminta
5.000"), and integer inputs that take "1.000" as well as "1000"."""

from __future__ import annotations

import pytest

from assets_app.blanko import services
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, PUJER, ago


@pytest.fixture
def web(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def test_insufficient_stock_message_uses_thousand_separators(ledger, users):
    ledger.receive(1300)
    with pytest.raises(ValidationFailed) as exc:
        services.record_movement(
            users["petugas"], kind="distribusi", from_region=DINAS, to_region=PUJER,
            quantity=5000, occurred_at=ago(0, 1),
        )  # fmt: skip
    db.session.rollback()
    (message,) = exc.value.errors["quantity"]
    assert "tersedia 1.300, diminta 5.000." in message
    assert "1300" not in message and "5000" not in message


def test_form_accepts_1_000_and_1000_and_messages_show_1_000(web, login, users, ledger):
    ledger.receive(1300)
    login(users["petugas"])
    base = {"from_region": DINAS, "to_region": PUJER, "occurred_at": "", "serial_ranges": ""}
    r = web.post("/blanko/mutasi/baru/distribusi", data={**base, "quantity": "5.000"})
    html = r.get_data(as_text=True)
    assert "tersedia 1.300, diminta 5.000." in html  # "5.000" parsed as five thousand
    r = web.post("/blanko/mutasi/baru/distribusi", data={**base, "quantity": "1.000"})
    assert r.status_code == 302, r.get_data(as_text=True)
    page = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "1.000 keping tercatat; menunggu konfirmasi penerimaan." in page
    assert ledger.bal(DINAS) == (300, 0, 0)
    r = web.post("/blanko/mutasi/baru/distribusi", data={**base, "quantity": "300"})
    assert r.status_code == 302
    assert ledger.bal(DINAS) == (0, 0, 0)


def test_receipt_difference_message_formats_both_numbers(ledger, users):
    ledger.receive(2000)
    m = ledger.distribute(1500, PUJER)
    with pytest.raises(ValidationFailed) as exc:
        services.receive_movement(users["camat"], m.id, quantity_received=1200)
    db.session.rollback()
    assert (
        "Jumlah diterima (1.200) berbeda dari yang dikirim (1.500)" in exc.value.errors["note"][0]
    )
