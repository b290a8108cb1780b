"""Filing, numbering, double submit, attachments, assets, assignment, comments, SLA cache."""

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.assets.models import Asset, StatusEvent
from assets_app.common.errors import Forbidden, ValidationFailed
from assets_app.common.idempotency import IdempotencyKey
from assets_app.extensions import db
from assets_app.notify.models import OutboxMessage as Notification
from assets_app.tickets import queries, services, sla_config
from assets_app.tickets.models import (
    Ticket,
    TicketAttachment,
    TicketEvent,
)
from assets_app.tickets.sla import WIB
from tests.tickets.helpers import JPEG, PDF, file_ticket, make_asset, png_bytes, walk

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def test_camat_files_for_own_kecamatan_with_priority_and_number(users):
    with time_machine.travel(MONDAY_9, tick=False):
        t = file_ticket(users["camat"], region_code=None, urgency="tinggi", impact="sedang")
    assert t.region_code == "35.11.05"  # fixed to the camat's scope
    assert t.number == "TK-2026-00001"
    assert t.priority == "tinggi"
    assert t.status == "baru" and t.responsible_party == "disdukcapil"
    assert t.reporter_id == users["camat"].id
    # tinggi: accept within 8 working hours → 09:00 Monday + 7 h = 16:00 Monday … + 1 h Tuesday.
    assert t.accept_due_at == datetime(2026, 11, 24, 8, 30, tzinfo=WIB)
    t2 = file_ticket(users["petugas"], region_code="35.11.06")
    assert t2.number == "TK-2026-00002"


def test_numbers_restart_each_year(users):
    with time_machine.travel(datetime(2026, 12, 31, 23, 0, tzinfo=WIB), tick=False):
        assert file_ticket(users["camat"]).number == "TK-2026-00001"
    with time_machine.travel(datetime(2027, 1, 1, 0, 30, tzinfo=WIB), tick=False):
        assert file_ticket(users["camat"]).number == "TK-2027-00001"
        assert file_ticket(users["camat"]).number == "TK-2027-00002"


def test_a_rolled_back_filing_gives_its_number_back(users):
    file_ticket(users["camat"])
    file_ticket(users["camat"], commit=False)
    db.session.rollback()
    assert file_ticket(users["camat"]).number.endswith("-00002")


def test_filing_validation_lists_every_problem_and_writes_nothing(users):
    with pytest.raises(ValidationFailed) as e:
        services.file_ticket(
            by=users["petugas"],
            region_code="36.73.05",
            category="cuaca",
            urgency="",
            impact="parah",
            title="",
            description="x" * 10001,
        )
    errors = e.value.errors
    assert errors["region_code"] == ["Wilayah 36.73.05 di luar cakupan wilayah Anda."]
    assert "Kategori harus salah satu dari" in errors["category"][0]
    assert errors["urgency"] == ["Urgensi wajib dipilih."]
    assert errors["title"] == ["Wajib diisi."]
    assert errors["description"] == ["Maksimal 10000 karakter."]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_region_must_be_a_kecamatan_and_dprd_cannot_file(users):
    with pytest.raises(ValidationFailed) as e:
        file_ticket(users["petugas"], region_code="35.11")
    assert "Kecamatan" in e.value.errors["region_code"][0]
    with pytest.raises(Forbidden):
        file_ticket(users["dprd"])


def test_asset_must_belong_to_the_kecamatan(users):
    mine = make_asset("35.11.05")
    other = make_asset("35.11.06")
    serang = make_asset("36.73.05")
    t = file_ticket(users["camat"], asset_id=mine.id)
    assert t.asset_id == mine.id
    with pytest.raises(ValidationFailed) as e:
        file_ticket(users["petugas"], region_code="35.11.05", asset_id=other.id)
    assert e.value.errors["asset_id"] == ["Aset harus milik kecamatan tiket ini."]
    with pytest.raises(ValidationFailed) as e:
        file_ticket(users["camat"], asset_id=serang.id)
    assert e.value.errors["asset_id"] == ["Aset tidak ditemukan."]


