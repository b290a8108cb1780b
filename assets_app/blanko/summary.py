"""The blanko figures of the DPRD report (hearing domain), per location and for a whole region.

Read it through `blanko.queries` (the domain's public read surface).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from assets_app.blanko.models import LOCATION_LEVELS
from assets_app.blanko.stats import (
    A,
    M,
    R,
    days_of_cover,
    ledger_balances,
    usage_in_window,
    used_sum,
    window,
)
from assets_app.common.timeutil import end_of_day, start_of_day, today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import scope_clause, scoped, subtree_clause

FLOWS = ("received", "distributed", "used", "damaged", "balance", "in_transit")
_FLOW_OF_KIND = {"penerimaan": "received", "distribusi": "distributed", "pemakaian": "used"}


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
    levels = _locations(user, region_code)
    if not levels:
        return {}
    out = {code: {**dict.fromkeys(FLOWS, 0), "days_of_cover": None} for code in levels}
    period = (start_of_day(start), end_of_day(end))
    for code, field, qty in _period_flows(region_code, *period):
        if code in out:
            out[code][field] += qty
    as_of = ledger_balances(min(period[1], end_of_day(today)), root=region_code)
    cover_day = min(end, today)
    own = usage_in_window([c for c, lv in levels.items() if lv == "kecamatan"], cover_day)
    kab = usage_in_window(
        [c for c, lv in levels.items() if lv == "kabkota"], cover_day, subtree=True
    )
    for code, row in out.items():
        on_hand, in_transit, reserved = as_of.get(code, (0, 0, 0))
        row["balance"], row["in_transit"] = on_hand, in_transit
        used_30 = (kab if levels[code] == "kabkota" else own).get(code, 0)
        row["days_of_cover"] = _rounded(days_of_cover(on_hand - reserved, used_30))
        row["spoilage_rate"] = _spoilage_rate(row)
    return out


def _locations(user, region_code: str) -> dict[str, str]:
    """{code: level} of the stock locations inside `region_code` and the user's scope."""
    stmt = scoped(
        sa.select(Region.code, Region.level)
        .where(Region.level.in_(LOCATION_LEVELS), subtree_clause(Region.code, region_code))
        .order_by(Region.code),
        Region.code,
        user,
    )
    return dict(db.session.execute(stmt).all())


def _period_flows(region_code: str, p_start, p_end):
    """(location, figure, quantity) of the period: movements by kind, confirmed receipts and
    approved write-offs (three queries)."""
    in_period = (M.c.occurred_at >= p_start, M.c.occurred_at < p_end)
    loc = sa.case((M.c.kind == "penerimaan", M.c.to_region), else_=M.c.from_region)
    flows = db.session.execute(
        sa.select(loc.label("loc"), M.c.kind, sa.func.sum(M.c.quantity))
        .where(*in_period, M.c.kind.in_(tuple(_FLOW_OF_KIND)), subtree_clause(loc, region_code))
        .group_by(loc, M.c.kind)
    )
    for code, kind, qty in flows:
        yield code, _FLOW_OF_KIND[kind], int(qty or 0)
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
        yield code, "received", int(qty or 0)
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
        yield code, "damaged", int(qty or 0)


def _rounded(cover: float | None) -> float | None:
    return round(cover, 1) if cover is not None else None


def _spoilage_rate(row: dict) -> float | None:
    denom = row["used"] + row["damaged"]
    return round(row["damaged"] / denom, 4) if denom else None


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
    total = {k: sum(r[k] for r in rows.values()) for k in FLOWS}
    today = today or today_wib()
    w_start, w_end = window(min(end, today))
    used_30 = db.session.scalar(
        used_sum(
            w_start,
            w_end,
            subtree_clause(M.c.from_region, region_code),
            scope_clause(M.c.from_region, user),
        )
    )
    # Reserved cards are not usable; the per-location rows do not carry them, so re-read.
    cutoff = min(end_of_day(end), end_of_day(today))
    reserved = sum(
        r for code, (_, _, r) in ledger_balances(cutoff, root=region_code).items() if code in rows
    )
    cover = days_of_cover(total["balance"] - reserved + total["in_transit"], int(used_30 or 0))
    total["days_of_cover"] = _rounded(cover)
    total["spoilage_rate"] = _spoilage_rate(total)
    return total
