"""Downtime: hours each asset spent non-operational in a period, by cause, party and status.

One SQL query per question; the intervals come from the status timeline (window function LEAD).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from assets_app.assets.models import Asset, DowntimeDaily, StatusEvent
from assets_app.assets.settings import UNKNOWN_CAUSE, UNKNOWN_PARTY
from assets_app.common import vocab
from assets_app.common.timeutil import WIB, dialect, start_of_day, utcnow
from assets_app.extensions import db
from assets_app.regions.scope import scoped

# A filter of the assets counted, applied to each part of a query that joins `Asset`.
Narrow = Callable[[sa.Select], sa.Select]

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
    # unique: a query may hold two windows' parts (the same names, other values)
    return sa.bindparam(name, value, type_=StatusEvent.__table__.c.started_at.type, unique=True)


def _downtime_intervals(asset_ids: sa.Select, start: datetime, end: datetime, now: datetime):
    """Non-operational intervals of the given assets clipped to [start, min(end, now)].

    Each event lasts until the asset's next event (window function LEAD over ALL events);
    the current event of an asset is still open and counts up to min(end, now). This is the
    unbounded reference computation: the figures use `_period_rows` (rollup + bounded raw
    rows); it stays as the oracle of the tests and the definition of what a figure means.
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


def _wib_floor(t: datetime) -> datetime:
    return start_of_day(t.astimezone(WIB).date())


def _wib_ceil(t: datetime) -> datetime:
    floor = _wib_floor(t)
    return floor if floor == t else floor + timedelta(days=1)


def _candidates(
    narrow: Narrow, start: datetime, cap: datetime, *, with_open: bool = True
) -> sa.Subquery:
    """The events whose interval can overlap [start, cap), found through the
    (asset_id, started_at) index instead of a scan of the whole timeline:

    A. the events starting inside [start, cap) (the started_at index);
    B. for assets changed since `start` (their cached `status_since` >= start), the last
       event before `start` (the interval in progress at `start`);
    C. for assets not changed since `start` and down now, their latest event (cached on the
       asset: status, since, cause, party): down over the whole period.

    Without `with_open`, C is left out (the caller counts the open intervals itself).

    An asset unchanged since `start` and operational now has no downtime in the period. The
    per-asset blocks are contiguous in the timeline, so LEAD over the candidates is the true
    next event, except for an asset's last candidate, which is closed iff the asset has a
    later event (`started_at < status_since`).
    """
    ev, a = StatusEvent, Asset
    cols = (
        ev.id,
        ev.asset_id,
        a.region_code,
        a.status_since,
        ev.status,
        ev.cause,
        ev.responsible_party,
        ev.started_at,
    )
    # driven by the assets of the scope, each a seek on the (asset_id, started_at) index: a
    # kab/kota reads its own events of the period, not the installation's
    in_scope = a.id.in_(narrow(sa.select(Asset.id)))
    inside = (
        sa.select(*cols)
        .join(a, a.id == ev.asset_id)
        .where(
            in_scope,
            ev.started_at >= _dt_param("c_start", start),
            ev.started_at < _dt_param("c_cap", cap),
        )
    )
    e2 = sa.orm.aliased(StatusEvent)
    prev_start = (
        sa.select(sa.func.max(e2.started_at))
        .where(e2.asset_id == a.id, e2.started_at < _dt_param("c_start2", start))
        .correlate(a)
        .scalar_subquery()
    )
    # (asset, start of its last event before `start`) first, then the events by index: a
    # correlated `started_at = (…)` in the join lets PostgreSQL scan every event instead
    prev = (
        sa.select(a.id.label("aid"), prev_start.label("ps"))
        .where(in_scope, a.status_since >= _dt_param("c_start3", start))
        .offset(0)  # an optimisation fence: PostgreSQL would flatten it back
        .subquery("prev")
    )
    before = (
        sa.select(*cols)
        .select_from(prev)
        .join(ev, sa.and_(ev.asset_id == prev.c.aid, ev.started_at == prev.c.ps))
        .join(a, a.id == prev.c.aid)
    )
    if not with_open:
        return sa.union_all(inside, before).subquery("cand")
    # the assets' cached latest event (status, since, cause, party): their only candidate,
    # so the id that orders LEAD among an asset's candidates can be any
    still_down = narrow(
        sa.select(
            sa.literal(0, sa.Integer),
            a.id,
            a.region_code,
            a.status_since,
            a.status,
            a.status_cause,
            a.status_party,
            a.status_since,
        ).where(
            a.status.in_(vocab.DOWN_STATUSES),
            a.status_since < _dt_param("c_start4", start),
        )
    )
    return sa.union_all(inside, before, still_down).subquery("cand")