def test_same_idempotency_key_returns_the_same_ticket(users):
    first, created = services.file_ticket(
        by=users["camat"],
        region_code="35.11.05",
        category="listrik",
        urgency="sedang",
        impact="sedang",
        title="Listrik padam",
        description="Padam sejak pagi.",
        idempotency_key="form-123",
    )
    db.session.commit()
    assert created
    again, created = services.file_ticket(
        by=users["camat"],
        region_code="35.11.05",
        category="listrik",
        urgency="sedang",
        impact="sedang",
        title="Listrik padam",
        description="Padam sejak pagi.",
        idempotency_key="form-123",
    )
    assert not created and again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 1
    # The key belongs to the user: another user's same key is another ticket.
    other, created = services.file_ticket(
        by=users["petugas"],
        region_code="35.11.05",
        category="listrik",
        urgency="sedang",
        impact="sedang",
        title="Listrik padam",
        description="Padam sejak pagi.",
        idempotency_key="form-123",
    )
    assert created and other.id != first.id


def test_idempotency_key_reused_for_another_request_is_refused(users):
    payload = {
        "region_code": "35.11.05",
        "category": "listrik",
        "urgency": "sedang",
        "impact": "sedang",
        "title": "A",
        "description": "B",
    }
    services.file_ticket(
        by=users["camat"],
        idempotency_key="k",
        request_fingerprint=services.fingerprint(payload),
        **payload,
    )
    db.session.commit()
    changed = {**payload, "title": "Lain"}
    with pytest.raises(ValidationFailed) as e:
        services.file_ticket(
            by=users["camat"],
            idempotency_key="k",
            request_fingerprint=services.fingerprint(changed),
            **changed,
        )
    assert "isi berbeda" in e.value.errors["idempotency_key"][0]


def test_failed_filing_does_not_burn_the_idempotency_key(users):
    with pytest.raises(ValidationFailed):
        services.file_ticket(
            by=users["camat"],
            region_code="35.11.05",
            category="listrik",
            urgency="sedang",
            impact="sedang",
            title="",
            description="x",
            idempotency_key="retry-me",
        )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 0
    t = file_ticket(users["camat"], idempotency_key="retry-me")
    assert t.number.endswith("00001")


# --- attachments ---------------------------------------------------------------------------


def _stored_files(app) -> list[Path]:
    root = Path(app.instance_path) / "uploads" / "tickets"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_attachments_stored_by_sha256_and_deduplicated(app, users):
    png = png_bytes(13, 7)
    t = file_ticket(users["camat"], attachments=[("foto server.png", png), ("surat.pdf", PDF)])
    atts = queries.ticket_attachments(t)
    assert [(a.filename, a.content_type, a.size) for a in atts] == [
        ("foto server.png", "image/png", len(png)),
        ("surat.pdf", "application/pdf", len(PDF)),
    ]
    sha = hashlib.sha256(png).hexdigest()
    assert atts[0].sha256 == sha
    assert atts[0].stored_path == f"{sha[:2]}/{sha}.png"
    root = Path(app.instance_path) / "uploads" / "tickets"
    assert (root / atts[0].stored_path).read_bytes() == png
    services.add_comment(
        t, by=users["petugas"], note="foto yang sama", attachments=[("lagi.png", png)]
    )
    db.session.commit()
    again = queries.ticket_attachments(t)[-1]
    assert again.filename == "lagi.png"
    assert again.stored_path == atts[0].stored_path  # same content, one stored file
    assert len({a.stored_path for a in queries.ticket_attachments(t)}) == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("foto.jpg", b"GIF89a" + b"\x00" * 50, "jenis berkas tidak diterima"),
        ("skrip.pdf", b"#!/bin/sh\necho hai\n", "jenis berkas tidak diterima"),
        ("kosong.png", b"", "berkas kosong"),
        ("besar.jpg", JPEG + b"\x00" * (5 * 1024 * 1024), "melebihi batas 5 MB"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(app, users, name, data, message):
    before = _stored_files(app)
    with pytest.raises(ValidationFailed) as e:
        file_ticket(users["camat"], attachments=[("baik.png", png_bytes()), (name, data)])
    assert message in e.value.errors["attachments"][0]
    assert e.value.errors["attachments"][0].startswith(name)
    db.session.rollback()
    assert _stored_files(app) == before
    for model in (Ticket, TicketAttachment):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_too_many_files(users):
    with pytest.raises(ValidationFailed) as e:
        file_ticket(users["camat"], attachments=[(f"{i}.pdf", PDF) for i in range(6)])
    assert e.value.errors["attachments"] == ["Paling banyak 5 berkas sekaligus."]


def test_size_cap_is_configurable(app, users):
    app.config["TICKET_ATTACHMENT_MAX_BYTES"] = 100
    try:
        with pytest.raises(ValidationFailed) as e:
            file_ticket(users["camat"], attachments=[("a.pdf", PDF + b"0" * 100)])
        assert "melebihi batas" in e.value.errors["attachments"][0]
    finally:
        del app.config["TICKET_ATTACHMENT_MAX_BYTES"]


# --- asset status --------------------------------------------------------------------------


def test_the_asset_downtime_goes_to_the_party_recorded_on_the_ticket(users):
    """No default party: the asset's status event names the ticket's recorded party."""
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id, category="listrik")
    walk(t, users["petugas"], None, "diterima")
    services.assign(t, by=users["petugas"], responsible_party="pln")
    services.transition(t, by=users["petugas"], to="dikerjakan", note="Tunggu PLN.")
    db.session.commit()
    ev = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == asset.id)).one()
    assert (ev.status, ev.cause, ev.responsible_party) == ("dalam_perbaikan", "listrik", "pln")


