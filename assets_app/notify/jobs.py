"""The scheduled jobs: a written list, each with a cron schedule in WIB (croniter), each
idempotent (its notices carry dedupe keys; conditions that last are notified once per
episode). `flask jobs run` (assets_app/notify/runner.py) runs the due ones and records runs.

Every job reads other domains through their `services`/`queries` as a system reader whose
scope is the whole installation, and writes notices with `notify.services.send`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from croniter import croniter
from flask import url_for

from assets_app.assets import services as asset_services
from assets_app.auth.models import User
from assets_app.blanko import queries as blanko_queries
from assets_app.blanko import services as blanko_services
from assets_app.common.formatting import number, tanggal
from assets_app.common.timeutil import WIB, today_wib
from assets_app.extensions import db
from assets_app.hearing import services as hearing_services
from assets_app.letters import queries as letter_queries
from assets_app.notify import services, silent
from assets_app.notify.models import Episode
from assets_app.tickets import queries as ticket_queries
from assets_app.tickets import services as ticket_services
from assets_app.training import queries as training_queries

# Reads every region: the jobs look at the whole installation and address people by region.
SYSTEM = SimpleNamespace(id=None, role="admin", region_code=None, is_authenticated=True)


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    schedule: str  # cron expression, read in WIB
    run: Callable[[datetime], str]
    # A run missed by more than this (the server was off) is skipped, not made up late.
    max_late: timedelta = timedelta(hours=12)

    def previous(self, now: datetime) -> datetime:
        """The latest scheduled moment at or before `now`."""
        after = now.astimezone(WIB) + timedelta(seconds=1)
        return croniter(self.schedule, after).get_prev(datetime).astimezone(now.tzinfo)

    def next(self, now: datetime) -> datetime:
        return (
            croniter(self.schedule, now.astimezone(WIB)).get_next(datetime).astimezone(now.tzinfo)
        )


# --- SLA escalation ------------------------------------------------------------------------


def escalation(now: datetime) -> str:
    return ticket_services.escalate_open_tickets(now)


# --- daily report missing ------------------------------------------------------------------


def _active(role: str, *, exactly: str | None = None) -> list[User]:
    stmt = sa.select(User).where(User.active.is_(True), User.role == role)
    if exactly is not None:
        stmt = stmt.where(User.region_code == exactly)
    return list(db.session.scalars(stmt.order_by(User.id)))


def _under(code: str, root: str | None) -> bool:
    return root is None or code == root or code.startswith(root + ".")


def daily_report_missing(now: datetime) -> str:
    """10:00 WIB on a working day: each camat whose kecamatan has not reported today, and
    each petugas with the list of such kecamatan in their area."""
    today = today_wib(now)
    if not ticket_queries.is_working_day(today):
        return "Bukan hari kerja."
    stats = asset_services.reporting_by_region(SYSTEM, None, today, today, today)
    camats = {u.region_code: u for u in _active("camat")}
    # Kecamatan expected to report: those with a camat account or that reported before.
    missing = sorted(
        code
        for code, s in stats.items()
        if not s.reported_today
        and (code in camats or s.last_report is not None)
        and ticket_queries.is_working_day(today, code)  # not a holiday of its kab/kota
    )
    link = url_for("assets.usage_form")
    sent = 0
    for code in missing:
        name = stats[code].name
        sent += services.send(
            [u.id for u in _active("camat", exactly=code)],
            kind="laporan_harian",
            subject=f"Laporan harian {name} {tanggal(today)} belum masuk",
            body=(
                f"Laporan pemakaian harian Kecamatan {name} untuk {tanggal(today)} belum diisi. "
                "Mohon isi hari ini agar angka layanan kecamatan tetap lengkap."
            ),
            link=link,
            dedupe=f"laporan:{code}:{today.isoformat()}",
            at=now,
        )
    for petugas in _active("petugas"):
        mine = [c for c in missing if _under(c, petugas.region_code)]
        if not mine:
            continue
        names = ", ".join(stats[c].name for c in mine)
        sent += services.send(
            [petugas.id],
            kind="laporan_harian",
            subject=f"{len(mine)} kecamatan belum mengirim laporan harian {tanggal(today)}",
            body=f"Belum melapor per pukul 10.00 WIB: {names}.",
            link=url_for("assets.not_reported"),
            dedupe=f"laporan-petugas:{today.isoformat()}",
            at=now,
        )
    return f"{len(missing)} kecamatan belum melapor; {sent} penerima diberi tahu."


# --- low blanko stock ----------------------------------------------------------------------


def _recipients(code: str, roles: tuple[str, ...]) -> list[int]:
    return services.recipients(code, roles)


def low_blanko(now: datetime) -> str:
    """Each location low on blanko, once per episode: notified when it becomes low, again only
    after it recovered and fell low once more."""
    today = today_wib(now)
    low = {row.code: row for row in blanko_queries.low_locations(SYSTEM, today)}
    open_keys = {
        e.key: e for e in db.session.scalars(sa.select(Episode).where(Episode.key.like("blanko:%")))
    }
    ended = [e for k, e in open_keys.items() if k.removeprefix("blanko:") not in low]
    for e in ended:
        db.session.delete(e)
    started = 0
    for code, row in low.items():
        key = f"blanko:{code}"
        if key in open_keys:
            continue
        episode = Episode(key=key, started_at=now)
        db.session.add(episode)
        started += 1
        roles = ("petugas", "kadis") if row.level == "kabkota" else ("camat", "petugas")
        cover = row.days_of_cover
        cover_text = f"cukup untuk ± {number(round(cover, 1))} hari" if cover is not None else ""
        services.send(
            _recipients(code, roles),
            kind="blanko_menipis",
            subject=f"Stok blanko KTP-el {row.name} menipis",
            body=(
                f"Tersedia {number(row.available)} keping di {row.name}"
                + (f", {cover_text}" if cover_text else "")
                + f" (ambang {row.threshold} hari). Segera ajukan distribusi atau permintaan."
            ),
            link=url_for("blanko.location", code=code),
            dedupe=f"blanko:{code}:{int(now.timestamp())}",
            at=now,
        )
    db.session.flush()
    return f"{len(low)} lokasi menipis; {started} baru diberi tahu; {len(ended)} pulih."


# --- weekly digest -------------------------------------------------------------------------

# (label, figure, format) of the digest, all from the summary the API shows.
DIGEST_FIGURES = (
    ("Aset tercatat", "assets_count", "n"),
    ("Aset beroperasi", "operational_pct", "%"),
    ("Perekaman", "recorded", "n"),
    ("Pemohon ditolak", "turned_away", "n"),
    ("Kepatuhan melapor", "reporting_pct", "%"),
    ("Tiket terbuka", "open_tickets", "n"),
    ("Tiket melewati SLA", "overdue_tickets", "n"),
    ("Blanko terpakai", "blanko_used", "n"),
    ("Saldo blanko", "blanko_balance", "n"),
)


def digest_week(now: datetime) -> tuple[date, date]:
    """The last full week, Monday to Sunday, before the day of `now`."""
    today = today_wib(now)
    end = today - timedelta(days=today.weekday() + 1)
    return end - timedelta(days=6), end


def _fmt(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "%":
        return number(value) + "%"
    return number(value)


def digest_lines(total: dict) -> list[str]:
    return [f"- {label}: {_fmt(total.get(key), kind)}" for label, key, kind in DIGEST_FIGURES]


def weekly_digest(now: datetime) -> str:
    start, end = digest_week(now)
    sent = 0
    for kadis in _active("kadis"):
        region = hearing_services.resolve_region(kadis, None)
        summary = hearing_services.summary_for(kadis, region, start, end, today=today_wib(now))
        total = summary.as_api()["total"]
        name = summary.scope_name
        link = url_for("hearing.summary", dari=start.isoformat(), sampai=end.isoformat())
        body = "\n".join(
            [
                f"Ringkasan {name}, {tanggal(start)} – {tanggal(end)}:",
                *digest_lines(total),
                "",
                "Rincian per kecamatan ada pada tautan di bawah.",
            ]
        )
        sent += services.send(
            [kadis.id],
            kind="ringkasan",
            subject=f"Ringkasan mingguan {name} {tanggal(start)} – {tanggal(end)}",
            body=body,
            link=link,
            dedupe=f"ringkasan:{start.isoformat()}",
            at=now,
        )
    return f"Ringkasan {start.isoformat()}–{end.isoformat()} dikirim ke {sent} kepala dinas."


# --- certificates expiring ----------------------------------------------------------------

CERT_STEPS = (60, 30, 7)


def certificates_expiring(now: datetime) -> str:
    """Each certificate reaching 60, 30 and 7 days before its end: the operator's camat and
    the petugas of the kab/kota, once per step."""
    today = today_wib(now)
    sent = 0
    rows = training_queries.certificates_expiring(today, max(CERT_STEPS))
    for att_id, number_, name, region_code, valid_until in rows:
        left = (valid_until - today).days
        step = min(s for s in CERT_STEPS if left <= s)
        sent += services.send(
            services.recipients(region_code, ("camat", "petugas")),
            kind="sertifikat",
            subject=f"Sertifikat {name} berakhir {tanggal(valid_until)}",
            body=(
                f"Sertifikat pelatihan {number_ or ''} atas nama {name} berlaku sampai "
                f"{tanggal(valid_until)} ({left} hari lagi). Jadwalkan pelatihan ulang agar "
                "perangkat tetap dioperasikan oleh operator bersertifikat."
            ),
            link=url_for("training.operators"),
            dedupe=f"sertifikat:{att_id}:{step}",
            at=now,
        )
    return f"{len(rows)} sertifikat berakhir dalam {max(CERT_STEPS)} hari; {sent} pemberitahuan."


# --- letters waiting for signature ---------------------------------------------------------


def working_days_between(start: date, end: date, region_code: str | None = None) -> int:
    """Working days of the office calendar (of `region_code`'s kab/kota) after `start` up to
    and including `end`."""
    days, d = 0, start + timedelta(days=1)
    while d <= end:
        days += ticket_queries.is_working_day(d, region_code)
        d += timedelta(days=1)
    return days


def letters_waiting(now: datetime) -> str:
    """Outgoing drafts older than 2 working days: the kadis of the issuing Dinas."""
    today = today_wib(now)
    waiting = [
        letter
        for letter in letter_queries.drafts_created_before(now - timedelta(days=2))
        if working_days_between(today_wib(letter.created_at), today, letter.region_code) > 2
    ]
    sent = 0
    for letter in waiting:
        days = working_days_between(today_wib(letter.created_at), today, letter.region_code)
        sent += services.send(
            services.recipients(letter.region_code, ("kadis",)),
            kind="surat_ttd",
            subject=f"Surat menunggu tanda tangan: {letter.perihal}"[:200],
            body=(
                f"Draf surat kepada {letter.recipient.splitlines()[0]} perihal {letter.perihal} "
                f"menunggu tanda tangan sejak {tanggal(today_wib(letter.created_at))} "
                f"({days} hari kerja)."
            ),
            link=url_for("letters.detail", letter_id=letter.id),
            related=("letter", letter.id),
            dedupe=f"surat_ttd:{letter.id}",
            at=now,
        )
    return f"{len(waiting)} surat menunggu tanda tangan; {sent} kepala dinas diberi tahu."


# --- blanko requests to the Ditjen unanswered ----------------------------------------------

DITJEN_DAYS = 14


def ditjen_unanswered(now: datetime) -> str:
    today = today_wib(now)
    open_requests = blanko_queries.requests_unanswered_since(today - timedelta(days=DITJEN_DAYS))
    sent = 0
    for req in open_requests:
        days = (today - req.letter_date).days
        sent += services.send(
            services.recipients(req.region_code, ("petugas", "kadis")),
            kind="blanko_ditjen",
            subject=f"Permintaan blanko {req.number_label} belum dijawab Ditjen",
            body=(
                f"Permintaan {number(req.quantity)} keping blanko KTP-el dengan surat "
                f"{req.number_label} tanggal {tanggal(req.letter_date)} belum dipenuhi setelah "
                f"{days} hari. Mohon tindak lanjuti ke Ditjen Dukcapil."
            ),
            link=url_for("blanko.request_detail", request_id=req.id),
            related=("blanko_request", req.id),
            dedupe=f"blanko_ditjen:{req.id}:{(days // 7) * 7}",
            at=now,
        )
    return (
        f"{len(open_requests)} permintaan belum dijawab ≥ {DITJEN_DAYS} hari; {sent} diberi tahu."
    )


# --- silent failures -----------------------------------------------------------------------


def silent_failures(now: datetime) -> str:
    day = silent.last_working_day_before(today_wib(now))
    found = silent.silent_kecamatan(day)
    for row in found:
        median = number(row.median)
        services.send(
            services.recipients(row.code, ("camat", "petugas")),
            kind="gangguan",
            subject=f"Kemungkinan gangguan di {row.name}",
            body=(
                f"Pada {tanggal(day)} {row.name} melaporkan {number(row.recorded)} perekaman "
                f"(median 20 hari kerja: {median}) padahal semua perangkat tercatat beroperasi. "
                "Bila ada perangkat yang bermasalah, laporkan lewat tautan ini."
            ),
            link=url_for("tickets.new"),
            dedupe=f"gangguan:{row.code}:{day.isoformat()}",
            at=now,
        )
    return f"{len(found)} kecamatan kemungkinan gangguan pada {day.isoformat()}."


JOBS: tuple[Job, ...] = (
    Job("eskalasi_sla", "Eskalasi SLA tiket", "*/15 * * * *", escalation),
    Job("laporan_harian", "Pengingat laporan harian", "0 10 * * 1-5", daily_report_missing),
    Job("blanko_menipis", "Stok blanko menipis", "0 * * * *", low_blanko),
    Job("ringkasan_mingguan", "Ringkasan mingguan kepala dinas", "0 7 * * 1", weekly_digest),
    Job("sertifikat", "Sertifikat akan kedaluwarsa", "0 8 * * *", certificates_expiring),
    Job("surat_ttd", "Surat menunggu tanda tangan", "0 8 * * 1-5", letters_waiting),
    Job("blanko_ditjen", "Permintaan blanko ke Ditjen", "0 9 * * 1-5", ditjen_unanswered),
    Job("gangguan", "Kemungkinan gangguan (output nol)", "30 9 * * 1-5", silent_failures),
    # the closed days of every location's 30-day blanko use, once after each day change
    Job(
        "jendela_blanko",
        "Jendela pemakaian blanko 30 hari",
        "*/5 * * * *",
        blanko_services.refresh_use_window,
        max_late=timedelta(minutes=5),
    ),
    # a national installation's pages read it (hearing.snapshot); smaller ones skip it
    Job(
        "ringkasan_instalasi",
        "Ringkasan seluruh instalasi (halaman nasional)",
        "*/5 * * * *",
        hearing_services.refresh_installation_summary,
        max_late=timedelta(minutes=5),
    ),
)


def job_named(name: str) -> Job | None:
    return next((j for j in JOBS if j.name == name), None)


__all__ = ["JOBS", "Job", "job_named"]