def _raw(narrow: Narrow, start: datetime, cap: datetime, *, closed_only=False) -> sa.Select:
    """(region, status, cause, party, hours) of the down intervals overlapping [start, cap),
    clipped to it, from the raw events (the candidates, LEAD over them); `closed_only`
    leaves out the intervals still open now (an asset's latest event)."""
    c = _candidates(narrow, start, cap, with_open=not closed_only)
    nxt = sa.func.lead(c.c.started_at).over(
        partition_by=c.c.asset_id, order_by=(c.c.started_at, c.c.id)
    )
    spans = sa.select(
        c.c.region_code,
        c.c.status,
        c.c.cause,
        c.c.responsible_party,
        c.c.started_at.label("s"),
        nxt.label("n"),
        c.c.status_since,
    ).subquery("spans")
    e = _least(sa.func.coalesce(spans.c.n, _dt_param("r_cap", cap)), _dt_param("r_cap2", cap))
    hours = _hours(_greatest(spans.c.s, _dt_param("r_start", start)), e)
    keep = [
        spans.c.status.in_(vocab.DOWN_STATUSES),
        spans.c.s < _dt_param("r_cap3", cap),
        e > _dt_param("r_start2", start),
    ]
    if closed_only:
        # the last candidate of an asset is closed iff the asset has a later event
        keep.append(sa.or_(spans.c.n.is_not(None), spans.c.s < spans.c.status_since))
    return (
        sa.select(
            spans.c.region_code,
            spans.c.status,
            spans.c.cause,
            spans.c.responsible_party,
            sa.func.sum(hours),
        )
        .where(*keep)
        .group_by(spans.c.region_code, spans.c.status, spans.c.cause, spans.c.responsible_party)
    )


def _open(narrow: Narrow, start: datetime, cap: datetime) -> sa.Select:
    """(region, status, cause, party, hours) of the intervals still open now (the current
    status of each asset down now) clipped to [start, cap): the rollup holds closed
    intervals only. From the assets alone: their cached `status_since`, cause and party."""
    a = Asset
    lo = _greatest(a.status_since, _dt_param("o_start", start))
    return narrow(
        sa.select(
            a.region_code,
            a.status,
            a.status_cause,
            a.status_party,
            sa.func.sum(_hours(lo, _dt_param("o_cap", cap))),
        )
        .where(a.status.in_(vocab.DOWN_STATUSES), a.status_since < _dt_param("o_cap2", cap))
        .group_by(a.region_code, a.status, a.status_cause, a.status_party)
    )


def _period_rows(
    narrow: Narrow,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    rollup_scope: tuple | None,
) -> list[tuple]:
    """[(region, status, cause, party, hours)] over [start, min(end, now)). With a
    `rollup_scope` ((user, region_code) the assets are exactly those of), the period is cut
    into whole WIB days [d0, d1) and the partial edge days around them:

    - the closed intervals inside [d0, d1) come from the `downtime_daily` rollup;
    - the closed intervals in the edge days [start, d0) and [d1, min(end, now)) from the
      raw events (`_raw`): at most a day each, none for a past period of whole days;
    - the still-open intervals, over the whole period, from the assets down now (`_open`).

    So no query reads the raw events of the whole period. Without a rollup scope (an
    arbitrary set of assets), raw only. One query (a UNION ALL).
    """
    cap = min(end, now)
    d0, d1 = _wib_ceil(start), _wib_floor(cap)
    if rollup_scope is None or d0 >= d1:
        return db.session.execute(_raw(narrow, start, cap)).all()
    r = DowntimeDaily
    user, region_code = rollup_scope
    parts = [
        scoped(
            sa.select(
                r.region_code,
                r.status,
                r.cause,
                r.responsible_party,
                sa.func.sum(r.seconds) / 3600.0,
            ).where(
                r.day >= d0.astimezone(WIB).date(),
                r.day < d1.astimezone(WIB).date(),
            ),
            r.region_code,
            user,
            region_code,
        ).group_by(r.region_code, r.status, r.cause, r.responsible_party),
        _open(narrow, start, cap),
    ]
    if start < d0:
        parts.append(_raw(narrow, start, d0, closed_only=True))
    if d1 < cap:
        parts.append(_raw(narrow, d1, cap, closed_only=True))
    return db.session.execute(sa.union_all(*parts)).all()


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
        if h <= 1e-7:  # nothing, or the float residue of a raw part the rollup already holds
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


