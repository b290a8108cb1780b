"""Read-side figures of the blanko ledger, aggregated in SQL with a bounded number of queries:
balances with days of cover, alerts, spoilage, usage comparison and the ledger recomputation
(the DPRD summary built on them is in `summary`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from assets_app.assets import queries as register
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    DEFAULT_LOW_STOCK_DAYS,
    LOCATION_LEVELS,
    TRANSFER_KINDS,
    USAGE_WINDOW_DAYS,
    BlankoApproval,
    BlankoBalance,
    BlankoDaily,
    BlankoLocationSetting,
    BlankoMovement,
    BlankoReceipt,
    LocationNaming,
)
from assets_app.blanko.window import use_rows
from assets_app.common.pagination import Page, paginate
from assets_app.common.timeutil import dialect, end_of_day, start_of_day, today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import (
    area_clause,
    scope_clause,
    scoped,
    subtree_clause,
    user_scope,
)

M = BlankoMovement.__table__
R = BlankoReceipt.__table__
A = BlankoApproval.__table__
B = BlankoBalance.__table__
S = BlankoLocationSetting.__table__
D = BlankoDaily.__table__


def window(today: date, days: int = USAGE_WINDOW_DAYS) -> tuple[datetime, datetime]:
    """[start, end) in WIB of the `days` days ending with `today` (inclusive)."""
    return start_of_day(today - timedelta(days=days - 1)), end_of_day(today)


def _kab_of(col):
    """The kab/kota code ("35.11") of a location code; codes are fixed-width."""
    return sa.func.substr(col, sa.literal_column("1"), sa.literal_column("5"))


def wib_key(col, fmt: str):
    """`fmt` "month" → 'YYYY-MM', "day" → 'YYYY-MM-DD' of a UTC column, in WIB (UTC+7)."""
    if dialect() == "postgresql":
        pattern = "'YYYY-MM'" if fmt == "month" else "'YYYY-MM-DD'"
        return sa.func.to_char(
            col + sa.literal_column("interval '7 hours'"), sa.literal_column(pattern)
        )
    pattern = "'%Y-%m'" if fmt == "month" else "'%Y-%m-%d'"
    return sa.func.strftime(sa.literal_column(pattern), col, sa.literal_column("'+7 hours'"))


# --- usage and days of cover ---------------------------------------------------------------


def used_in(start: datetime, end: datetime) -> tuple:
    """The WHERE terms of card use (pemakaian) booked in [start, end)."""
    return (M.c.kind == "pemakaian", M.c.occurred_at >= start, M.c.occurred_at < end)


def _narrow(by, region: str | None) -> bool:
    return bool(region or user_scope(by))


def usage_in_window(codes, today: date, *, root: str | None = None) -> dict[str, int]:
    """Cards used (pemakaian) in the last 30 days per location (`blanko.window.use_rows`: one
    stored row per location and today's rollup rows; a kab/kota's whole use: `window_use`).

    `codes`: a list of location codes, or a SELECT of them (then `root`, the subtree they
    lie in, bounds the rows): a national scope's 7,800 codes as bound parameters cost more
    than the query."""
    if isinstance(codes, sa.Select):
        few = bool(root) and len(root) >= len("35.11")

        def bound(col):
            return sa.and_(subtree_clause(col, root), col.in_(codes))
    else:
        codes = list(codes)
        if not codes:
            return {}
        few = min(codes)[:5] == max(codes)[:5]

        def bound(col):
            return sa.and_(col >= min(codes), col < max(codes) + "/", col.in_(codes))

    rows = use_rows(today, bound, few)
    return {c: int(q or 0) for c, q in db.session.execute(rows).all()}


def current_balances(by, region: str | None) -> dict[str, tuple[int, int, int]]:
    """{location: (on_hand, in_transit, reserved)} now, of the locations in the user's scope
    (and `region`'s subtree) that have a balance row: the same as `daily.balances_before`
    the day after today (both are the whole ledger). One query."""
    stmt = scoped(
        sa.select(B.c.region_code, B.c.on_hand, B.c.in_transit_in, B.c.reserved),
        B.c.region_code,
        by,
        region,
    )
    return {c: (int(a), int(t), int(r)) for c, a, t, r in db.session.execute(stmt).all()}


def _in_scope(by, region: str | None):
    return lambda col: area_clause(col, by, region)


def window_use(by, region: str | None, today: date, *, per_kabkota: bool = False):
    """Cards used (pemakaian) in the 30-day window ending with `today` by every location of
    `region`'s subtree inside the user's scope: an int, or {kab/kota code: int} with
    `per_kabkota`. The same cards as `used_in(*window(today))`, from one row per location
    (`blanko.window.use_rows`), not the window's movements."""
    rows = use_rows(today, _in_scope(by, region), _narrow(by, region)).subquery()
    key = _kab_of(rows.c.code)
    stmt = sa.select(*((key,) if per_kabkota else ()), sa.func.sum(rows.c.used))
    if not per_kabkota:
        return int(db.session.scalar(stmt) or 0)
    return {k: int(q or 0) for k, q in db.session.execute(stmt.group_by(key)).all()}


def days_of_cover(available: int, used_in_window: int) -> float | None:
    """Ketahanan stok (hari): cards available at the location (on hand minus those reserved
    for pending write-offs; in transit excluded) ÷ average daily use (pemakaian) over the
    last 30 days; a moment, as of the day the window ends. For a Dinas store the use is that
    of its whole kab/kota. None when nothing was used (cover is not limited). Every surface
    (home, /blanko/, /blanko/peringatan, the kecamatan panel, the API, the DPRD summary)
    calls this."""
    if not used_in_window:
        return None
    return available * USAGE_WINDOW_DAYS / used_in_window


def is_low(available: int, used_in_window: int, threshold: int, prints: bool) -> bool:
    """Stok rendah: days of cover below the location's threshold, or no card available while
    the location has card-printing equipment (`assets.queries.holds_printer_clause`) or
    used cards in the last 30 days. `low_clause` is the same rule in SQL."""
    cover = days_of_cover(available, used_in_window)
    if cover is not None and cover < threshold:
        return True
    return available <= 0 and (prints or used_in_window > 0)


def low_clause(available, used, threshold, prints):
    """`is_low` as a SQL condition on column expressions."""
    return sa.or_(
        sa.and_(used > 0, available * USAGE_WINDOW_DAYS < threshold * used),
        sa.and_(available <= 0, sa.or_(prints, used > 0)),
    )


def printing_clause(col):
    """`col` is a location with card-printing equipment (asked of the assets domain)."""
    return register.holds_printer_clause(col)


def has_printer(code: str) -> bool:
    return bool(db.session.scalar(sa.select(printing_clause(sa.literal(code)))))


@dataclass
class LocationRow(LocationNaming):
    code: str
    name: str
    level: str
    parent_code: str | None
    on_hand: int
    in_transit: int
    reserved: int
    used_30: int
    threshold: int
    prints: bool = False

    @property
    def available(self) -> int:
        """Tersedia: on hand minus reserved; cards in transit are not counted."""
        return self.on_hand - self.reserved

    @property
    def avg_daily(self) -> float:
        return self.used_30 / USAGE_WINDOW_DAYS

    @property
    def days_of_cover(self) -> float | None:
        return days_of_cover(self.available, self.used_30)

    @property
    def low(self) -> bool:
        return is_low(self.available, self.used_30, self.threshold, self.prints)


def locations_stmt(by, region: str | None = None, today: date | None = None, only_low=False):
    """One row per location in scope: balance, 30-day use (a Dinas: its whole kab/kota),
    threshold, printing equipment. Everything in one SELECT, so a page of it costs one query."""
    today = today or today_wib()
    # One pass over the window's rows in scope. A kab/kota's use is the sum of its
    # locations (all inside the scope when the kab/kota is): each kecamatan's use is counted
    # once under its own code and once under its kab/kota's, so one join serves every row
    # (a join on a per-kab/kota aggregate beside it made SQLite scan that aggregate for each
    # of 7,800 locations).
    own = use_rows(today, _in_scope(by, region), _narrow(by, region)).cte("own_use")
    both = sa.union_all(
        sa.select(own.c.code, own.c.used),
        sa.select(_kab_of(own.c.code), own.c.used).where(sa.func.length(own.c.code) > len("35.11")),
    ).subquery("use_rows")
    loc = (
        sa.select(both.c.code, sa.func.sum(both.c.used).label("used"))
        .group_by(both.c.code)
        .cte("location_use")
    )
    used = sa.func.coalesce(loc.c.used, 0)
    on_hand = sa.func.coalesce(B.c.on_hand, 0)
    reserved = sa.func.coalesce(B.c.reserved, 0)
    threshold = sa.func.coalesce(S.c.low_stock_days, DEFAULT_LOW_STOCK_DAYS)
    prints = printing_clause(Region.code)
    stmt = (
        sa.select(
            Region.code,
            Region.name,
            Region.level,
            Region.parent_code,
            on_hand.label("on_hand"),
            sa.func.coalesce(B.c.in_transit_in, 0).label("in_transit"),
            reserved.label("reserved"),
            used.label("used_30"),
            threshold.label("threshold"),
            prints.label("prints"),
        )
        .select_from(Region)
        .outerjoin(B, B.c.region_code == Region.code)
        .outerjoin(S, S.c.region_code == Region.code)
        .outerjoin(loc, loc.c.code == Region.code)
        .where(Region.level.in_(LOCATION_LEVELS))
        .order_by(Region.code)
    )
    stmt = scoped(stmt, Region.code, by, region)
    if only_low:
        stmt = stmt.where(low_clause(on_hand - reserved, used, threshold, prints))
    return stmt


def location_rows(rows) -> list[LocationRow]:
    return [LocationRow(*r[:-1], prints=bool(r[-1])) for r in rows]


def locations_page(by, region: str | None, only_low: bool, page: int, per_page: int) -> Page:
    """A page of `locations_stmt` as LocationRows. Without the low filter every location in
    scope is listed, so the count needs no aggregate (`locations_count`)."""
    stmt = locations_stmt(by, region, only_low=only_low)
    if only_low:
        result = paginate(stmt, page, per_page, scalars=False)
        result.items = location_rows(result.items)
        return result
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    return Page(location_rows(rows), locations_count(by, region), page, per_page)


def locations_count(by, region: str | None = None) -> int:
    """How many locations `locations_stmt` lists (without running its aggregates)."""
    stmt = scoped(
        sa.select(sa.func.count()).select_from(Region).where(Region.level.in_(LOCATION_LEVELS)),
        Region.code,
        by,
        region,
    )
    return db.session.scalar(stmt) or 0


def used_in_window(code: str, is_dinas: bool, today: date) -> int:
    """Cards used at one location in the 30 days up to `today`; a Dinas: its whole kab/kota."""
    if not is_dinas:
        return usage_in_window([code], today).get(code, 0)
    return window_use(None, code, today)


def totals(by, region: str | None = None, today: date | None = None) -> dict:
    """Sums over every location in scope (and the region filter), plus the days of cover of
    all that available stock (in transit excluded) at the scope's combined consumption."""
    today = today or today_wib()
    stock = db.session.execute(
        scoped(
            sa.select(
                sa.func.coalesce(sa.func.sum(B.c.on_hand), 0),
                sa.func.coalesce(sa.func.sum(B.c.in_transit_in), 0),
                sa.func.coalesce(sa.func.sum(B.c.reserved), 0),
            ),
            B.c.region_code,
            by,
            region,
        )
    ).one()
    used = window_use(by, region, today)
    on_hand, in_transit, reserved = (int(x) for x in stock)
    return {
        "on_hand": on_hand,
        "in_transit": in_transit,
        "reserved": reserved,
        "available": on_hand - reserved,
        "used_30": used,
        "days_of_cover": days_of_cover(on_hand - reserved, used),
    }


def subtree_stock(code: str) -> dict:
    row = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(B.c.on_hand), 0),
            sa.func.coalesce(sa.func.sum(B.c.in_transit_in), 0),
            sa.func.coalesce(sa.func.sum(B.c.reserved), 0),
        ).where(subtree_clause(B.c.region_code, code))
    ).one()
    on_hand, in_transit, reserved = (int(x) for x in row)
    return {
        "on_hand": on_hand,
        "in_transit": in_transit,
        "reserved": reserved,
        "available": on_hand - reserved,
    }


