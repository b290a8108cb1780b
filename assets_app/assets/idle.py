"""Idle detection (DESIGN.md, issue 12): reporting is a fact of its own.

- **idle** ("menganggur"): an asset marked *tidak digunakan*, or operational throughout the
  idle window (default `IDLE_WINDOW_DAYS` = 30 days, ending `today`) while its service point
  *reported* zero use of the service it serves (at least one daily usage report in the window,
  all of them zero for that service).
- **unreported** ("tanpa laporan pemakaian"): an asset operational throughout the window at a
  service point that filed no daily usage report (`UsageDay` row) at all in the window. Nobody
  knows whether it was used, so it is not counted as idle.

Both are moment figures: as of `today` (the end of the window), never of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from assets_app.assets.downtime import _dt_param
from assets_app.assets.history import StateAt, state_at
from assets_app.assets.models import Asset, UsageDay
from assets_app.assets.settings import IDLE_WINDOW_DAYS
from assets_app.common.built import built, user_key
from assets_app.common.timeutil import WIB, start_of_day, today_wib
from assets_app.extensions import db
from assets_app.regions.scope import scope_clause, scoped, subtree_clause

# --- idle ----------------------------------------------------------------------------------

# Which daily count shows that an asset of a category is being used.
SERVICE_OF_CATEGORY = {"perekaman": "rekam", "cetak_ktp": "cetak_ktp", "cetak_kk": "cetak_kk"}
SERVICE_WORDS = {
    "rekam": "perekaman KTP-el",
    "cetak_ktp": "pencetakan KTP-el",
    "cetak_kk": "pencetakan KK",
    None: "layanan apa pun",
}


@dataclass(frozen=True)
class IdleItem:
    asset: Asset
    reason: str
    since: date | None
    kind: str  # "status" (tidak_digunakan) or "usage" (no use in the window)
    last_used: date | None = None


def _idle_parts(user, region_code, window_days: int, today: date, state: StateAt):
    window_start = today - timedelta(days=window_days - 1)
    in_scope_usage = sa.and_(
        scope_clause(UsageDay.region_code, user),
        subtree_clause(UsageDay.region_code, region_code) if region_code else sa.true(),
    )
    used = (
        sa.select(
            UsageDay.region_code.label("rc"),
            *(
                sa.func.sum(getattr(UsageDay, k)).label(k)
                for k in ("rekam", "cetak_ktp", "cetak_kk")
            ),
        )
        .where(in_scope_usage, UsageDay.day >= window_start, UsageDay.day <= today)
        .group_by(UsageDay.region_code)
        .subquery("used")
    )

    def z(col):
        return sa.func.coalesce(col, 0)

    relevant = sa.case(
        (Asset.category == "perekaman", z(used.c.rekam)),
        (Asset.category == "cetak_ktp", z(used.c.cetak_ktp)),
        (Asset.category == "cetak_kk", z(used.c.cetak_kk)),
        else_=z(used.c.rekam) + z(used.c.cetak_ktp) + z(used.c.cetak_kk),
    )
    by_status = state.status == "tidak_digunakan"
    operational_throughout = sa.and_(
        state.status == "operasional",
        state.since <= _dt_param("ws", start_of_day(window_start)),
        Asset.acquired_on <= window_start,
    )
    reported = used.c.rc.is_not(None)  # at least one daily report in the window
    by_usage = sa.and_(operational_throughout, reported, relevant == 0)
    unreported = sa.and_(operational_throughout, used.c.rc.is_(None))
    return used, by_status, by_usage, unreported


def _kept(name: str, user, region_code, window_days: int, today: date, at, build):
    """A statement of the current statuses kept per user, region, window and day
    (`common.built`); one as of an instant `at` is built each time (whether `at` lies in
    the past depends on the clock)."""
    if at is not None:
        return build()
    return built((name, *user_key(user), region_code, window_days, today), build)


def idle_stmt(user, region_code=None, window_days: int = IDLE_WINDOW_DAYS, today=None, *, at=None):
    """SELECT (Asset, is_by_status, status since) of idle assets, in register order, for
    paging; `with_history` adds what their service points' reports say (see idle_assets)."""
    today = today or today_wib()
    return _kept(
        "idle_list",
        user,
        region_code,
        window_days,
        today,
        at,
        lambda: _list_stmt(user, region_code, window_days, today, at),
    )