def test_working_and_resolving_update_the_asset_in_the_same_transaction(users):
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id, category="jaringan")
    walk(t, users["petugas"], None, "dikerjakan")
    db.session.refresh(asset)
    assert asset.status == "dalam_perbaikan"
    ev = db.session.scalars(sa.select(StatusEvent).where(StatusEvent.asset_id == asset.id)).one()
    assert (ev.status, ev.cause, ev.responsible_party) == (
        "dalam_perbaikan",
        "jaringan",
        "disdukcapil",
    )
    assert ev.created_by_id == users["petugas"].id
    assert ev.note == f"Tiket {t.number}: ok"
    assert asset.status_since == ev.started_at
    services.transition(t, by=users["petugas"], to="selesai", note="Kabel diganti.")
    db.session.commit()
    db.session.refresh(asset)
    assert asset.status == "operasional"
    events = queries.ticket_events(t)
    assert "Status aset Server perekaman menjadi Operasional." in events[-1].note


def test_asset_update_can_be_skipped(users):
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id)
    walk(t, users["petugas"], None, "diterima")
    services.transition(t, by=users["petugas"], to="dikerjakan", update_asset=False)
    db.session.commit()
    assert db.session.get(Asset, asset.id).status == "operasional"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusEvent)) == 0


def test_asset_update_rolls_back_with_a_failed_transition(users):
    asset = make_asset("35.11.05")
    t = file_ticket(users["camat"], asset_id=asset.id)
    walk(t, users["petugas"], None, "dikerjakan")
    with pytest.raises(ValidationFailed):
        services.transition(t, by=users["petugas"], to="selesai", note="")
    db.session.rollback()
    assert db.session.get(Asset, asset.id).status == "dalam_perbaikan"


# --- assignment, comments, notifications ---------------------------------------------------


def test_assign_and_change_party_are_events_with_notifications(users):
    t = file_ticket(users["camat"])
    services.assign(
        t,
        by=users["kadis"],
        assignee_id=users["petugas"].id,
        responsible_party="vendor",
        note="Garansi masih berlaku.",
    )
    db.session.commit()
    kinds = [(e.kind, e.from_value, e.to_value) for e in queries.ticket_events(t)][1:]
    assert kinds == [
        ("assign", None, str(users["petugas"].id)),
        ("party", "disdukcapil", "vendor"),
    ]
    titles = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == users["petugas"].id)
    ).all()
    assert f"Anda ditugaskan pada tiket {t.number}" in titles
    with pytest.raises(ValidationFailed) as e:
        services.assign(t, by=users["kadis"], assignee_id=users["camat"].id)
    assert "petugas, kadis, atau admin" in e.value.errors["assignee_id"][0]
    with pytest.raises(ValidationFailed):
        services.assign(t, by=users["kadis"], assignee_id=users["petugas_serang"].id)
    with pytest.raises(Forbidden):
        services.assign(t, by=users["camat"], assignee_id=users["petugas"].id)