# --- comparison with the register's daily usage ----------------------------------------------


@dataclass
class UsageDayRow:
    day: date
    pemakaian: int
    cetak_ktp: int | None

    @property
    def flagged(self) -> bool:
        return self.cetak_ktp is not None and self.cetak_ktp != self.pemakaian

    @property
    def difference(self) -> int | None:
        return None if self.cetak_ktp is None else self.pemakaian - self.cetak_ktp


def usage_comparison(code: str, today: date | None = None, days: int = 30) -> list[UsageDayRow]:
    """Blanko booked as pemakaian vs the register's cards printed per day (newest first): two
    queries."""
    today = today or today_wib()
    start, end = window(today, days)
    key = wib_key(M.c.occurred_at, "day")
    booked = {
        d: int(q)
        for d, q in db.session.execute(
            sa.select(key, sa.func.sum(M.c.quantity))
            .where(*used_in(start, end), M.c.from_region == code)
            .group_by(key)
        )
    }
    printed = register.ktp_printed_per_day(code, today - timedelta(days=days - 1), today)
    out = []
    for i in range(days):
        d = today - timedelta(days=i)
        used = booked.get(d.isoformat(), 0)
        printed_d = printed.get(d)
        if used or printed_d is not None:
            out.append(UsageDayRow(d, used, printed_d))
    return out


