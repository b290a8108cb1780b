"""Certificates expiring (60/30/7 days), letters waiting for signature, Ditjen requests left
unanswered, and silent failures: who is told, what it says, the link, and never twice."""

from datetime import date, datetime, timedelta

import time_machine

from assets_app.assets import services as asset_services
from assets_app.common.timeutil import WIB
from assets_app.extensions import db
from assets_app.notify import silent
from tests.notify.helpers import give_contact, jobs_run, rows

BASE = "https://aset.dukcapil.example.go.id"


def subjects(user, channel="aplikasi", prefix=""):
    return [
        r.subject for r in rows(user_id=user.id, channel=channel) if r.subject.startswith(prefix)
    ]


def at_8(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=WIB).replace(hour=8)


def test_certificates_expiring_at_60_30_and_7_days(app, users, channels, runner):
    from tests.training.factories import certify

    smtp, _ = channels
    give_contact(users["camat"], email="camat@example.id")
    op, _, att = certify("35.11.05", name="Siti Aminah", ends_on=date(2025, 3, 1))
    end = att.valid_until
    prefix = "Sertifikat Siti Aminah berakhir"
    jobs_run(runner, at_8(end - timedelta(days=61)), "--only", "sertifikat")
    assert subjects(users["camat"], prefix=prefix) == []
    for days_left, total in ((60, 1), (59, 1), (30, 2), (29, 2), (7, 3), (6, 3)):
        result = jobs_run(runner, at_8(end - timedelta(days=days_left)), "--only", "sertifikat")
        assert "sertifikat: berhasil" in result.output, result.output
        assert len(subjects(users["camat"], prefix=prefix)) == total, days_left
    assert len(subjects(users["petugas"], prefix=prefix)) == 3
    assert subjects(users["camat2"], prefix=prefix) == []  # another kecamatan's camat
    mails = [m for m in smtp.messages if m["subject"].startswith(prefix)]
    assert len(mails) == 3
    assert (
        "(7 hari lagi)" in mails[-1]["body"] and f"{BASE}/pelatihan/operator" in mails[-1]["body"]
    )


def test_letter_waiting_for_signature_more_than_two_working_days(app, users, channels, runner):
    from assets_app.letters import services as letters

    monday = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    with time_machine.travel(monday, tick=False):
        letter = letters.compose_letter(
            by=users["petugas"],
            region_code="35.11",
            direction="keluar",
            recipient="Direktur Jenderal Dukcapil\nKemendagri",
            perihal="Permohonan penggantian printer",
            body="Dengan hormat, kami mohon penggantian printer.",
        )
        db.session.commit()
    prefix = "Surat menunggu tanda tangan"
    jobs_run(runner, at_8(date(2026, 11, 25)), "--only", "surat_ttd")  # Wednesday: 2 days
    assert subjects(users["kadis"], prefix=prefix) == []
    result = jobs_run(runner, at_8(date(2026, 11, 26)), "--only", "surat_ttd")  # Thursday
    assert "1 surat menunggu tanda tangan" in result.output, result.output
    (row,) = [r for r in rows(user_id=users["kadis"].id) if r.subject.startswith(prefix)]
    assert row.subject == "Surat menunggu tanda tangan: Permohonan penggantian printer"
    assert "Direktur Jenderal Dukcapil" in row.body and "(3 hari kerja)" in row.body
    assert row.link == f"/surat/{letter.id}"
    assert subjects(users["camat"], prefix=prefix) == []
    jobs_run(runner, at_8(date(2026, 11, 27)), "--only", "surat_ttd")
    assert len(subjects(users["kadis"], prefix=prefix)) == 1


