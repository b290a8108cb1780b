"""The register's cache of each asset's latest status event: `status`, `status_since`,
`status_cause` and `status_party`, written by `services.set_status` in the same transaction
as the event. Lists filter on it and the downtime still open now is read from it, so it is
rebuilt and checked with the rollups (`flask rollups rebuild|check`)."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.assets.models import Asset, StatusEvent
from assets_app.common.rows import differences
from assets_app.extensions import db
from assets_app.regions.scope import subtree_clause

# the cached column → the event's column
CACHED = {
    "status": "status",
    "status_since": "started_at",
    "status_cause": "cause",
    "status_party": "responsible_party",
}


def _latest(column: str):
    ev = StatusEvent
    return (
        sa.select(getattr(ev, column))
        .where(ev.asset_id == Asset.id)
        .order_by(ev.started_at.desc(), ev.id.desc())
        .limit(1)
        .correlate(Asset)
        .scalar_subquery()
    )


def _has_events():
    return sa.select(StatusEvent.id).where(StatusEvent.asset_id == Asset.id).exists()


def _differs():
    return sa.or_(
        *(getattr(Asset, cached).is_distinct_from(_latest(col)) for cached, col in CACHED.items())
    )


def check(region: str | None = None) -> list[str]:
    """One line per asset (of the region's subtree) whose cache differs from its latest
    event."""
    stmt = (
        sa.select(
            Asset.id,
            Asset.region_code,
            *(getattr(Asset, cached) for cached in CACHED),
            *(_latest(col) for col in CACHED.values()),
        )
        .where(subtree_clause(Asset.region_code, region), _has_events(), _differs())
        .order_by(Asset.id)
    )
    lines = []
    for aid, code, *values in db.session.execute(stmt).all():
        have, want = values[: len(CACHED)], values[len(CACHED) :]
        diffs = differences(
            CACHED, have, want, stored_word="tersimpan", source_word="menurut riwayat"
        )
        lines.append(f"aset {aid} ({code}): {diffs}")
    return lines


def rebuild(region: str | None = None) -> int:
    """Sets the cache of every asset of the region's subtree that differs from its latest
    event; returns how many changed."""
    result = db.session.execute(
        sa.update(Asset)
        .where(subtree_clause(Asset.region_code, region), _has_events(), _differs())
        .values({cached: _latest(col) for cached, col in CACHED.items()})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