def _merged(rows) -> dict[str, dict[tuple, float]]:
    """{region: {(status, cause, party): hours}}: the rollup's and the raw rows summed by key
    before folding (a missing cause/party is the same key as its stored fold)."""
    out: dict[str, dict[tuple, float]] = {}
    for code, status, cause, party, hours in rows:
        key = (status, cause or UNKNOWN_CAUSE, party or UNKNOWN_PARTY)
        per = out.setdefault(code, {})
        per[key] = per.get(key, 0.0) + float(hours or 0)
    return out


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
    a missing cause is "lainnya", a missing party "belum_ditentukan". One SQL query (the
    rollup for whole days when `assets` is None, raw events of the period otherwise).
    """
    if start is None or end is None:
        raise TypeError("downtime_hours membutuhkan start dan end")
    _check_period(start, end)
    now = now or utcnow()
    if start >= min(end, now):
        return _empty_downtime()
    if assets is None:
        rollup_scope = (user, region_code)

        def narrow(stmt):
            return scoped(stmt, Asset.region_code, user, region_code)
    else:
        rollup_scope = None
        ids = _asset_id_select(assets, user, region_code)

        def narrow(stmt):
            return stmt.where(Asset.id.in_(ids))

    rows = _period_rows(narrow, start, end, now, rollup_scope=rollup_scope)
    total: dict[tuple, float] = {}
    for per in _merged(rows).values():
        for key, h in per.items():
            total[key] = total.get(key, 0.0) + h
    return _fold((*key, h) for key, h in total.items())


def downtime_by_region(
    user, region_code: str | None, start: datetime, end: datetime, *, now: datetime | None = None
) -> dict[str, dict]:
    """downtime_hours grouped by the asset's region (kecamatan or the Dinas' kab/kota):
    {region_code: {"hours", "by_cause", "by_party", "by_status"}}; regions without downtime
    are absent. One SQL query: whole WIB days from the `downtime_daily` rollup, the edges of
    the period and the still-open intervals from the raw events of the period."""
    _check_period(start, end)
    now = now or utcnow()
    if start >= min(end, now):
        return {}
    rows = _period_rows(
        lambda stmt: scoped(stmt, Asset.region_code, user, region_code),
        start,
        end,
        now,
        rollup_scope=(user, region_code),
    )
    # a region is listed when an interval of it overlaps the period, as the raw computation
    # lists it (a zero-length one included)
    return {
        code: _fold((*key, h) for key, h in per.items())
        for code, per in sorted(_merged(rows).items())
    }


def raw_downtime_by_region(
    user, region_code: str | None, start: datetime, end: datetime, *, now: datetime | None = None
) -> dict[str, dict]:
    """The unbounded reference of `downtime_by_region` (LEAD over every event): the test
    oracle and the bench's "before"."""
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
    for code, *rest in db.session.execute(stmt).all():
        grouped.setdefault(code, []).append(rest)
    return {code: _fold(rows) for code, rows in sorted(grouped.items())}