def test_ditjen_request_unanswered_after_fourteen_days(app, users, channels, runner):
    from assets_app.blanko import ditjen

    _, gateway = channels
    give_contact(users["kadis"], phone="081111222333")
    day = date(2026, 11, 2)
    with time_machine.travel(at_8(day), tick=False):
        req = ditjen.create_request(users["petugas"], region_code="35.11", quantity=500)
        db.session.commit()
    prefix = f"Permintaan blanko {req.number_label}"
    jobs_run(
        runner,
        at_8(day + timedelta(days=13)) + timedelta(hours=1),
        "--only",
        "blanko_ditjen",
        "--force",
    )
    assert subjects(users["kadis"], prefix=prefix) == []
    jobs_run(
        runner,
        at_8(day + timedelta(days=14)) + timedelta(hours=1),
        "--only",
        "blanko_ditjen",
        "--force",
    )
    assert subjects(users["kadis"], prefix=prefix) == [f"{prefix} belum dijawab Ditjen"]
    assert len(subjects(users["petugas"], prefix=prefix)) == 1
    (wa,) = [r for r in gateway.requests if r["json"]["subject"].startswith(prefix)]
    assert "500 keping" in wa["json"]["text"] and "14 hari" in wa["json"]["text"]
    assert f"{BASE}/blanko/permintaan/{req.id}" in wa["json"]["text"]
    jobs_run(
        runner,
        at_8(day + timedelta(days=15)) + timedelta(hours=1),
        "--only",
        "blanko_ditjen",
        "--force",
    )
    assert len(subjects(users["kadis"], prefix=prefix)) == 1
    jobs_run(
        runner,
        at_8(day + timedelta(days=21)) + timedelta(hours=1),
        "--only",
        "blanko_ditjen",
        "--force",
    )
    assert len(subjects(users["kadis"], prefix=prefix)) == 2  # a weekly reminder while open


def _report(user, code, day, rekam):
    asset_services.record_usage(user, {"region_code": code, "day": day, "rekam": rekam})


def test_silent_failure_is_notified_and_listed(app, users, channels, runner, client, login):
    from tests.hearing.helpers import make_asset

    make_asset("35.11.05")
    make_asset("35.11.06", status="rusak")  # a broken device is not a silent failure
    make_asset("35.11.01", category="cetak_ktp")  # prints only: never records, no drop
    last = date(2026, 11, 20)  # Friday
    days = [d for d in (last - timedelta(days=i) for i in range(1, 40)) if d.weekday() < 5][:20]
    with time_machine.travel(at_8(last) + timedelta(hours=10), tick=False):
        for d in days:
            _report(users["camat"], "35.11.05", d, 25)
            _report(users["camat2"], "35.11.06", d, 25)
            _report(users["petugas"], "35.11.01", d, 0)
        _report(users["camat"], "35.11.05", last, 3)  # below 25 / 5
        _report(users["camat2"], "35.11.06", last, 0)
        _report(users["petugas"], "35.11.01", last, 0)
        db.session.commit()
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=WIB)
    with time_machine.travel(monday, tick=False):
        found = silent.silent_kecamatan(silent.last_working_day_before(monday.date()))
    assert [(r.code, r.recorded, r.median) for r in found] == [("35.11.05", 3, 25)]
    result = jobs_run(runner, monday, "--only", "gangguan")
    assert "1 kecamatan kemungkinan gangguan pada 2026-11-20" in result.output, result.output
    (row,) = [r for r in rows(user_id=users["camat"].id) if r.kind == "gangguan"]
    assert row.subject.startswith("Kemungkinan gangguan di ")
    assert "melaporkan 3 perekaman (median 20 hari kerja: 25)" in row.body
    assert row.link == "/tiket/baru"
    assert len([r for r in rows(user_id=users["petugas"].id) if r.kind == "gangguan"]) == 1
    assert [r for r in rows(user_id=users["camat2"].id) if r.kind == "gangguan"] == []
    jobs_run(runner, monday + timedelta(minutes=5), "--only", "gangguan", "--force")
    assert len([r for r in rows(kind="gangguan")]) == 2  # camat + petugas, once
    with time_machine.travel(monday, tick=False):
        login(users["petugas"])
        page = client.get("/gangguan").get_data(as_text=True)
    assert "35.11.05" in page and "Laporkan masalah" in page
    assert "35.11.06" not in page and "35.11.01" not in page
