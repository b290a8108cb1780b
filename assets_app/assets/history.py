"""The register as it stood at a moment: each asset's status from its event log.

`Asset.status`/`status_since` cache the latest event, which is right for "now". A packet for
a period that has ended reads its point-in-time figures (register, operational, idle, able to
record) as of the period end instead: the status then is the asset's latest `StatusEvent`
started at or before that instant. Events are appended in time order (the status service
refuses an event older than the latest), so the latest is the one with the highest id. An
asset with no event by then had not been acquired yet and is not in the register at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from assets_app.assets.models import Asset, StatusEvent
from assets_app.common.timeutil import utcnow

_UTC = StatusEvent.__table__.c.started_at.type


@dataclass(frozen=True)
class StateAt:
    """Columns of an asset's status and since-when at one moment, and how to join them."""

    status: sa.ColumnElement
    since: sa.ColumnElement
    subquery: sa.Subquery | None = None

    def join(self, stmt: sa.Select) -> sa.Select:
        """`stmt` (selecting from Asset) restricted to the assets that existed then."""
        if self.subquery is None:
            return stmt
        return stmt.join(self.subquery, self.subquery.c.asset_id == Asset.id)


def state_at(at: datetime | None) -> StateAt:
    """The status columns as of `at`; None (or a moment not in the past) means now, read from
    the cached columns without a join."""
    if at is None or at >= utcnow():
        return StateAt(Asset.status, Asset.status_since)
    latest = (
        sa.select(sa.func.max(StatusEvent.id).label("event_id"))
        .where(StatusEvent.started_at <= sa.bindparam("state_at", at, type_=_UTC))
        .group_by(StatusEvent.asset_id)
        .subquery("latest_event")
    )
    sub = (
        sa.select(
            StatusEvent.asset_id.label("asset_id"),
            StatusEvent.status.label("status"),
            StatusEvent.started_at.label("since"),
        )
        .join(latest, latest.c.event_id == StatusEvent.id)
        .subquery("state_at")
    )
    return StateAt(sub.c.status, sub.c.since, sub)
