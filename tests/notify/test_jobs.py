"""Each scheduled job sends what it should, to whom, in Indonesian, with a link; running it
again sends nothing twice. Clocks are frozen; mail and gateway are real local servers."""

from datetime import date, datetime, timedelta

import time_machine

from assets_app.assets import services as asset_services
from assets_app.common.timeutil import WIB
from assets_app.extensions import db
from assets_app.notify import jobs
from tests.notify.helpers import MON_10, give_contact, jobs_run, rows

BASE = "https://aset.dukcapil.example.go.id"


def subjects(user, channel="aplikasi"):
    return [r.subject for r in rows(user_id=user.id, channel=channel)]


# --- SLA escalation, now a job -------------------------------------------------------------


def test_escalation_job_notifies_kadis_by_mail_once(app, users, channels, runner):
    from tests.tickets.helpers import file_ticket

    smtp, _ = channels
    give_contact(users["kadis"], email="kadis@example.id")
    mon_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    with time_machine.travel(mon_9, tick=False):
        t = file_ticket(users["camat"])  # kritis: accept within 4 h
    result = jobs_run(runner, mon_9 + timedelta(hours=4, minutes=1), "--only", "eskalasi_sla")
    assert "1 naik tingkat eskalasi" in result.output, result.output
    assert f"Tiket {t.number} melewati target SLA" in subjects(users["kadis"])
    (mail,) = [m for m in smtp.messages if "melewati target SLA" in m["subject"]]
    assert mail["to"] == ["kadis@example.id"]
    assert mail["subject"] == f"Tiket {t.number} melewati target SLA"
    assert "Kepala dinas diberi tahu" in mail["body"]
    assert f"{BASE}/tiket/{t.id}" in mail["body"]
    again = jobs_run(runner, mon_9 + timedelta(hours=4, minutes=16), "--only", "eskalasi_sla")
    assert "0 naik tingkat" in again.output
    assert len([m for m in smtp.messages if "melewati target SLA" in m["subject"]]) == 1


# --- daily report missing ------------------------------------------------------------------


def test_daily_report_reminder_at_ten_on_working_days(app, users, channels, runner):
    smtp, gateway = channels
    give_contact(users["camat"], email="camat@example.id")
    give_contact(users["petugas"], phone="081234567890")
    # camat2's kecamatan (35.11.06) reported today; the camat's (35.11.05) did not.
    with time_machine.travel(MON_10 - timedelta(hours=2), tick=False):
        asset_services.record_usage(
            users["camat2"], {"region_code": "35.11.06", "day": MON_10.date(), "rekam": 3}
        )
        db.session.commit()
    before = jobs_run(runner, MON_10 - timedelta(minutes=5), "--only", "laporan_harian")
    assert "Tidak ada tugas yang jatuh tempo" in before.output  # 09.55: not yet
    result = jobs_run(runner, MON_10, "--only", "laporan_harian")
    assert "laporan_harian: berhasil" in result.output, result.output
    (camat_notice,) = subjects(users["camat"])
    assert (
        camat_notice.startswith("Laporan harian ")
        and "23 November 2026 belum masuk" in camat_notice
    )
    assert subjects(users["camat2"]) == []
    (mail,) = smtp.messages
    assert mail["to"] == ["camat@example.id"]
    assert "Mohon isi hari ini" in mail["body"] and f"{BASE}/pemakaian/isi" in mail["body"]
    (wa,) = gateway.requests
    assert wa["json"]["phone"] == "+6281234567890"
    assert "belum mengirim laporan harian 23 November 2026" in wa["json"]["subject"]
    assert "Belum melapor per pukul 10.00 WIB" in wa["json"]["text"]
    # A second run, forced, the same day: nothing twice.
    forced = jobs_run(runner, MON_10 + timedelta(minutes=5), "--only", "laporan_harian", "--force")
    assert "laporan_harian: berhasil" in forced.output
    assert len(smtp.messages) == 1 and len(gateway.requests) == 1
    assert len(subjects(users["camat"])) == 1
    saturday = jobs_run(runner, MON_10 + timedelta(days=5), "--only", "laporan_harian", "--force")
    assert "Bukan hari kerja" in saturday.output


# --- low blanko stock ----------------------------------------------------------------------


def test_low_blanko_is_notified_once_per_episode(app, users, channels, runner):
    from tests.blanko.conftest import KEC2, Ledger

    smtp, _ = channels
    give_contact(users["camat2"], email="camat2@example.id")
    ledger = Ledger(users)
    now = datetime.now(WIB)
    ledger.stock(KEC2, 100)
    for day in range(1, 11):
        ledger.use(9, KEC2, by="camat2", occurred_at=now - timedelta(days=day))  # 10 left
    db.session.commit()
    first = jobs_run(runner, now, "--only", "blanko_menipis", "--force")
    assert "baru diberi tahu" in first.output, first.output
    low_subject = "Stok blanko KTP-el "
    (notice,) = [s for s in subjects(users["camat2"]) if s.startswith(low_subject)]
    assert notice.endswith("menipis")
    (mail,) = smtp.messages
    assert mail["to"] == ["camat2@example.id"] and "Tersedia 10 keping" in mail["body"]
    assert f"{BASE}/blanko/lokasi/{KEC2}" in mail["body"]
    petugas_low = [s for s in subjects(users["petugas"]) if s.startswith(low_subject)]
    assert notice in petugas_low
    # Still low an hour later: nothing new.
    jobs_run(runner, now + timedelta(hours=1), "--only", "blanko_menipis", "--force")
    assert len(smtp.messages) == 1
    # Restocked: the episode ends; low again later: a new notice.
    ledger.stock(KEC2, 500)
    db.session.commit()
    recovered = jobs_run(runner, now + timedelta(hours=2), "--only", "blanko_menipis", "--force")
    assert "1 pulih" in recovered.output
    ledger.use(505, KEC2, by="camat2", occurred_at=now)
    db.session.commit()
    jobs_run(runner, now + timedelta(hours=3), "--only", "blanko_menipis", "--force")
    assert len(smtp.messages) == 2


