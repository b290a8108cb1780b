"""Pemakaian of the closed days of the 30-day window, per location (`BlankoWindowUse`).

Low stock and days of cover need every location's use over the last 30 days. Read from the
daily rollup that is O(locations × 30) rows (a national installation: 234,000 rows on every
page, for the inbox's low-stock count). The 29 closed days of the window do not change
during a day except by a backdated entry, so their sum per location is stored once a day,
and a window reads O(locations) rows: the stored sum plus today's rollup rows.

- `refresh_if_stale(today)` stores the sums through yesterday for every location when the
  stored day is not yesterday (the job `jendela_blanko`, once after each day change; also
  `flask rollups rebuild` and migration 0023).
- `on_use` (called by `daily._bump` in the writer's transaction) adds a backdated use of a
  stored day to its row, so the stored sums are never stale.
- `use_rows(today, …)` is the window's use per location: the stored sums when they are of
  yesterday, otherwise (a day change the job has not caught up with, another `today`) the
  rollup's rows of the 29 days. Both give the same numbers (`check`).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from assets_app.blanko.models import LOCATION_LEVELS, USAGE_WINDOW_DAYS, BlankoDaily
from assets_app.blanko.models import BlankoWindowUse as _Model
from assets_app.common.rows import differences
from assets_app.common.timeutil import dialect, today_wib
from assets_app.db import off_index
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import subtree_clause

W = _Model.__table__
D = BlankoDaily.__table__
CLOSED_DAYS = USAGE_WINDOW_DAYS - 1


def _closed(through: date) -> tuple[date, date]:
    return through - timedelta(days=CLOSED_DAYS - 1), through


def stored_through() -> date | None:
    """The last day the stored sums cover (None before the first refresh)."""
    return db.session.scalar(sa.select(sa.func.max(W.c.through_day)))


def _sums(through: date, root: str | None, *extra) -> sa.Select:
    """(location, *extra, cards used in the closed days ending `through`) for every location
    of `root`'s subtree, zero included (so a refreshed day always has rows)."""
    first, last = _closed(through)
    return (
        sa.select(Region.code, *extra, sa.func.coalesce(-sa.func.sum(D.c.used), 0))
        .select_from(Region)
        .outerjoin(D, sa.and_(D.c.region_code == Region.code, D.c.day.between(first, last)))
        .where(Region.level.in_(LOCATION_LEVELS), subtree_clause(Region.code, root))
        .group_by(Region.code)
    )


def _write(through: date, root: str | None) -> int:
    if dialect() == "postgresql":
        # As `daily.rebuild`: writers under way finish first (their rollup rows are then
        # read here), later ones wait and then see the new day (see `on_use`).
        db.session.execute(sa.text("LOCK TABLE blanko_daily IN SHARE ROW EXCLUSIVE MODE"))
    db.session.execute(sa.delete(W).where(subtree_clause(W.c.region_code, root)))
    day = sa.literal(through, sa.Date)
    db.session.execute(
        sa.insert(W).from_select(["region_code", "through_day", "used"], _sums(through, root, day))
    )
    # the planner's estimates of the new day's rows (autovacuum would take a while)
    db.session.execute(sa.text("ANALYZE blanko_window_use"))
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(W).where(subtree_clause(W.c.region_code, root))
    )


def refresh_if_stale(today: date | None = None) -> str:
    """The `jendela_blanko` job: refreshes when the stored day is not yesterday."""
    yesterday = (today or today_wib()) - timedelta(days=1)
    if stored_through() == yesterday:
        return f"Jendela pemakaian blanko sudah sampai {yesterday.isoformat()}."
    n = _write(yesterday, None)
    return f"Jendela pemakaian blanko diperbarui sampai {yesterday.isoformat()}: {n} lokasi."


def on_use(code: str, day: date, cards: int) -> None:
    """A change of `cards` used at `code` on `day` (the writer's transaction, after its
    rollup row): added to the stored sum when `day` is one of the stored closed days."""
    through = stored_through()
    if through is None:
        return
    first, last = _closed(through)
    if not first <= day <= last:
        return
    updated = db.session.execute(
        sa.update(W)
        .where(W.c.region_code == code, W.c.through_day == through)
        .values(used=W.c.used + cards)
    )
    if not updated.rowcount:
        # a location added since the refresh: its closed days held nothing before this
        db.session.execute(sa.insert(W).values(region_code=code, through_day=through, used=cards))


