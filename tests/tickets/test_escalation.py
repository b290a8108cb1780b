"""`flask tickets escalate`: levels at 100/150/300 %, events, notifications, drafted letters,
and a second run that changes nothing."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import time_machine

from assets_app.extensions import db
from assets_app.letters.models import Letter
from assets_app.notify.models import OutboxMessage as Notification
from assets_app.tickets import services
from assets_app.tickets.escalation import escalate
from assets_app.tickets.models import Ticket, TicketEvent
from assets_app.tickets.sla import WIB
from tests.tickets.helpers import file_ticket

MON_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (TicketEvent, Notification, Letter)
    )


def escalation_events(ticket):
    return db.session.scalars(
        sa.select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "escalation")
        .order_by(TicketEvent.id)
    ).all()


def run(at):
    with time_machine.travel(at, tick=False):
        result = escalate()
        db.session.commit()
    return result


def test_levels_rise_once_each(users):
    with time_machine.travel(MON_9, tick=False):
        t = file_ticket(users["camat"])  # kritis: accept 4 h
    assert run(MON_9 + timedelta(hours=3, minutes=59)).raised == []
    r = run(MON_9 + timedelta(hours=4))
    assert r.raised == [(t.number, 0, 1)] and r.letters == 0
    (ev,) = escalation_events(t)
    assert (ev.from_value, ev.to_value, ev.author_id) == ("0", "1", None)
    assert "terlampaui (100% dari target)" in ev.note
    kadis_notes = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == users["kadis"].id)
    ).all()
    assert f"Tiket {t.number} melewati target SLA" in kadis_notes
    before = counts()
    assert run(MON_9 + timedelta(hours=4)).raised == []
    assert counts() == before
    # 150 %: the Disdukcapil itself is responsible, so no letter — the kadis is told.
    r = run(MON_9 + timedelta(hours=6))
    assert r.raised == [(t.number, 1, 2)] and r.letters == 0
    assert "Disdukcapil sendiri" in escalation_events(t)[-1].note
    # Accepted now; the vendor becomes responsible; the resolve clock (17 h) goes on.
    with time_machine.travel(MON_9 + timedelta(hours=6), tick=False):
        services.transition(t, by=users["petugas"], to="diterima")
        services.assign(t, by=users["petugas"], responsible_party="vendor")
        db.session.commit()
    # 300 % of 17 h = 51 working hours after Monday 09:00: Tuesday 1 December 09:00.
    assert run(datetime(2026, 12, 1, 8, 59, tzinfo=WIB)).raised == []
    r = run(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    assert r.raised == [(t.number, 2, 3)] and r.letters == 1
    letter = db.session.scalars(sa.select(Letter)).one()
    assert letter.status == "draf" and letter.number is None  # drafted, never sent
    assert letter.subject_type == "ticket" and letter.subject_id == t.id
    assert letter.created_by_id is None
    assert letter.recipient.startswith("Direktur Jenderal Kependudukan")  # the vendor's superior
    assert letter.sifat == "sangat_segera"
    assert "Draf surat kepada Direktur Jenderal" in escalation_events(t)[-1].note
    before = counts()
    assert run(datetime(2026, 12, 20, 9, 0, tzinfo=WIB)).raised == []  # level 3 is the top
    assert counts() == before


def test_a_late_first_run_takes_every_step(users):
    with time_machine.travel(MON_9, tick=False):
        t = file_ticket(users["camat"])
        services.assign(
            t, by=users["kadis"], responsible_party="pln", assignee_id=users["petugas"].id
        )
        db.session.commit()
    r = run(MON_9 + timedelta(days=7))
    assert r.raised == [(t.number, 0, 3)]
    assert [e.to_value for e in escalation_events(t)] == ["1", "2", "3"]
    recipients = db.session.scalars(sa.select(Letter.recipient).order_by(Letter.id)).all()
    assert recipients == [
        "Manajer PT PLN (Persero) Unit Layanan Pelanggan Bondowoso",
        "General Manager PT PLN (Persero) Unit Induk Distribusi",
    ]
    assignee_notes = db.session.scalars(
        sa.select(Notification.subject).where(
            Notification.user_id == users["petugas"].id, Notification.kind == "eskalasi"
        )
    ).all()
    assert len(assignee_notes) == 3
    assert db.session.get(Ticket, t.id).escalation_level == 3


def test_paused_and_finished_tickets_do_not_escalate(users):
    with time_machine.travel(MON_9, tick=False):
        waiting = file_ticket(users["camat"], title="menunggu")
        for to in ("diterima", "dikerjakan"):
            services.transition(waiting, by=users["petugas"], to=to)
        services.transition(
            waiting,
            by=users["petugas"],
            to="menunggu_pihak_ketiga",
            note="vendor",
            responsible_party="vendor",
        )
        done = file_ticket(users["camat"], title="selesai")
        for to in ("diterima", "dikerjakan"):
            services.transition(done, by=users["petugas"], to=to)
        services.transition(done, by=users["petugas"], to="selesai", note="ok")
        db.session.commit()
    r = run(MON_9 + timedelta(days=30))
    assert r.checked == 1 and r.raised == []


def test_cli_runs_twice_and_changes_nothing_the_second_time(app, runner, users):
    with time_machine.travel(MON_9, tick=False):
        file_ticket(users["camat"])
    with time_machine.travel(MON_9 + timedelta(days=3), tick=False):
        first = runner.invoke(args=["tickets", "escalate", "-v"])
        assert first.exit_code == 0, first.output
        assert "TK-2026-00001: tingkat 0 → 3" in first.output
        assert (
            "1 tiket terbuka diperiksa; 1 naik tingkat eskalasi; 1 draf surat dibuat."
            in first.output
        )
        before = counts()
        second = runner.invoke(args=["tickets", "escalate"])
        assert second.exit_code == 0
        assert second.output.strip() == (
            "1 tiket terbuka diperiksa; 0 naik tingkat eskalasi; 0 draf surat dibuat."
        )
        assert counts() == before
