"""The ticket daily rollup (`tickets.daily`): counted at filing in the same transaction, it
equals a recomputation from `tickets`; and `ticket_stats_by_region`, which reads it and only
the tickets that can matter at `as_of`, gives what the one-scan definition over every ticket
gives (the reference below), for random ticket histories and moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from assets_app.common.formatting import WIB
from assets_app.extensions import db
from assets_app.tickets import daily, stats
from assets_app.tickets import services as tickets
from assets_app.tickets.models import Ticket, TicketEvent
from tests.properties import EXAMPLES, fresh_users
from tests.tickets.helpers import NOTE

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tue 1 December 2026, 09.00 WIB
FIRST = date(2026, 10, 20)
KEC = ("35.11.01", "35.11.05", "35.11.06")
PATHS = (
    (),
    ("diterima",),
    ("diterima", "dikerjakan"),
    ("diterima", "dikerjakan", "selesai"),
    ("diterima", "dikerjakan", "selesai", "ditutup"),
    ("diterima", "dikerjakan", "selesai", "dikerjakan", "selesai"),  # reopened, resolved again
    ("diterima", "dikerjakan", "selesai", "dikerjakan"),  # reopened, still open
)


def reference(user, region_code, start, end, as_of) -> dict:
    """The figures as one scan over every ticket defines them (the implementation before the
    rollup), to compare with."""
    lo, hi = stats.period(start, end)
    t = stats.as_instant(as_of)
    upper = min(hi, t + timedelta(microseconds=1))
    resolved = (
        sa.select(TicketEvent.id)
        .where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.kind == "transition",
            TicketEvent.to_value == "selesai",
            TicketEvent.at >= lo,
            TicketEvent.at < upper,
        )
        .correlate(Ticket)
        .exists()
    )
    stmt = (
        sa.select(
            Ticket.region_code,
            sa.func.count(sa.case((stats.open_at(t), 1))),
            sa.func.count(sa.case((stats.overdue_at(t), 1))),
            sa.func.min(sa.case((stats.open_at(t), Ticket.created_at))),
            sa.func.count(
                sa.case((sa.and_(Ticket.created_at >= lo, Ticket.created_at < upper), 1))
            ),
            sa.func.count(sa.case((resolved, 1))),
        )
        .where(*stats._where(user, region_code), Ticket.created_at <= t)
        .group_by(Ticket.region_code)
    )
    return {
        code: {
            "open_tickets": a,
            "overdue_tickets": b,
            "oldest_ticket_days": stats.age_days(old, t) if old is not None else 0,
            "filed": f,
            "resolved": r,
        }
        for code, a, b, old, f, r in db.session.execute(stmt)
    }


ticket = st.fixed_dictionaries(
    {
        "kec": st.integers(0, 2),
        "day": st.integers(0, 40),
        "hour": st.sampled_from((0, 8, 13, 23)),  # 00.xx and 23.xx WIB: the day's edges
        "urgency": st.sampled_from(("rendah", "tinggi")),
        "path": st.sampled_from(PATHS),
        "gap": st.integers(0, 4),  # days between steps
    }
)
histories = st.lists(ticket, min_size=1, max_size=8)


def write(users, specs) -> None:
    petugas = users["petugas"]
    for n, spec in enumerate(specs):
        filed = datetime.combine(FIRST + timedelta(days=spec["day"]), time(spec["hour"], 30), WIB)
        with time_machine.travel(filed, tick=False):
            tk, _ = tickets.file_ticket(
                by=petugas,
                region_code=KEC[spec["kec"]],
                category="jaringan",
                urgency=spec["urgency"],
                impact=spec["urgency"],
                title=f"Gangguan {n + 1}",
                description="Tidak dapat mengirim data perekaman.",
            )
            db.session.commit()
        when = filed
        for to in spec["path"]:
            when = min(when + timedelta(days=spec["gap"], minutes=7), NOW)
            with time_machine.travel(when, tick=False):
                tickets.transition(tk, by=petugas, to=to, note=NOTE.get(to, "ok"), at=when)
                db.session.commit()


def moments():
    """(start, end, as_of) read: whole periods, a date, mid-day instants and before/after."""
    return (
        (date(2026, 10, 20), date(2026, 11, 30), NOW),
        (date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 15)),
        (date(2026, 11, 1), date(2026, 11, 15), datetime(2026, 11, 10, 6, 0, tzinfo=UTC)),
        (date(2026, 11, 1), date(2026, 11, 15), datetime(2026, 11, 20, 16, 45, tzinfo=UTC)),
        (date(2026, 10, 25), date(2026, 11, 5), datetime(2026, 10, 24, 12, 0, tzinfo=UTC)),
    )


@pytest.mark.slow
def test_rollup_and_figures_equal_the_ticket_scan_after_random_histories(
    app, users, runner, _dbstate
):
    @EXAMPLES
    @given(specs=histories)
    def run(specs):
        fresh = fresh_users(_dbstate)
        with time_machine.travel(NOW, tick=False):
            write(fresh, specs)
            assert daily.check() == []
            maintained = db.session.execute(sa.select(daily.T)).all()
            for user in (fresh["kadis"], fresh["camat"]):
                for region in (None, "35.11.05"):
                    for start, end, as_of in moments():
                        got = stats.ticket_stats_by_region(user, region, start, end, as_of)
                        assert got == reference(user, region, start, end, as_of)
            daily.rebuild()
            db.session.commit()
            assert sorted(db.session.execute(sa.select(daily.T)).all()) == sorted(maintained)
            assert runner.invoke(args=["rollups", "check"]).exit_code == 0

    run()


def test_filing_counts_the_wib_day_and_check_reports_a_corrupted_row(app, users, runner):
    late = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 1 December 00.30 WIB
    with time_machine.travel(late, tick=False):
        for _ in range(2):
            tickets.file_ticket(
                by=users["petugas"],
                region_code="35.11.05",
                category="jaringan",
                urgency="tinggi",
                impact="tinggi",
                title="Jaringan putus",
                description="VPN tidak tersambung.",
            )
        db.session.commit()
    rows = db.session.execute(sa.select(daily.T.c.region_code, daily.T.c.day, daily.T.c.filed))
    assert [tuple(r) for r in rows] == [("35.11.05", date(2026, 12, 1), 2)]
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0
    db.session.execute(sa.text("UPDATE ticket_daily SET filed = 5"))
    db.session.commit()
    result = runner.invoke(args=["rollups", "check", "--region", "35.11"])
    assert result.exit_code == 1
    assert "ticket_daily: 1 selisih" in result.output and "35.11.05" in result.output
    assert runner.invoke(args=["rollups", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0
