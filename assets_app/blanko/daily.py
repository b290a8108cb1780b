"""Rekap harian blanko (`BlankoDaily`): kept by the services, read by the period figures.

Every change the ledger makes to a location (`stats._contributions`) lands in the row of that
location and the WIB day of its moment (the movement's `occurred_at`, the receipt's
`received_at`, the decision's `decided_at`). The services call `on_movement`, `on_receipt` and
`on_decision` after the balance rows are locked, in the same transaction, so the rollup is
never stale and two writers of one location are serialized by its balance row lock.

Reads: `balances_before(day)` (on hand / in transit / reserved at 00:00 WIB of `day`: the
closing of each location's latest row before it, one index probe per location) and
`flows_between(first, last)` (sums over the days). `rebuild` / `check` recompute the rows from
the ledger in one INSERT … SELECT (the same SQL is written out in migration 0017).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from assets_app.blanko import window
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    LOCATION_LEVELS,
    TRANSFER_KINDS,
    BlankoApproval,
    BlankoDaily,
    BlankoMovement,
    BlankoReceipt,
)
from assets_app.common.rows import differences
from assets_app.common.timeutil import WIB, dialect
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, subtree_clause

D = BlankoDaily.__table__
# The on-hand flows, as `summary.SIGN` names them (signed changes of on hand).
FLOWS = ("received", "distributed", "returned", "used", "damaged", "adjusted")
EXTRA = ("from_ditjen", "short")
CLOSING = ("on_hand", "in_transit", "reserved")
COLUMNS = (*FLOWS, *EXTRA, *CLOSING)


def wib_day(at: datetime) -> date:
    return at.astimezone(WIB).date()


# --- maintenance (called by blanko.services) ------------------------------------------------


def _bump(code: str, day: date, transit: int = 0, reserved: int = 0, **flows: int) -> None:
    """Adds one ledger change to the row (code, day) and to the closing of every later row of
    the location: an upsert and one UPDATE."""
    on_hand = sum(flows.get(f, 0) for f in FLOWS)
    closing = {"on_hand": on_hand, "in_transit": transit, "reserved": reserved}
    prev_day = (
        sa.select(sa.func.max(D.c.day))
        .where(D.c.region_code == code, D.c.day < day)
        .scalar_subquery()
    )

    def before(col: str):
        prev = sa.select(D.c[col]).where(D.c.region_code == code, D.c.day == prev_day)
        return sa.func.coalesce(prev.scalar_subquery(), 0) + closing[col]

    values = {f: flows.get(f, 0) for f in (*FLOWS, *EXTRA)}
    if dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(D).values(region_code=code, day=day, **values, **{c: before(c) for c in CLOSING})
    changed = {k: v for k, v in {**values, **closing}.items() if v}
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["region_code", "day"],
            set_={k: D.c[k] + v for k, v in changed.items()} or {"on_hand": D.c.on_hand},
        )
    )
    later = {c: D.c[c] + v for c, v in closing.items() if v}
    if later:
        db.session.execute(
            sa.update(D).where(D.c.region_code == code, D.c.day > day).values(**later)
        )
    if flows.get("used"):
        window.on_use(code, day, -flows["used"])  # a backdated use of a stored closed day


def on_movement(m: BlankoMovement) -> None:
    day, q = wib_day(m.occurred_at), m.quantity
    if m.kind == "penerimaan":
        _bump(m.to_region, day, received=q, from_ditjen=q)
    elif m.kind in TRANSFER_KINDS:
        for code in sorted((m.from_region, m.to_region)):  # the balance rows' lock order
            if code == m.from_region:
                _bump(code, day, distributed=-q)
            else:
                _bump(code, day, transit=q)
    elif m.kind == "pemakaian":
        _bump(m.from_region, day, used=-q)
    elif m.kind in APPROVAL_KINDS and m.from_region is not None:
        _bump(m.from_region, day, reserved=q)  # a pending decrease is reserved
    # a pending increase changes nothing until it is approved


def on_receipt(m: BlankoMovement, r: BlankoReceipt) -> None:
    flow = "received" if m.kind == "distribusi" else "returned"
    got = r.quantity_received
    _bump(
        m.to_region,
        wib_day(r.received_at),
        transit=-m.quantity,
        short=r.quantity_sent - got,
        **{flow: got},
    )


def on_decision(m: BlankoMovement, a: BlankoApproval) -> None:
    day = wib_day(a.decided_at)
    if m.from_region is not None:
        flow = "damaged" if m.kind == "rusak" else "adjusted"
        _bump(m.from_region, day, reserved=-m.quantity, **{flow: -m.quantity if a.approved else 0})
    elif a.approved:
        _bump(m.to_region, day, adjusted=m.quantity)


# --- reads -----------------------------------------------------------------------------------


def balances_before(
    day: date, root: str | None = None, *, user=None
) -> dict[str, tuple[int, int, int]]:
    """{location: (on_hand, in_transit, reserved)} at 00:00 WIB of `day`, i.e. the ledger up
    to the end of the day before (`stats.ledger_balances(start_of_day(day))`). One query: per
    location of `root`'s subtree (and `user`'s scope, when given), its latest row before `day`
    (an index probe each)."""
    last = (
        sa.select(sa.func.max(D.c.day))
        .where(D.c.region_code == Region.code, D.c.day < day)
        .correlate(Region)
        .scalar_subquery()
    )
    locs = sa.select(Region.code.label("code"), last.label("day")).where(
        Region.level.in_(LOCATION_LEVELS), subtree_clause(Region.code, root)
    )
    if user is not None:
        locs = locs.where(scope_clause(Region.code, user))
    locs = locs.subquery("last_row")
    stmt = sa.select(D.c.region_code, D.c.on_hand, D.c.in_transit, D.c.reserved).join(
        locs, sa.and_(D.c.region_code == locs.c.code, D.c.day == locs.c.day)
    )
    return {c: (int(a), int(b), int(r)) for c, a, b, r in db.session.execute(stmt).all()}


def flows_between(
    first: date, last: date, root: str | None = None, *, user=None
) -> dict[str, dict]:
    """{location: {flow or "from_ditjen"/"short": sum}} over the WIB days [first, last] of the
    locations that have rows then (of `root`'s subtree and `user`'s scope, when given). One
    query."""
    cols = (*FLOWS, *EXTRA)
    stmt = sa.select(D.c.region_code, *(sa.func.sum(D.c[c]) for c in cols)).where(
        D.c.day >= first, D.c.day <= last, subtree_clause(D.c.region_code, root)
    )
    if user is not None:
        stmt = stmt.where(scope_clause(D.c.region_code, user))
    stmt = stmt.group_by(D.c.region_code)
    return {
        code: dict(zip(cols, (int(x or 0) for x in sums), strict=True))
        for code, *sums in db.session.execute(stmt).all()
    }


# --- recomputation from the ledger ------------------------------------------------------------

# The ledger's changes per (location, WIB day), as `stats._contributions` defines them; {day}
# is the engine's WIB date of a naive-UTC column. Written out again in migration 0017.
_CONTRIB = """
SELECT m.to_region AS loc, {day_m} AS day, m.quantity AS received, 0 AS distributed,
       0 AS returned, 0 AS used, 0 AS damaged, 0 AS adjusted, m.quantity AS from_ditjen,
       0 AS short, 0 AS d_transit, 0 AS d_reserved
  FROM blanko_movements m WHERE m.kind = 'penerimaan'
