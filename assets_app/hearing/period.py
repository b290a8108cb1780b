"""The period of a summary or packet: typed input → dates (the boundary: query string, API
arguments, command line, form fields), and the rules a period must meet (the services)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import WIB, today_wib, utcnow
from assets_app.common.validate import WINDOW_TEXT, Invalid, OutOfWindow, parse_date

MAX_PERIOD_DAYS = 5 * 366
DEFAULT_PERIOD_DAYS = 30
LABELS = ("mulai", "selesai")


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or today_wib()
    return today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def as_of_for(end: date, now: datetime | None = None) -> datetime:
    """**Keadaan per** — the one moment of a summary's point-in-time figures (open and overdue
    tickets, oldest ticket, balances…): the end of the period's last day (23:59:59 WIB) when
    the period has ended, else the generation instant `now` (the period ends today or later).
    An aware instant in WIB."""
    now = (now or utcnow()).astimezone(WIB)
    return min(now, datetime.combine(end, time(23, 59, 59), tzinfo=WIB))


def parse_day(value, label: str) -> date | None:
    """A day typed by a user (YYYY-MM-DD, or DD/MM/YYYY); None when empty."""
    try:
        return parse_date(value)
    except OutOfWindow:
        raise Invalid(f"Tanggal {label} {WINDOW_TEXT}.") from None
    except Invalid:
        text = str(value).strip()
        raise Invalid(f"Tanggal {label} tidak valid: {text!r} (format YYYY-MM-DD).") from None


def required_day(value: date | None, field: str, label: str, errors: dict) -> date | None:
    if value is None:
        errors[field] = [f"Tanggal {label} wajib diisi."]
    return value


def check_period(first: date | None, last: date | None, fields=("from", "to")) -> None:
    """Both ends given, in order, at most five years; both ends inclusive."""
    errors: dict[str, list[str]] = {}
    required_day(first, fields[0], LABELS[0], errors)
    required_day(last, fields[1], LABELS[1], errors)
    if errors:
        raise ValidationFailed(errors=errors)
    if first > last:
        raise ValidationFailed(
            errors={fields[1]: ["Tanggal selesai tidak boleh sebelum tanggal mulai."]}
        )
    if (last - first).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(errors={fields[1]: ["Periode paling panjang 5 tahun."]})


def parse_period(raw_start, raw_end, *, fields=("from", "to")) -> tuple[date, date]:
    """A period typed as text (query string, API, command line), checked."""
    errors: dict[str, list[str]] = {}
    days = []
    for value, field, label in zip((raw_start, raw_end), fields, LABELS, strict=True):
        try:
            days.append(parse_day(value, label))
        except Invalid as e:
            errors[field] = [str(e)]
            days.append(None)
    if errors:
        raise ValidationFailed(errors=errors)
    check_period(*days, fields=fields)
    return days[0], days[1]
