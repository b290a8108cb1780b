"""Ticket figures for the DPRD packet and dashboards. Every function:

- takes the reading user (scope applies: only their region and its subtree) and an optional
  `region_code` (a kab/kota or kecamatan inside the scope, subtree included);
- reads `as_of` as an instant (a `date` means the end of that day, WIB) and `start`/`end` as
  inclusive WIB dates;
- runs a fixed number of aggregate queries, whatever the number of tickets.

"Open at as_of": filed on or before as_of and not resolved/closed by then. "Overdue at as_of":
open, and a clock had reached its target by then (resolve clock, or the accept clock while
the ticket was still waiting to be accepted). Due instants come from the SLA cache on the
ticket (`accept_due_at`, `resolve_due_at`), kept exact by `services.refresh_sla`.
"""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa

from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import WIB, end_of_day, start_of_day, utcnow
from assets_app.extensions import db
from assets_app.letters.queries import letters_for_subjects
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, subtree_clause
from assets_app.tickets.models import Ticket


def as_instant(as_of: date | datetime | None) -> datetime:
    if as_of is None:
        return utcnow()
    if isinstance(as_of, datetime):
        if as_of.tzinfo is None:
            raise ValidationFailed(errors={"as_of": ["Waktu harus memakai zona waktu."]})
        return as_of
    return datetime.combine(as_of, time.max, tzinfo=WIB)


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


def open_at(t: datetime):
    return sa.and_(
        Ticket.created_at <= t,
        sa.or_(Ticket.resolved_at.is_(None), Ticket.resolved_at > t),
        sa.or_(Ticket.closed_at.is_(None), Ticket.closed_at > t),
    )


def overdue_at(t: datetime):
    return sa.and_(
        open_at(t),
        sa.or_(
            Ticket.resolve_due_at <= t,
            sa.and_(
                Ticket.accept_due_at <= t,
                sa.or_(Ticket.accepted_at.is_(None), Ticket.accepted_at > t),
            ),
        ),
    )


def ticket_stats_by_region(
    user, region_code: str | None, start: date, end: date, as_of=None
) -> dict[str, dict]:
    """{kecamatan code: {"open_tickets", "overdue_tickets", "oldest_ticket_days", "filed",
    "resolved"}} — open/overdue/oldest at `as_of` (default: end of `end`), filed and resolved
    within [start, end]. Only kecamatan with at least one ticket appear. One query."""
    lo, hi = period(start, end)
    t = as_instant(as_of if as_of is not None else end)
    stmt = (
        sa.select(
            Ticket.region_code,
            sa.func.count(sa.case((open_at(t), 1))),
            sa.func.count(sa.case((overdue_at(t), 1))),
            sa.func.min(sa.case((open_at(t), Ticket.created_at))),
            sa.func.count(sa.case((sa.and_(Ticket.created_at >= lo, Ticket.created_at < hi), 1))),
            sa.func.count(sa.case((sa.and_(Ticket.resolved_at >= lo, Ticket.resolved_at < hi), 1))),
        )
        .where(*_where(user, region_code), Ticket.created_at <= max(t, hi))
        .group_by(Ticket.region_code)
    )
    out = {}
    for code, n_open, n_late, oldest, filed, resolved in db.session.execute(stmt):
        out[code] = {
            "open_tickets": n_open,
            "overdue_tickets": n_late,
            "oldest_ticket_days": (t - oldest).days if oldest is not None else 0,
            "filed": filed,
            "resolved": resolved,
        }
    return out


def overdue_tickets_with_letters(
    user, region_code: str | None, as_of=None, limit: int = 200
) -> list[dict]:
    """Overdue tickets at `as_of`, oldest first (at most `limit`), each with its letters:
    {"ticket_id", "number", "region_code", "kecamatan", "title", "status", "created_at",
    "responsible_party", "days_waiting", "letters": [(number, date, recipient), …]} — letters that carry a number
    (signed outgoing or recorded incoming), by date. Two queries."""
    t = as_instant(as_of)
    stmt = (
        sa.select(Ticket, Region.name)
        .join(Region, Region.code == Ticket.region_code)
        .where(*_where(user, region_code), overdue_at(t))
        .order_by(Ticket.created_at, Ticket.id)
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    by_ticket = letters_for_subjects("ticket", [tk.id for tk, _ in rows])
    out = []
    for tk, kec in rows:
        out.append(
            {
                "ticket_id": tk.id,
                "number": tk.number,
                "region_code": tk.region_code,
                "kecamatan": kec,
                "title": tk.title,
                "status": tk.status,
                "created_at": tk.created_at,
                "responsible_party": tk.responsible_party,
                "days_waiting": (t - tk.created_at).days,
                "letters": [
                    (lt.number, lt.letter_date or lt.sent_on, lt.recipient.splitlines()[0])
                    for lt in by_ticket.get(tk.id, [])
                    if lt.number
                ],
            }
        )
    return out
