"""The "Tiket perbaikan" panel of the kecamatan page and the tickets block of the home page."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.common.permissions import can
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.letters.queries import correspondence, letters_for_subjects
from assets_app.regions.panels import region_panel
from assets_app.regions.scope import scope_clause, subtree_clause
from assets_app.tickets.models import OPEN_STATUSES, Ticket
from assets_app.tickets.queries import SORTS, age_days, overdue_clause

PANEL_ROWS = 10


@region_panel("tickets", "Tiket perbaikan", "tickets/_panel.html", order=30)
def region_tickets(region, user):
    if not can(user, "tickets.view"):
        return None
    now = utcnow()
    where = [
        scope_clause(Ticket.region_code, user),
        subtree_clause(Ticket.region_code, region.code),
        Ticket.status.in_(OPEN_STATUSES),
    ]
    total, late = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.case((overdue_clause(now), 1)))).where(*where)
    ).one()
    rows = db.session.scalars(
        sa.select(Ticket)
        .where(*where)
        .order_by(SORTS["priority"], Ticket.created_at)
        .limit(PANEL_ROWS)
    ).all()
    by_ticket = letters_for_subjects("ticket", [t.id for t in rows])
    letters = {tid: correspondence(items) for tid, items in by_ticket.items() if items}
    return {
        "tickets": rows,
        "total": total,
        "overdue": late,
        "now": now,
        "letters": letters,
        "age": lambda t: age_days(t.created_at, now),
    }


def home_tickets(user):
    if not can(user, "tickets.view"):
        return None
    now = utcnow()
    scope = scope_clause(Ticket.region_code, user)
    is_open = Ticket.status.in_(OPEN_STATUSES)
    mine = sa.or_(Ticket.reporter_id == user.id, Ticket.assignee_id == user.id)
    total, late, own = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.case((overdue_clause(now), 1))),
            sa.func.count(sa.case((mine, 1))),
        ).where(scope, is_open)
    ).one()
    return {"open": total, "overdue": late, "mine": own}