# --- spoilage -------------------------------------------------------------------------------


def month_list(end_month: date, count: int) -> list[str]:
    y, m = end_month.year, end_month.month
    out = []
    for _ in range(count):
        out.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def spoilage(codes: list[str], months: list[str]) -> dict[str, dict[str, dict]]:
    """{code: {"YYYY-MM": {"used", "damaged", "rate"}}}: rusak approved as written off over
    (pemakaian + rusak), by the WIB month the card was used/damaged. One query."""
    if not codes or not months:
        return {}
    first = date.fromisoformat(months[0] + "-01")
    y, m = (int(x) for x in months[-1].split("-"))
    after = date(y + (m == 12), m % 12 + 1, 1)
    key = wib_key(M.c.occurred_at, "month")
    damaged = sa.and_(M.c.kind == "rusak", A.c.approved.is_(True))
    rows = db.session.execute(
        sa.select(
            M.c.from_region,
            key.label("month"),
            sa.func.sum(sa.case((M.c.kind == "pemakaian", M.c.quantity), else_=0)),
            sa.func.sum(sa.case((damaged, M.c.quantity), else_=0)),
        )
        .select_from(M.outerjoin(A, A.c.movement_id == M.c.id))
        .where(
            M.c.kind.in_(("pemakaian", "rusak")),
            M.c.from_region.in_(codes),
            M.c.occurred_at >= start_of_day(first),
            M.c.occurred_at < start_of_day(after),
        )
        .group_by(M.c.from_region, key)
    )
    out: dict[str, dict[str, dict]] = {}
    for code, month, used, dmg in rows:
        used, dmg = int(used or 0), int(dmg or 0)
        rate = dmg / (used + dmg) if used + dmg else None
        out.setdefault(code, {})[month] = {"used": used, "damaged": dmg, "rate": rate}
    return out


