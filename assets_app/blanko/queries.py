"""The blanko ledger, read: locations, balances, movements, worklists and requests.

The read-only surface of the blanko domain (`get_`, `list_`, `count_` and the statements the
pages and the API paginate); other domains read blanko through this module. Verbs that change
state are in `services` (movements) and `ditjen` (requests to Ditjen Dukcapil).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from assets_app.blanko import stats
from assets_app.blanko.models import (
    APPROVAL_KINDS,
    DEFAULT_LEAD_TIME_DAYS,
    DEFAULT_LOW_STOCK_DAYS,
    LOCATION_LEVELS,
    TRANSFER_KINDS,
    USAGE_WINDOW_DAYS,
    BlankoApproval,
    BlankoBalance,
    BlankoLocationSetting,
    BlankoMovement,
    BlankoReceipt,
    BlankoRequest,
    BlankoStockOpname,
    LocationNaming,
    location_label,
)
from assets_app.blanko.stats import LocationRow, closing_by_kabkota_day
from assets_app.blanko.summary import (
    blanko_cover_by_kabkota,
    blanko_summary_by_region,
    blanko_total_for_region,
    ledger_rows,
    sum_rows,
)
from assets_app.common import vocab
from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.timeutil import end_of_day, start_of_day, today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region, level_of
from assets_app.regions.scope import in_scope, scope_clause, scoped

__all__ = [  # for the DPRD report
    "closing_by_kabkota_day",
    "blanko_cover_by_kabkota",
    "blanko_summary_by_region",
    "blanko_total_for_region",
    "reconciliation",
]

REVIEW_DAYS = 30  # a request should cover this many days after it arrives
_BAL = BlankoBalance.__table__
_NOT_FOUND_MOVEMENT = "Mutasi blanko tidak ditemukan atau di luar cakupan wilayah Anda."


# --- locations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Location(LocationNaming):
    code: str
    name: str
    level: str
    parent_code: str | None


def get_location(code: str) -> Location | None:
    region = db.session.get(Region, code)
    if region is None or region.level not in LOCATION_LEVELS:
        return None
    return Location(region.code, region.name, region.level, region.parent_code)


def _level(code: str) -> str | None:
    try:
        return level_of(code)
    except ValueError:
        return None


def get_location_or_404(by, code: str) -> Location:
    loc = get_location(code)
    if loc is None or not in_scope(by, loc.code):
        raise NotFound("Lokasi blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return loc


def location_choices(
    by, levels=LOCATION_LEVELS, *, as_region=False, blank: str | None = None
) -> list[tuple[str, str]]:
    """(code, label) for select boxes: regions of `levels` inside the user's scope, labelled
    as stock locations ("Gudang Dinas …") or, for region filters, as regions; `blank` puts
    an empty first option."""
    from flask import has_request_context, request

    from assets_app.regions.services import bounded_regions, choice_label

    # bounded above one kab/kota like every region picker (issue 19): the chosen location or
    # region opens its children
    selected = None
    if has_request_context():
        # a filter's location, or what a movement form posted (the last one chosen wins)
        for key in ("location", "to_region", "from_region", "region_code", "region"):
            value = request.values.get(key)
            if isinstance(value, str) and value.strip():
                selected = value.strip()
                break
    options = [
        (c, f"{c} — {n if as_region and lv != 'kecamatan' else location_label(lv, n)}")
        if lv in levels
        else (c, choice_label(c, n, lv, False))
        for c, n, lv in bounded_regions(by, levels, selected)
    ]
    return ([("", blank)] if blank is not None else []) + options


MANY_CODES = 300


def location_names(codes) -> dict[str, str]:
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    stmt = sa.select(Region.code, Region.name, Region.level)
    if len(codes) > MANY_CODES:
        # thousands of bound codes cost more than reading their range of the regions table
        stmt = stmt.where(Region.code >= codes[0], Region.code <= codes[-1])
    else:
        stmt = stmt.where(Region.code.in_(codes))
    wanted = set(codes)
    return {c: location_label(lv, n) for c, n, lv in db.session.execute(stmt).all() if c in wanted}


def location_settings(code: str) -> BlankoLocationSetting:
    """The saved thresholds of a location, or the defaults (a transient row) until saved."""
    setting = db.session.get(BlankoLocationSetting, code)
    if setting is None:
        setting = BlankoLocationSetting(
            region_code=code,
            low_stock_days=DEFAULT_LOW_STOCK_DAYS,
            lead_time_days=DEFAULT_LEAD_TIME_DAYS,
        )
    return setting


def balance_of(code: str) -> BlankoBalance:
    """Fresh numbers of one location (a transient object; zero when never used)."""
    row = db.session.execute(
        sa.select(_BAL.c.on_hand, _BAL.c.in_transit_in, _BAL.c.reserved).where(
            _BAL.c.region_code == code
        )
    ).first()
    if row is None:
        return BlankoBalance(region_code=code, on_hand=0, in_transit_in=0, reserved=0)
    return BlankoBalance(
        region_code=code,
        on_hand=row.on_hand,
        in_transit_in=row.in_transit_in,
        reserved=row.reserved,
    )


def location_row(by, code: str, today: date | None = None) -> LocationRow:
    """One location's figures, reading only its own balance, setting and 30-day use."""
    loc = get_location_or_404(by, code)
    bal = balance_of(loc.code)
    return LocationRow(
        loc.code,
        loc.name,
        loc.level,
        loc.parent_code,
        bal.on_hand,
        bal.in_transit_in,
        bal.reserved,
        stats.used_in_window(loc.code, loc.is_dinas, today or today_wib()),
        location_settings(loc.code).low_stock_days,
        stats.has_printer(loc.code),
    )


