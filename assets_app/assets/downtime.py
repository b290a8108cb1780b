"""Downtime: hours each asset spent non-operational in a period, by cause, party and status.

One SQL query per question; the intervals come from the status timeline (window function LEAD).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from assets_app.assets.models import Asset, StatusEvent
from assets_app.assets.settings import UNKNOWN_CAUSE, UNKNOWN_PARTY
from assets_app.common import vocab
from assets_app.common.timeutil import dialect, utcnow
from assets_app.extensions import db
from assets_app.regions.scope import scoped

# --- downtime ------------------------------------------------------------------------------


def _greatest(a, b):
    return sa.func.max(a, b) if dialect() == "sqlite" else sa.func.greatest(a, b)


def _least(a, b):
    return sa.func.min(a, b) if dialect() == "sqlite" else sa.func.least(a, b)


def _hours(lo, hi):
    if dialect() == "sqlite":
        return (sa.func.julianday(hi) - sa.func.julianday(lo)) * 24.0
    return sa.extract("epoch", hi - lo) / 3600.0


def _dt_param(name: str, value: datetime):
    return sa.bindparam(name, value, type_=StatusEvent.__table__.c.started_at.type)


def _downtime_intervals(asset_ids: sa.Select, start: datetime, end: datetime, now: datetime):
    """Non-operational intervals of the given assets clipped to [start, min(end, now)].

    Each event lasts until the asset's next event (window function LEAD); the current event
    of an asset is still open and counts up to min(end, now).
    """
    ev = StatusEvent
    nxt = sa.func.lead(ev.started_at).over(
        partition_by=ev.asset_id, order_by=(ev.started_at, ev.id)
    )
    spans = (
        sa.select(
            ev.asset_id,
            ev.status,
            ev.cause,
            ev.responsible_party,
            ev.started_at.label("s"),
            nxt.label("e"),
        )
        .where(ev.asset_id.in_(asset_ids))
        .subquery()
    )
    cap = min(end, now)
    lo = _greatest(spans.c.s, _dt_param("start", start))
    hi = _least(sa.func.coalesce(spans.c.e, _dt_param("cap", cap)), _dt_param("end", cap))
    hours = _hours(lo, hi)
    keep = sa.and_(
        spans.c.status.in_(vocab.DOWN_STATUSES),
        spans.c.s < _dt_param("end2", cap),
        sa.func.coalesce(spans.c.e, _dt_param("cap2", cap)) > _dt_param("start2", start),
    )
    return spans, hours, keep


def _asset_id_select(assets, user, region_code) -> sa.Select:
    if isinstance(assets, sa.Select):
        base = assets
    elif assets is not None:
        base = sa.select(Asset.id).where(Asset.id.in_(list(assets)))
    else:
        base = sa.select(Asset.id)
    if user is not None or region_code:
        base = base.where(
            Asset.id.in_(scoped(sa.select(Asset.id), Asset.region_code, user, region_code))
        )
    return base


def _empty_downtime() -> dict:
    return {"hours": 0.0, "by_cause": {}, "by_party": {}, "by_status": {}}


def _fold(rows) -> dict:
    out = _empty_downtime()
    for status, cause, party, hours in rows:
        h = float(hours or 0)
        if h <= 0:
            continue
        cause = cause or UNKNOWN_CAUSE
        party = party or UNKNOWN_PARTY
        out["hours"] += h
        out["by_cause"][cause] = out["by_cause"].get(cause, 0.0) + h
        out["by_party"][party] = out["by_party"].get(party, 0.0) + h
        out["by_status"][status] = out["by_status"].get(status, 0.0) + h
    return _round(out)


def _round(d: dict) -> dict:
    d["hours"] = round(d["hours"], 2)
    for key in ("by_cause", "by_party", "by_status"):
        d[key] = {k: round(v, 2) for k, v in sorted(d[key].items(), key=lambda kv: -kv[1])}
    return d


def _check_period(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start dan end harus datetime dengan zona waktu")


def downtime_hours(
    assets: sa.Select | Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    user=None,
    region_code: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Hours spent non-operational (gangguan, dalam_perbaikan, tidak_digunakan) in [start, end).

    `assets`: a SELECT of asset ids, a list of ids, or None for every asset; `user` and
    `region_code` narrow it to a scope/subtree. Intervals are clipped to the period; the open
    interval of an asset still down counts up to min(end, now). Returns
    {"hours": float, "by_cause": {cause: h}, "by_party": {party: h}, "by_status": {status: h}};
    a missing cause is "lainnya", a missing party "belum_ditentukan". One SQL query.
    """
    if start is None or end is None:
        raise TypeError("downtime_hours membutuhkan start dan end")
    _check_period(start, end)
    now = now or utcnow()
    if start >= min(end, now):
        return _empty_downtime()
    ids = _asset_id_select(assets, user, region_code)
    spans, hours, keep = _downtime_intervals(ids, start, end, now)
    stmt = (
        sa.select(spans.c.status, spans.c.cause, spans.c.responsible_party, sa.func.sum(hours))
        .where(keep)
        .group_by(spans.c.status, spans.c.cause, spans.c.responsible_party)
    )
    return _fold(db.session.execute(stmt))


def downtime_by_region(
    user, region_code: str | None, start: datetime, end: datetime, *, now: datetime | None = None
) -> dict[str, dict]:
    """downtime_hours grouped by the asset's region (kecamatan or the Dinas' kab/kota):
    {region_code: {"hours", "by_cause", "by_party", "by_status"}}; regions without downtime
    are absent. One SQL query."""
    _check_period(start, end)
    now = now or utcnow()
    if start >= min(end, now):
        return {}
    ids = scoped(sa.select(Asset.id), Asset.region_code, user, region_code)
    spans, hours, keep = _downtime_intervals(ids, start, end, now)
    stmt = (
        sa.select(
            Asset.region_code,
            spans.c.status,
            spans.c.cause,
            spans.c.responsible_party,
            sa.func.sum(hours),
        )
        .join(Asset, Asset.id == spans.c.asset_id)
        .where(keep)
        .group_by(Asset.region_code, spans.c.status, spans.c.cause, spans.c.responsible_party)
    )
    grouped: dict[str, list] = {}
    for code, *rest in db.session.execute(stmt):
        grouped.setdefault(code, []).append(rest)
    return {code: _fold(rows) for code, rows in sorted(grouped.items())}