# --- the ledger, recomputed --------------------------------------------------------------------


def _part(loc, on_hand, transit, reserved, at, frm, *where, flow=None):
    return (
        sa.select(
            loc.label("loc"),
            on_hand.label("on_hand"),
            transit.label("in_transit"),
            reserved.label("reserved"),
            at.label("at"),
            (flow if flow is not None else sa.literal("none")).label("flow"),
        )
        .select_from(frm)
        .where(*where)
    )


def _contributions():
    """Every way the ledger changes a location's (on_hand, in_transit, reserved), as rows
    (loc, on_hand, in_transit, reserved, at, flow), so balances at any moment are one GROUP BY
    (`ledger_balances`, what `flask blanko check` compares with). The figures read the same
    changes summed per location and WIB day from the rollup `blanko.daily`, whose
    recomputation (`daily.rebuild`) is this definition in SQL. `flow` names the figure of the reconciliation
    (`summary.blanko_reconciliation`) the on_hand change belongs to: received (penerimaan,
    confirmed distribusi), returned (confirmed pengembalian), distributed (any transfer sent),
    used, damaged (approved rusak), adjusted (approved penyesuaian, signed); "none" changes
    nothing on hand (in transit, reserved)."""
    q, zero, at = M.c.quantity, sa.literal(0), M.c.occurred_at
    recv = M.join(R, R.c.movement_id == M.c.id)
    decided = M.join(A, A.c.movement_id == M.c.id)
    transfer = M.c.kind.in_(TRANSFER_KINDS)
    decrease = (M.c.kind.in_(APPROVAL_KINDS), M.c.from_region.is_not(None))
    written_off = sa.case((A.c.approved.is_(True), -q), else_=0)
    increase = (M.c.kind == "penyesuaian", M.c.from_region.is_(None), A.c.approved.is_(True))
    arrived = sa.case((M.c.kind == "distribusi", "received"), else_="returned")
    decided_flow = sa.case((M.c.kind == "rusak", "damaged"), else_="adjusted")
    parts = [
        _part(
            M.c.to_region,
            q,
            zero,
            zero,
            at,
            M,
            M.c.kind == "penerimaan",
            flow=sa.literal("received"),
        ),
        # a transfer leaves the sender at once and is in transit until its receipt
        _part(M.c.from_region, -q, zero, zero, at, M, transfer, flow=sa.literal("distributed")),
        _part(M.c.to_region, zero, q, zero, at, M, transfer),
        _part(
            M.c.to_region,
            R.c.quantity_received,
            -q,
            zero,
            R.c.received_at,
            recv,
            transfer,
            flow=arrived,
        ),
        _part(
            M.c.from_region, -q, zero, zero, at, M, M.c.kind == "pemakaian", flow=sa.literal("used")
        ),
        # a pending decrease is reserved; the decision writes it off or releases it
        _part(M.c.from_region, zero, zero, q, at, M, *decrease),
        _part(
            M.c.from_region,
            written_off,
            zero,
            -q,
            A.c.decided_at,
            decided,
            *decrease,
            flow=decided_flow,
        ),
        # an increase (stock opname) counts once approved
        _part(
            M.c.to_region,
            q,
            zero,
            zero,
            A.c.decided_at,
            decided,
            *increase,
            flow=sa.literal("adjusted"),
        ),
    ]
    return sa.union_all(*parts).subquery("contrib")


