"""Read-side figures of the blanko ledger, aggregated in SQL with a bounded number of queries:
balances with days of cover, alerts, spoilage, usage comparison, the ledger recomputation and
the DPRD summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from assets_app.blanko.models import (
    APPROVAL_KINDS,
    TRANSFER_KINDS,
    BlankoApproval,
    BlankoBalance,
    BlankoLocationSetting,
    BlankoMovement,
    BlankoReceipt,
)
from assets_app.blanko.services import (
    DEFAULT_LOW_STOCK_DAYS,
    LOCATION_LEVELS,
    USAGE_WINDOW_DAYS,
    get_location_or_404,
    location_label,
)
from assets_app.common.formatting import WIB
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, scoped, subtree_clause

M = BlankoMovement.__table__
R = BlankoReceipt.__table__
A = BlankoApproval.__table__
B = BlankoBalance.__table__
S = BlankoLocationSetting.__table__


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def today_wib() -> date:
    return utcnow().astimezone(WIB).date()


def window(today: date, days: int = USAGE_WINDOW_DAYS) -> tuple[datetime, datetime]:
    """[start, end) in WIB of the `days` days ending with `today` (inclusive)."""
    start = datetime.combine(today - timedelta(days=days - 1), time(), WIB)
    end = datetime.combine(today + timedelta(days=1), time(), WIB)
    return start, end


def _kab_of(col):
    """The kab/kota code ("35.11") of a location code; codes are fixed-width."""
    return sa.func.substr(col, sa.literal_column("1"), sa.literal_column("5"))


def wib_key(col, fmt: str):
    """`fmt` "month" → 'YYYY-MM', "day" → 'YYYY-MM-DD' of a UTC column, in WIB (UTC+7)."""
    if _dialect() == "postgresql":
        pattern = "'YYYY-MM'" if fmt == "month" else "'YYYY-MM-DD'"
        return sa.func.to_char(
            col + sa.literal_column("interval '7 hours'"), sa.literal_column(pattern)
        )
    pattern = "'%Y-%m'" if fmt == "month" else "'%Y-%m-%d'"
    return sa.func.strftime(sa.literal_column(pattern), col, sa.literal_column("'+7 hours'"))


# --- usage and days of cover ---------------------------------------------------------------


def usage_in_window(codes, today: date, *, subtree: bool = False) -> dict[str, int]:
    """Cards used (pemakaian) in the last 30 days per location; `subtree` sums each kab/kota."""
    codes = list(codes)
    if not codes:
        return {}
    start, end = window(today)
    key = _kab_of(M.c.from_region) if subtree else M.c.from_region
    rows = db.session.execute(
        sa.select(key.label("code"), sa.func.sum(M.c.quantity))
        .where(
            M.c.kind == "pemakaian",
            M.c.occurred_at >= start,
            M.c.occurred_at < end,
            key.in_(codes),
        )
        .group_by(key)
    )
    return {c: int(q or 0) for c, q in rows}


def days_of_cover(available: int, used_in_window: int) -> float | None:
    """available / average daily use; None when nothing was used (cover is not limited)."""
    if not used_in_window:
        return None
    return available * USAGE_WINDOW_DAYS / used_in_window


@dataclass
class LocationRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    on_hand: int
    in_transit: int
    reserved: int
    used_30: int
    threshold: int

    @property
    def label(self) -> str:
        return location_label(self.level, self.name)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def avg_daily(self) -> float:
        return self.used_30 / USAGE_WINDOW_DAYS

    @property
    def days_of_cover(self) -> float | None:
        return days_of_cover(self.available, self.used_30)

    @property
    def low(self) -> bool:
        d = self.days_of_cover
        return d is not None and d < self.threshold


def locations_stmt(by, region: str | None = None, today: date | None = None, only_low=False):
    """One row per location in scope: balance, 30-day use (a Dinas: its whole kab/kota),
    threshold. Everything in one SELECT, so a page of it costs one query."""
    today = today or today_wib()
    start, end = window(today)
    in_window = (
        M.c.kind == "pemakaian",
        M.c.occurred_at >= start,
        M.c.occurred_at < end,
    )
    # One pass over the window: use per location, then per kab/kota from those sums.
    own = (
        sa.select(M.c.from_region.label("code"), sa.func.sum(M.c.quantity).label("used"))
        .where(*in_window)
        .group_by(M.c.from_region)
        .cte("own_use")
    )
    kab_key = _kab_of(own.c.code)
    kab = (
        sa.select(kab_key.label("kab"), sa.func.sum(own.c.used).label("used"))
        .group_by(kab_key)
        .subquery("kab_use")
    )
    used = sa.case(
        (Region.level == "kabkota", sa.func.coalesce(kab.c.used, 0)),
        else_=sa.func.coalesce(own.c.used, 0),
    )
    on_hand = sa.func.coalesce(B.c.on_hand, 0)
    reserved = sa.func.coalesce(B.c.reserved, 0)
    threshold = sa.func.coalesce(S.c.low_stock_days, DEFAULT_LOW_STOCK_DAYS)
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
        )
        .select_from(Region)
        .outerjoin(B, B.c.region_code == Region.code)
        .outerjoin(S, S.c.region_code == Region.code)
        .outerjoin(own, own.c.code == Region.code)
        .outerjoin(kab, kab.c.kab == Region.code)
        .where(Region.level.in_(LOCATION_LEVELS))
        .order_by(Region.code)
    )
    stmt = scoped(stmt, Region.code, by, region)
    if only_low:
        stmt = stmt.where(used > 0, (on_hand - reserved) * USAGE_WINDOW_DAYS < threshold * used)
    return stmt


def location_rows(rows) -> list[LocationRow]:
    return [LocationRow(*r) for r in rows]


def locations_count(by, region: str | None = None) -> int:
    """How many locations `locations_stmt` lists (without running its aggregates)."""
    stmt = scoped(
        sa.select(sa.func.count()).select_from(Region).where(Region.level.in_(LOCATION_LEVELS)),
        Region.code,
        by,
        region,
    )
    return db.session.scalar(stmt) or 0


def location_row(by, code: str, today: date | None = None) -> LocationRow:
    """One location's figures, reading only its own balance, setting and 30-day use."""
    from assets_app.blanko.services import balance_of, location_settings

    loc = get_location_or_404(by, code)
    today = today or today_wib()
    bal = balance_of(loc.code)
    if loc.is_dinas:
        start, end = window(today)
        used = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(M.c.quantity), 0)).where(
                M.c.kind == "pemakaian",
                M.c.occurred_at >= start,
                M.c.occurred_at < end,
                subtree_range(M.c.from_region, loc.code),
            )
        )
    else:
        used = usage_in_window([loc.code], today).get(loc.code, 0)
    return LocationRow(
        loc.code,
        loc.name,
        loc.level,
        loc.parent_code,
        bal.on_hand,
        bal.in_transit_in,
        bal.reserved,
        int(used or 0),
        location_settings(loc.code).low_stock_days,
    )


