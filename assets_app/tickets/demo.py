"""Demo tickets: the Kota Serang story (Kec. Cipocok Jaya, five months, letters, no reply) and a
realistic mix for Bondowoso, Kab. Bekasi and Kota Depok. Idempotent: a kab/kota that already
has demo tickets is left alone. Links an asset only when the kecamatan has one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.auth.models import User
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.regions.models import Region
from assets_app.regions.scope import subtree_clause
from assets_app.tickets import queries, services, sla_config
from assets_app.tickets.models import Ticket

CIPOCOK = "36.73.05"


def _user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _kadis_serang() -> User:
    """The Serang letters need a kadis to sign; the foundation's demo users have none there."""
    user = _user("kadis.serang")
    if user is None:
        from assets_app.auth import DEMO_PASSWORD
        from assets_app.auth.services import create_user

        user = create_user(
            "kadis.serang",
            role="kadis",
            password=DEMO_PASSWORD,
            name="Kepala Dinas Dukcapil Kota Serang",
            region_code="36.73",
        )
    return user


def _asset_in(region_code: str, categories=("server", "perekaman", "jaringan")):
    return asset_queries.first_asset_in(region_code, categories)


def _at(days_ago: int, hour: int = 9, minute: int = 0, now: datetime | None = None) -> datetime:
    """A working-hour instant `days_ago` days before today (WIB), moved off weekends."""
    now = now or utcnow()
    d = now.astimezone(WIB).date() - timedelta(days=days_ago)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return datetime.combine(d, time(hour, minute), tzinfo=WIB)


def _workday_after(start: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    """The `days`-th weekday after `start` (WIB) at the given time: the story's steps keep
    their order and spacing whatever weekday the story started on."""
    d = start.astimezone(WIB).date()
    while days > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
    return datetime.combine(d, time(hour, minute), tzinfo=WIB)


def _has_demo(region_prefix: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Ticket.id)
            .where(
                subtree_clause(Ticket.region_code, region_prefix),
                Ticket.region_code != region_prefix,
            )
            .limit(1)
        )
    )


def _file(reporter, region_code, category, urgency, impact, title, description, at, asset=True):
    a = _asset_in(region_code) if asset else None
    ticket, _ = services.file_ticket(
        by=reporter,
        region_code=region_code,
        category=category,
        urgency=urgency,
        impact=impact,
        title=title,
        description=description,
        asset_id=a.id if a else None,
        at=at,
    )
    return ticket


def _walk(ticket, handler, steps):
    """steps: (to, days_ago, note, party) applied in order."""
    for to, at, note, party in steps:
        services.transition(ticket, by=handler, to=to, note=note, responsible_party=party, at=at)


