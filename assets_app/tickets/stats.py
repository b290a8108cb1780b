"""Ticket figures for the DPRD packet and dashboards. Every function:

- takes the reading user (scope applies: only their region and its subtree) and an optional
  `region_code` (a kab/kota or kecamatan inside the scope, subtree included);
- takes the moment `as_of` explicitly: an aware instant, or a `date` meaning the end of that
  day (WIB). The hearing summary passes its one `as_of` (end of the period's last day, or the
  generation instant when the period ends today or later);
- reads `start`/`end` as inclusive WIB dates;
- runs a fixed number of aggregate queries, whatever the number of tickets.

A ticket filed after `as_of` does not exist for these figures. A ticket's status at a moment
is read from its event log (the last `transition` event at or before it; a ticket without
one is `baru`), so a ticket opened in May and closed in August was open at 30 June, and a
ticket resolved in March and reopened in August was not.

- **Tiket terbuka** (open, a moment): filed at or before `as_of` and, at `as_of`, in an open
  status (baru, diterima, dikerjakan, menunggu pihak ketiga). Unit: tickets.
- **Tiket melewati batas waktu** (overdue, a moment): open at `as_of`, and a clock had reached
  its target by then (the resolve clock, or the accept clock while the ticket was still
  `baru` at `as_of`). Due instants come from the SLA cache on the ticket (`accept_due_at`,
  `resolve_due_at`, exact by `services.refresh_sla`: projected while a clock runs, actual
  once reached — so `due <= as_of` means reached by `as_of`). Unit: tickets.
- **Umur tiket terbuka tertua** (oldest open ticket age, a moment): calendar days in WIB
  from the day the oldest ticket open at `as_of` was filed to the day of `as_of`
  (`queries.age_days`, the definition the pages use too). Unit: days.
- **Tiket dilaporkan** (filed, a period): tickets filed within [start, end] (and not after
  `as_of`). Unit: tickets.
- **Tiket diselesaikan** (resolved, a period): tickets with a transition to `selesai` within
  [start, end] (and not after `as_of`), each ticket once. Unit: tickets.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import WIB, end_of_day, start_of_day
from assets_app.extensions import db
from assets_app.letters.queries import letters_for_subjects
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, subtree_clause
from assets_app.tickets.models import OPEN_STATUSES, Ticket, TicketDaily, TicketEvent


def age_days(created_at: datetime, at: datetime) -> int:
    """The age of a ticket at `at`, the one definition every page and figure uses: calendar
    days in WIB from the day it was filed to the day of `at` (filed yesterday at 23:00 and
    read today at 08:00 → 1 day; filed today → 0)."""
    return (at.astimezone(WIB).date() - created_at.astimezone(WIB).date()).days


def as_instant(as_of: date | datetime) -> datetime:
    """The moment of a figure: an aware instant as given, a date as the end of that day WIB."""
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            raise ValidationFailed(errors={"as_of": ["Waktu harus memakai zona waktu."]})
        return as_of
    if isinstance(as_of, date):
        return datetime.combine(as_of, time.max, tzinfo=WIB)
    raise ValidationFailed(errors={"as_of": ["Waktu keadaan wajib diisi."]})


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 WIB, end+1 00:00 WIB)."""
    if start > end:
        raise ValidationFailed(errors={"start": ["Tanggal awal harus sebelum tanggal akhir."]})
    return start_of_day(start), end_of_day(end)


def _where(user, region_code: str | None) -> list:
    clauses = [scope_clause(Ticket.region_code, user)]
    if region_code:
        clauses.append(subtree_clause(Ticket.region_code, region_code))
    return clauses


def logged_status_at(t: datetime):
    """SQL: the ticket's status at `t`, from its event log (`baru` when no transition yet)."""
    last = (
        sa.select(TicketEvent.to_value)
        .where(
            TicketEvent.ticket_id == Ticket.id,
            TicketEvent.kind == "transition",
            TicketEvent.at <= t,
        )
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
        .correlate(Ticket)
        .scalar_subquery()
    )
    return sa.func.coalesce(last, "baru")