@dataclass(frozen=True)
class Reconciliation:
    """The blanko page's period table: (code, row) of the locations with a balance or a
    movement (`labelled` names a page of them), and the total of all of them."""

    start: date
    end: date
    rows: list[tuple[str, dict]]
    total: dict | None


def reconciliation(by, region: str | None, start: date, end: date) -> Reconciliation:
    """Opening + received − distributed + returned − used − damaged ± adjusted = closing,
    with in transit and short, per location in scope (and `region`) for [start, end]: the
    ledger part of `blanko_summary_by_region`'s rows (the table shows no days of cover, so
    a national page does not read every location's 30-day use for it)."""
    rows = ledger_rows(by, region, start, end)
    total = sum_rows(rows.values()) if rows else None
    shown = [
        (code, r)
        for code, r in rows.items()
        if any(r[k] for k in ("opening", "closing", "in_transit", "received", "distributed"))
        or any(r[k] for k in ("returned", "used", "damaged", "adjusted", "short"))
    ]
    return Reconciliation(start, end, shown, total)


def labelled(rows: list[tuple[str, dict]]) -> list[tuple[str, str, dict]]:
    """(code, location name, row) of reconciliation rows: names for a page of them only."""
    names = location_names([code for code, _ in rows])
    return [(code, names.get(code, code), r) for code, r in rows]


def in_scope_location(by, code: str | None) -> Location | None:
    """The location `code` names when it is one and lies in the user's scope (else None)."""
    loc = get_location(code) if code else None
    return loc if loc is not None and in_scope(by, loc.code) else None


# --- movements -----------------------------------------------------------------------------


def _loaded(stmt):
    return stmt.options(
        selectinload(BlankoMovement.receipt).joinedload(BlankoReceipt.author),
        selectinload(BlankoMovement.approval).joinedload(BlankoApproval.author),
        selectinload(BlankoMovement.serial_ranges),
        joinedload(BlankoMovement.author),
    )


def get_movement(by, movement_id: int) -> BlankoMovement:
    movement = db.session.scalars(
        _loaded(sa.select(BlankoMovement).where(BlankoMovement.id == movement_id))
    ).first()
    if movement is None or not in_scope(by, movement.region_code):
        raise NotFound(_NOT_FOUND_MOVEMENT)
    return movement


def _has(model):
    return sa.exists().where(model.movement_id == BlankoMovement.id)


def status_clause(status: str):
    M = BlankoMovement
    approved = sa.exists().where(
        BlankoApproval.movement_id == M.id, BlankoApproval.approved.is_(True)
    )
    rejected = sa.exists().where(
        BlankoApproval.movement_id == M.id, BlankoApproval.approved.is_(False)
    )
    return {
        "posted": M.kind.in_(("penerimaan", "pemakaian")),
        "in_transit": sa.and_(M.kind.in_(TRANSFER_KINDS), ~_has(BlankoReceipt)),
        "received": sa.and_(M.kind.in_(TRANSFER_KINDS), _has(BlankoReceipt)),
        "pending_approval": sa.and_(M.kind.in_(APPROVAL_KINDS), ~_has(BlankoApproval)),
        "approved": sa.and_(M.kind.in_(APPROVAL_KINDS), approved),
        "rejected": sa.and_(M.kind.in_(APPROVAL_KINDS), rejected),
    }.get(status)


@dataclass
class MovementFilters:
    region: str | None = None  # subtree (scope column)
    location: str | None = None  # exact location on either side
    kind: str | None = None
    status: str | None = None
    start: date | None = None
    end: date | None = None
    q: str | None = None


