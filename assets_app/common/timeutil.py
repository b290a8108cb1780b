"""Time, once: instants are stored in UTC and days are counted in WIB (Asia/Jakarta).

Every module asks here for "now" and "today", so a test that freezes the clock
(time_machine) freezes it everywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from reports._format import WIB

__all__ = [
    "WIB",
    "dialect",
    "end_of_day",
    "start_of_day",
    "today_wib",
    "utcnow",
    "wib_local_to_utc",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


def today_wib(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(WIB).date()


def start_of_day(day: date) -> datetime:
    """00:00 WIB of `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """00:00 WIB of the next day: periods are half-open [start_of_day, end_of_day)."""
    return start_of_day(day + timedelta(days=1))


def wib_local_to_utc(value: datetime) -> datetime:
    """A naive datetime typed by a user in WIB (e.g. <input type=datetime-local>) → UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=WIB)
    return value.astimezone(UTC)


def dialect() -> str:
    """`sqlite` or `postgresql`: the few queries that differ by engine ask this."""
    from assets_app.extensions import db

    return db.session.get_bind().dialect.name
