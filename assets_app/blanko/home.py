"""The blanko block of the home page: what waits for this user, and low-stock locations."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.blanko import queries, stats
from assets_app.blanko.inbox import LOW_STOCK
from assets_app.common.permissions import can
from assets_app.core.inbox import inbox_for
from assets_app.extensions import db


def _count(stmt) -> int:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
        or 0
    )


def _low(user) -> int:
    """Low-stock locations in scope. The inbox on the same page counts exactly these (the
    same `locations_stmt`) for the users it reminds, once per request: its number is taken,
    not counted again (at national scope a count reads 30 days of 7,800 locations)."""
    line = next((e for e in inbox_for(user).entries if e.key == LOW_STOCK), None)
    if line is not None:
        return line.count
    return _count(stats.locations_stmt(user, only_low=True))


def home_context(user) -> dict | None:
    if not can(user, "blanko.view"):
        return None
    return {
        "receipts": _count(queries.pending_receipts_query(user))
        if can(user, "blanko.receive")
        else None,
        "approvals": _count(queries.pending_approvals_query(user, others_only=True))
        if can(user, "blanko.approve")
        else None,
        "low": _low(user),
    }
