"""SLA clocks as pure functions: no Flask, no database, no "now" except the one passed in.

Two clocks per ticket:

- **accept** (time to accept) runs while the ticket is `baru` and stops for good when it
  leaves `baru`;
- **resolve** (time to resolve) runs while the ticket is `baru`, `diterima` or `dikerjakan`,
  is paused in `menunggu_pihak_ketiga` and stopped in `selesai`/`ditutup`; a reopened ticket
  (`selesai → dikerjakan`) continues from the time already used.

Time is counted by a `WorkCalendar`: working hours on working days that are not holidays
(default Monday–Friday 07:30–16:00 WIB), or plain calendar time. Everything is exact to the
microsecond; targets of a number of "days" are days of the calendar (8.5 hours of work by
default, 24 hours in calendar mode).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from assets_app.common.timeutil import WIB

ZERO = timedelta(0)

ACCEPT_RUNNING = frozenset({"baru"})
RESOLVE_RUNNING = frozenset({"baru", "diterima", "dikerjakan"})
RESOLVE_PAUSED = frozenset({"menunggu_pihak_ketiga"})

# Escalation thresholds: level → share of the target used.
ESCALATION_THRESHOLDS = ((3, 3.0), (2, 1.5), (1, 1.0))

# How far add_working_time looks for working time before giving up (a calendar with every
# day a holiday would otherwise loop forever).
_MAX_DAYS = 366 * 30


@dataclass(frozen=True)
class WorkCalendar:
    mode: str = "kerja"  # "kerja": working hours only; "kalender": every hour counts
    day_start: time = time(7, 30)
    day_end: time = time(16, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    holidays: frozenset[date] = field(default_factory=frozenset)
    tz: tzinfo = WIB

    def __post_init__(self):
        if self.mode not in ("kerja", "kalender"):
            raise ValueError("mode kalender harus 'kerja' atau 'kalender'")
        if self.mode == "kerja":
            if self.day_end <= self.day_start:
                raise ValueError("jam selesai harus setelah jam mulai")
            if not self.workdays:
                raise ValueError("paling sedikit satu hari kerja")

    @property
    def day_length(self) -> timedelta:
        if self.mode == "kalender":
            return timedelta(days=1)
        return datetime.combine(date.min, self.day_end) - datetime.combine(date.min, self.day_start)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() in self.workdays and d not in self.holidays

    def window(self, d: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(d, self.day_start, tzinfo=self.tz),
            datetime.combine(d, self.day_end, tzinfo=self.tz),
        )


def _aware(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("waktu harus memakai zona waktu")
    return dt


def working_time(start: datetime, end: datetime, cal: WorkCalendar) -> timedelta:
    """Working time between two instants (zero when end ≤ start)."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        return ZERO
    if cal.mode == "kalender":
        return end - start
    s, e = start.astimezone(cal.tz), end.astimezone(cal.tz)
    total = ZERO
    d = s.date()
    while d <= e.date():
        if cal.is_working_day(d):
            ws, we = cal.window(d)
            lo, hi = max(ws, s), min(we, e)
            if hi > lo:
                total += hi - lo
        d += timedelta(days=1)
    return total


def add_working_time(start: datetime, amount: timedelta, cal: WorkCalendar) -> datetime:
    """The instant at which `amount` of working time has passed after `start`."""
    start = _aware(start)
    if amount <= ZERO:
        return start
    if cal.mode == "kalender":
        return start + amount
    s = start.astimezone(cal.tz)
    d = s.date()
    remaining = amount
    for _ in range(_MAX_DAYS):
        if cal.is_working_day(d):
            ws, we = cal.window(d)
            lo = max(ws, s)
            if we > lo:
                available = we - lo
                if remaining <= available:
                    return lo + remaining
                remaining -= available
        d += timedelta(days=1)
    raise ValueError("kalender kerja tidak memiliki waktu kerja dalam 30 tahun ke depan")


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    status: str


