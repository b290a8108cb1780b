"""WIB calendar helpers: days are counted in Asia/Jakarta, instants are stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from assets_app.common.formatting import WIB


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_wib(now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(WIB).date()


def start_of_day(day: date) -> datetime:
    """00:00 WIB of `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC)


def end_of_day(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1))


def wib_local_to_utc(value: datetime) -> datetime:
    """A naive datetime typed by a user in WIB (e.g. <input type=datetime-local>) → UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=WIB)
    return value.astimezone(UTC)
