"""Indonesian formatting for documents (Babel), independent of the web app."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = "id_ID"
WIB = ZoneInfo("Asia/Jakarta")

_UNITS = [
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]


def rupiah(value: int) -> str:
    """Screen/table form: `Rp 1.250.000`."""
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {format_decimal(abs(int(value)), locale=LOCALE)}"


def rupiah_resmi(value: int) -> str:
    """Official-document form: `Rp1.250.000,00`."""
    return f"Rp{format_decimal(int(value), format='#,##0.00', locale=LOCALE)}"


def terbilang(n: int) -> str:
    """Amount in Indonesian words: 1250000 → `satu juta dua ratus lima puluh ribu`."""
    n = int(n)
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _UNITS[n] or "nol"
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        return f"{_UNITS[n // 10]} puluh {terbilang(n % 10) if n % 10 else ''}".strip()
    if n < 200:
        return f"seratus {terbilang(n - 100) if n > 100 else ''}".strip()
    if n < 1000:
        return f"{_UNITS[n // 100]} ratus {terbilang(n % 100) if n % 100 else ''}".strip()
    if n < 2000:
        return f"seribu {terbilang(n - 1000) if n > 1000 else ''}".strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            rest = n % size
            return f"{terbilang(n // size)} {word} {terbilang(rest) if rest else ''}".strip()
    raise AssertionError("unreachable")


def angka(value) -> str:
    return format_decimal(value, locale=LOCALE)


def tanggal(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date()
    return format_date(value, format="long", locale=LOCALE)


def waktu(value: datetime) -> str:
    return format_datetime(value, "d MMMM yyyy HH.mm", tzinfo=WIB, locale=LOCALE) + " WIB"
