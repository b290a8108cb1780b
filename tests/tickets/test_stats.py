"""Figures for the DPRD packet: open by age, mean time to resolve, overdue, per kecamatan,
overdue tickets with their letters — scoped, as of a date, in bounded queries."""

from datetime import date, datetime

import pytest
import time_machine

from assets_app.extensions import db
from assets_app.letters import queries as letter_queries
from assets_app.letters import services as letters
from assets_app.tickets import services, stats
from assets_app.tickets.sla import WIB
from tests.querycount import count_queries
from tests.tickets.helpers import file_ticket


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def step(ticket, by, at, *targets, party=None):
    with time_machine.travel(at, tick=False):
        for to in targets:
            services.transition(
                ticket,
                by=by,
                to=to,
                note="catatan",
                responsible_party=party if to == "menunggu_pihak_ketiga" else None,
            )
        db.session.commit()


@pytest.fixture
def scenario(users):
    petugas = users["petugas"]
    with time_machine.travel(wib(2026, 6, 1, 9), tick=False):
        t1 = file_ticket(users["camat"], title="Server mati")  # kritis, never accepted
    with time_machine.travel(wib(2026, 11, 20, 9), tick=False):
        t2 = file_ticket(users["camat"], urgency="rendah", impact="rendah", title="Kursi")
    with time_machine.travel(wib(2026, 10, 1, 9), tick=False):
        t3 = file_ticket(petugas, region_code="35.11.06", urgency="sedang", impact="sedang")
        services.assign(t3, by=petugas, responsible_party="vendor")
        db.session.commit()
    step(t3, petugas, wib(2026, 10, 1, 10), "diterima", "dikerjakan")
    step(t3, petugas, wib(2026, 10, 5, 9), "selesai")
    with time_machine.travel(wib(2026, 9, 1, 9), tick=False):
        t5 = file_ticket(petugas, region_code="35.11.06", urgency="sedang", impact="sedang")
    step(t5, petugas, wib(2026, 9, 1, 10), "diterima", "dikerjakan")
    step(t5, petugas, wib(2026, 9, 1, 11), "menunggu_pihak_ketiga", party="vendor")
    with time_machine.travel(wib(2026, 7, 1, 9), tick=False):
        file_ticket(users["petugas_serang"], region_code="36.73.05")  # outside Bondowoso
    # Letters on the overdue ticket: one signed and sent, one received, one draft.
    with time_machine.travel(wib(2026, 8, 3, 9), tick=False):
        out = services.compose_ticket_letter(
            t1, by=petugas, **services.letter_draft_defaults(t1, "vendor")
        )
        letters.sign_letter(out, users["kadis"])
        letters.mark_sent(out, petugas, "2026-08-03", "pos")
        services.record_ticket_incoming_letter(
            t1,
            by=petugas,
            sender="Camat Pujer",
            recipient="Kepala Dinas",
            number="045/12/Pjr/2026",
            letter_date="2026-07-20",
            perihal="Permohonan perbaikan",
        )
        services.compose_ticket_letter(t1, by=petugas, **services.letter_draft_defaults(t1))
        db.session.commit()
    return {"t1": t1, "t2": t2, "t3": t3, "t5": t5}


AS_OF = date(2026, 11, 23)


def test_ticket_stats_by_region(users, scenario):
    got = stats.ticket_stats_by_region(
        users["petugas"], None, date(2026, 10, 1), date(2026, 11, 23), as_of=AS_OF
    )
    assert got == {
        "35.11.05": {
            "open_tickets": 2,
            "overdue_tickets": 1,
            "oldest_ticket_days": 175,
            "filed": 1,
            "resolved": 0,
        },
        "35.11.06": {
            "open_tickets": 1,
            "overdue_tickets": 0,
            "oldest_ticket_days": 83,
            "filed": 1,
            "resolved": 1,
        },
    }
    # As of 3 October the vendor ticket was still open.
    early = stats.ticket_stats_by_region(
        users["petugas"], "35.11.06", date(2026, 9, 1), date(2026, 10, 3), as_of=date(2026, 10, 3)
    )
    assert early["35.11.06"]["open_tickets"] == 2


def test_overdue_tickets_with_letters(users, scenario):
    rows = stats.overdue_tickets_with_letters(users["petugas"], None, AS_OF)
    assert len(rows) == 1
    row = rows[0]
    assert row["number"] == scenario["t1"].number
    assert row["kecamatan"] == "Pujer"
    assert row["title"] == "Server mati"
    assert row["days_waiting"] == 175
    assert row["letters"] == [
        ("045/12/Pjr/2026", date(2026, 7, 20), "Kepala Dinas"),
        # No asset named: the vendor is addressed generically.
        ("000.2.2/0001/Disdukcapil/2026", date(2026, 8, 3), "Pimpinan Penyedia Perangkat"),
    ]