def use_rows(today: date, bound=lambda col: sa.true(), few: bool = False) -> sa.Select:
    """(code, used): cards used (pemakaian) in the 30 days ending with `today` per location
    that used any, for the locations `bound(code column)` admits. The same cards as the
    rollup's rows of the window (`daily`), read as O(locations) rows when the stored sums
    are of the day before `today`.

    `few`: the rows of a few locations (a kab/kota or less), which the rollup's primary key
    (region_code, day) serves, one seek per location. SQLite's planner would take the
    covering (day, …) index of the stored sums, made for a whole installation's window, and
    read every location's row; a unary `+` (a no-op on the value) keeps it off there."""
    yesterday = today - timedelta(days=1)
    fresh = sa.exists().where(W.c.through_day == yesterday)
    # every stored row has the same day: a few locations are read by their codes
    through = off_index(W.c.through_day) if few else W.c.through_day
    stored = sa.select(W.c.region_code.label("code"), W.c.used.label("used")).where(
        through == yesterday, W.c.used != 0, bound(W.c.region_code)
    )
    today_rows = sa.select(D.c.region_code, -D.c.used).where(
        D.c.day == today, D.c.used != 0, bound(D.c.region_code)
    )
    first, last = _closed(yesterday)
    # The rollup's closed days only when nothing is stored for yesterday: when it is, the
    # range starts after its end, so no row is read (a bound both engines compute once; a
    # NOT EXISTS beside the range left SQLite walking the whole day index).
    start = sa.case(
        (fresh, sa.literal(last + timedelta(days=1), sa.Date)), else_=sa.literal(first, sa.Date)
    )
    if few:
        # per location one seek of the rollup's key (region_code, day) into the closed days,
        # an empty range when the stored sums are fresh. (Grouping the locations' rows read
        # every day of their history there, the day bound being a CASE.)
        closed = (
            sa.select(-sa.func.sum(D.c.used))
            .where(D.c.region_code == Region.code, D.c.day >= start, D.c.day <= last)
            .scalar_subquery()
        )
        located = (
            sa.select(Region.code.label("code"), closed.label("used"))
            .where(Region.level.in_(LOCATION_LEVELS), bound(Region.code))
            .subquery("closed_days")
        )
        fallback = sa.select(located.c.code, located.c.used).where(located.c.used.is_not(None))
    else:
        fallback = sa.select(D.c.region_code, -D.c.used).where(
            D.c.day >= start, D.c.day <= last, bound(D.c.region_code)
        )
    rows = sa.union_all(stored, today_rows, fallback).subquery("window_rows")
    return sa.select(rows.c.code, sa.func.sum(rows.c.used).label("used")).group_by(rows.c.code)


# --- `flask rollups` --------------------------------------------------------------------------


def rebuild(root: str | None = None) -> int:
    """Recomputes the stored sums of `root`'s subtree for the day they are of. When nothing
    is stored yet, every location's for yesterday: the stored day makes `use_rows` read the
    stored sums of every location, so none may be left out."""
    through = stored_through()
    if through is None:
        return _write(today_wib() - timedelta(days=1), None)
    return _write(through, root)


def check(root: str | None = None) -> list[str]:
    """One line per location whose stored sum differs from the rollup's days (a location
    without a row counts as 0, as `use_rows` reads it)."""
    through = stored_through()
    if through is None:
        return []
    want = dict(db.session.execute(_sums(through, root)).all())
    have = dict(
        db.session.execute(
            sa.select(W.c.region_code, W.c.used).where(
                W.c.through_day == through, subtree_clause(W.c.region_code, root)
            )
        ).all()
    )
    out = []
    for code in sorted(set(want) | set(have)):
        w, h = want.get(code), have.get(code)
        if (w or 0) == (h or 0):
            continue
        where = f"jendela blanko {code} s.d. {through.isoformat()}"
        if h is None:
            out.append(f"{where}: tidak tersimpan, menurut rekap harian {w}")
        elif w is None:
            out.append(f"{where}: tersimpan {h}, bukan lokasi blanko")
        else:
            out.append(
                f"{where}: "
                + differences(
                    ("used",),
                    (h,),
                    (w,),
                    stored_word="tercatat",
                    source_word="menurut rekap harian",
                )
            )
    return out
