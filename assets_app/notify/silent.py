"""Silent failures: "zero output — is the device broken?".

A kecamatan is *kemungkinan gangguan* on a working day when every piece of its equipment is
operational, it filed its daily report, and the recordings it reported were 0 or below a fifth
of the median of its last 20 reported working days before that day. It must have *fallen*:
at least 5 such days are needed, and a median of 0 (a place that never records, e.g. only
printers) is no failure. Unreported days are the daily-report reminder's business.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope
from assets_app.tickets import queries as ticket_queries

HISTORY_DAYS = 20
MIN_HISTORY = 5
RATIO = 5  # below 1/RATIO of the median
_ALL = SimpleNamespace(region_code=None)


@dataclass(frozen=True)
class SilentKecamatan:
    code: str
    name: str
    day: date
    recorded: int
    median: float
    assets: int

    @property
    def reason(self) -> str:
        if self.recorded == 0:
            return "Perekaman 0 padahal semua perangkat beroperasi"
        return "Perekaman di bawah seperlima median 20 hari kerja terakhir"


def last_working_day_before(today: date) -> date:
    """The office calendar's last working day before `today` (national holidays skipped)."""
    day = today - timedelta(days=1)
    while not ticket_queries.is_working_day(day):
        day -= timedelta(days=1)
    return day


def silent_kecamatan(day: date, user=None) -> list[SilentKecamatan]:
    """The kecamatan (in `user`'s scope, or all) that look silent on `day`."""
    register = asset_queries.assets_by_region(user or _ALL)
    candidates = sorted(
        code
        for code, r in register.items()
        if r["count"] > 0
        and r["operational"] == r["count"]
        and (user is None or in_scope(user, code))
    )
    if not candidates:
        return []
    regions = db.session.execute(
        sa.select(Region.code, Region.name, Region.level).where(Region.code.in_(candidates))
    )
    names, levels = {}, {}
    for code, name, level in regions:
        names[code], levels[code] = name, level
    kecamatan = [c for c in candidates if levels.get(c) == "kecamatan"]
    counts = asset_queries.recordings_by_day(kecamatan, day - timedelta(days=HISTORY_DAYS * 2), day)
    found = []
    for code in kecamatan:
        by_day = counts[code]
        if day not in by_day:
            continue
        history = [
            n
            for d, n in sorted(by_day.items())
            if d < day and ticket_queries.is_working_day(d, code)
        ]
        history = history[-HISTORY_DAYS:]
        if len(history) < MIN_HISTORY:
            continue  # too little history to speak of a drop
        recorded, median = by_day[day], statistics.median(history)
        if median > 0 and (recorded == 0 or recorded * RATIO < median):
            found.append(
                SilentKecamatan(
                    code, names.get(code, code), day, recorded, median, register[code]["count"]
                )
            )
    return found