# --- the downtime_daily rollup ---------------------------------------------------------------
#
# Maintained by additive deltas: a new event closes its asset's previous interval, whose
# seconds are added to the (region, WIB day, status, cause, party) rows it covers. Deltas
# commute, so two transactions changing two assets of one kecamatan cannot overwrite each
# other (a delete+recompute per region-day could, under READ COMMITTED); the status service
# locks the asset row, so one asset's deltas are serialised. Cost: one upsert statement with
# one row per day of the closed interval.


def _day_pieces(s: datetime, e: datetime):
    """(WIB day, seconds) of [s, e) cut at WIB midnight."""
    cur = s
    while cur < e:
        day = cur.astimezone(WIB).date()
        nxt = min(e, start_of_day(day + timedelta(days=1)))
        yield day, (nxt - cur).total_seconds()
        cur = nxt


def _upsert(rows: list[dict]) -> None:
    if not rows:
        return
    if dialect() == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    stmt = insert(DowntimeDaily)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "region_code", "status", "cause", "responsible_party"],
        set_={"seconds": DowntimeDaily.seconds + stmt.excluded.seconds},
    )
    db.session.execute(stmt, rows)


def add_closed_interval(
    region_code: str, status: str, cause, party, s: datetime, e: datetime, sign: int = 1
) -> None:
    """Adds (sign=1) or takes away (sign=-1) the closed interval [s, e) of one asset."""
    if status not in vocab.DOWN_STATUSES or e <= s:
        return
    base = {
        "region_code": region_code,
        "status": status,
        "cause": cause or UNKNOWN_CAUSE,
        "responsible_party": party or UNKNOWN_PARTY,
    }
    rows = [{**base, "day": d, "seconds": sign * secs} for d, secs in _day_pieces(s, e)]
    _upsert(rows)
    if sign < 0:  # a row taken down to nothing is no row (as a rebuild would leave it)
        r = DowntimeDaily
        db.session.execute(
            sa.delete(r).where(
                r.region_code == region_code,
                r.day.in_([row["day"] for row in rows]),
                r.seconds < 0.001,
            )
        )


def close_interval(asset: Asset, last: StatusEvent | None, until: datetime) -> None:
    """The asset's latest event `last` is closed by a new event starting at `until`."""
    if last is not None:
        add_closed_interval(
            asset.region_code,
            last.status,
            last.cause,
            last.responsible_party,
            last.started_at,
            until,
        )


def move_asset_downtime(asset_id: int, old_region: str, new_region: str) -> None:
    """An asset moved to another region takes its closed downtime along (the figures group
    by the asset's current region). One read of its timeline, two upserts."""
    ev = StatusEvent
    events = db.session.execute(
        sa.select(ev.status, ev.cause, ev.responsible_party, ev.started_at)
        .where(ev.asset_id == asset_id)
        .order_by(ev.started_at, ev.id)
    ).all()
    for (status, cause, party, s), nxt in zip(events, events[1:], strict=False):
        add_closed_interval(old_region, status, cause, party, s, nxt.started_at, sign=-1)
        add_closed_interval(new_region, status, cause, party, s, nxt.started_at)


# The recomputation, in bulk SQL: LEAD over the events of the region's assets, the closed
# down intervals cut into WIB days (UTC+7, no DST) and summed. The migration 0018 holds the
# same text (a migration does not import the app).
_ROLLUP_SPANS = """
spans AS (
  SELECT a.region_code AS region_code, ev.status AS status,
         COALESCE(ev.cause, 'lainnya') AS cause,
         COALESCE(ev.responsible_party, 'belum_ditentukan') AS party,
         ev.started_at AS s,
         LEAD(ev.started_at) OVER (PARTITION BY ev.asset_id ORDER BY ev.started_at, ev.id) AS e
  FROM asset_status_events ev JOIN assets a ON a.id = ev.asset_id
  WHERE {where}
),
closed AS (
  SELECT * FROM spans
  WHERE e IS NOT NULL AND e > s
    AND status IN ('gangguan', 'dalam_perbaikan', 'tidak_digunakan')
)"""

