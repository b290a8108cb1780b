"""The blanko figures of the DPRD report (hearing domain), per location and for a whole region.

Read it through `blanko.queries` (the domain's public read surface).

One row per location reconciles, for a period [from, to] (WIB dates):

    opening + received − distributed + returned − used − damaged + adjusted = closing

`opening` is on hand as of the start of `from`, `closing` as of the end of `to` (or now, when
the period ends today); every flow comes from the ledger's on-hand changes in the period
(`stats._contributions`, summed per day in the rollup `blanko.daily`), so the identity holds in every row by construction, and in any sum
of rows. `in_transit` and `short` are shown beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from assets_app.blanko import daily
from assets_app.blanko.models import LOCATION_LEVELS
from assets_app.blanko.stats import (
    DEFAULT_LOW_STOCK_DAYS,
    S,
    current_balances,
    days_of_cover,
    is_low,
    printing_clause,
    usage_in_window,
)
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, kabkota_of
from assets_app.regions.scope import scoped, subtree_clause

# The reconciliation, in the order of its columns (keping); signs of the flows in the identity.
RECON = (
    "opening",
    "received",
    "distributed",
    "returned",
    "used",
    "damaged",
    "adjusted",
    "closing",
    "in_transit",
    "short",
)
SIGN = {"received": 1, "distributed": -1, "returned": 1, "used": -1, "damaged": -1, "adjusted": 1}
FLOWS = (*RECON, "balance", "reserved")


def reconciles(row: dict) -> bool:
    """The identity of one row: opening + received − distributed + returned − used − damaged
    ± adjusted == closing."""
    return row["opening"] + sum(s * row[f] for f, s in SIGN.items()) == row["closing"]


def blanko_summary_by_region(
    user, region_code: str, start: date, end: date, today: date | None = None
) -> dict[str, dict]:
    """Rekonsiliasi blanko per lokasi: per location (the Dinas store keyed by the kab/kota
    code, each kecamatan by its code) inside `region_code` and the user's scope, for the
    period [start, end] (WIB dates), in keping:

    opening      Saldo awal — on hand as of the start of `start` (a moment)
    received     Diterima — penerimaan from Ditjen Dukcapil into the location plus confirmed
                 receipts of distribusi to it, the quantity actually received (period)
    received_external  Diterima dari Ditjen — the penerimaan part of `received`: cards that
                 entered the area from outside it (period); a transfer inside the area is
                 "distributed" at its sender and "received" at its receiver, so in the sum of
                 the rows it cancels out and only these remain
    distributed  Dikirim/distribusi — cards shipped out of the location by any transfer
                 (distribusi from the Dinas, pengembalian from a kecamatan) (period)
    returned     Dikembalikan — confirmed receipts of pengembalian at the location (period)
    used         Dipakai — pemakaian (period)
    damaged      Rusak — rusak written off, by the date kadis approved it (period)
    adjusted     Penyesuaian — approved stock-opname adjustments, signed (period)
    closing      Saldo akhir — on hand as of the end of `end`, or now when `end` is today or
                 later (a moment); equals opening + the flows above (`reconciles`)
    in_transit   Dalam perjalanan — shipped to the location, not yet received, at that moment
    short        Kurang terima — sent − received of the transfers confirmed there (period)
    balance      = closing (the older name of the figure)
    reserved     on hand but held for pending write-offs, at the closing moment
    days_of_cover  `stats.days_of_cover` of (closing − reserved) at the 30-day use up to
                 min(end, today); for a Dinas the use of its whole kab/kota; None if no use
    spoilage_rate  damaged / (used + damaged) in the period, None when both are 0
    low          Stok rendah at the closing moment: `stats.is_low` of (closing − reserved),
                 the same 30-day use, the location's threshold and whether it has card-
                 printing equipment (the register as it stands now)

    Seven queries whatever the number of locations or movements (the ledger part reads the
    daily rollup, `blanko.daily`)."""
    today = today or today_wib()
    rows = ledger_rows(user, region_code, start, end, today)
    if not rows:
        return {}
    cover_day = min(end, today)
    # the 30-day use of every location (the locations as a SELECT, not as bound codes: a
    # national scope has 7,800), and of each kab/kota as the sum of its locations: a Dinas
    # row is in scope only with its whole kab/kota
    own = usage_in_window(_location_codes(user, region_code), cover_day, root=region_code)
    kab: dict[str, int] = {}
    for code, used in own.items():
        key = kabkota_of(code)
        if key is not None:
            kab[key] = kab.get(key, 0) + used
    rules = _low_rules(_location_codes(user, region_code))
    for code, row in rows.items():
        used_30 = (kab if row.pop("level") == "kabkota" else own).get(code, 0)
        row["used_own_30"] = own.get(code, 0)  # the location's own; summed by the totals
        available = row["closing"] - row["reserved"]
        row["days_of_cover"] = _rounded(days_of_cover(available, used_30))
        threshold, prints = rules.get(code, (DEFAULT_LOW_STOCK_DAYS, False))
        row["low"] = is_low(available, used_30, threshold, prints)
        row["spoilage_rate"] = _spoilage_rate(row)
    return rows


def ledger_rows(
    user, region_code: str | None, start: date, end: date, today: date | None = None
) -> dict[str, dict]:
    """The ledger part of `blanko_summary_by_region`'s rows, in the same order: opening,
    the flows, closing, in_transit, short, reserved, balance, received_external (and the
    location's `level`), without the 30-day use, days of cover and low stock the
    reconciliation table does not show. Three queries."""
    today = today or today_wib()
    levels = _locations(user, region_code)
    if not levels:
        return {}
    # The ledger part reads the daily rollup (`blanko.daily`): the balances at the end of the
    # closing day and the flows of the days of the period; the opening is the closing less
    # those flows (the rollup's closing of a day is the day before's plus its flows, so this
    # is the balance at 00:00 WIB of `start`, without a probe per location).
    last = min(end, today)
    # a period running to the real today closes now: the balance rows are the ledger up to
    # now (kept in the same transaction as every change), one row per location instead of a
    # probe each (a caller's earlier `today` reads the rollup as of that day)
    if last >= today_wib():
        closing = current_balances(user, region_code)
    else:
        closing = daily.balances_before(last + timedelta(days=1), root=region_code, user=user)
    flows = daily.flows_between(start, last, root=region_code, user=user) if last >= start else {}
    out = {}
    for code, level in levels.items():
        moved = flows.get(code, {})
        on_hand, in_transit, reserved = closing.get(code, (0, 0, 0))
        row = {"opening": on_hand - sum(moved.get(f, 0) for f in SIGN)}
        for flow, sign in SIGN.items():
            row[flow] = moved.get(flow, 0) * sign
        row["closing"] = on_hand
        row.update(in_transit=in_transit, short=moved.get("short", 0), reserved=reserved)
        row["received_external"] = moved.get("from_ditjen", 0)
        row["balance"] = row["closing"]
        row["level"] = level
        out[code] = row
    return out


def sum_rows(rows) -> dict[str, int]:
    """The reconciliation's figures (and balance, reserved) summed over `rows`: the identity
    holds for the sum too."""
    return {k: sum(r[k] for r in rows) for k in FLOWS}


def _low_rules(codes: sa.Select) -> dict[str, tuple[int, bool]]:
    """{code: (low-stock threshold in days, has card-printing equipment)} of the locations
    `codes` selects; one query."""
    code = Region.code
    stmt = (
        sa.select(
            code,
            sa.func.coalesce(S.c.low_stock_days, DEFAULT_LOW_STOCK_DAYS),
            printing_clause(code),
        )
        .outerjoin(S, S.c.region_code == code)
        .where(code.in_(codes))
    )
    return {c: (int(t), bool(p)) for c, t, p in db.session.execute(stmt).all()}


def _location_codes(user, region_code: str | None, *cols) -> sa.Select:
    """SELECT of the codes (or `cols`) of the stock locations inside `region_code` and the
    user's scope."""
    return scoped(
        sa.select(*(cols or (Region.code,))).where(
            Region.level.in_(LOCATION_LEVELS), subtree_clause(Region.code, region_code)
        ),
        Region.code,
        user,
    )


def _locations(user, region_code: str) -> dict[str, str]:
    """{code: level} of the stock locations inside `region_code` and the user's scope."""
    stmt = _location_codes(user, region_code, Region.code, Region.level)
    return dict(db.session.execute(stmt.order_by(Region.code)).all())


def _rounded(cover: float | None) -> float | None:
    return round(cover, 1) if cover is not None else None


def _spoilage_rate(row: dict) -> float | None:
    denom = row["used"] + row["damaged"]
    return round(row["damaged"] / denom, 4) if denom else None


def blanko_total_for_region(
    user,
    region_code: str | None,
    start: date,
    end: date,
    today: date | None = None,
    *,
    rows: dict[str, dict] | None = None,
) -> dict:
    """The same figures summed over every location of `region_code` (the identity holds for
    the sum too; transfers inside the region appear as distributed at the sender and received
    at the destination); days of cover of all the available stock (in transit excluded) at
    the region's combined daily use, by `stats.days_of_cover`. `rows`: the result of
    blanko_summary_by_region for the same arguments, when the caller has it."""
    if rows is None:
        rows = blanko_summary_by_region(user, region_code, start, end, today)
    total = sum_rows(rows.values())
    # the area's 30-day use is its locations' (every rollup row is a location's, and the
    # rows are every location of the area in scope): no second read of the window
    used_30 = sum(r["used_own_30"] for r in rows.values())
    cover = days_of_cover(total["closing"] - total["reserved"], used_30)
    total["days_of_cover"] = _rounded(cover)
    total["spoilage_rate"] = _spoilage_rate(total)
    return total


def blanko_cover_by_kabkota(
    user, region_code: str | None, end: date, today: date | None, rows: dict[str, dict]
) -> dict[str, float | None]:
    """{kab/kota code: days of cover} of each kab/kota's locations among `rows` (the result
    of blanko_summary_by_region): all their available stock at the kab/kota's combined use
    over the 30-day window, as blanko_total_for_region defines it for one area. No query:
    the rows hold each location's own use."""
    used: dict[str, int] = {}
    available: dict[str, int] = {}
    for code, row in rows.items():
        key = kabkota_of(code)
        if key is not None:
            available[key] = available.get(key, 0) + row["closing"] - row["reserved"]
            used[key] = used.get(key, 0) + row["used_own_30"]
    return {k: _rounded(days_of_cover(a, used.get(k, 0))) for k, a in available.items()}
