"""The stored closed days of the 30-day window (blanko.window): the window's use is the same
whether it is read from the stored sums or from the daily rollup, a backdated use after the
day's refresh is added to the stored sum, and the job refreshes once per day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.blanko import queries, stats, window
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import today_wib
from assets_app.core.rollups import check_all
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER
from tests.notify.helpers import jobs_run


@pytest.fixture(autouse=True)
def afternoon():
    """15:00 WIB: the uses of "today" at 10:00 are past (at 01:00 WIB they were not)."""
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), tick=True):
        yield


def _at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(today_wib() - timedelta(days=days_ago), time(hour), WIB)


def _figures(user) -> tuple:
    today = today_wib()
    return (
        stats.usage_in_window([PUJER, KEC2], today),
        stats.window_use(user, None, today),
        stats.window_use(user, None, today, per_kabkota=True),
        queries.location_row(user, PUJER).used_30,
        queries.location_row(user, DINAS).used_30,
        [r.code for r in stats.location_rows(db.session.execute(stats.locations_stmt(user)))],
    )


def _stored() -> dict:
    return dict(db.session.execute(sa.select(window.W.c.region_code, window.W.c.used)).all())


def _with_use(ledger):
    ledger.stock(PUJER, 400)
    ledger.stock(KEC2, 200)
    ledger.use(4, occurred_at=_at(0))  # today
    ledger.use(5, occurred_at=_at(1))  # yesterday: the last closed day
    ledger.use(6, occurred_at=_at(29))  # the window's first day
    ledger.use(50, occurred_at=_at(30))  # outside
    ledger.use(7, KEC2, by="camat2", occurred_at=_at(10))


def test_stored_and_rollup_windows_give_the_same_figures(ledger, users):
    _with_use(ledger)
    user = users["petugas"]
    from_rollup = _figures(user)
    assert from_rollup[0] == {PUJER: 15, KEC2: 7} and from_rollup[1] == 22
    window.refresh_if_stale()
    db.session.commit()
    assert window.stored_through() == today_wib() - timedelta(days=1)
    assert _stored()[PUJER] == 11 and _stored()[KEC2] == 7 and _stored()[DINAS] == 0
    assert _figures(user) == from_rollup
    assert check_all()["blanko_window_use"] == []


def test_the_stored_sums_are_read_when_fresh_and_ignored_when_stale(ledger, users):
    _with_use(ledger)
    window.refresh_if_stale()
    db.session.execute(sa.update(window.W).where(window.W.c.region_code == PUJER).values(used=100))
    db.session.commit()
    today = today_wib()
    assert stats.usage_in_window([PUJER], today) == {PUJER: 104}  # 100 stored + 4 today
    assert check_all()["blanko_window_use"] == [
        f"jendela blanko {PUJER} s.d. {(today - timedelta(days=1)).isoformat()}: "
        "used tercatat 100, menurut rekap harian 11"
    ]
    # the next day, before the job ran: the rollup's days, not the stale sums
    assert stats.usage_in_window([PUJER], today + timedelta(days=1)) == {PUJER: 9}
    window.rebuild()
    db.session.commit()
    assert check_all()["blanko_window_use"] == []
    assert stats.usage_in_window([PUJER], today) == {PUJER: 15}


def test_a_backdated_use_after_the_refresh_is_added_to_the_stored_sum(ledger, users):
    _with_use(ledger)
    window.refresh_if_stale()
    db.session.commit()
    ledger.use(3, occurred_at=_at(2))  # inside the closed days
    ledger.use(8, occurred_at=_at(40))  # before the window: no change
    assert _stored()[PUJER] == 14
    assert check_all()["blanko_window_use"] == []
    assert stats.usage_in_window([PUJER], today_wib()) == {PUJER: 18}


def test_the_job_refreshes_once_per_day(app, runner, ledger, users):
    _with_use(ledger)
    now = datetime.combine(today_wib(), time(0, 5), WIB)
    first = jobs_run(runner, now, "--only", "jendela_blanko", "--force")
    assert "jendela_blanko: berhasil" in first.output, first.output
    assert window.stored_through() == today_wib() - timedelta(days=1)
    again = jobs_run(runner, now + timedelta(minutes=5), "--only", "jendela_blanko", "--force")
    assert "sudah sampai" in again.output, again.output
    next_day = jobs_run(runner, now + timedelta(days=1), "--only", "jendela_blanko", "--force")
    assert "diperbarui" in next_day.output, next_day.output
    assert window.stored_through() == today_wib()


def test_a_region_rebuild_before_any_refresh_stores_every_location(ledger, users, runner):
    """Stored sums are read for every location once a day is stored, so the first rebuild,
    even of one region, stores all of them; a location without a row counts as 0."""
    _with_use(ledger)
    result = runner.invoke(args=["rollups", "rebuild", "--region", PUJER])
    assert result.exit_code == 0, result.output
    assert set(_stored()) >= {DINAS, PUJER, KEC2}
    assert stats.usage_in_window([KEC2], today_wib()) == {KEC2: 7}
    db.session.execute(sa.delete(window.W).where(window.W.c.region_code == DINAS))  # used 0
    db.session.commit()
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0
    db.session.execute(sa.delete(window.W).where(window.W.c.region_code == KEC2))  # used 7
    db.session.commit()
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 1 and f"jendela blanko {KEC2}" in result.output, result.output
    assert runner.invoke(args=["rollups", "rebuild", "--region", KEC2]).exit_code == 0
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0