def segments(
    opened_at: datetime, transitions: Iterable[tuple[datetime, str]], now: datetime
) -> list[Segment]:
    """The ticket's status over [opened_at, now): `transitions` are (at, new status) pairs;
    the ticket starts `baru`. Transitions after `now` are ignored (as-of computations)."""
    opened_at, now = _aware(opened_at), _aware(now)
    out: list[Segment] = []
    status, since = "baru", opened_at
    for at, to in sorted(transitions, key=lambda t: t[0]):
        at = max(_aware(at), opened_at)
        if at > now:
            break
        if at > since:
            out.append(Segment(since, at, status))
        status, since = to, at
    out.append(Segment(since, max(now, since), status))
    return out


@dataclass(frozen=True)
class Clock:
    target: timedelta
    elapsed: timedelta
    state: str  # "berjalan" (running), "dijeda" (paused), "berhenti" (stopped)
    due_at: datetime | None  # when elapsed reaches target: actual if reached, else projected

    @property
    def remaining(self) -> timedelta:
        return max(self.target - self.elapsed, ZERO)

    @property
    def breached(self) -> bool:
        return self.elapsed > self.target

    @property
    def ratio(self) -> float:
        return self.elapsed / self.target if self.target else 0.0

    @property
    def running(self) -> bool:
        return self.state == "berjalan"


def _clock(
    segs: Sequence[Segment],
    running: frozenset[str],
    paused: frozenset[str],
    target: timedelta,
    now: datetime,
    cal: WorkCalendar,
) -> Clock:
    if target <= ZERO:
        raise ValueError("target SLA harus lebih dari nol")
    elapsed, due = ZERO, None
    for seg in segs:
        if seg.status not in running:
            continue
        worked = working_time(seg.start, seg.end, cal)
        if due is None and elapsed + worked >= target:
            due = add_working_time(seg.start, target - elapsed, cal)
        elapsed += worked
    current = segs[-1].status
    state = "berjalan" if current in running else "dijeda" if current in paused else "berhenti"
    if due is None and state == "berjalan":
        due = add_working_time(now, target - elapsed, cal)
    return Clock(target=target, elapsed=elapsed, state=state, due_at=due)


@dataclass(frozen=True)
class TicketClocks:
    accept: Clock
    resolve: Clock

    @property
    def escalation_ratio(self) -> float:
        """The share of target used that drives escalation: the resolve clock, and the accept
        clock while it still runs."""
        accept = self.accept.ratio if self.accept.running else 0.0
        return max(accept, self.resolve.ratio)

    @property
    def overdue(self) -> bool:
        return self.resolve.breached or (self.accept.running and self.accept.breached)


def compute_clocks(
    opened_at: datetime,
    transitions: Iterable[tuple[datetime, str]],
    now: datetime,
    cal: WorkCalendar,
    accept_target: timedelta,
    resolve_target: timedelta,
) -> TicketClocks:
    segs = segments(opened_at, transitions, now)
    return TicketClocks(
        accept=_clock(segs, ACCEPT_RUNNING, frozenset(), accept_target, now, cal),
        resolve=_clock(segs, RESOLVE_RUNNING, RESOLVE_PAUSED, resolve_target, now, cal),
    )


def escalation_level(ratio: float) -> int:
    for level, threshold in ESCALATION_THRESHOLDS:
        if ratio >= threshold:
            return level
    return 0


def resolve_target(days: int | float, cal: WorkCalendar) -> timedelta:
    return cal.day_length * days


def accept_target(hours: int | float, cal: WorkCalendar) -> timedelta:
    return timedelta(hours=hours)


def format_duration(td: timedelta, cal: WorkCalendar) -> str:
    """ "2 hari 3 jam 15 menit" where a day is a day of the calendar (8,5 jam kerja by default)."""
    total_minutes = int(td.total_seconds() // 60)
    day_minutes = int(cal.day_length.total_seconds() // 60)
    days, rest = divmod(total_minutes, day_minutes)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} hari")
    if hours:
        parts.append(f"{hours} jam")
    if minutes or not parts:
        parts.append(f"{minutes} menit")
    return " ".join(parts)