# --- weekly digest -------------------------------------------------------------------------


def test_weekly_digest_numbers_equal_the_summary_api(
    app, users, channels, runner, client, api_token
):
    from tests.hearing import fixture

    smtp, _ = channels
    give_contact(users["kadis"], email="kadis@example.id")
    with time_machine.travel(fixture.NOW, tick=False):
        fixture.build(users)
        db.session.commit()
    monday = datetime(2026, 7, 6, 7, 0, tzinfo=WIB)
    assert jobs.digest_week(monday) == (date(2026, 6, 29), date(2026, 7, 5))
    result = jobs_run(runner, monday, "--only", "ringkasan_mingguan")
    assert "dikirim ke 1 kepala dinas" in result.output, result.output
    (mail,) = [m for m in smtp.messages if m["subject"].startswith("Ringkasan mingguan ")]
    assert "29 Juni 2026 – 5 Juli 2026" in mail["subject"]
    headers = api_token(users["kadis"])
    with time_machine.travel(monday, tick=False):
        api = client.get("/api/v1/reports/summary?from=2026-06-29&to=2026-07-05", headers=headers)
    assert api.status_code == 200
    total = api.get_json()["total"]
    for line in jobs.digest_lines(total):
        assert line in mail["body"]
    assert "- Aset tercatat: 5" in mail["body"]
    assert f"{BASE}/laporan/ringkasan?dari=2026-06-29&sampai=2026-07-05" in mail["body"]
    jobs_run(runner, monday + timedelta(minutes=5), "--only", "ringkasan_mingguan", "--force")
    assert len([m for m in smtp.messages if m["subject"] == mail["subject"]]) == 1


def test_jobs_list_shows_schedule_last_and_next_run(app, users, runner):
    jobs_run(runner, MON_10, "--only", "laporan_harian")
    with time_machine.travel(MON_10 + timedelta(minutes=1), tick=False):
        out = runner.invoke(args=["jobs", "list"]).output
    line = next(line for line in out.splitlines() if line.startswith("laporan_harian"))
    assert "0 10 * * 1-5" in line and "(berhasil)" in line
    assert "24 November 2026" in line  # next run: Tuesday 10.00 WIB
    unknown = runner.invoke(args=["jobs", "run", "--only", "tidak_ada"])
    assert unknown.exit_code == 1 and "tidak dikenal" in unknown.output


def test_a_failing_job_is_recorded_and_the_others_still_run(app, users, runner, monkeypatch):
    import sqlalchemy as sa

    from assets_app.notify import runner as job_runner
    from assets_app.notify import services
    from assets_app.notify.models import JobRun

    def broken(now):
        services.send([users["kadis"].id], kind="uji", subject="Tidak boleh tersimpan", at=now)
        raise RuntimeError("data rusak")

    monkeypatch.setattr(
        job_runner,
        "JOBS",
        (jobs.Job("rusak", "Tugas rusak", "* * * * *", broken), jobs.job_named("eskalasi_sla")),
    )
    result = jobs_run(runner, MON_10)
    assert result.exit_code == 0, result.output
    assert "rusak: gagal — RuntimeError: data rusak" in result.output
    assert "eskalasi_sla: berhasil" in result.output
    assert "Tugas rusak gagal" in result.stderr
    assert rows(kind="uji") == []  # the failed job's writes were rolled back
    statuses = dict(db.session.execute(sa.select(JobRun.job, JobRun.status)).all())
    assert statuses == {"rusak": "gagal", "eskalasi_sla": "berhasil"}
    # A failed run leaves the job due: the next call tries again.
    again = jobs_run(runner, MON_10 + timedelta(seconds=30))
    assert "rusak: gagal" in again.output and "eskalasi_sla" not in again.output


def test_a_job_running_elsewhere_is_not_started_twice(app, users, runner):
    from assets_app.notify.models import JobRun

    with time_machine.travel(MON_10, tick=False):
        db.session.add(JobRun(job="laporan_harian", status="berjalan", due_at=MON_10))
        db.session.commit()
    busy = jobs_run(runner, MON_10 + timedelta(minutes=1), "--only", "laporan_harian")
    assert "laporan_harian: lewat — sudah dijalankan proses lain" in busy.output
    assert rows(kind="laporan_harian") == []
    # An hour later that run is taken for dead: the job runs.
    later = jobs_run(runner, MON_10 + timedelta(hours=1), "--only", "laporan_harian")
    assert "laporan_harian: berhasil" in later.output, later.output
    assert rows(kind="laporan_harian") != []