UNION ALL
SELECT m.from_region, {day_m}, 0, -m.quantity, 0, 0, 0, 0, 0, 0, 0, 0
  FROM blanko_movements m WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.to_region, {day_m}, 0, 0, 0, 0, 0, 0, 0, 0, m.quantity, 0
  FROM blanko_movements m WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.to_region, {day_r},
       CASE WHEN m.kind = 'distribusi' THEN r.quantity_received ELSE 0 END, 0,
       CASE WHEN m.kind = 'distribusi' THEN 0 ELSE r.quantity_received END, 0, 0, 0, 0,
       r.quantity_sent - r.quantity_received, -m.quantity, 0
  FROM blanko_movements m JOIN blanko_receipts r ON r.movement_id = m.id
 WHERE m.kind IN ('distribusi', 'pengembalian')
UNION ALL
SELECT m.from_region, {day_m}, 0, 0, 0, -m.quantity, 0, 0, 0, 0, 0, 0
  FROM blanko_movements m WHERE m.kind = 'pemakaian'
UNION ALL
SELECT m.from_region, {day_m}, 0, 0, 0, 0, 0, 0, 0, 0, 0, m.quantity
  FROM blanko_movements m
 WHERE m.kind IN ('rusak', 'penyesuaian') AND m.from_region IS NOT NULL
