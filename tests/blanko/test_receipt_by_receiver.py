"""Issue 14, defect 2: only the destination confirms a receipt; the Dinas records one on
behalf of a kecamatan only with a reason, shown in the ledger, the API and the audit log."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from assets_app.audit.models import AuditLog
from assets_app.blanko import services
from assets_app.blanko.models import BlankoReceipt
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, PUJER, ago


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _receipts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(BlankoReceipt))


def test_petugas_who_shipped_is_not_offered_konfirmasi_diterima(client, login, ledger, users):
    ledger.receive(1000)
    m = ledger.distribute(100, PUJER)
    login(users["petugas"])
    html = client.get(f"/blanko/mutasi/{m.id}").get_data(as_text=True)
    assert "Konfirmasi diterima" not in html
    assert "Catat atas nama kecamatan" in html
    assert 'name="on_behalf_reason"' in html
    pending = client.get("/blanko/penerimaan-tertunda").get_data(as_text=True)
    assert f'data-testid="on-behalf-{m.id}"' in pending  # a link to the page, not a form
    assert ">Terima</button>" not in pending
    login(users["camat"])
    html = client.get(f"/blanko/mutasi/{m.id}").get_data(as_text=True)
    assert "Konfirmasi diterima" in html and 'name="on_behalf_reason"' not in html
    assert ">Terima</button>" in client.get("/blanko/penerimaan-tertunda").get_data(as_text=True)


def test_on_behalf_without_reason_is_refused_and_writes_nothing(
    client, login, ledger, users, no_csrf
):
    ledger.receive(1000)
    m = ledger.distribute(100, PUJER)
    login(users["petugas"])
    resp = client.post(
        f"/blanko/mutasi/{m.id}/terima",
        data={"quantity_received": "100", "received_at": "", "note": "", "on_behalf_reason": ""},
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "alasan wajib diisi" in html
    assert _receipts() == 0
    with pytest.raises(ValidationFailed) as exc:
        services.receive_movement(users["kadis"], m.id, quantity_received=100)
    assert "on_behalf_reason" in exc.value.errors
    db.session.rollback()


def test_on_behalf_with_reason_is_shown_in_ledger_and_audit(client, login, ledger, users, no_csrf):
    ledger.receive(1000)
    m = ledger.distribute(100, PUJER)
    login(users["petugas"])
    resp = client.post(
        f"/blanko/mutasi/{m.id}/terima",
        data={
            "quantity_received": "100",
            "received_at": "",
            "note": "",
            "on_behalf_reason": "Operator Pujer sakit; diterima lewat telepon",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    receipt = db.session.scalars(sa.select(BlankoReceipt)).one()
    assert receipt.on_behalf_reason == "Operator Pujer sakit; diterima lewat telepon"
    assert receipt.author_id == users["petugas"].id
    page = client.get(f"/blanko/mutasi/{m.id}").get_data(as_text=True)
    assert (
        f"dicatat oleh {users['petugas'].name} atas nama Kec. Pujer: "
        "Operator Pujer sakit; diterima lewat telepon"
    ) in page
    ledger_page = client.get("/blanko/mutasi").get_data(as_text=True)
    assert f'data-testid="on-behalf-{m.id}"' in ledger_page
    row = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "blanko_receipts", AuditLog.action == "insert")
    ).one()
    assert "Operator Pujer sakit" in str(row.changes)
    assert row.user_id == users["petugas"].id


def test_camat_confirms_in_own_name_and_a_return_is_confirmed_by_the_dinas(ledger, users):
    ledger.receive(1000)
    r = ledger.confirm(ledger.distribute(100, PUJER), by="camat", on_behalf_reason="diabaikan")
    assert r.on_behalf_reason is None and r.author_id == users["camat"].id
    back = services.record_movement(
        users["camat"], kind="pengembalian", from_region=PUJER, quantity=20, occurred_at=ago(0, 1)
    )
    db.session.commit()
    assert back.to_region == DINAS
    r = ledger.confirm(back, 20, by="petugas")  # the Dinas is the destination: no reason
    assert r.on_behalf_reason is None


def test_api_receive_needs_on_behalf_reason_for_the_dinas(client, ledger, users, api_token):
    ledger.receive(1000)
    m = ledger.distribute(100, PUJER)
    headers = api_token(users["petugas"])
    url = f"/api/v1/blanko/movements/{m.id}/receive"
    r = client.post(url, json={"quantity_received": 100}, headers=headers)
    assert r.status_code == 422
    assert "on_behalf_reason" in r.get_json()["errors"]
    r = client.post(
        url, json={"quantity_received": 100, "on_behalf_reason": "Camat cuti"}, headers=headers
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["receipt"]["on_behalf_reason"] == "Camat cuti"


def test_camat_sees_the_dinas_store_as_text_not_a_dead_link(client, login, ledger, users):
    ledger.receive(1000)
    ledger.distribute(100, PUJER)
    login(users["camat"])
    html = client.get("/blanko/mutasi").get_data(as_text=True)
    assert "Gudang Dinas" in html
    assert f'href="/blanko/lokasi/{DINAS}"' not in html
    assert client.get(f"/blanko/lokasi/{DINAS}").status_code == 404
    assert f'href="/blanko/lokasi/{PUJER}"' in html  # their own location stays a link
    login(users["petugas"])
    assert f'href="/blanko/lokasi/{DINAS}"' in client.get("/blanko/mutasi").get_data(as_text=True)


def test_pending_receipts_name_each_column_once(client, login, ledger, users):
    """The send time and the quantity sent were both headed "Dikirim"."""
    ledger.receive(1000)
    ledger.distribute(100, PUJER)
    login(users["camat"])
    html = client.get("/blanko/penerimaan-tertunda").get_data(as_text=True)
    thead = html[html.index("<thead>") : html.index("</thead>")]
    headers = re.findall(r"<th[^>]*>([^<]+)</th>", thead)
    assert headers[:6] == ["No.", "Waktu kirim", "Jenis", "Dari", "Ke", "Jumlah dikirim"]
    assert len(headers) == len(set(headers))