def movements_query(by, f: MovementFilters) -> sa.Select:
    M = BlankoMovement
    stmt = scoped(_loaded(sa.select(M)), M.region_code, by, f.region or None)
    newest_first = (M.occurred_at.desc(), M.id.desc())
    if f.location:
        if _level(f.location) == "kecamatan":  # every movement touching it is scoped to it
            stmt = stmt.where(M.region_code == f.location)
        else:
            stmt = stmt.where(sa.or_(M.from_region == f.location, M.to_region == f.location))
            # Sort the few rows the two indexes find, rather than let SQLite walk the whole
            # occurred_at index looking for them (what it does with a bound LIMIT).
            newest_first = (sa.func.coalesce(M.occurred_at, M.created_at).desc(), M.id.desc())
    if f.kind in vocab.BLANKO_MOVEMENT:
        stmt = stmt.where(M.kind == f.kind)
    clause = status_clause(f.status or "")
    if clause is not None:
        stmt = stmt.where(clause)
    if f.start:
        stmt = stmt.where(M.occurred_at >= start_of_day(f.start))
    if f.end:
        stmt = stmt.where(M.occurred_at < end_of_day(f.end))
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(sa.or_(M.reference.ilike(like), M.note.ilike(like)))
    return stmt.order_by(*newest_first)


def pending_receipts_query(by) -> sa.Select:
    M = BlankoMovement
    return (
        _loaded(sa.select(M))
        .where(M.kind.in_(TRANSFER_KINDS), ~_has(BlankoReceipt), scope_clause(M.to_region, by))
        # Kind first: the (kind, occurred_at) index then yields the few candidates in order.
        .order_by(M.kind, M.occurred_at, M.id)
    )


def pending_approvals_query(by, *, others_only: bool = False) -> sa.Select:
    """Write-offs and adjustments waiting for a decision; `others_only` leaves out those `by`
    recorded (four eyes: they wait for another official)."""
    M = BlankoMovement
    stmt = scoped(
        _loaded(sa.select(M)).where(M.kind.in_(APPROVAL_KINDS), ~_has(BlankoApproval)),
        M.region_code,
        by,
    )
    if others_only and getattr(by, "id", None) is not None:
        stmt = stmt.where(sa.or_(M.author_id.is_(None), M.author_id != by.id))
    return stmt.order_by(M.kind, M.occurred_at, M.id)


def stock_opnames_query(by, region: str | None = None) -> sa.Select:
    so = BlankoStockOpname
    return scoped(sa.select(so), so.region_code, by, region).order_by(
        so.counted_at.desc(), so.id.desc()
    )


def location_worklists(by, code: str, limit: int = 50) -> tuple[list, list]:
    """What waits at one location: transfers on their way to it, and its pending decisions."""
    M = BlankoMovement
    pending_in = db.session.scalars(
        pending_receipts_query(by).where(M.to_region == code).limit(limit)
    ).all()
    pending_ok = db.session.scalars(
        pending_approvals_query(by)
        .where(sa.or_(M.from_region == code, M.to_region == code))
        .limit(limit)
    ).all()
    return list(pending_in), list(pending_ok)


def kecamatan_stmt(by, region: str | None = None) -> sa.Select:
    """The kecamatan in scope (and inside `region`), by code: the rows of the spoilage page."""
    stmt = sa.select(Region).where(Region.level == "kecamatan").order_by(Region.code)
    return scoped(stmt, Region.code, by, region)


def names_of_movements(movements) -> dict[str, str]:
    """Location labels of both sides of each movement."""
    return location_names({c for m in movements for c in (m.from_region, m.to_region)})


# --- requests to Ditjen Dukcapil -------------------------------------------------------------


def get_request(by, request_id: int) -> BlankoRequest:
    req = db.session.get(BlankoRequest, request_id)
    if req is None or not in_scope(by, req.region_code):
        raise NotFound("Permintaan blanko tidak ditemukan atau di luar cakupan wilayah Anda.")
    return req


def requests_query(by, status: str | None = None) -> sa.Select:
    stmt = scoped(sa.select(BlankoRequest), BlankoRequest.region_code, by)
    if status in ("open", "closed", "cancelled"):
        stmt = stmt.where(BlankoRequest.status == status)
    return stmt.order_by(BlankoRequest.letter_date.desc(), BlankoRequest.id.desc())


def request_fulfilment(request_ids) -> dict[int, BlankoMovement]:
    """The penerimaan that closed each request (the first one referencing it)."""
    ids = [i for i in request_ids if i]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(BlankoMovement)
        .where(BlankoMovement.request_id.in_(ids), BlankoMovement.kind == "penerimaan")
        .order_by(BlankoMovement.id)
    )
    out: dict[int, BlankoMovement] = {}
    for m in rows:
        out.setdefault(m.request_id, m)
    return out