def test_filing_notifies_the_dinas_and_status_changes_notify_the_reporter(users):
    t = file_ticket(users["camat"])
    notified = set(
        db.session.scalars(sa.select(Notification.user_id).where(Notification.related_id == t.id))
    )
    # Kab/kota petugas and kadis; not the whole-installation admin, not Serang, not the camat.
    assert notified == {users["petugas"].id, users["kadis"].id}
    walk(t, users["petugas"], None, "selesai")
    camat_titles = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == users["camat"].id)
    ).all()
    assert f"Tiket {t.number}: Dikerjakan → Selesai" in camat_titles
    # The actor is never notified of their own change.
    own = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == users["petugas"].id)
    ).all()
    assert not any("Diterima" in x for x in own)


def test_comment_needs_text_or_file_and_camat_may_comment(users):
    t = file_ticket(users["camat"])
    with pytest.raises(ValidationFailed) as e:
        services.add_comment(t, by=users["camat"], note=" ")
    assert e.value.errors["note"] == ["Wajib diisi."]
    services.add_comment(t, by=users["camat"], note="Warga masih antre.")
    services.add_comment(t, by=users["camat"], note="", attachments=[("bukti.jpg", JPEG)])
    db.session.commit()
    kinds = [e.kind for e in queries.ticket_events(t)]
    assert kinds == ["transition", "comment", "attachment"]
    with pytest.raises(Forbidden):
        services.add_comment(t, by=users["dprd"], note="halo")


# --- SLA cache and settings ----------------------------------------------------------------


def test_sla_cache_follows_the_workflow_and_overdue_list(users):
    with time_machine.travel(MONDAY_9, tick=False):
        t = file_ticket(users["camat"])  # kritis: accept 4 h, resolve 2 days
    assert t.accept_due_at == datetime(2026, 11, 23, 13, 0, tzinfo=WIB)
    with time_machine.travel(MONDAY_9 + timedelta(hours=5), tick=False):
        assert t.is_overdue()
        late = db.session.scalars(queries.tickets_query(users["petugas"], overdue=True)).all()
        assert [x.id for x in late] == [t.id]
        services.transition(t, by=users["petugas"], to="diterima")
        db.session.commit()
        assert t.accept_due_at == datetime(2026, 11, 23, 13, 0, tzinfo=WIB)  # remembered breach
        assert not t.is_overdue()  # accepted: only the resolve clock matters now
        assert t.resolve_due_at == datetime(2026, 11, 25, 9, 0, tzinfo=WIB)
        services.transition(t, by=users["petugas"], to="dikerjakan")
        services.transition(
            t,
            by=users["petugas"],
            to="menunggu_pihak_ketiga",
            note="vendor",
            responsible_party="vendor",
        )
        db.session.commit()
        assert t.resolve_due_at is None  # paused before the target
    with time_machine.travel(datetime(2026, 12, 10, 9, 0, tzinfo=WIB), tick=False):
        assert not t.is_overdue()  # still paused, still inside the target
        services.transition(t, by=users["petugas"], to="dikerjakan")
        db.session.commit()
        # 5 working hours were used Monday (09–14); 12 h remain from 10 December 09:00.
        assert t.resolve_due_at == datetime(2026, 12, 11, 12, 30, tzinfo=WIB)


