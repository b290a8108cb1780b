"""Four eyes on stock: whoever records a write-off (rusak) or an adjustment (penyesuaian) may
withdraw it but never approve it; it waits for another official (web, API, service)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assets_app.blanko import queries, services
from assets_app.blanko.models import BlankoApproval
from assets_app.common.errors import Forbidden
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, PUJER
from tests.factories import make_user

OWN = "persetujuannya harus oleh pejabat lain"


def _post(client, headers, path, body):
    return client.post(f"/api/v1/blanko{path}", json=body, headers=headers)


def _approvals(movement_id: int) -> int:
    return db.session.query(BlankoApproval).filter_by(movement_id=movement_id).count()


def test_kadis_cannot_approve_own_penyesuaian_through_the_api(client, users, api_token):
    """The issue's reproducer: penyesuaian +500 then /approve by the same account."""
    kadis = api_token(users["kadis"])
    r = _post(
        client,
        kadis,
        "/movements",
        {"kind": "penyesuaian", "to_region": DINAS, "quantity": 500, "note": "Hasil hitung ulang"},
    )
    assert r.status_code == 201, r.get_json()
    m = r.get_json()
    assert m["status"] == "pending_approval"
    before = queries.balance_of(DINAS).on_hand

    r = _post(
        client,
        kadis,
        f"/movements/{m['id']}/approve",
        {"approved": True, "berita_acara_no": "BA/1"},
    )
    assert r.status_code == 403
    assert OWN in r.get_json()["errors"]["_schema"][0]
    db.session.expire_all()
    assert _approvals(m["id"]) == 0
    assert queries.balance_of(DINAS).on_hand == before
    got = client.get(f"/api/v1/blanko/movements/{m['id']}", headers=kadis).get_json()
    assert got["status"] == "pending_approval"

    # Another kadis of the same kab/kota approves: the cards appear.
    other = make_user("kadis", "35.11", username="kadis.dua", name="Plt. Kepala Dinas")
    r = _post(
        client,
        api_token(other),
        f"/movements/{m['id']}/approve",
        {"approved": True, "berita_acara_no": "BA/2"},
    )
    assert r.status_code == 201, r.get_json()
    db.session.expire_all()
    assert queries.balance_of(DINAS).on_hand == before + 500


def test_recorder_may_withdraw_but_not_approve_a_write_off(ledger, users):
    ledger.stock(PUJER, 50)
    m = ledger.damage(4, by="kadis")
    with pytest.raises(Forbidden, match="pejabat lain"):
        services.decide_movement(users["kadis"], m.id, approved=True, berita_acara_no="BA/9")
    db.session.rollback()
    assert ledger.bal(PUJER) == (50, 0, 4)  # still reserved, still pending
    ledger.decide(m, False, by="kadis", note="Salah catat, kartu utuh")
    assert ledger.bal(PUJER) == (50, 0, 0)


def test_opname_by_kadis_waits_for_another_official(ledger, users):
    ledger.stock(PUJER, 40)
    opname = services.record_stock_opname(
        users["kadis"], region_code=PUJER, counted_quantity=37, reason="3 keping hilang"
    )
    db.session.commit()
    with pytest.raises(Forbidden):
        services.decide_movement(
            users["kadis"], opname.movement_id, approved=True, berita_acara_no="BA/3"
        )
    db.session.rollback()
    other = make_user("kadis", "35.11", username="kadis.plt")
    services.decide_movement(other, opname.movement_id, approved=True, berita_acara_no="BA/3")
    db.session.commit()
    assert ledger.bal(PUJER)[0] == 37


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def test_web_refuses_own_approval_and_shows_it_waiting(client, login, ledger, users, no_csrf):
    ledger.stock(PUJER, 30)
    own = ledger.damage(2, by="kadis")
    theirs = ledger.damage(3, by="camat")
    login(users["kadis"])

    page = client.get(f"/blanko/mutasi/{own.id}").get_data(as_text=True)
    assert "Menunggu persetujuan pejabat lain" in page
    assert 'value="ya"' not in page  # no approve button on one's own record
    r = client.post(
        f"/blanko/mutasi/{own.id}/putuskan", data={"approved": "ya", "berita_acara_no": "BA/5"}
    )
    assert r.status_code == 403
    assert OWN in r.get_data(as_text=True)  # the Indonesian reason on the error page
    db.session.expire_all()
    assert _approvals(own.id) == 0

    listing = client.get("/blanko/persetujuan").get_data(as_text=True)
    row_own = listing.split(f'data-movement="{own.id}"')[1].split("</tr>")[0]
    row_theirs = listing.split(f'data-movement="{theirs.id}"')[1].split("</tr>")[0]
    assert "Menunggu persetujuan pejabat lain" in row_own and 'value="ya"' not in row_own
    assert 'value="ya"' in row_theirs
    # The home page counts only what this kadis may decide.
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(
                queries.pending_approvals_query(users["kadis"], others_only=True).subquery()
            )
        )
        == 1
    )

    r = client.post(
        f"/blanko/mutasi/{theirs.id}/putuskan", data={"approved": "ya", "berita_acara_no": "BA/6"}
    )
    assert r.status_code == 302


def test_berita_acara_names_recorder_and_approver_distinctly(app, client, login, ledger, users):
    ledger.stock(PUJER, 20)
    m = ledger.damage(2, by="camat")
    ledger.decide(m, True, by="kadis", ba="BA.400/11/2026")
    login(users["kadis"])
    r = client.get(f"/blanko/mutasi/{m.id}/berita-acara.pdf")
    assert r.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    recorder, approver = users["camat"].name, users["kadis"].name
    assert recorder != approver
    assert recorder in text and approver in text