def _serang(now) -> str:
    camat = _user("camat.cipocok")
    petugas = _user("petugas.serang")
    if camat is None or petugas is None or db.session.get(Region, CIPOCOK) is None:
        return "Kota Serang dilewati (pengguna atau wilayah demo belum ada)"
    kadis = _kadis_serang()
    opened = _at(152, 8, 15, now)
    ticket = _file(
        camat,
        CIPOCOK,
        "perangkat",
        "tinggi",
        "tinggi",
        "Server perekaman KTP-el kecamatan mati, warga tidak bisa merekam",
        "Server perekaman di kantor Kecamatan Cipocok Jaya mati total sejak pagi ini; lampu "
        "indikator daya menyala tetapi sistem tidak bisa masuk. Warga yang datang untuk "
        "perekaman KTP-el kami arahkan ke Dinas.",
        opened,
    )
    # Nobody accepted it the first day: the cron of that morning raised it to level 2.
    from assets_app.tickets.escalation import EscalationResult, escalate_ticket

    escalate_ticket(
        ticket,
        sla_config.transitions_by_ticket([ticket.id])[ticket.id],
        _workday_after(opened, 1, 9, 45),
        sla_config.load_sla_config(ticket.region_code),
        EscalationResult(),
    )
    _walk(
        ticket,
        petugas,
        [
            ("diterima", _workday_after(opened, 1, 10), "Diterima, teknisi dijadwalkan.", None),
            (
                "dikerjakan",
                _workday_after(opened, 2, 9),
                "Pemeriksaan di lokasi: power supply server rusak.",
                None,
            ),
            (
                "menunggu_pihak_ketiga",
                _workday_after(opened, 3, 14),
                "Suku cadang tidak tersedia di daerah; perangkat bagian dari pengadaan pusat, "
                "menunggu penggantian dari Ditjen Dukcapil.",
                "ditjen_dukcapil",
            ),
        ],
    )
    settings = letters.get_settings("36.73")
    # Three letters from the kecamatan to the Dinas, recorded as incoming letters.
    for i, days in enumerate((147, 112, 70), start=1):
        d = _at(days, now=now).date()
        incoming = letters.compose_letter(
            by=petugas,
            region_code=CIPOCOK,
            direction="masuk",
            number=f"045.2/{100 + i * 37}/Kec.Cpc/{d.year}",
            letter_date=d,
            received_on=d + timedelta(days=1),
            sender="Camat Cipocok Jaya",
            recipient=f"Kepala {letters.office_name(settings)}",
            perihal=(
                "Permohonan perbaikan server perekaman KTP-el"
                if i == 1
                else f"Permohonan perbaikan server perekaman KTP-el (surat ke-{i})"
            ),
            body="Mohon perbaikan segera; pelayanan perekaman KTP-el di kecamatan terhenti.",
            subject_type=queries.SUBJECT,
            subject_id=ticket.id,
        )
        incoming.created_at = _at(days - 1, 10, 0, now)
    # One letter from the Dinas to Ditjen Dukcapil a month ago: signed, sent, no reply.
    sent = _at(30, 9, 0, now)
    fields = services.letter_draft_defaults(ticket, "ditjen_dukcapil", today=sent.date())
    fields["sifat"] = "segera"
    letter = services.compose_ticket_letter(ticket, by=petugas, **fields)
    letter.created_at = sent - timedelta(days=2)
    letter.letter_date = sent.date()
    letters.sign_letter(letter, kadis, at=sent)
    letters.mark_sent(letter, petugas, sent.date(), "srikandi")
    db.session.flush()
    # A fresher one in another kecamatan of Kota Serang.
    _file(
        petugas,
        "36.73.02",
        "jaringan",
        "sedang",
        "tinggi",
        "Koneksi VPN ke pusat data putus-sambung",
        "Koneksi dari Kecamatan Kasemen ke pusat data sering terputus setiap siang.",
        _at(2, 10, 30, now),
    )
    return f"Kota Serang: {ticket.number} Cipocok Jaya (152 hari, 3 surat masuk, 1 surat ke Ditjen)"


