"""The outbox delivers through a real SMTP server and a local HTTP gateway; when they are down
nothing is lost, and every queued notice goes exactly once when they are back."""

from datetime import timedelta

import time_machine

from assets_app.extensions import db
from assets_app.notify import services
from assets_app.notify.runner import deliver_outbox
from tests.notify.helpers import MON_10, give_contact, jobs_run, rows


def _notice(users, **kw):
    n = services.send(
        [users["kadis"].id],
        kind="eskalasi",
        subject="Tiket T-1 melewati target SLA",
        body="Target waktu terima terlampaui.",
        link="/tiket/1",
        **kw,
    )
    db.session.commit()
    return n


def test_one_notice_is_a_row_per_channel_and_goes_out_on_each(app, users, channels):
    smtp, gateway = channels
    give_contact(users["kadis"], email="kadis@example.id", phone="081234567890")
    assert _notice(users) == 1
    assert [(r.channel, r.status) for r in rows()] == [
        ("aplikasi", "terkirim"),
        ("email", "antri"),
        ("whatsapp", "antri"),
    ]
    result = deliver_outbox()
    db.session.commit()
    assert (result.sent, result.failed) == (2, 0)
    (mail,) = smtp.messages
    assert mail["to"] == ["kadis@example.id"]
    assert mail["subject"] == "Tiket T-1 melewati target SLA"
    assert "Buka: https://aset.dukcapil.example.go.id/tiket/1" in mail["body"]
    (req,) = gateway.requests
    assert req["auth"] == "Bearer rahasia-gateway"
    assert req["json"]["to"] == "6281234567890" and req["json"]["phone"] == "+6281234567890"
    assert req["json"]["subject"] == "Tiket T-1 melewati target SLA"
    assert "https://aset.dukcapil.example.go.id/tiket/1" in req["json"]["text"]
    assert {r.status for r in rows()} == {"terkirim"}
    assert deliver_outbox().sent == 0  # nothing twice


def test_no_contact_or_no_channel_means_in_app_only(app, users, channels):
    smtp, _ = channels
    _notice(users)  # kadis has no e-mail nor phone
    assert [r.channel for r in rows()] == ["aplikasi"]
    app.config["MAIL_SERVER"] = ""
    give_contact(users["kadis"], email="kadis@example.id")
    services.set_preferences(users["kadis"], {"eskalasi": ["email"]})
    _notice(users, dedupe="x")
    assert [r.channel for r in rows()] == ["aplikasi", "aplikasi"]


def test_dedupe_key_sends_nothing_twice(app, users, channels):
    give_contact(users["kadis"], email="kadis@example.id")
    assert _notice(users, dedupe="cert:1:30") == 1
    assert _notice(users, dedupe="cert:1:30") == 0
    assert len(rows()) == 2  # in-app + e-mail, once


def test_smtp_down_then_back_delivers_each_notice_exactly_once(app, users, channels, runner):
    smtp, gateway = channels
    give_contact(users["camat"], email="camat@example.id")
    give_contact(users["petugas"], phone="6285712345678")
    smtp.stop()
    first = jobs_run(runner, MON_10)
    assert first.exit_code == 0, first.output
    assert "laporan_harian: berhasil" in first.output
    assert "Gagal kirim" in first.stderr and "SMTP 127.0.0.1" in first.stderr
    (mail_row,) = rows(channel="email")
    assert (mail_row.status, mail_row.attempts) == ("antri", 1)
    assert mail_row.last_error and mail_row.next_attempt_at > mail_row.created_at
    assert len(gateway.requests) == 1  # the gateway was up: the petugas got the list
    # Five minutes later, still down: tried again (backoff 2 min), still nothing lost.
    assert "Gagal kirim" in jobs_run(runner, MON_10 + timedelta(minutes=5)).stderr
    assert rows(channel="email")[0].attempts == 2
    smtp.start()
    again = jobs_run(runner, MON_10 + timedelta(minutes=15))
    assert "1 terkirim" in again.output, again.output
    assert [m["to"] for m in smtp.messages] == [["camat@example.id"]]
    assert "Laporan harian" in smtp.messages[0]["subject"]
    assert jobs_run(runner, MON_10 + timedelta(minutes=20)).exit_code == 0
    assert len(smtp.messages) == 1 and len(gateway.requests) == 1
    assert {r.status for r in rows()} == {"terkirim"}


