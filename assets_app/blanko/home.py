"""The blanko block of the home page: what waits for this user, and low-stock locations."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.blanko import queries, stats
from assets_app.common.permissions import can
from assets_app.extensions import db


def _count(stmt) -> int:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
        or 0
    )


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
        "low": _count(stats.locations_stmt(user, only_low=True)),
    }