def test_report_functions_run_a_fixed_number_of_queries(db, users, scenario):
    def measure():
        db.session.refresh(users["petugas"])  # loaded outside the count
        with count_queries(db.engine) as q:
            stats.ticket_stats_by_region(users["petugas"], None, date(2026, 1, 1), AS_OF, AS_OF)
            stats.overdue_tickets_with_letters(users["petugas"], None, AS_OF)
            letter_queries.letter_stats(users["petugas"], None, date(2026, 1, 1), AS_OF)
        return len(q)

    small = measure()
    with time_machine.travel(wib(2026, 5, 4, 9), tick=False):
        for i in range(15):
            file_ticket(users["camat"], title=f"tambahan {i}", commit=False)
        db.session.commit()
    assert len(stats.overdue_tickets_with_letters(users["petugas"], None, AS_OF)) == 16
    # ticket_stats_by_region: 4 bounded queries (rollup, the day of as_of, moment, resolved)
    assert measure() == small == 8


def test_figures_are_read_at_the_moment_from_the_event_log(users):
    """Issue 12: a January–June reading made in December. A ticket opened in May and closed
    in August was open at 30 June; one resolved on 20 June and reopened in July was not; one
    filed in November does not exist yet."""
    petugas, camat = users["petugas"], users["camat"]
    with time_machine.travel(wib(2026, 5, 4, 9), tick=False):
        may = file_ticket(camat, title="Printer macet")
    step(may, petugas, wib(2026, 5, 4, 10), "diterima", "dikerjakan")
    step(may, petugas, wib(2026, 8, 10, 9), "selesai")
    step(may, camat, wib(2026, 8, 11, 9), "ditutup")
    with time_machine.travel(wib(2026, 3, 2, 9), tick=False):
        march = file_ticket(camat, urgency="rendah", impact="rendah", title="Kabel")
    step(march, petugas, wib(2026, 3, 2, 10), "diterima", "dikerjakan")
    step(march, petugas, wib(2026, 6, 20, 10), "selesai")
    step(march, camat, wib(2026, 7, 1, 9), "dikerjakan")  # reopened in July
    with time_machine.travel(wib(2026, 11, 20, 9), tick=False):
        file_ticket(camat, title="Server mati lagi")
    with time_machine.travel(wib(2026, 12, 1, 14, 5), tick=False):
        got = stats.ticket_stats_by_region(
            petugas, None, date(2026, 1, 1), date(2026, 6, 30), as_of=date(2026, 6, 30)
        )
        late = stats.overdue_tickets_with_letters(petugas, None, date(2026, 6, 30))
        now = stats.ticket_stats_by_region(
            petugas, None, date(2026, 1, 1), date(2026, 12, 1), as_of=wib(2026, 12, 1, 14, 5)
        )
    assert got == {
        "35.11.05": {
            "open_tickets": 1,  # May's, closed only in August
            "overdue_tickets": 1,  # its 3-working-day resolve target passed in May
            "oldest_ticket_days": 57,  # 4 May 09.00 → end of 30 June
            "filed": 2,  # March and May; November is after the moment
            "resolved": 1,  # the March ticket on 20 June; May's came in August
        }
    }
    assert [r["number"] for r in late] == [may.number]
    assert late[0]["status"] == "dikerjakan"  # its status at 30 June, not today's
    assert now["35.11.05"]["open_tickets"] == 2  # reopened March ticket and November's
    assert now["35.11.05"]["filed"] == 3
    assert now["35.11.05"]["resolved"] == 2


def test_the_moment_is_explicit(users):
    with pytest.raises(TypeError):
        stats.ticket_stats_by_region(users["petugas"], None, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(TypeError):
        stats.overdue_tickets_with_letters(users["petugas"], None)


def test_the_settled_status_is_the_status_read_from_the_event_log(db, scenario):
    """After the last transition the cached status is read (no search of the log per
    ticket); before it, the log: the same status for every ticket at every moment."""
    import sqlalchemy as sa

    from assets_app.tickets.models import Ticket

    for t in (wib(2026, 9, 1, 10, 30), wib(2026, 10, 3, 9), wib(2026, 11, 30, 9)):
        log = dict(db.session.execute(sa.select(Ticket.id, stats.logged_status_at(t))).all())
        settled = dict(db.session.execute(sa.select(Ticket.id, stats.status_at(t))).all())
        assert settled == log, t
    now = dict(db.session.execute(sa.select(Ticket.id, Ticket.status)).all())
    assert (
        dict(db.session.execute(sa.select(Ticket.id, stats.status_at(wib(2026, 11, 30, 9)))).all())
        == now
    )
