"""`flask demo load` tells the real stories, and running it twice changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from assets_app.assets import demo, downtime, idle, queries, services
from assets_app.assets.models import Asset, CoverageSnapshot, StatusEvent, UsageDay
from assets_app.common.timeutil import WIB, today_wib
from assets_app.regions.models import level_of


# A weekday morning: on a Saturday or Sunday (WIB) other demos still file today's usage
# report, one row more than the working days counted below.
@pytest.mark.slow
@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False)
def test_demo_stories_and_idempotence(app, db, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "aset baru" in first.output
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Asset, StatusEvent, UsageDay, CoverageSnapshot)
    ]
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "Aset: sudah ada, tidak diubah" in second.output
    assert "Pemakaian harian: sudah ada, tidak diubah" in second.output
    assert counts == [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Asset, StatusEvent, UsageDay, CoverageSnapshot)
    ]

    everyone = services.SystemActor()
    # Bondowoso: a 2019 APBD set in 14 kecamatan, unused; unit prices known. A kecamatan that
    # filed no usage report is "unreported", not idle (issue 12): together they are the 14.
    split = idle.idle_split_by_region(everyone, "35.11")
    idle_kec = {
        code
        for code, s in split.items()
        if level_of(code) == "kecamatan" and (s.idle_count or s.unreported_count)
    }
    assert len(idle_kec) == 14
    sets = db.session.scalars(
        db.select(Asset).where(Asset.region_code.in_(idle_kec), Asset.funding_source == "APBD")
    ).all()
    assert {a.acquired_on.year for a in sets} == {2019}
    assert {a.category for a in sets} == {"perekaman", "cetak_kk"}
    assert all(a.unit_price > 0 for a in sets)
    # Kota Serang: Cipocok Jaya cannot record; down for about five months, network then hardware.
    assert queries.can_record_today(["36.73.05", "36.73.01"]) == {
        "36.73.05": False,
        "36.73.01": True,
    }
    now = datetime.now(UTC)
    down = downtime.downtime_hours(None, now - timedelta(days=200), now, region_code="36.73.05")
    assert {"jaringan", "perangkat_keras"} <= set(down["by_cause"])
    assert {"diskominfo", "vendor"} <= set(down["by_party"])
    server = db.session.scalar(
        db.select(Asset).where(Asset.region_code == "36.73.05", Asset.category == "perekaman")
    )
    since = queries.down_since([server.id])[server.id]
    assert 140 <= (now - since).days <= 160
    # Kab. Bekasi: outages and citizens turned away, at the kecamatan and at the Dinas.
    today = date.today()
    usage = queries.usage_totals(everyone, "32.16", today - timedelta(days=45), today)
    assert usage["32.16"]["ditolak"] > 0 and usage["32.16"]["rekam"] > 0
    assert sum(1 for code, u in usage.items() if code != "32.16" and u["ditolak"] > 100) >= 3
    bekasi_down = downtime.downtime_by_region(everyone, "32.16", now - timedelta(days=60), now)
    assert len(bekasi_down) >= 5
    # Network outages everywhere (the tickets demo may add repairs on top).
    assert sum(1 for v in bekasi_down.values() if "jaringan" in v["by_cause"]) >= 5
    # Every service point with equipment reports every working day of the demo window; the
    # idle kecamatan report zeros rather than nothing; a down kecamatan records nothing.
    start = today_wib() - timedelta(days=demo.USAGE_DAYS - 1)
    workdays = len(demo._workdays(today_wib()))
    rows = db.session.execute(
        db.select(UsageDay.region_code, UsageDay.rekam, UsageDay.cetak_kk, UsageDay.ditolak).where(
            UsageDay.day >= start
        )
    ).all()
    equipped = set(db.session.scalars(db.select(Asset.region_code).distinct()))
    reported: dict[str, list] = {}
    for code, *counts in rows:
        reported.setdefault(code, []).append(counts)
    assert set(reported) == equipped
    assert {len(v) for v in reported.values()} == {workdays}
    assert all(r == 0 and kk == 0 for c in idle_kec for r, kk, _ in reported[c])
    assert all(r == 0 and t > 0 for r, _, t in reported["36.73.05"])
    assert {c for c in equipped if c.startswith("36.73.")} == set(demo.SERANG_KEC)
    # A service its equipment cannot give is never reported (Serang's kecamatan only record).
    assert all(kk == 0 for r, kk, _ in reported["36.73.01"])
    # Kota Depok: coverage of Tapos and Kel. Harjamukti.
    cov = queries.latest_coverage(everyone, "32.76")
    assert (cov["32.76.10"].wajib_ktp, cov["32.76.10"].sudah_rekam) == (289_607, 144_509)
    assert (cov["32.76.02.1007"].wajib_ktp, cov["32.76.02.1007"].sudah_rekam) == (16_470, 15_407)