def open_requests_for(kab_code: str) -> list[BlankoRequest]:
    return list(
        db.session.scalars(
            sa.select(BlankoRequest)
            .where(BlankoRequest.region_code == kab_code, BlankoRequest.status == "open")
            .order_by(BlankoRequest.letter_date)
            .limit(50)
        )
    )


def open_request_choices(by, limit: int = 100) -> list[tuple[str, str]]:
    """(id, label) of the open requests in scope, for a penerimaan that fulfils one."""
    rows = db.session.scalars(requests_query(by, "open").limit(limit))
    return [(str(r.id), f"{r.number_label} · {number(r.quantity)} keping") for r in rows]


def letter_subject_links(ids: list[int]) -> dict[int, tuple[str, str]]:
    """For the letters pages: blanko request id → (label, url), one query."""
    from flask import url_for

    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(BlankoRequest.id, BlankoRequest.quantity).where(BlankoRequest.id.in_(ids))
    )
    return {
        i: (
            f"Permintaan blanko #{i}: {number(q)} keping",
            url_for("blanko.request_detail", request_id=i),
        )
        for i, q in rows
    }


def open_request_quantity(kab_code: str) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(BlankoRequest.quantity), 0)).where(
        BlankoRequest.region_code == kab_code, BlankoRequest.status == "open"
    )
    return int(db.session.scalar(stmt) or 0)


def request_suggestion(by, region_code: str, today: date | None = None) -> dict:
    """How many cards to ask for: cover lead time + one review period + the safety threshold
    at the recent consumption rate, minus stock on hand/in transit and open requests."""
    loc = get_location_or_404(by, region_code)
    if not loc.is_dinas:
        raise ValidationFailed(
            errors={"region_code": ["Permintaan blanko diajukan oleh Dinas kab/kota."]}
        )
    today = today or today_wib()
    setting = location_settings(loc.code)
    usage_30 = stats.used_in_window(loc.code, True, today)  # its whole kab/kota
    avg = usage_30 / USAGE_WINDOW_DAYS
    totals = stats.subtree_stock(loc.code)
    stock = totals["available"] + totals["in_transit"]
    open_qty = open_request_quantity(loc.code)
    horizon = setting.lead_time_days + REVIEW_DAYS + setting.low_stock_days
    need = avg * horizon - stock - open_qty
    suggested = int(math.ceil(need / 100.0) * 100) if need > 0 else 0
    return {
        "region_code": loc.code,
        "as_of": today.isoformat(),
        "usage_30_days": int(usage_30),
        "avg_daily": round(avg, 2),
        "stock": int(stock),
        "open_requests": int(open_qty),
        "lead_time_days": setting.lead_time_days,
        "review_days": REVIEW_DAYS,
        "safety_days": setting.low_stock_days,
        "horizon_days": horizon,
        "days_of_cover": round(stock / avg, 1) if avg else None,
        "suggested": suggested,
    }


def default_request_region(by, code: str | None) -> str | None:
    """The Dinas a new request is for: the one asked for, else the user's own kab/kota."""
    if not code and by.region_code and level_of(by.region_code) == "kabkota":
        return by.region_code
    return code


def low_locations(by, today: date | None = None) -> list[LocationRow]:
    """Every location in `by`'s scope whose stock is low now (`stats.is_low`): the
    notify domain's low-stock job reads this."""
    rows = db.session.execute(stats.locations_stmt(by, today=today, only_low=True))
    return stats.location_rows(rows)


def requests_unanswered_since(letter_date: date) -> list[BlankoRequest]:
    """Requests to the Ditjen still open whose letter is dated on or before `letter_date`."""
    return list(
        db.session.scalars(
            sa.select(BlankoRequest)
            .where(BlankoRequest.status == "open", BlankoRequest.letter_date <= letter_date)
            .order_by(BlankoRequest.letter_date, BlankoRequest.id)
        )
    )


def available_of(codes) -> dict[str, int]:
    """{code: cards available (on hand less reserved)} of these locations; 0 when never
    stocked; one query (the public board)."""
    codes = list(codes)
    if not codes:
        return {}
    rows = db.session.execute(
        sa.select(_BAL.c.region_code, _BAL.c.on_hand - _BAL.c.reserved).where(
            _BAL.c.region_code.in_(codes)
        )
    )
    found = dict(rows.all())
    return {c: int(found.get(c) or 0) for c in codes}