MIX = {
    "35.11": [
        (
            "35.11.05",
            "listrik",
            "tinggi",
            "sedang",
            "UPS ruang perekaman tidak menyimpan daya",
            20,
            "dikerjakan",
            "pln",
        ),
        (
            "35.11.01",
            "perangkat",
            "sedang",
            "sedang",
            "Printer KTP-el macet, ribbon tersangkut",
            9,
            "selesai",
            "disdukcapil",
        ),
        (
            "35.11.02",
            "aplikasi",
            "sedang",
            "rendah",
            "Aplikasi SIAK gagal sinkron data pindah datang",
            4,
            "diterima",
            "disdukcapil",
        ),
        (
            "35.11.03",
            "perangkat",
            "tinggi",
            "tinggi",
            "Kamera perekaman tidak terdeteksi",
            1,
            "baru",
            "disdukcapil",
        ),
        (
            "35.11.04",
            "jaringan",
            "rendah",
            "sedang",
            "Wi-Fi ruang tunggu lambat",
            40,
            "ditutup",
            "diskominfo",
        ),
    ],
    "32.16": [
        (
            "32.16.05",
            "perangkat",
            "tinggi",
            "tinggi",
            "Alat perekam sidik jari rusak, antrean sejak subuh",
            35,
            "menunggu_pihak_ketiga",
            "vendor",
        ),
        (
            "32.16.01",
            "blanko",
            "tinggi",
            "sedang",
            "Blanko KTP-el habis di kecamatan",
            6,
            "dikerjakan",
            "disdukcapil",
        ),
        (
            "32.16.02",
            "listrik",
            "sedang",
            "sedang",
            "Listrik kantor kecamatan padam bergilir",
            12,
            "selesai",
            "pln",
        ),
    ],
    "32.76": [
        (
            "32.76.02",
            "jaringan",
            "tinggi",
            "tinggi",
            "Jaringan ke server Dukcapil terputus",
            3,
            "dikerjakan",
            "diskominfo",
        ),
        (
            "32.76.01",
            "perangkat",
            "rendah",
            "rendah",
            "Signature pad kurang responsif",
            25,
            "ditutup",
            "disdukcapil",
        ),
        (
            "32.76.05",
            "aplikasi",
            "sedang",
            "tinggi",
            "Cetak KK gagal setelah pembaruan aplikasi",
            8,
            "menunggu_pihak_ketiga",
            "ditjen_dukcapil",
        ),
    ],
}
HANDLER = {"35.11": "petugas.bondowoso", "32.16": "kadis.bekasi", "32.76": "petugas.depok"}
REPORTER = {"35.11.05": "camat.pujer"}
PATH = {
    "baru": [],
    "diterima": ["diterima"],
    "dikerjakan": ["diterima", "dikerjakan"],
    "menunggu_pihak_ketiga": ["diterima", "dikerjakan", "menunggu_pihak_ketiga"],
    "selesai": ["diterima", "dikerjakan", "selesai"],
    "ditutup": ["diterima", "dikerjakan", "selesai", "ditutup"],
}
NOTES = {
    "diterima": "Diterima.",
    "dikerjakan": "Teknisi menuju lokasi.",
    "menunggu_pihak_ketiga": "Menunggu tindakan pihak ketiga.",
    "selesai": "Perbaikan selesai dan sudah diuji.",
    "ditutup": "Sudah normal, terima kasih.",
}


def _mix(kab: str, now) -> str | None:
    handler = _user(HANDLER[kab])
    if handler is None or db.session.get(Region, kab) is None:
        return None
    made = []
    for code, cat, urg, imp, title, days, status, party in MIX[kab]:
        reporter = _user(REPORTER.get(code, "")) or handler
        opened = _at(days, 8, 30, now)
        t = _file(
            reporter, code, cat, urg, imp, title, f"{title}. Dilaporkan dari kecamatan.", opened
        )
        if party != "disdukcapil":
            services.assign(
                t, by=handler, responsible_party=party, at=opened + timedelta(minutes=30)
            )
        step_at = opened + timedelta(hours=1)
        for to in PATH[status]:
            closer = reporter if to == "ditutup" else handler
            services.transition(t, by=closer, to=to, note=NOTES[to], at=step_at)
            step_at = step_at + timedelta(days=max(1, days // 4))
            step_at = min(step_at, now - timedelta(minutes=5))
        made.append(t.number)
    return f"{kab}: {len(made)} tiket"


def demo_tickets() -> str:
    now = utcnow()
    out = []
    if not _has_demo("36.73"):
        out.append(_serang(now))
    for kab in MIX:
        if not _has_demo(kab):
            summary = _mix(kab, now)
            if summary:
                out.append(summary)
    if not out:
        return "sudah ada, tidak diubah"
    # As if the cron had been running: escalations so far, with their drafted letters.
    from assets_app.tickets.escalation import escalate

    result = escalate(now)
    out.append(f"eskalasi: {len(result.raised)} tiket, {result.letters} draf surat")
    return "; ".join(out)
