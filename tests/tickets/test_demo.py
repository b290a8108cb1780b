"""`flask demo load`: the Cipocok Jaya story and a mix for the other kab/kota, idempotent."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.common.timeutil import WIB, today_wib
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.letters import queries as letter_queries
from assets_app.letters.models import Letter
from assets_app.tickets import queries
from assets_app.tickets.models import Ticket, TicketEvent


def counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Ticket, TicketEvent, Letter)
    )


# The story is told relative to the day it is loaded; a fixed Monday keeps the test's own
# arithmetic (ages, working days, escalation) independent of the day the suite runs.
@pytest.mark.slow
@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False)
def test_demo_tells_the_kota_serang_story_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Tiket: Kota Serang:" in first.output
    cipocok = db.session.scalars(sa.select(Ticket).where(Ticket.region_code == "36.73.05")).one()
    age = utcnow() - cipocok.created_at
    assert timedelta(days=150) <= age <= timedelta(days=156)
    assert cipocok.status == "menunggu_pihak_ketiga"
    assert cipocok.responsible_party == "ditjen_dukcapil"
    assert cipocok.is_overdue()
    assert cipocok.escalation_level == 2
    ticket_letters = queries.ticket_letters(cipocok)
    incoming = [lt for lt in ticket_letters if lt.direction == "masuk"]
    outgoing = [lt for lt in ticket_letters if lt.direction == "keluar"]
    assert len(incoming) == 3 and all(lt.sender == "Camat Cipocok Jaya" for lt in incoming)
    (ditjen,) = outgoing
    assert ditjen.recipient.startswith("Direktur Jenderal Kependudukan")
    assert ditjen.status == "terkirim" and ditjen.replied_on is None
    assert timedelta(days=28) <= today_wib() - ditjen.sent_on <= timedelta(days=33)
    assert ditjen.number.startswith("000.2.2/0001/Disdukcapil/")
    summary = letter_queries.correspondence(ticket_letters)
    assert summary.replies == 0 and summary.days_waiting >= 145
    assert summary.text.startswith("1 surat keluar, 3 surat masuk, 0 balasan, menunggu ")
    for kab in ("35.11", "32.16", "32.76"):
        n = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Ticket)
            .where(Ticket.region_code.like(kab + ".%"))
        )
        assert n >= 3, kab
    statuses = set(db.session.scalars(sa.select(Ticket.status)))
    assert statuses == {
        "baru",
        "diterima",
        "dikerjakan",
        "menunggu_pihak_ketiga",
        "selesai",
        "ditutup",
    }
    before = counts()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "Tiket: sudah ada, tidak diubah" in second.output
    assert counts() == before