UNION ALL
SELECT m.from_region, {day_a}, 0, 0, 0, 0,
       CASE WHEN m.kind = 'rusak' AND a.approved THEN -m.quantity ELSE 0 END,
       CASE WHEN m.kind = 'penyesuaian' AND a.approved THEN -m.quantity ELSE 0 END,
       0, 0, 0, -m.quantity
  FROM blanko_movements m JOIN blanko_approvals a ON a.movement_id = m.id
 WHERE m.kind IN ('rusak', 'penyesuaian') AND m.from_region IS NOT NULL
UNION ALL
SELECT m.to_region, {day_a}, 0, 0, 0, 0, 0, m.quantity, 0, 0, 0, 0
  FROM blanko_movements m JOIN blanko_approvals a ON a.movement_id = m.id
 WHERE m.kind = 'penyesuaian' AND m.from_region IS NULL AND a.approved
"""

_ROWS = """
SELECT loc, day,
       SUM(received), SUM(distributed), SUM(returned), SUM(used), SUM(damaged), SUM(adjusted),
       SUM(from_ditjen), SUM(short),
       SUM(SUM(received + distributed + returned + used + damaged + adjusted))
           OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING),
       SUM(SUM(d_transit)) OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING),
       SUM(SUM(d_reserved)) OVER (PARTITION BY loc ORDER BY day ROWS UNBOUNDED PRECEDING)
  FROM ({contrib}) AS contrib
 WHERE {where}
 GROUP BY loc, day
"""


def _day(col: str) -> str:
    if dialect() == "postgresql":
        return f"CAST({col} + INTERVAL '7 hours' AS DATE)"
    return f"date({col}, '+7 hours')"


def _where(col: str, root: str | None) -> tuple[str, dict]:
    if root is None:
        return "TRUE", {}
    return f"({col} = :root OR {col} LIKE :below)", {"root": root, "below": root + ".%"}


def _recompute_sql(root: str | None) -> tuple[str, dict]:
    contrib = _CONTRIB.format(
        day_m=_day("m.occurred_at"), day_r=_day("r.received_at"), day_a=_day("a.decided_at")
    )
    where, params = _where("loc", root)
    return _ROWS.format(contrib=contrib, where=where), params


def rebuild(root: str | None = None) -> int:
    """Deletes the rows of `root`'s subtree (all when None) and recomputes them from the
    ledger in one INSERT … SELECT; returns the number of rows written."""
    if dialect() == "postgresql":
        # writers wait until the rebuild commits, then add their change to the rebuilt rows;
        # the rebuild waits for writers already under way, and then sees their ledger rows
        db.session.execute(sa.text("LOCK TABLE blanko_daily IN SHARE ROW EXCLUSIVE MODE"))
    where, params = _where("region_code", root)
    db.session.execute(sa.text(f"DELETE FROM blanko_daily WHERE {where}"), params)
    select, params = _recompute_sql(root)
    cols = ", ".join(("region_code", "day", *COLUMNS))
    db.session.execute(sa.text(f"INSERT INTO blanko_daily ({cols}) {select}"), params)
    where, params = _where("region_code", root)
    return db.session.scalar(sa.text(f"SELECT count(*) FROM blanko_daily WHERE {where}"), params)


def check(root: str | None = None) -> list[str]:
    """One line per (location, day) whose stored row differs from the recomputation."""
    select, params = _recompute_sql(root)
    want = {
        (loc, _as_date(day)): tuple(int(x or 0) for x in rest)
        for loc, day, *rest in db.session.execute(sa.text(select), params).all()
    }
    stored = sa.select(D.c.region_code, D.c.day, *(D.c[c] for c in COLUMNS)).where(
        subtree_clause(D.c.region_code, root)
    )
    have = {(loc, day): tuple(rest) for loc, day, *rest in db.session.execute(stored).all()}
    out = []
    for key in sorted(set(want) | set(have)):
        w, h = want.get(key), have.get(key)
        if w == h:
            continue
        loc, day = key
        where = f"blanko {loc} {day.isoformat()}"
        if h is None:
            out.append(f"{where}: tidak ada di rekap, menurut buku mutasi {w}")
        elif w is None:
            out.append(f"{where}: ada di rekap {h}, tidak ada di buku mutasi")
        else:
            diffs = differences(
                COLUMNS, h, w, stored_word="tercatat", source_word="menurut buku mutasi"
            )
            out.append(f"{where}: {diffs}")
    return out


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