def ledger_balances(
    cutoff: datetime | None = None, root: str | None = None
) -> dict[str, tuple[int, int, int]]:
    """{location: (on_hand, in_transit, reserved)} recomputed from the ledger alone, as at
    `cutoff` (exclusive; None = everything). One query."""
    c = _contributions()
    stmt = sa.select(
        c.c.loc,
        sa.func.sum(c.c.on_hand),
        sa.func.sum(c.c.in_transit),
        sa.func.sum(c.c.reserved),
    ).group_by(c.c.loc)
    if cutoff is not None:
        stmt = stmt.where(c.c.at < cutoff)
    if root is not None:
        stmt = stmt.where(subtree_clause(c.c.loc, root))
    return {
        loc: (int(a or 0), int(b or 0), int(r or 0))
        for loc, a, b, r in db.session.execute(stmt).all()
    }


def closing_by_kabkota_day(user, root: str | None, first: date, last: date) -> dict:
    """{(kab/kota code, day): cards on hand at the end of that WIB day}, summed over every
    location of the kab/kota (Dinas and kecamatan) inside `root` and the user's scope, for
    each day in [first, last] from the first day the kab/kota's ledger has a change on or
    before it. Two queries on the daily rollup (`blanko.daily`) whatever the number of
    kab/kota or days: the balances before `first`, then the on-hand changes per kab/kota per
    day."""
    from assets_app.blanko import daily

    running: dict[str, int] = {}
    for code, (on_hand, _, _) in daily.balances_before(first, root, user=user).items():
        k = code[:5]
        running[k] = running.get(k, 0) + on_hand
    d = daily.D
    kab = _kab_of(d.c.region_code)
    change = sum((d.c[f] for f in daily.FLOWS[1:]), d.c[daily.FLOWS[0]])
    stmt = (
        sa.select(kab, d.c.day, sa.func.sum(change))
        .where(
            subtree_clause(d.c.region_code, root),
            scope_clause(d.c.region_code, user),
            d.c.day >= first,
            d.c.day <= last,
        )
        .group_by(kab, d.c.day)
    )
    changes: dict[date, dict[str, int]] = {}
    for k, day, q in db.session.execute(stmt).all():
        changes.setdefault(day, {})[k] = int(q or 0)
    out: dict = {}
    day = first
    while day <= last:
        for k, q in changes.get(day, {}).items():
            running[k] = running.get(k, 0) + q
        for k, q in running.items():
            out[(k, day)] = q
        day += timedelta(days=1)
    return out