def subtree_range(col, code: str):
    """`code` and everything below it, as an index-friendly range ("35.11." < x < "35.11/")."""
    return sa.or_(col == code, sa.and_(col > code + ".", col < code + "/"))


def totals(by, region: str | None = None, today: date | None = None) -> dict:
    """Sums over every location in scope (and the region filter), plus the days of cover of
    all that stock (available + in transit) at the scope's combined consumption."""
    today = today or today_wib()
    start, end = window(today)
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
    used = db.session.scalar(
        scoped(
            sa.select(sa.func.coalesce(sa.func.sum(M.c.quantity), 0)).where(
                M.c.kind == "pemakaian", M.c.occurred_at >= start, M.c.occurred_at < end
            ),
            M.c.from_region,
            by,
            region,
        )
    )
    on_hand, in_transit, reserved = (int(x) for x in stock)
    used = int(used or 0)
    return {
        "on_hand": on_hand,
        "in_transit": in_transit,
        "reserved": reserved,
        "available": on_hand - reserved,
        "used_30": used,
        "days_of_cover": days_of_cover(on_hand - reserved + in_transit, used),
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
    """Blanko booked as pemakaian vs `UsageDay.cetak_ktp` per day (newest first): two queries."""
    from assets_app.assets.models import UsageDay

    today = today or today_wib()
    start, end = window(today, days)
    key = wib_key(M.c.occurred_at, "day")
    booked = {
        d: int(q)
        for d, q in db.session.execute(
            sa.select(key, sa.func.sum(M.c.quantity))
            .where(
                M.c.kind == "pemakaian",
                M.c.from_region == code,
                M.c.occurred_at >= start,
                M.c.occurred_at < end,
            )
            .group_by(key)
        )
    }
    printed = dict(
        db.session.execute(
            sa.select(UsageDay.day, UsageDay.cetak_ktp).where(
                UsageDay.region_code == code,
                UsageDay.day >= today - timedelta(days=days - 1),
                UsageDay.day <= today,
            )
        ).all()
    )
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
            M.c.occurred_at >= datetime.combine(first, time(), WIB),
            M.c.occurred_at < datetime.combine(after, time(), WIB),
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


def _contributions():
    """Every way the ledger changes a location's (on_hand, in_transit, reserved), as rows
    (loc, on_hand, in_transit, reserved, at), so balances at any moment are one GROUP BY."""
    q = M.c.quantity
    zero = sa.literal(0)
    recv = M.join(R, R.c.movement_id == M.c.id)
    decided = M.join(A, A.c.movement_id == M.c.id)

    def part(loc, on_hand, transit, reserved, at, frm=M, *where):
        return (
            sa.select(
                loc.label("loc"),
                on_hand.label("on_hand"),
                transit.label("in_transit"),
                reserved.label("reserved"),
                at.label("at"),
            )
            .select_from(frm)
            .where(*where)
        )

    parts = [
        part(M.c.to_region, q, zero, zero, M.c.occurred_at, M, M.c.kind == "penerimaan"),
        part(M.c.from_region, -q, zero, zero, M.c.occurred_at, M, M.c.kind.in_(TRANSFER_KINDS)),
        part(M.c.to_region, zero, q, zero, M.c.occurred_at, M, M.c.kind.in_(TRANSFER_KINDS)),
        part(
            M.c.to_region,
            R.c.quantity_received,
            -q,
            zero,
            R.c.received_at,
            recv,
            M.c.kind.in_(TRANSFER_KINDS),
        ),
        part(M.c.from_region, -q, zero, zero, M.c.occurred_at, M, M.c.kind == "pemakaian"),
        part(
            M.c.from_region,
            zero,
            zero,
            q,
            M.c.occurred_at,
            M,
            M.c.kind.in_(APPROVAL_KINDS),
            M.c.from_region.is_not(None),
        ),
        part(
            M.c.from_region,
            sa.case((A.c.approved.is_(True), -q), else_=0),
            zero,
            -q,
            A.c.decided_at,
            decided,
            M.c.kind.in_(APPROVAL_KINDS),
            M.c.from_region.is_not(None),
        ),
        part(
            M.c.to_region,
            q,
            zero,
            zero,
            A.c.decided_at,
            decided,
            M.c.kind == "penyesuaian",
            M.c.from_region.is_(None),
            A.c.approved.is_(True),
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
        loc: (int(a or 0), int(b or 0), int(r or 0)) for loc, a, b, r in db.session.execute(stmt)
    }


# --- the DPRD summary ------------------------------------------------------------------------


def blanko_summary_by_region(
    user, region_code: str, start: date, end: date, today: date | None = None
) -> dict[str, dict]:
    """Per location (the Dinas store keyed by the kab/kota code, each kecamatan by its code)
    inside `region_code` and the user's scope, for the period [start, end] (WIB dates):

    received     cards that arrived (penerimaan at the Dinas; confirmed receipts anywhere)
    distributed  cards dispatched by distribusi from the location
    used         pemakaian
    damaged      rusak approved as written off (by the date of the damage)
    balance      on hand at the end of `end` (from the ledger)
    in_transit   on its way to the location at the end of `end`
    days_of_cover  (balance − reserved) / average daily use over the 30 days up to
                   min(end, today); for a Dinas the use of its whole kab/kota; None if no use
    spoilage_rate  damaged / (used + damaged) in the period, None when both are 0

    Six queries whatever the number of locations or movements."""
    today = today or today_wib()
    codes_stmt = scoped(
        sa.select(Region.code, Region.level)
        .where(Region.level.in_(LOCATION_LEVELS), subtree_clause(Region.code, region_code))
        .order_by(Region.code),
        Region.code,
        user,
    )
    levels = dict(db.session.execute(codes_stmt).all())
    if not levels:
        return {}
    p_start = datetime.combine(start, time(), WIB)
    p_end = datetime.combine(end + timedelta(days=1), time(), WIB)
    in_period = (M.c.occurred_at >= p_start, M.c.occurred_at < p_end)
    out = {
        code: {
            "received": 0,
            "distributed": 0,
            "used": 0,
            "damaged": 0,
            "balance": 0,
            "in_transit": 0,
            "days_of_cover": None,
            "spoilage_rate": None,
        }
        for code in levels
    }
    loc = sa.case((M.c.kind == "penerimaan", M.c.to_region), else_=M.c.from_region)
    flows = db.session.execute(
        sa.select(loc.label("loc"), M.c.kind, sa.func.sum(M.c.quantity))
        .where(
            *in_period,
            M.c.kind.in_(("penerimaan", "distribusi", "pemakaian")),
            subtree_clause(loc, region_code),
        )
        .group_by(loc, M.c.kind)
    )
    field = {"penerimaan": "received", "distribusi": "distributed", "pemakaian": "used"}
    for code, kind, qty in flows:
        if code in out:
            out[code][field[kind]] += int(qty or 0)
    received = db.session.execute(
        sa.select(R.c.region_code, sa.func.sum(R.c.quantity_received))
        .where(
            R.c.received_at >= p_start,
            R.c.received_at < p_end,
            subtree_clause(R.c.region_code, region_code),
        )
        .group_by(R.c.region_code)
    )
    for code, qty in received:
        if code in out:
            out[code]["received"] += int(qty or 0)
    damaged = db.session.execute(
        sa.select(M.c.from_region, sa.func.sum(M.c.quantity))
        .select_from(M.join(A, A.c.movement_id == M.c.id))
        .where(
            *in_period,
            M.c.kind == "rusak",
            A.c.approved.is_(True),
            subtree_clause(M.c.from_region, region_code),
        )
        .group_by(M.c.from_region)
    )
    for code, qty in damaged:
        if code in out:
            out[code]["damaged"] += int(qty or 0)
    cutoff = min(p_end, datetime.combine(today + timedelta(days=1), time(), WIB))
    as_of = ledger_balances(cutoff, root=region_code)
    cover_day = min(end, today)
    own = usage_in_window([c for c, lv in levels.items() if lv == "kecamatan"], cover_day)
    kab = usage_in_window(
        [c for c, lv in levels.items() if lv == "kabkota"], cover_day, subtree=True
    )
    for code, row in out.items():
        on_hand, in_transit, reserved = as_of.get(code, (0, 0, 0))
        row["balance"] = on_hand
        row["in_transit"] = in_transit
        used_30 = (kab if levels[code] == "kabkota" else own).get(code, 0)
        cover = days_of_cover(on_hand - reserved, used_30)
        row["days_of_cover"] = round(cover, 1) if cover is not None else None
        denom = row["used"] + row["damaged"]
        row["spoilage_rate"] = round(row["damaged"] / denom, 4) if denom else None
    return out


def blanko_total_for_region(
    user,
    region_code: str,
    start: date,
    end: date,
    today: date | None = None,
    *,
    rows: dict[str, dict] | None = None,
) -> dict:
    """The same figures summed over every location of `region_code`; days of cover of all
    that stock (available + in transit) at the region's combined daily use. `rows`: the
    result of blanko_summary_by_region for the same arguments, when the caller has it."""
    if rows is None:
        rows = blanko_summary_by_region(user, region_code, start, end, today)
    total = {
        k: sum(r[k] for r in rows.values())
        for k in ("received", "distributed", "used", "damaged", "balance", "in_transit")
    }
    today = today or today_wib()
    used_30 = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(M.c.quantity), 0)).where(
            M.c.kind == "pemakaian",
            M.c.occurred_at >= window(min(end, today))[0],
            M.c.occurred_at < window(min(end, today))[1],
            subtree_clause(M.c.from_region, region_code),
            scope_clause(M.c.from_region, user),
        )
    )
    # Reserved cards are not usable; the per-location rows do not carry them, so re-read.
    cutoff = min(
        datetime.combine(end + timedelta(days=1), time(), WIB),
        datetime.combine(today + timedelta(days=1), time(), WIB),
    )
    reserved = sum(
        r for code, (_, _, r) in ledger_balances(cutoff, root=region_code).items() if code in rows
    )
    cover = days_of_cover(total["balance"] - reserved + total["in_transit"], int(used_30 or 0))
    total["days_of_cover"] = round(cover, 1) if cover is not None else None
    denom = total["used"] + total["damaged"]
    total["spoilage_rate"] = round(total["damaged"] / denom, 4) if denom else None
    return total
