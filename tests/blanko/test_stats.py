"""Days of cover, alerts, spoilage, the usage comparison and the DPRD summary."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from assets_app.blanko import queries, services, stats
from assets_app.blanko.summary import reconciles
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER, ago
from tests.querycount import count_queries


def test_days_of_cover_uses_the_last_30_days_of_pemakaian(ledger, users):
    ledger.stock(PUJER, 400)
    today = today_wib()
    for day in range(30):  # the window: today and the 29 WIB days before it
        ledger.use(3, occurred_at=datetime.combine(today - timedelta(days=day), time(), WIB))
    ledger.use(50, occurred_at=ago(45))  # outside the window
    row = queries.location_row(users["petugas"], PUJER)
    assert row.used_30 == 90 and row.available == 260
    assert row.days_of_cover == pytest.approx(260 / 3)
    assert not row.low
    dinas = queries.location_row(users["petugas"], DINAS)
    assert dinas.used_30 == 90  # the Dinas covers the whole kabupaten
    assert dinas.days_of_cover == 0


def test_no_usage_means_no_days_of_cover_and_no_alert(ledger, users):
    ledger.stock(PUJER, 10)
    row = queries.location_row(users["petugas"], PUJER)
    assert row.days_of_cover is None and not row.low


def test_alerts_follow_the_threshold_per_location(ledger, users):
    ledger.stock(PUJER, 100)
    ledger.stock(KEC2, 100)
    for day in range(1, 11):
        ledger.use(3, occurred_at=ago(day))  # Pujer: 30 in 30 days → 1/day, 70 left → 70 days
        ledger.use(9, KEC2, by="camat2", occurred_at=ago(day))  # 3/day, 10 left → 3,3 days
    low = stats.location_rows(
        db.session.execute(stats.locations_stmt(users["petugas"], only_low=True))
    )
    assert [r.code for r in low] == [DINAS, KEC2]  # the empty Dinas store too
    services.update_location_settings(users["petugas"], PUJER, low_stock_days=90)
    db.session.commit()
    low = stats.location_rows(
        db.session.execute(stats.locations_stmt(users["petugas"], only_low=True))
    )
    assert {r.code for r in low} == {DINAS, PUJER, KEC2}
    assert queries.location_row(users["petugas"], PUJER).threshold == 90


def test_settings_are_validated(ledger, users):
    from assets_app.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as e:
        services.update_location_settings(users["petugas"], PUJER, low_stock_days=0)
    assert e.value.errors["low_stock_days"] == ["Jumlah harus lebih dari 0."]


def test_spoilage_rate_per_kecamatan_per_month(ledger, users):
    ledger.stock(PUJER, 500)
    march = datetime(2026, 3, 10, 3, tzinfo=UTC)
    ledger.use(95, occurred_at=march)
    ledger.decide(ledger.damage(5, occurred_at=march), True)
    ledger.decide(ledger.damage(7, occurred_at=march), False, ba=None)  # rejected: not rusak
    ledger.damage(3, occurred_at=march)  # pending: not yet rusak
    # 30 April 20:00 UTC is 1 May 03:00 WIB: counted in May.
    ledger.use(10, occurred_at=datetime(2026, 4, 30, 20, tzinfo=UTC))
    data = stats.spoilage([PUJER, KEC2], stats.month_list(date(2026, 5, 1), 3))
    assert data[PUJER]["2026-03"] == {"used": 95, "damaged": 5, "rate": 0.05}
    assert data[PUJER]["2026-05"]["used"] == 10 and "2026-04" not in data[PUJER]
    assert KEC2 not in data


def test_usage_comparison_flags_days_that_differ(ledger, users):
    from assets_app.assets.models import UsageDay

    ledger.stock(PUJER, 500)
    today = today_wib()
    for back, used, printed in ((1, 40, 40), (2, 35, 38), (3, 0, 12), (4, 20, None)):
        day = today - timedelta(days=back)
        if used:
            ledger.use(used, occurred_at=datetime(day.year, day.month, day.day, 5, tzinfo=UTC))
        if printed is not None:
            db.session.add(UsageDay(region_code=PUJER, day=day, cetak_ktp=printed))
    db.session.commit()
    rows = {r.day: r for r in stats.usage_comparison(PUJER)}
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    assert not rows[d(1)].flagged
    assert rows[d(2)].flagged and rows[d(2)].difference == -3
    assert rows[d(3)].flagged and rows[d(3)].pemakaian == 0
    assert not rows[d(4)].flagged and rows[d(4)].cetak_ktp is None


def test_dprd_summary_numbers(ledger, users):
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    at = lambda d, h=3: datetime(2026, 1, d, h, tzinfo=UTC)  # noqa: E731
    ledger.receive(1000, occurred_at=at(2), bast_date=date(2026, 1, 2))
    m = ledger.distribute(300, PUJER, occurred_at=at(3))
    ledger.confirm(m, 298, note="2 hilang", received_at=at(4))
    ledger.distribute(100, KEC2, occurred_at=at(5))  # still in transit
    for d in range(10, 20):
        ledger.use(9, occurred_at=at(d))
    ledger.decide(ledger.damage(10, occurred_at=at(20)), True, decided_at=at(21))
    ledger.use(5, occurred_at=datetime(2026, 2, 2, 3, tzinfo=UTC))  # after the period
    late = ledger.damage(4, occurred_at=at(30))  # damaged in January, approved in February:
    ledger.decide(late, True, decided_at=datetime(2026, 2, 3, tzinfo=UTC))
    summary = queries.blanko_summary_by_region(
        users["dprd"], "35.11", start, end, today=date(2026, 1, 25)
    )
    assert summary[DINAS] == {
        "opening": 0,
        "received": 1000,
        "received_external": 1000,
        "distributed": 400,
        "returned": 0,
        "used": 0,
        "damaged": 0,
        "adjusted": 0,
        "closing": 600,
        "balance": 600,
        "in_transit": 0,
        "short": 0,
        "reserved": 0,
        "days_of_cover": pytest.approx(600 / 3, abs=0.1),
        "spoilage_rate": None,
        "low": False,
        "used_own_30": 0,  # the Dinas store itself used none; its kab/kota used 90
    }
    assert summary[PUJER]["received"] == 298 and summary[PUJER]["short"] == 2
    # the totals sum the locations' own use: exactly the area's window in the rollup
    own_use = sum(r["used_own_30"] for r in summary.values())
    assert own_use == 90 == stats.window_use(users["dprd"], "35.11", date(2026, 1, 25))
    assert summary[PUJER]["received_external"] == 0  # a transfer inside the area
    # Damaged = written off in the period (approved, by the approval date); the period is cut
    # at `today` (25 January), before the late damage was even recorded.
    assert summary[PUJER]["used"] == 90 and summary[PUJER]["damaged"] == 10
    assert summary[PUJER]["balance"] == 298 - 90 - 10 and summary[PUJER]["reserved"] == 0
    assert summary[PUJER]["spoilage_rate"] == round(10 / 100, 4)
    assert summary[PUJER]["days_of_cover"] == pytest.approx(198 / 3, abs=0.1)  # as at today
    assert summary[KEC2]["in_transit"] == 100 and summary[KEC2]["balance"] == 0
    assert all(reconciles(r) for r in summary.values())
    total = queries.blanko_total_for_region(
        users["dprd"], "35.11", start, end, today=date(2026, 1, 25)
    )
    assert total["balance"] == 600 + 198 and total["in_transit"] == 100
    assert total["used"] == 90 and reconciles(total)
    # in transit is not available stock: 798 at 3 a day
    assert total["days_of_cover"] == pytest.approx(798 / 3, abs=0.1)
    # Camat sees only their own kecamatan.
    assert set(queries.blanko_summary_by_region(users["camat"], "35.11", start, end)) == {PUJER}


def test_summary_balance_is_as_at_the_end_of_the_period(ledger, users):
    ledger.receive(100, occurred_at=datetime(2026, 1, 2, tzinfo=UTC), bast_date=date(2026, 1, 2))
    ledger.receive(
        50,
        ref="BAST/2",
        occurred_at=datetime(2026, 2, 2, tzinfo=UTC),
        bast_date=date(2026, 2, 2),
    )
    jan = queries.blanko_summary_by_region(
        users["petugas"], DINAS, date(2026, 1, 1), date(2026, 1, 31), today=date(2026, 3, 1)
    )
    assert jan[DINAS]["balance"] == 100 and jan[DINAS]["received"] == 100


def test_summary_runs_a_bounded_number_of_queries(ledger, users, db):
    def measure():
        with count_queries(db.engine) as q:
            queries.blanko_summary_by_region(
                users["petugas"], "35.11", date(2020, 1, 1), date(2030, 1, 1)
            )
        return len(q)

    ledger.stock(PUJER, 100)
    small = measure()
    ledger.stock(KEC2, 100)
    for _ in range(15):
        ledger.use(1)
        ledger.use(1, KEC2, by="camat2")
    assert measure() == small <= 10


def test_the_reconciliation_table_is_the_summary_ledger_part_without_the_window(ledger, users):
    """/blanko/'s table: the same opening, flows, closing and totals as the DPRD summary's
    rows, from the ledger part alone (no 30-day use, no low-stock rules: three queries)."""
    from assets_app.blanko.summary import FLOWS, RECON

    ledger.stock(PUJER, 100)
    ledger.stock(KEC2, 40)
    ledger.use(5, occurred_at=ago(1))
    ledger.use(3, KEC2, by="camat2", occurred_at=ago(2))
    user, today = users["petugas"], today_wib()
    start = today - timedelta(days=10)
    assert user.region_code == DINAS  # loaded before counting
    with count_queries(db.engine) as q:
        recon = queries.reconciliation(user, None, start, today)
    assert len(q) == 3, q
    assert all("blanko_window_use" not in s and "assets" not in s for s in q), q
    summary = queries.blanko_summary_by_region(user, DINAS, start, today)
    assert [code for code, _ in recon.rows] == [DINAS, PUJER, KEC2]
    for code, row in recon.rows:
        assert {k: row[k] for k in RECON} == {k: summary[code][k] for k in RECON}, code
    assert recon.total == {k: sum(r[k] for r in summary.values()) for k in FLOWS}
    assert recon.total["used"] == 8 and recon.total["closing"] == summary[DINAS]["closing"] + 132