def test_sla_settings_recompute_open_tickets(users):
    with time_machine.travel(MONDAY_9, tick=False):
        t = file_ticket(users["camat"], urgency="rendah", impact="rendah")  # rendah: 24 h
        assert t.accept_due_at == datetime(2026, 11, 25, 16, 0, tzinfo=WIB)
        sla_config.save_sla_settings(
            by=users["admin"],
            mode="kalender",
            day_start="07:30",
            day_end="16:00",
            workdays=["0", "1", "2", "3", "4"],
            targets={"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (6, 20)},
        )
        db.session.commit()
        assert t.accept_due_at == MONDAY_9 + timedelta(hours=6)
        sla_config.save_sla_settings(
            by=users["admin"],
            mode="kerja",
            day_start="07:30",
            day_end="16:00",
            workdays=["0", "1", "2", "3", "4"],
            targets={"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (8, 20)},
        )
        sla_config.add_holiday(by=users["admin"], day="2026-11-24", name="Cuti bersama")
        db.session.commit()
        # 7 h Monday, Tuesday a holiday, 1 h Wednesday.
        assert t.accept_due_at == datetime(2026, 11, 25, 8, 30, tzinfo=WIB)


def test_sla_settings_validation(users):
    with pytest.raises(ValidationFailed) as e:
        sla_config.save_sla_settings(
            by=users["admin"],
            mode="kerja",
            day_start="16:00",
            day_end="7.30",
            workdays=[],
            targets={"kritis": ("0", "x")},
        )
    errors = e.value.errors
    assert errors["day_end"] == ["Jam selesai harus setelah jam mulai."]
    assert errors["workdays"] == ["Pilih paling sedikit satu hari kerja."]
    assert errors["accept_kritis"] == ["Target terima 1–720 jam."]
    assert errors["resolve_kritis"] == ["Target selesai 1–365 hari."]
    assert errors["accept_rendah"] == ["Target terima 1–720 jam."]
    with pytest.raises(Forbidden):
        sla_config.save_sla_settings(
            by=users["kadis"], mode="kerja", day_start="", day_end="", workdays=[], targets={}
        )
    sla_config.add_holiday(by=users["admin"], day="2026-12-25", name="Natal")
    with pytest.raises(ValidationFailed) as e:
        sla_config.add_holiday(by=users["admin"], day="2026-12-25", name="Lagi")
    assert "sudah ada" in e.value.errors["day"][0]


def test_ticket_clocks_with_frozen_time(users):
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=WIB), tick=False):  # Friday
        t = file_ticket(users["camat"])
    with time_machine.travel(datetime(2026, 11, 30, 8, 30, tzinfo=WIB), tick=False):  # Monday
        clocks = sla_config.ticket_clocks(t)
        assert clocks.accept.elapsed == timedelta(hours=2)
        assert clocks.accept.due_at == datetime(2026, 11, 30, 10, 30, tzinfo=WIB)
    # 03:30 UTC is 10:30 WIB: exactly the target, not yet breached; a minute later it is.
    at_utc = datetime.combine(datetime(2026, 11, 30).date(), time(3, 30), tzinfo=UTC)
    assert not sla_config.ticket_clocks(t, at_utc).accept.breached
    assert sla_config.ticket_clocks(t, at_utc + timedelta(minutes=1)).accept.breached


def test_events_carry_author_and_time(users):
    with time_machine.travel(MONDAY_9, tick=False):
        t = file_ticket(users["camat"])
    ev = db.session.scalars(sa.select(TicketEvent).where(TicketEvent.ticket_id == t.id)).one()
    assert ev.author_id == users["camat"].id and ev.at == MONDAY_9


def test_working_day_clause_says_what_is_working_day_says(users):
    """The inbox asks the calendar in SQL (`working_day_clause`): the same answer as
    `is_working_day` for every weekday, with no settings, a default calendar, a kab/kota's
    own, and national and kab/kota holidays, for regions inside and outside that kab/kota."""
    monday = date(2026, 11, 23)
    days = [monday + timedelta(days=i) for i in range(14)]
    regions = [None, "35.11", "35.11.05", "35.12", "35.12.01"]

    def agree():
        sla_config.forget_sla_config()
        for day in days:
            for region in regions:
                in_sql = db.session.scalar(sa.select(sla_config.working_day_clause(day, region)))
                expected = sla_config._is_working_day(day, sla_config._kab(region))
                assert bool(in_sql) is expected, (day, region)
                assert queries.is_working_day(day, region) is expected, (day, region)

    agree()  # Monday to Friday, no holiday
    targets = {"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (24, 20)}
    sla_config.save_sla_settings(
        by=users["admin"], mode="kerja", day_start="07:30", day_end="16:00",
        workdays=["0", "1", "2", "3", "4", "5"], targets=targets,
    )  # fmt: skip
    sla_config.add_holiday(by=users["admin"], day="2026-11-24", name="Cuti bersama")
    db.session.commit()
    agree()  # Monday to Saturday, a national holiday
    sla_config.save_sla_settings(
        by=users["admin"], mode="kerja", day_start="07:30", day_end="16:00",
        workdays=["1", "2", "3", "4", "5"], targets=targets, region_code="35.11",
    )  # fmt: skip
    sla_config.add_holiday(
        by=users["admin"], day="2026-12-02", name="Hari jadi", region_code="35.11"
    )
    db.session.commit()
    agree()  # 35.11 Tuesday to Saturday with its own holiday; elsewhere the default
    assert not db.session.scalar(sa.select(sla_config.working_day_clause(monday, "35.11.05")))
    assert db.session.scalar(sa.select(sla_config.working_day_clause(monday, "35.12.01")))
