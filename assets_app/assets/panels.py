"""The kecamatan page's equipment, usage and coverage panels (a bounded number of queries
each, whatever the number of assets or days)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from assets_app.assets import queries, settings
from assets_app.assets.models import Asset
from assets_app.common import vocab
from assets_app.common.formatting import WIB, tanggal
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.regions.models import Region
from reports.charts import bar_chart_svg

PANEL_ASSET_LIMIT = 60
USAGE_DAYS = 30


def status_panel(region, user) -> dict:
    """Equipment of the kecamatan, what is down since when and why, can it record today."""
    count, value = queries.register_totals(user, region.code)
    stmt = queries.apply_filter(sa.select(Asset), user, queries.AssetFilter(region=region.code))
    assets = list(
        db.session.scalars(
            stmt.order_by(
                sa.case((Asset.status == "operasional", 1), else_=0),
                Asset.category,
                Asset.kode_barang,
                Asset.register_no,
            ).limit(PANEL_ASSET_LIMIT)
        )
    )
    down_ids = [a.id for a in assets if a.is_down]
    events = queries.latest_events(down_ids)
    since = queries.down_since(down_ids)
    today = today_wib()
    down_days = {
        a.id: (today - since.get(a.id, a.status_since).astimezone(WIB).date()).days
        for a in assets
        if a.is_down
    }
    able = queries.can_record_today([region.code])[region.code]
    has_recorder = any(a.category == "perekaman" for a in assets)
    return {
        "count": count,
        "value": value,
        "assets": assets,
        "events": events,
        "since": since,
        "down_days": down_days,
        "down_count": len(down_ids),
        "can_record": able,
        "has_recorder": has_recorder,
        "more": max(count - len(assets), 0),
        "causes": vocab.STATUS_CAUSE,
        "parties": settings.PARTY_LABELS,
    }


def usage_panel(region, user) -> dict:
    """Last 30 days of service at the kecamatan: an SVG chart and citizens turned away."""
    end = today_wib()
    start = end - timedelta(days=USAGE_DAYS - 1)
    series = queries.usage_series(region.code, start, end)
    labels = [f"{d['day']:%d/%m}" for d in series]
    counts = {
        "Perekaman": [d["rekam"] for d in series],
        "Ditolak": [d["ditolak"] for d in series],
    }
    title = f"Perekaman dan warga ditolak, {tanggal(start)} – {tanggal(end)}"
    # Wide for a desktop, compact for a phone (labels ≥ 11 px at 390 px); the page shows one.
    svg = bar_chart_svg(counts, labels, title)
    svg_narrow = bar_chart_svg(
        counts, labels, title, width=320, height=220, max_x_labels=5, compact=True
    )
    totals = {k: sum(d[k] for d in series) for k in settings.USAGE_COUNTS}
    reported = sum(1 for d in series if d["reported"])
    worst = max(series, key=lambda d: d["ditolak"]) if series else None
    return {
        "svg": svg,
        "svg_narrow": svg_narrow,
        "title": title,
        "totals": totals,
        "reported": reported,
        "days": len(series),
        "start": start,
        "end": end,
        "worst": worst if worst and worst["ditolak"] else None,
    }


def coverage_panel(region, user) -> dict:
    """Latest recording coverage of the kecamatan and of its kelurahan/desa."""
    latest = queries.latest_coverage(user, region.code)
    own = latest.pop(region.code, None)
    names = {}
    if latest:
        names = dict(
            db.session.execute(
                sa.select(Region.code, Region.name).where(Region.code.in_(list(latest)))
            ).all()
        )
    villages = sorted(latest.values(), key=lambda s: s.region_code)
    return {"own": own, "villages": villages, "names": names}


def register(region_panel) -> None:
    region_panel("assets-status", "Peralatan & status", "assets/panel_status.html", order=10)(
        status_panel
    )
    region_panel("assets-usage", "Pemakaian 30 hari", "assets/panel_usage.html", order=11)(
        usage_panel
    )
    region_panel("assets-coverage", "Cakupan perekaman", "assets/panel_coverage.html", order=12)(
        coverage_panel
    )
