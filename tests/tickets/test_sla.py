"""SLA clocks as pure functions: working calendar, weekends, holidays, pauses, reopen."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from assets_app.tickets import sla
from assets_app.tickets.sla import WIB, WorkCalendar, add_working_time, working_time

CAL = WorkCalendar()  # Mon–Fri 07:30–16:00 WIB
H = timedelta(hours=1)
M = timedelta(minutes=1)

# Monday 23 November 2026 … the week used below.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, 23) + timedelta(days=i) for i in range(7))
NEXT_MON = MON + timedelta(days=7)


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=WIB)


def test_the_test_week_starts_on_monday():
    assert MON.weekday() == 0 and SAT.weekday() == 5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(MON, 8), at(MON, 10), 2 * H),
        (at(MON, 6), at(MON, 8), 30 * M),  # before office hours do not count
        (at(MON, 15), at(MON, 18), H),  # neither do the hours after 16:00
        (at(MON, 15), at(TUE, 8, 30), 2 * H),  # overnight
        (at(FRI, 15), at(NEXT_MON, 8, 30), 2 * H),  # across the weekend
        (at(SAT, 9), at(SUN, 15), timedelta(0)),  # a weekend alone
        (at(MON, 7, 30), at(NEXT_MON, 7, 30), 5 * (8 * H + 30 * M)),  # one working week
        (at(MON, 12), at(MON, 12), timedelta(0)),
        (at(MON, 12), at(MON, 11), timedelta(0)),  # end before start
        (at(MON, 16), at(TUE, 7, 30), timedelta(0)),  # the night between
    ],
)
def test_working_time(start, end, expected):
    assert working_time(start, end, CAL) == expected


def test_holidays_do_not_count():
    cal = WorkCalendar(holidays=frozenset({WED}))
    assert working_time(at(TUE, 15), at(THU, 8, 30), cal) == 2 * H
    assert working_time(at(WED, 8), at(WED, 15), cal) == timedelta(0)


def test_other_hours_and_days():
    cal = WorkCalendar(day_start=time(8), day_end=time(12), workdays=frozenset({0, 1, 2, 3, 4, 5}))
    assert cal.day_length == 4 * H
    assert working_time(at(FRI, 11), at(SAT, 9), cal) == 2 * H  # Saturday is a working day here
    assert working_time(at(SAT, 11), at(NEXT_MON, 9), cal) == 2 * H


def test_calendar_mode_counts_every_hour():
    cal = WorkCalendar(mode="kalender", holidays=frozenset({SAT}))
    assert working_time(at(FRI, 15), at(NEXT_MON, 8, 30), cal) == timedelta(hours=65, minutes=30)
    assert add_working_time(at(FRI, 15), timedelta(hours=65, minutes=30), cal) == at(
        NEXT_MON, 8, 30
    )
    assert cal.day_length == timedelta(days=1)


def test_utc_input_is_read_in_wib():
    # 00:30 UTC is 07:30 WIB: the start of the working day.
    start = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    assert working_time(start, start + 2 * H, CAL) == 2 * H
    assert working_time(start - H, start, CAL) == timedelta(0)


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (at(MON, 8), 2 * H, at(MON, 10)),
        (at(MON, 6), H, at(MON, 8, 30)),  # starts counting at 07:30
        (at(MON, 15), H, at(MON, 16)),  # exactly the end of the day, not next morning
        (at(MON, 15), H + M, at(TUE, 7, 31)),
        (at(FRI, 15), 4 * H, at(NEXT_MON, 10, 30)),  # over the weekend
        (at(SAT, 10), H, at(NEXT_MON, 8, 30)),
        (at(MON, 7, 30), 5 * (8 * H + 30 * M), at(FRI, 16)),
        (at(MON, 12), timedelta(0), at(MON, 12)),
    ],
)
def test_add_working_time(start, amount, expected):
    assert add_working_time(start, amount, CAL) == expected


def test_add_working_time_skips_holidays():
    cal = WorkCalendar(holidays=frozenset({NEXT_MON}))
    assert add_working_time(at(FRI, 15), 2 * H, cal) == at(NEXT_MON + timedelta(days=1), 8, 30)


def test_add_is_the_inverse_of_working_time_on_a_grid():
    """For every pair of working instants on a grid over two weeks (with a holiday), adding
    the working time between them to the first gives the second; and time is additive."""
    cal = WorkCalendar(holidays=frozenset({THU}))
    instants = []
    for day in range(14):
        d = MON + timedelta(days=day)
        if not cal.is_working_day(d):
            continue
        for minutes in range(0, 8 * 60 + 31, 85):
            instants.append(at(d, 7, 30) + timedelta(minutes=minutes))
    checked = 0
    for i, a in enumerate(instants):
        for b in instants[i + 1 :: 3]:
            worked = working_time(a, b, cal)
            landing = add_working_time(a, worked, cal)
            # Landing at 16:00 and at 07:30 next working day is the same working instant.
            assert working_time(landing, b, cal) == timedelta(0)
            assert working_time(b, landing, cal) == timedelta(0)
            mid = a + (b - a) / 2
            assert working_time(a, mid, cal) + working_time(mid, b, cal) == worked
            checked += 1
    assert checked > 200


def test_calendar_without_working_days_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar(workdays=frozenset())
    with pytest.raises(ValueError):
        WorkCalendar(day_start=time(16), day_end=time(8))
    with pytest.raises(ValueError):
        WorkCalendar(mode="lain")
    every_day_off = WorkCalendar(workdays=frozenset({0}), holidays=frozenset())
    assert add_working_time(at(TUE, 8), H, every_day_off) == at(NEXT_MON, 8, 30)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        working_time(datetime(2026, 11, 23, 8), at(MON, 9), CAL)


# --- clocks --------------------------------------------------------------------------------

ACCEPT = 4 * H  # kritis: 4 hours to accept
RESOLVE = 2 * CAL.day_length  # and 2 working days (17 hours) to resolve


def clocks(opened, transitions, now, cal=CAL):
    return sla.compute_clocks(opened, transitions, now, cal, ACCEPT, RESOLVE)


def test_new_ticket_both_clocks_run():
    c = clocks(at(MON, 8), [], at(MON, 11))
    assert c.accept.state == "berjalan" and c.resolve.state == "berjalan"
    assert c.accept.elapsed == 3 * H and c.accept.remaining == H
    assert c.accept.due_at == at(MON, 12)
    assert not c.accept.breached
    # 14 working hours left at 11:00 Monday: 5 h Monday, 8.5 h Tuesday, 0.5 h Wednesday.
    assert c.resolve.due_at == at(WED, 8)
    assert c.accept.ratio == pytest.approx(0.75)


def test_accept_clock_stops_when_accepted_and_remembers_the_breach():
    c = clocks(at(MON, 8), [(at(MON, 12, 30), "diterima")], at(TUE, 9))
    assert c.accept.state == "berhenti"
    assert c.accept.elapsed == 4 * H + 30 * M
    assert c.accept.breached and c.accept.due_at == at(MON, 12)
    assert c.resolve.state == "berjalan"
    assert c.resolve.elapsed == 8 * H + 90 * M


def test_accepted_in_time_is_not_breached_and_stops_escalating():
    c = clocks(at(MON, 8), [(at(MON, 9), "diterima")], at(MON, 15))
    assert not c.accept.breached
    assert c.escalation_ratio == pytest.approx(c.resolve.ratio)


def test_filed_on_friday_evening_counts_from_monday_morning():
    c = clocks(at(FRI, 17), [], at(NEXT_MON, 9))
    assert c.accept.elapsed == 90 * M
    assert c.accept.due_at == at(NEXT_MON, 11, 30)


def test_waiting_for_a_third_party_pauses_the_resolve_clock():
    trans = [
        (at(MON, 9), "diterima"),
        (at(MON, 10), "dikerjakan"),
        (at(MON, 14), "menunggu_pihak_ketiga"),
        (at(WED, 10), "dikerjakan"),
    ]
    c = clocks(at(MON, 8), trans, at(WED, 11))
    assert c.resolve.elapsed == 7 * H  # 08–14 Monday and 10–11 Wednesday
    paused = clocks(at(MON, 8), trans[:3], at(WED, 11))
    assert paused.resolve.state == "dijeda"
    assert paused.resolve.elapsed == 6 * H
    assert paused.resolve.due_at is None  # nothing to project while paused
    assert paused.resolve.remaining == 11 * H
    # The pause keeps the clock frozen however long it lasts.
    later = clocks(at(MON, 8), trans[:3], at(NEXT_MON, 11))
    assert later.resolve.elapsed == 6 * H


def test_breach_before_the_pause_stays_a_breach():
    trans = [(at(MON, 8, 5), "diterima"), (at(MON, 8, 10), "dikerjakan")]
    trans.append((at(WED, 10), "menunggu_pihak_ketiga"))
    c = clocks(at(MON, 8), trans, at(NEXT_MON, 9))
    assert c.resolve.state == "dijeda"
    assert c.resolve.breached
    # 17 h from Monday 08:00: 8 h Monday, 8.5 h Tuesday, 0.5 h Wednesday.
    assert c.resolve.due_at == at(WED, 8)
    assert c.overdue


def test_resolved_ticket_stops_and_reopen_continues_the_clock():
    trans = [
        (at(MON, 8), "diterima"),
        (at(MON, 9), "dikerjakan"),
        (at(TUE, 10), "selesai"),
    ]
    done = clocks(at(MON, 8), trans, at(WED, 15))
    assert done.resolve.state == "berhenti"
    assert done.resolve.elapsed == 8 * H + 150 * M  # Monday 08–16, Tuesday 07:30–10:00
    reopened = clocks(at(MON, 8), [*trans, (at(WED, 9), "dikerjakan")], at(WED, 10))
    # The day spent "selesai" does not count; the clock continues from 10 h 30 min.
    assert reopened.resolve.state == "berjalan"
    assert reopened.resolve.elapsed == 11 * H + 30 * M
    assert reopened.resolve.due_at == at(WED, 15, 30)
    closed = clocks(at(MON, 8), [*trans, (at(WED, 9), "ditutup")], at(THU, 10))
    assert closed.resolve.state == "berhenti"
    assert closed.resolve.elapsed == done.resolve.elapsed


def test_holiday_moves_the_due_date():
    cal = WorkCalendar(holidays=frozenset({TUE}))
    c = clocks(at(MON, 8), [], at(MON, 11), cal)
    assert c.resolve.due_at == at(THU, 8)  # Tuesday skipped


def test_transitions_after_now_are_ignored():
    trans = [(at(MON, 9), "diterima"), (at(TUE, 9), "selesai")]
    c = clocks(at(MON, 8), trans, at(MON, 12))
    assert c.resolve.state == "berjalan"
    assert c.resolve.elapsed == 4 * H


def test_calendar_mode_clock():
    cal = WorkCalendar(mode="kalender")
    c = sla.compute_clocks(at(FRI, 20), [], at(SAT, 2), cal, ACCEPT, 2 * cal.day_length)
    assert c.accept.breached and c.accept.due_at == at(SAT, 0)
    assert c.resolve.due_at == at(SUN, 20)


@pytest.mark.parametrize(
    ("ratio", "level"),
    [(0, 0), (0.999, 0), (1.0, 1), (1.49, 1), (1.5, 2), (2.99, 2), (3.0, 3), (12.0, 3)],
)
def test_escalation_levels(ratio, level):
    assert sla.escalation_level(ratio) == level


def test_duration_text_uses_working_days():
    assert sla.format_duration(2 * CAL.day_length + 3 * H + 15 * M, CAL) == "2 hari 3 jam 15 menit"
    assert sla.format_duration(timedelta(0), CAL) == "0 menit"
    assert sla.format_duration(25 * H, WorkCalendar(mode="kalender")) == "1 hari 1 jam"


def test_target_of_zero_is_refused():
    with pytest.raises(ValueError):
        sla.compute_clocks(at(MON, 8), [], at(MON, 9), CAL, timedelta(0), RESOLVE)
