"""The "Perlu tindakan" inbox: per role the right lines, each count equal to the rows of the
list it links to, in one SQL statement shared by the page, the home page and the menu."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from assets_app.core.inbox import inbox_for
from assets_app.extensions import db
from assets_app.letters import services as letters
from tests.querycount import count_queries
from tests.tickets.helpers import file_ticket, walk

WEDNESDAY = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 WIB, a working day
SUNDAY = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
PUJER, OTHER = "35.11.05", "35.11.06"


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _draft(by, region, perihal="Permohonan perbaikan"):
    return letters.compose_letter(
        by=by, region_code=region, direction="keluar", recipient="PT Sinar Data",
        perihal=perihal, body="Dengan hormat,\n\nMohon perbaikan.",
    )  # fmt: skip


def _counts(user) -> dict[str, int]:
    from flask import current_app

    with current_app.test_request_context():
        return {e.key: e.count for e in inbox_for(user).entries}


def _ids(html: str, prefix: str) -> set[int]:
    return {int(i) for i in re.findall(rf'href="{prefix}(\d+)"', html)}


def _line(html: str, key: str) -> tuple[str, int]:
    m = re.search(
        rf'href="([^"]+)" data-testid="inbox-{key}">.*?data-testid="inbox-count">(\d+)<', html, re.S
    )
    assert m, key
    return m.group(1).replace("&amp;", "&"), int(m.group(2))


def test_kadis_sees_letters_to_sign_and_approvals_each_linking_to_exactly_those(
    users, client, login, wednesday, no_csrf
):
    from assets_app.blanko import services as blanko

    petugas, kadis, admin = users["petugas"], users["kadis"], users["admin"]
    drafts = [_draft(petugas, PUJER, "Satu"), _draft(petugas, OTHER, "Dua")]
    signed = _draft(petugas, PUJER, "Sudah")
    letters.sign_letter(signed, kadis)
    _draft(users["petugas_serang"], "36.73.05", "Di luar cakupan")
    blanko.record_movement(admin, kind="penerimaan", to_region="35.11", quantity=500,
                           reference="BAST/1", bast_date=date(2026, 11, 20))  # fmt: skip
    blanko.record_movement(admin, kind="distribusi", from_region="35.11", to_region=PUJER,
                           quantity=100)  # fmt: skip
    db.session.commit()
    blanko.receive_movement(
        admin,
        db.session.scalar(_last_transfer()),
        quantity_received=100,
        on_behalf_reason="Diuji atas nama kecamatan",
    )
    writeoff = blanko.record_movement(admin, kind="rusak", from_region=PUJER, quantity=2,
                                      note="gagal cetak")  # fmt: skip
    done = blanko.record_movement(admin, kind="rusak", from_region=PUJER, quantity=1, note="x")
    blanko.decide_movement(kadis, done.id, approved=True, berita_acara_no="BA/1")
    adjust = blanko.record_movement(admin, kind="penyesuaian", from_region=PUJER, quantity=3,
                                    note="selisih opname")  # fmt: skip
    db.session.commit()

    assert _counts(kadis) == {
        "letters_to_sign": 2,
        "hearing_to_approve": 0,
        "blanko_writeoffs": 1,
        "blanko_adjustments": 1,
        "inventory_to_confirm": 0,
    }
    login(kadis)
    html = client.get("/perlu-tindakan").get_data(as_text=True)
    url, n = _line(html, "letters_to_sign")
    assert n == 2 and "Surat menunggu tanda tangan" in html
    assert _ids(client.get(url).get_data(as_text=True), "/surat/") == {d.id for d in drafts}
    url, n = _line(html, "blanko_writeoffs")
    assert n == 1
    assert _ids(client.get(url).get_data(as_text=True), "/blanko/mutasi/") == {writeoff.id}
    url, n = _line(html, "blanko_adjustments")
    assert _ids(client.get(url).get_data(as_text=True), "/blanko/mutasi/") == {adjust.id}

    # Signing a letter takes it out of the inbox (page, home and menu badge alike).
    resp = client.post(f"/surat/{drafts[0].id}/tandatangani")
    assert resp.status_code == 302
    html = client.get("/perlu-tindakan").get_data(as_text=True)
    assert _line(html, "letters_to_sign")[1] == 1
    home = client.get("/beranda").get_data(as_text=True)
    assert 'data-testid="home-inbox"' in home and _line(home, "letters_to_sign")[1] == 1
    assert re.search(r'data-testid="nav-badge-inbox">3<', home)


def _last_transfer():
    import sqlalchemy as sa

    from assets_app.blanko.models import BlankoMovement

    return sa.select(sa.func.max(BlankoMovement.id)).where(BlankoMovement.kind == "distribusi")


def test_petugas_sees_new_and_overdue_tickets_and_unreported_kecamatan(
    users, client, login, wednesday
):
    from assets_app.assets import services as assets

    petugas, camat = users["petugas"], users["camat"]
    new = file_ticket(camat, PUJER)
    old = file_ticket(camat, PUJER, title="Router mati")
    walk(old, petugas, camat, "dikerjakan")
    file_ticket(users["petugas_serang"], "36.73.05")  # out of scope
    assets.record_usage(petugas, {"region_code": PUJER, "day": date(2026, 11, 25)})
    db.session.commit()

    counts = _counts(petugas)
    assert counts["tickets_new"] == 1 and counts["tickets_overdue"] == 0
    kecamatan = 23  # Bondowoso has 23 kecamatan; Pujer reported today
    assert counts["usage_not_reported"] == kecamatan - 1
    assert "letters_to_sign" not in counts and "blanko_writeoffs" not in counts
    login(petugas)
    html = client.get("/perlu-tindakan").get_data(as_text=True)
    url, _ = _line(html, "tickets_new")
    assert _ids(client.get(url).get_data(as_text=True), "/tiket/") == {new.id}
    url, n = _line(html, "usage_not_reported")
    page = client.get(url + "&per_page=100").get_data(as_text=True)
    assert page.count('data-testid="reporting-row"') == n and 'href="/wilayah/35.11.05"' not in page

    with time_machine.travel(WEDNESDAY + timedelta(days=10), tick=False):
        later = _counts(petugas)
        assert later["tickets_overdue"] == 2
        html = client.get("/perlu-tindakan").get_data(as_text=True)
        url, n = _line(html, "tickets_overdue")
        assert n == 2
        assert _ids(client.get(url).get_data(as_text=True), "/tiket/") == {new.id, old.id}


def test_camat_sees_receipts_tickets_waiting_for_them_and_own_report(
    users, client, login, wednesday
):
    from assets_app.assets import services as assets
    from assets_app.blanko import services as blanko

    petugas, camat, admin = users["petugas"], users["camat"], users["admin"]
    blanko.record_movement(admin, kind="penerimaan", to_region="35.11", quantity=500,
                           reference="BAST/1", bast_date=date(2026, 11, 20))  # fmt: skip
    mine = blanko.record_movement(admin, kind="distribusi", from_region="35.11",
                                  to_region=PUJER, quantity=100)  # fmt: skip
    blanko.record_movement(admin, kind="distribusi", from_region="35.11", to_region=OTHER,
                           quantity=50)  # fmt: skip
    solved = walk(file_ticket(camat, PUJER), petugas, camat, "selesai")
    waiting = walk(file_ticket(camat, PUJER, title="Listrik"), petugas, camat,
                   "menunggu_pihak_ketiga", party="kecamatan")  # fmt: skip
    walk(file_ticket(camat, PUJER, title="Vendor"), petugas, camat, "menunggu_pihak_ketiga")
    file_ticket(camat, PUJER, title="Baru")
    walk(file_ticket(users["camat2"], OTHER, title="Lain"), petugas, users["camat2"], "selesai")
    db.session.commit()

    assert _counts(camat) == {
        "blanko_receipts": 1,
        "tickets_waiting_kecamatan": 2,
        "usage_own_not_filed": 1,
    }
    login(camat)
    html = client.get("/perlu-tindakan").get_data(as_text=True)
    url, _ = _line(html, "tickets_waiting_kecamatan")
    listed = client.get(url).get_data(as_text=True)
    assert _ids(listed, "/tiket/") == {solved.id, waiting.id}
    assert "Menunggu jawaban kecamatan" in listed
    url, _ = _line(html, "blanko_receipts")
    assert _ids(client.get(url).get_data(as_text=True), "/blanko/mutasi/") == {mine.id}
    url, _ = _line(html, "usage_own_not_filed")
    assert client.get(url).status_code == 200 and "day=2026-11-25" in url

    assets.record_usage(camat, {"region_code": PUJER, "day": date(2026, 11, 25)})
    db.session.commit()
    assert _counts(camat)["usage_own_not_filed"] == 0


def test_no_daily_report_line_on_a_sunday_and_dprd_has_nothing_waiting(users, client, login):
    with time_machine.travel(SUNDAY, tick=False):
        assert "usage_not_reported" not in _counts(users["petugas"])
        assert "usage_own_not_filed" not in _counts(users["camat"])
        assert _counts(users["dprd"]) == {}
        login(users["dprd"])
        html = client.get("/perlu-tindakan").get_data(as_text=True)
    assert "Tidak ada yang menunggu tindakan Anda saat ini." in html


def test_inbox_is_one_query_whatever_the_data_and_shared_by_home_and_menu(
    app, users, client, login, wednesday
):
    petugas, kadis = users["petugas"], users["kadis"]
    login(kadis)

    def inbox_queries(path: str) -> int:
        with count_queries(db.engine) as statements:
            assert client.get(path).status_code == 200
        return sum(1 for s in statements if "letters" in s and "blanko_movements" in s)

    assert inbox_queries("/perlu-tindakan") == 1
    assert inbox_queries("/beranda") == 1  # home block and menu badge: the same one
    with count_queries(db.engine) as few:
        client.get("/perlu-tindakan")
    for i in range(30):
        _draft(petugas, PUJER, f"Surat {i}")
    db.session.commit()
    with count_queries(db.engine) as many:
        html = client.get("/perlu-tindakan").get_data(as_text=True)
    assert _line(html, "letters_to_sign")[1] == 30
    assert len(many) == len(few)


def test_menu_badge_is_left_out_when_the_transaction_has_failed(app, users):
    """An error page after a failed flush still renders its menu: no badge, no second error."""
    import pytest
    import sqlalchemy as sa
    from flask import current_app

    from assets_app.auth.models import User
    from assets_app.core.registry import nav_badge

    with current_app.test_request_context():
        db.session.add(User(username="kadis", name="Ganda", role="kadis", password_hash="x"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        with pytest.raises(sa.exc.SQLAlchemyError):
            inbox_for(users["kadis"])
        assert nav_badge("inbox", users["kadis"]) is None
    db.session.rollback()


def test_built_statement_is_kept_per_user_and_day_and_its_counts_stay_fresh(
    app, users, monkeypatch
):
    """The statement is built once per user and day (the providers are not asked again),
    yet `now` is bound per request, new rows count at once, and a holiday declared today
    drops the daily-report line the same day."""
    from assets_app.core import registry
    from assets_app.tickets.models import Ticket
    from assets_app.tickets.sla_config import add_holiday

    petugas, camat = users["petugas"], users["camat"]
    built = []
    providers = registry.inbox_providers

    def counting():
        built.append(1)
        return providers()

    monkeypatch.setattr(registry, "inbox_providers", counting)
    app.extensions.pop("built_statements", None)  # built by an earlier test, the same users
    with time_machine.travel(WEDNESDAY, tick=False):
        ticket = file_ticket(camat, PUJER)
        db.session.commit()
        first = _counts(petugas)
    assert first["tickets_new"] == 1 and first["tickets_overdue"] == 0
    due = db.session.get(Ticket, ticket.id).accept_due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert today_is(due, WEDNESDAY)
        file_ticket(camat, PUJER, title="Kedua")
        db.session.commit()
        later = _counts(petugas)
        assert later["tickets_new"] == 2 and later["tickets_overdue"] == 1
        assert len(built) == 1  # the same statement, a later `now`
        add_holiday(by=users["admin"], day=date(2026, 11, 25), name="Libur daerah",
                    region_code="35.11")  # fmt: skip
        db.session.commit()
        assert "usage_not_reported" not in _counts(petugas)  # the holiday, read in SQL
        assert len(built) == 1  # the same statement still


def today_is(moment: datetime, other: datetime) -> bool:
    wib = timedelta(hours=7)
    return (moment + wib).date() == (other + wib).date()