def status_at(t: datetime):
    """SQL: the ticket's status at `t`: its cached status when no transition of any ticket
    came after `t` (a reading of now), else searched in its event log
    (`logged_status_at`). The same status either way."""
    later = sa.select(TicketEvent.id).where(TicketEvent.kind == "transition", TicketEvent.at > t)
    return sa.case((later.exists(), logged_status_at(t)), else_=Ticket.status)


def party_at(t: datetime):
    """SQL: the responsible party at `t`: the latest party change up to `t`, else the party
    the first later change replaced (the ticket's party then), else the current one."""

    def change(up_to: bool):
        ev = TicketEvent
        when = ev.at <= t if up_to else ev.at > t
        order = (ev.at.desc(), ev.id.desc()) if up_to else (ev.at, ev.id)
        return (
            sa.select(ev.to_value if up_to else ev.from_value)
            .where(ev.ticket_id == Ticket.id, ev.kind == "party", when)
            .order_by(*order)
            .limit(1)
            .correlate(Ticket)
            .scalar_subquery()
        )

    return sa.func.coalesce(change(True), change(False), Ticket.responsible_party)


def open_at(t: datetime, status=None):
    """`status`: the `status_at(t)` expression, when the caller already built it (one
    expression rendered twice costs no more SQL and a third of the Python)."""
    status = status_at(t) if status is None else status
    return sa.and_(Ticket.created_at <= t, status.in_(OPEN_STATUSES))


def overdue_at(t: datetime, status=None):
    status = status_at(t) if status is None else status
    return sa.and_(
        open_at(t, status),
        sa.or_(
            Ticket.resolve_due_at <= t,
            sa.and_(Ticket.accept_due_at <= t, status == "baru"),
        ),
    )