def _list_stmt(user, region_code, window_days: int, today: date, at) -> sa.Select:
    state = state_at(at)
    used, by_status, by_usage, _ = _idle_parts(user, region_code, window_days, today, state)
    stmt = (
        sa.select(Asset, by_status.label("by_status"), state.since.label("since"))
        .join(Asset.region)
        .options(contains_eager(Asset.region))
        .outerjoin(used, used.c.rc == Asset.region_code)
        .where(sa.or_(by_status, by_usage))
    )
    return scoped(state.join(stmt), Asset.region_code, user, region_code).order_by(
        Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id
    )


# the last day with use of each service (and of any), and the first report, per service point
_HISTORY_KEYS = ("rekam", "cetak_ktp", "cetak_kk", "any", "first")


def _usage_history(codes: list[str], today: date) -> dict[str, dict]:
    """{region: {"rekam"|"cetak_ktp"|"cetak_kk"|"any": last day with that use, "first": first
    report}} up to `today`, of exactly these service points (a page's: their whole history,
    not every region's). One query per 500 codes."""
    u = UsageDay
    out: dict[str, dict] = {}
    for i in range(0, len(codes), 500):
        chunk = tuple(codes[i : i + 500])
        stmt = built(
            ("usage_history", chunk, today),
            lambda chunk=chunk: (
                sa.select(
                    u.region_code,
                    sa.func.max(sa.case((u.rekam > 0, u.day))),
                    sa.func.max(sa.case((u.cetak_ktp > 0, u.day))),
                    sa.func.max(sa.case((u.cetak_kk > 0, u.day))),
                    sa.func.max(sa.case((u.rekam + u.cetak_ktp + u.cetak_kk > 0, u.day))),
                    sa.func.min(u.day),
                )
                .where(u.region_code.in_(chunk), u.day <= today)
                .group_by(u.region_code)
            ),
        )
        for code, *days in db.session.execute(stmt).all():
            out[code] = dict(zip(_HISTORY_KEYS, days, strict=True))
    return out


def with_history(rows, today: date) -> list[tuple]:
    """`idle_stmt` rows as (Asset, is_by_status, last_used, first_report, since): the last
    day the asset's service (any service for other categories) was used at its service
    point, and the point's first report. One more query for the rows' service points."""
    rows = list(rows)
    history = _usage_history(sorted({r[0].region_code for r in rows}), today)
    out = []
    for asset, by_status, since in rows:
        h = history.get(asset.region_code, {})
        service = SERVICE_OF_CATEGORY.get(asset.category, "any")
        out.append((asset, by_status, h.get(service), h.get("first"), since))
    return out


def idle_item(row, window_days: int) -> IdleItem:
    asset, is_status, last_used, first_report, since = row
    since_day = since.astimezone(WIB).date()
    if isinstance(last_used, str):
        last_used = date.fromisoformat(last_used)
    if isinstance(first_report, str):
        first_report = date.fromisoformat(first_report)
    if is_status:
        return IdleItem(
            asset=asset,
            reason="Berstatus Tidak digunakan",
            since=since_day,
            kind="status",
            last_used=last_used,
        )
    service = SERVICE_OF_CATEGORY.get(asset.category)
    words = SERVICE_WORDS[service]
    candidates = [asset.acquired_on, since_day]
    if last_used:
        candidates.append(last_used + timedelta(days=1))
    elif first_report:  # zero use is known only from the first usage report on
        candidates.append(first_report)
    reason = (
        f"Kecamatan melaporkan nol {words} selama {window_days} hari terakhir, "
        "padahal alat operasional"
    )
    if not last_used:
        reason += "; belum pernah tercatat dipakai"
    return IdleItem(
        asset=asset, reason=reason, since=max(candidates), kind="usage", last_used=last_used
    )


def idle_assets(
    user,
    region_code: str | None = None,
    window_days: int = IDLE_WINDOW_DAYS,
    today=None,
    *,
    at=None,
) -> list[IdleItem]:
    """Idle assets (DESIGN.md): status tidak_digunakan, or operational through the whole window
    while the service it serves (recording for perekaman, printing for cetak_*, any service
    for the rest) had zero usage at its location. Each with reason and since-when; statuses as
    of the instant `at` (default now), the window ending `today`. Two queries."""
    today = today or today_wib()
    rows = db.session.execute(idle_stmt(user, region_code, window_days, today, at=at)).all()
    return [idle_item(row, window_days) for row in with_history(rows, today)]


@dataclass(frozen=True)
class IdleSplit:
    """Idle and unreported equipment of one asset region (counts in units, values in
    integer Rupiah = sum of `unit_price`)."""

    idle_count: int = 0
    idle_value: int = 0
    unreported_count: int = 0
    unreported_value: int = 0


