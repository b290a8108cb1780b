"""Indonesian formatting through Babel, shared by Jinja filters and services.

`reports/` has its own copy-free formatter (`reports/_format.py`) because it must not import the
app; both call Babel with the same patterns.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LOCALE = "id_ID"
WIB = ZoneInfo("Asia/Jakarta")


def rupiah(value: int | None) -> str:
    """Screen form: `Rp 1.250.000`."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {format_decimal(abs(int(value)), locale=LOCALE)}"


def number(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if digits:
        return format_decimal(value, format=f"#,##0.{'0' * digits}", locale=LOCALE)
    return format_decimal(value, locale=LOCALE)


def percent(value: float | None, digits: int = 2) -> str:
    """`value` is a ratio in percent units (94.73 → `94,73%`)."""
    if value is None:
        return "–"
    return format_percent(value / 100, format=f"#,##0.{'0' * digits}%", locale=LOCALE)


def tanggal(value: date | datetime | None, fmt: str = "long") -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date() if value.tzinfo else value.date()
    return format_date(value, format=fmt, locale=LOCALE)


def waktu(value: datetime | None, fmt: str = "d MMMM yyyy HH.mm") -> str:
    """Date-time in WIB: `23 November 2026 14.30 WIB`."""
    if value is None:
        return "–"
    return format_datetime(value, fmt, tzinfo=WIB, locale=LOCALE) + " WIB"


def to_wib(value: datetime) -> datetime:
    return value.astimezone(WIB)
