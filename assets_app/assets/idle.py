"""Idle detection: assets marked tidak_digunakan, or operational while their service point
recorded no use of the service they serve for a whole window (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from assets_app.assets.downtime import _dt_param
from assets_app.assets.models import Asset, UsageDay
from assets_app.assets.settings import IDLE_WINDOW_DAYS
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


def _idle_parts(user, region_code, window_days: int, today: date):
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
    by_status = Asset.status == "tidak_digunakan"
    by_usage = sa.and_(
        Asset.status == "operasional",
        Asset.status_since <= _dt_param("ws", start_of_day(window_start)),
        Asset.acquired_on <= window_start,
        relevant == 0,
    )
    return used, by_status, by_usage, window_start


def idle_stmt(user, region_code=None, window_days: int = IDLE_WINDOW_DAYS, today=None):
    """SELECT (Asset, is_by_status, last_used) of idle assets, for paging; see idle_assets."""
    today = today or today_wib()
    used, by_status, by_usage, _ = _idle_parts(user, region_code, window_days, today)
    u = UsageDay
    last = (
        scoped(
            sa.select(
                u.region_code.label("rc"),
                sa.func.max(sa.case((u.rekam > 0, u.day))).label("rekam"),
                sa.func.max(sa.case((u.cetak_ktp > 0, u.day))).label("cetak_ktp"),
                sa.func.max(sa.case((u.cetak_kk > 0, u.day))).label("cetak_kk"),
                sa.func.max(sa.case((u.rekam + u.cetak_ktp + u.cetak_kk > 0, u.day))).label("any"),
            ),
            u.region_code,
            user,
            region_code,
        )
        .where(u.day <= today)
        .group_by(u.region_code)
        .subquery("last")
    )
    last_used = sa.case(
        (Asset.category == "perekaman", last.c.rekam),
        (Asset.category == "cetak_ktp", last.c.cetak_ktp),
        (Asset.category == "cetak_kk", last.c.cetak_kk),
        else_=last.c.any,
    )
    stmt = (
        sa.select(Asset, by_status.label("by_status"), last_used.label("last_used"))
        .join(Asset.region)
        .options(contains_eager(Asset.region))
        .outerjoin(used, used.c.rc == Asset.region_code)
        .outerjoin(last, last.c.rc == Asset.region_code)
        .where(sa.or_(by_status, by_usage))
    )
    return scoped(stmt, Asset.region_code, user, region_code).order_by(
        Asset.region_code, Asset.kode_barang, Asset.register_no, Asset.id
    )


def idle_item(row, window_days: int) -> IdleItem:
    asset, is_status, last_used = row
    if isinstance(last_used, str):
        last_used = date.fromisoformat(last_used)
    if is_status:
        return IdleItem(
            asset=asset,
            reason="Berstatus Tidak digunakan",
            since=asset.status_since.astimezone(WIB).date(),
            kind="status",
            last_used=last_used,
        )
    service = SERVICE_OF_CATEGORY.get(asset.category)
    words = SERVICE_WORDS[service]
    candidates = [asset.acquired_on, asset.status_since.astimezone(WIB).date()]
    if last_used:
        candidates.append(last_used + timedelta(days=1))
    reason = f"Tidak ada {words} di lokasinya selama {window_days} hari terakhir"
    reason += ", padahal alat operasional" if last_used else "; belum pernah tercatat dipakai"
    return IdleItem(
        asset=asset, reason=reason, since=max(candidates), kind="usage", last_used=last_used
    )


def idle_assets(
    user, region_code: str | None = None, window_days: int = IDLE_WINDOW_DAYS, today=None
) -> list[IdleItem]:
    """Idle assets (DESIGN.md): status tidak_digunakan, or operational through the whole window
    while the service it serves (recording for perekaman, printing for cetak_*, any service
    for the rest) had zero usage at its location. Each with reason and since-when. One query."""
    return [
        idle_item(row, window_days)
        for row in db.session.execute(idle_stmt(user, region_code, window_days, today))
    ]


def idle_value_by_region(
    user, region_code: str | None = None, window_days: int = IDLE_WINDOW_DAYS, today=None
) -> dict[str, tuple[int, int]]:
    """{region_code: (idle count, idle value)} per asset region; one query."""
    today = today or today_wib()
    used, by_status, by_usage, _ = _idle_parts(user, region_code, window_days, today)
    stmt = scoped(
        sa.select(
            Asset.region_code,
            sa.func.count(Asset.id),
            sa.func.coalesce(sa.func.sum(Asset.unit_price), 0),
        )
        .outerjoin(used, used.c.rc == Asset.region_code)
        .where(sa.or_(by_status, by_usage)),
        Asset.region_code,
        user,
        region_code,
    ).group_by(Asset.region_code)
    return {code: (int(n), int(v)) for code, n, v in db.session.execute(stmt)}


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
    """(one Page of IdleItem, {region_code: (count, value)}) for the idle page: the page count
    comes from the aggregate, so the list is never counted twice."""
    from assets_app.common.pagination import Page

    today = today or today_wib()
    by_region = idle_value_by_region(user, region_code, window_days, today)
    total = sum(c for c, _ in by_region.values())
    page = min(page, max(1, -(-total // per_page)))
    stmt = idle_stmt(user, region_code, window_days, today)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = [idle_item(row, window_days) for row in rows]
    return Page(items=items, total=total, page=page, per_page=per_page), by_region