def test_gateway_errors_back_off_then_give_up_and_admin_resends(
    app, users, channels, client, login, no_csrf
):
    _, gateway = channels
    gateway.status = 503
    give_contact(users["kadis"], phone="081234567890")
    _notice(users, at=MON_10)
    at = MON_10
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        with time_machine.travel(at, tick=False):
            deliver_outbox()
            db.session.commit()
        (row,) = rows(channel="whatsapp")
        assert row.attempts == attempt and "HTTP 503" in row.last_error
        at = at + services.backoff(attempt) + timedelta(seconds=1)
    assert row.status == "gagal" and row.next_attempt_at is None
    assert services.backoff(1) == timedelta(minutes=2)
    assert services.backoff(3) == timedelta(minutes=8)
    login(users["admin"])
    page = client.get("/admin/notifikasi?status=gagal&channel=whatsapp").get_data(as_text=True)
    assert "Tiket T-1 melewati target SLA" in page and "HTTP 503" in page
    assert "Tidak ada pesan" in client.get("/admin/notifikasi?status=antri").get_data(as_text=True)
    assert client.post(f"/admin/notifikasi/{row.id}/kirim-ulang").status_code == 302
    gateway.status = 200
    assert deliver_outbox().sent == 1
    db.session.commit()
    assert rows(channel="whatsapp")[0].status == "terkirim"
    assert len(gateway.requests) == services.MAX_ATTEMPTS + 1


def test_scoped_admin_sees_and_resends_only_inside_scope(app, users, channels, client, login):
    give_contact(users["petugas_serang"], email="serang@example.id")
    services.send([users["petugas_serang"].id], kind="uji", subject="Uji Serang")
    db.session.commit()
    (row,) = rows(channel="email")
    login(users["admin_kab"])
    assert "Uji Serang" not in client.get("/admin/notifikasi").get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert client.post(f"/admin/notifikasi/{row.id}/kirim-ulang").status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_notify_test_sends_on_every_configured_channel(app, users, channels, runner):
    smtp, gateway = channels
    give_contact(users["kadis"], email="kadis@example.id", phone="081234567890")
    services.set_preferences(users["kadis"], {"uji": []})  # the test ignores preferences
    db.session.commit()
    result = runner.invoke(args=["notify", "test", "--to", "kadis"])
    assert result.exit_code == 0, result.output
    assert "2 terkirim" in result.output
    assert smtp.messages[0]["subject"] == "Pesan uji Aset Dukcapil"
    assert gateway.requests[0]["json"]["subject"] == "Pesan uji Aset Dukcapil"
    unknown = runner.invoke(args=["notify", "test", "--to", "tidak.ada"])
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output


def test_in_app_list_reads_the_outbox_and_opening_marks_read(app, users, client, login, no_csrf):
    _notice(users, related=("ticket", 1))
    (row,) = rows(channel="aplikasi")
    login(users["kadis"])
    page = client.get("/notifikasi").get_data(as_text=True)
    assert "Tiket T-1 melewati target SLA" in page and 'data-testid="unread-count">1<' in page
    resp = client.post(f"/notifikasi/{row.id}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/tiket/1")
    assert rows(channel="aplikasi")[0].read_at is not None
    login(users["petugas"])
    assert client.post(f"/notifikasi/{row.id}").status_code == 404  # someone else's


def test_public_base_url_warning(app):
    saved = app.config["PUBLIC_BASE_URL"]
    for base, warned in (
        ("", True),
        ("http://127.0.0.1:5000", True),
        ("http://localhost", True),
        ("https://aset.dukcapil.example.go.id", False),
    ):
        app.config["PUBLIC_BASE_URL"] = base
        assert (services.base_url_warning() is not None) is warned, base
    assert services.public_url("/tiket/1") == "https://aset.dukcapil.example.go.id/tiket/1"
    app.config["PUBLIC_BASE_URL"] = saved