def ticket_stats_by_region(
    user, region_code: str | None, start: date, end: date, as_of: date | datetime
) -> dict[str, dict]:
    """{kecamatan code: {"open_tickets", "overdue_tickets", "oldest_ticket_days", "filed",
    "resolved"}} — open/overdue/oldest at `as_of`, filed and resolved within [start, end]
    (see the module's definitions). Only kecamatan with at least one ticket filed by `as_of`
    appear. Four queries, none over every ticket:

    - the moment figures read only the tickets that can be open at `as_of`: open now, or with a
      transition after `as_of` (indexed `status` and event `at`); a ticket closed now without
      a later transition was closed at `as_of` too;
    - `resolved` reads the period's `selesai` transitions (indexed `at`);
    - `filed` reads the period's days of the daily rollup (`tickets.daily`) before the day of
      `as_of` and which kecamatan appear (probes of the rollup's key per region), and the
      tickets filed on that day itself (indexed `created_at`)."""
    lo, hi = period(start, end)
    t = as_instant(as_of)
    upper = min(hi, t + timedelta(microseconds=1))  # flows: inside the period, up to as_of
    where = _where(user, region_code)
    out: dict[str, dict] = {}

    def row(code: str) -> dict:
        return out.setdefault(
            code,
            {
                "open_tickets": 0,
                "overdue_tickets": 0,
                "oldest_ticket_days": 0,
                "filed": 0,
                "resolved": 0,
            },
        )

    # filed, and every kecamatan with a ticket by `as_of`: the rollup before the day of
    # `as_of`, that day from the tickets
    day_t = t.astimezone(WIB).date()
    D = TicketDaily.__table__
    # per region of the scope with a ticket before that day (a probe of the rollup's key),
    # its tickets filed in the period's days before it: probes, not the rollup's history
    filed_before = (
        sa.select(sa.func.sum(D.c.filed))
        .where(
            D.c.region_code == Region.code,
            D.c.day >= start,
            D.c.day <= end,
            D.c.day < day_t,
        )
        .scalar_subquery()
    )
    rolled = sa.select(Region.code, filed_before).where(
        scope_clause(Region.code, user),
        subtree_clause(Region.code, region_code) if region_code else sa.true(),
        sa.select(D.c.day).where(D.c.region_code == Region.code, D.c.day < day_t).exists(),
    )
    for code, filed in db.session.execute(rolled).all():
        row(code)["filed"] += int(filed or 0)
    filed_then = sa.and_(Ticket.created_at >= lo, Ticket.created_at < upper)
    that_day = (
        sa.select(Ticket.region_code, sa.func.count(sa.case((filed_then, 1))))
        .where(*where, Ticket.created_at >= start_of_day(day_t), Ticket.created_at <= t)
        .group_by(Ticket.region_code)
    )
    for code, filed in db.session.execute(that_day).all():
        row(code)["filed"] += filed

    changed_later = sa.select(TicketEvent.ticket_id).where(
        TicketEvent.kind == "transition", TicketEvent.at > t
    )
    may_be_open = sa.or_(Ticket.status.in_(OPEN_STATUSES), Ticket.id.in_(changed_later))
    status = status_at(t)
    is_open = open_at(t, status)
    moment = (
        sa.select(
            Ticket.region_code,
            sa.func.count(sa.case((is_open, 1))),
            sa.func.count(sa.case((overdue_at(t, status), 1))),
            sa.func.min(sa.case((is_open, Ticket.created_at))),
        )
        .where(*where, Ticket.created_at <= t, may_be_open)
        .group_by(Ticket.region_code)
    )
    for code, n_open, n_late, oldest in db.session.execute(moment).all():
        r = row(code)
        r["open_tickets"], r["overdue_tickets"] = n_open, n_late
        r["oldest_ticket_days"] = age_days(oldest, t) if oldest is not None else 0

    resolved = (
        sa.select(Ticket.region_code, sa.func.count(sa.distinct(TicketEvent.ticket_id)))
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            *where,
            Ticket.created_at <= t,
            TicketEvent.kind == "transition",
            TicketEvent.to_value == "selesai",
            TicketEvent.at >= lo,
            TicketEvent.at < upper,
        )
        .group_by(Ticket.region_code)
    )
    for code, n in db.session.execute(resolved).all():
        row(code)["resolved"] = n
    return out


def overdue_tickets_with_letters(
    user, region_code: str | None, as_of: date | datetime, limit: int = 200
) -> list[dict]:
    """Overdue tickets at `as_of` (as `ticket_stats_by_region` counts them; a ticket filed
    after `as_of` is never listed), oldest first (at most `limit`), each with its letters:
    {"ticket_id", "number", "region_code", "kecamatan", "title", "status", "created_at",
    "responsible_party", "days_waiting", "letters": [(number, date, recipient), …]} — `status`
    and `responsible_party` are those at `as_of`; letters that carry a number (signed outgoing or recorded
    incoming) dated on or before `as_of`, by date. Two queries."""
    t = as_instant(as_of)
    stmt = (
        sa.select(Ticket, Region.name, status_at(t), party_at(t))
        .join(Region, Region.code == Ticket.region_code)
        .where(*_where(user, region_code), overdue_at(t))
        .order_by(Ticket.created_at, Ticket.id)
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    day = t.astimezone(WIB).date()  # letters dated after the moment are not shown with it
    by_ticket = letters_for_subjects("ticket", [tk.id for tk, *_ in rows])
    out = []
    for tk, kec, status, party in rows:
        out.append(
            {
                "ticket_id": tk.id,
                "number": tk.number,
                "region_code": tk.region_code,
                "kecamatan": kec,
                "title": tk.title,
                "status": status,
                "created_at": tk.created_at,
                "responsible_party": party,
                "days_waiting": age_days(tk.created_at, t),
                "letters": [
                    (lt.number, lt.letter_date or lt.sent_on, lt.recipient.splitlines()[0])
                    for lt in by_ticket.get(tk.id, [])
                    if lt.number and (lt.letter_date or lt.sent_on or day) <= day
                ],
            }
        )
    return out