ROLLUP_SELECT_PG = (
    "WITH"
    + _ROLLUP_SPANS
    + """,
pieces AS (
  SELECT c.region_code, c.status, c.cause, c.party, g::date AS day,
         GREATEST(c.s, g - interval '7 hours') AS lo,
         LEAST(c.e, g + interval '17 hours') AS hi
  FROM closed c,
       generate_series(date_trunc('day', c.s + interval '7 hours'),
                       c.e + interval '7 hours' - interval '1 microsecond',
                       interval '1 day') AS g
)
SELECT region_code, day, status, cause, party AS responsible_party,
       CAST(SUM(EXTRACT(EPOCH FROM hi - lo)) AS double precision) AS seconds
FROM pieces WHERE hi > lo
GROUP BY region_code, day, status, cause, party
"""
)

ROLLUP_SELECT_SQLITE = (
    "WITH RECURSIVE"
    + _ROLLUP_SPANS
    + """,
days(region_code, status, cause, party, day, s, e) AS (
  SELECT region_code, status, cause, party, date(s, '+7 hours'), s, e FROM closed
  UNION ALL
  SELECT region_code, status, cause, party, date(day, '+1 day'), s, e FROM days
  WHERE julianday(date(day, '+1 day'), '-7 hours') < julianday(e)
),
pieces AS (
  SELECT region_code, status, cause, party, day,
         MAX(julianday(s), julianday(day, '-7 hours')) AS lo,
         MIN(julianday(e), julianday(day, '+1 day', '-7 hours')) AS hi
  FROM days
)
SELECT region_code, day, status, cause, party AS responsible_party,
       SUM((hi - lo) * 86400.0) AS seconds
FROM pieces WHERE hi > lo
GROUP BY region_code, day, status, cause, party
"""
)


def _subtree_sql(column: str, region: str | None) -> tuple[str, dict]:
    if not region:
        return "1 = 1", {}
    # a range, not LIKE: an index on the code serves it
    return (
        f"({column} = :root OR ({column} >= :lo AND {column} < :hi))",
        {"root": region, "lo": region + ".", "hi": region + "/"},
    )


def _recomputed(region: str | None) -> tuple[str, dict]:
    where, params = _subtree_sql("a.region_code", region)
    sql = ROLLUP_SELECT_SQLITE if dialect() == "sqlite" else ROLLUP_SELECT_PG
    return sql.format(where=where), params


def rebuild_rollup(region: str | None = None) -> int:
    """Deletes and recomputes the rows of the region's subtree (all when None), in bulk SQL."""
    where, params = _subtree_sql("region_code", region)
    db.session.execute(sa.text(f"DELETE FROM downtime_daily WHERE {where}"), params)
    select, params = _recomputed(region)
    cols = "region_code, day, status, cause, responsible_party, seconds"
    result = db.session.execute(sa.text(f"INSERT INTO downtime_daily ({cols}) {select}"), params)
    return result.rowcount or 0


SECONDS_TOLERANCE = 0.01  # float sums of the same interval, added in another order


def check_rollup(region: str | None = None) -> list[str]:
    """One line per (region, day, status, cause, party) whose stored seconds differ from a
    recomputation (a missing row counts as 0)."""
    select, params = _recomputed(region)
    want = {
        (r[0], str(r[1]), r[2], r[3], r[4]): float(r[5])
        for r in db.session.execute(sa.text(select), params).all()
    }
    r = DowntimeDaily
    stmt = sa.select(r.region_code, r.day, r.status, r.cause, r.responsible_party, r.seconds)
    if region:
        stmt = stmt.where(
            sa.or_(
                r.region_code == region,
                sa.and_(r.region_code >= region + ".", r.region_code < region + "/"),
            )
        )
    have = {(c, str(d), s, ca, p): float(v) for c, d, s, ca, p, v in db.session.execute(stmt).all()}
    lines = []
    for key in sorted(set(want) | set(have)):
        w, h = want.get(key, 0.0), have.get(key, 0.0)
        if abs(w - h) > SECONDS_TOLERANCE:
            code, day, status, cause, party = key
            lines.append(
                f"{code} {day} {status}/{cause}/{party}: tersimpan {h:.0f} detik, "
                f"dihitung ulang {w:.0f} detik"
            )
    return lines
