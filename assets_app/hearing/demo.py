"""Demo: one archived hearing packet for Kab. Bondowoso (the last 90 days), so the archive
and the public verification page have something to show. Idempotent."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.hearing import services
from assets_app.hearing.models import HearingReport
from assets_app.regions.models import Region

DEMO_REGION = "35.11"


def load_demo() -> str | None:
    if db.session.get(Region, DEMO_REGION) is None:
        return None
    existing = db.session.scalar(
        sa.select(sa.func.count()).where(HearingReport.region_code == DEMO_REGION)
    )
    if existing:
        return "sudah ada, tidak diubah"
    today = today_wib()
    start = today - timedelta(days=89)
    from assets_app.core.public_url import cli_base_url

    base_url = cli_base_url()
    generated = services.generate_packet(None, DEMO_REGION, start, today, base_url=base_url)
    report = generated.report
    return f"paket RDP #{report.id} {report.scope_name} ({start} s.d. {today})"