def _split_stmt(user, region_code, window_days: int, today: date, at) -> sa.Select:
    state = state_at(at)
    used, by_status, by_usage, unreported = _idle_parts(
        user, region_code, window_days, today, state
    )
    is_idle = sa.or_(by_status, by_usage)
    price = sa.func.coalesce(Asset.unit_price, 0)
    return scoped(
        state.join(
            sa.select(
                Asset.region_code,
                sa.func.sum(sa.case((is_idle, 1), else_=0)),
                sa.func.sum(sa.case((is_idle, price), else_=0)),
                sa.func.sum(sa.case((unreported, 1), else_=0)),
                sa.func.sum(sa.case((unreported, price), else_=0)),
            )
        )
        .outerjoin(used, used.c.rc == Asset.region_code)
        .where(sa.or_(is_idle, unreported)),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code)


def idle_split_by_region(
    user,
    region_code: str | None = None,
    window_days: int = IDLE_WINDOW_DAYS,
    today=None,
    *,
    at=None,
) -> dict[str, IdleSplit]:
    """{region_code: IdleSplit} per asset region, as of `today`; one query.

    - idle_count / idle_value — "Peralatan menganggur" (unit / Rp): assets *tidak digunakan*,
      or operational throughout the last `window_days` days while the kecamatan reported
      zero use of the service they serve.
    - unreported_count / unreported_value — "Peralatan tanpa laporan pemakaian" (unit / Rp):
      assets operational throughout the window in a kecamatan that filed no daily usage
      report in it. A moment figure (as of `today`), like idle.

    Statuses are read as of the instant `at` (default now; a packet of an ended period passes
    its end, and `today` its day).
    """
    today = today or today_wib()
    stmt = _kept(
        "idle_split",
        user,
        region_code,
        window_days,
        today,
        at,
        lambda: _split_stmt(user, region_code, window_days, today, at),
    )
    return {
        code: IdleSplit(int(n or 0), int(v or 0), int(un or 0), int(uv or 0))
        for code, n, v, un, uv in db.session.execute(stmt).all()
    }


def idle_value_by_region(
    user, region_code: str | None = None, window_days: int = IDLE_WINDOW_DAYS, today=None
) -> dict[str, tuple[int, int]]:
    """{region_code: (idle count, idle value)} per asset region with idle equipment (the
    `idle_*` of `idle_split_by_region`; unreported equipment is not idle)."""
    return {
        code: (s.idle_count, s.idle_value)
        for code, s in idle_split_by_region(user, region_code, window_days, today).items()
        if s.idle_count
    }


def unreported_stmt(user, region_code=None, window_days: int = IDLE_WINDOW_DAYS, today=None):
    """SELECT Asset of the unreported equipment (see idle_split_by_region), for listing."""
    today = today or today_wib()
    used, _, _, unreported = _idle_parts(user, region_code, window_days, today, state_at(None))
    stmt = (
        sa.select(Asset)
        .join(Asset.region)
        .options(contains_eager(Asset.region))
        .outerjoin(used, used.c.rc == Asset.region_code)
        .where(unreported)
    )
    return scoped(stmt, Asset.region_code, user, region_code).order_by(
        Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id
    )


def idle_extra_reasons(items: list[IdleItem]) -> dict[int, str]:
    """An extra reason per idle asset id, shown under the idle reason: the training domain
    names "tidak ada operator terlatih" where a kecamatan lacks a certified operator."""
    from assets_app.training.services import untrained_reason_for_assets  # import cycle

    if not items:
        return {}
    return {
        asset_id: reason
        for asset_id, reason in (
            untrained_reason_for_assets([i.asset for i in items]) or {}
        ).items()
        if reason
    }


def idle_page(user, region_code, window_days: int, page: int, per_page: int, today=None):
    """(one Page of IdleItem, {region_code: IdleSplit}) for the idle page: the page count
    comes from the aggregate, so the list is never counted twice."""
    from assets_app.common.pagination import Page

    today = today or today_wib()
    by_region = idle_split_by_region(user, region_code, window_days, today)
    total = sum(s.idle_count for s in by_region.values())
    page = min(page, max(1, -(-total // per_page)))
    stmt = built(
        ("idle_page", *user_key(user), region_code, window_days, today, page, per_page),
        lambda: (
            idle_stmt(user, region_code, window_days, today)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ),
    )
    rows = db.session.execute(stmt).all()
    items = [idle_item(row, window_days) for row in with_history(rows, today)]
    return Page(items=items, total=total, page=page, per_page=per_page), by_region
