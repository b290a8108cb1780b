"""Indonesian formatting (Babel), independent of the web app: the one formatting module.

The web app's Jinja filters and services use these same functions (through
`assets_app.common.formatting`), so a figure reads the same on a page and in a document.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape as _xml_escape
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

# Parsed once: Babel parses a locale string again on every call, a third of a date's cost.
LOCALE = Locale.parse("id_ID")
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


LINE_CONTROLS = "\t\n\r"


def is_forbidden_char(ch: str) -> bool:
    """A character no stored text should hold and no document can render: a control character
    (C0, DEL, C1; tab, newline and CR aside), a lone surrogate or a non-character."""
    if ch in LINE_CONTROLS:
        return False
    return ch in "\ufffe\uffff" or unicodedata.category(ch) in ("Cc", "Cs")


def printable(value):
    """`value` without the characters `is_forbidden_char` refuses (other values unchanged):
    every XLSX cell and PDF paragraph of user text goes through it, so a row stored before
    input was checked cannot break an export."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return "".join(ch for ch in value if not is_forbidden_char(ch))


def escape(text, entities: dict | None = None) -> str:
    """Text for a reportlab Paragraph or SVG: `printable`, then `&`, `<`, `>` escaped."""
    return _xml_escape(printable(str(text)), entities or {})


def rupiah(value: int | None) -> str:
    """Screen/table form: `Rp 1.250.000`."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {_grouped(abs(int(value)))}"


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


def rupiah_terbilang(value: int) -> str:
    """An amount in an official document: `Rp 1.250.000 (satu juta dua ratus lima puluh ribu
    rupiah)`."""
    return f"{rupiah(value)} ({terbilang(int(value))} rupiah)"


# "Rp 1.250.000", "Rp1.250.000,00", "Rp 500" — not when words in brackets already follow.
_AMOUNT = re.compile(r"Rp\.?\s?(\d{1,3}(?:\.\d{3})+|\d+)(,00|,-)?(?!\d|[.,]\d|\s*\()")


def amounts_in_words(text: str) -> str:
    """Every Rupiah amount of a letter's text followed by its terbilang:
    "biaya Rp 1.250.000." → "biaya Rp 1.250.000 (satu juta dua ratus lima puluh ribu rupiah)."."""

    def words(match: re.Match) -> str:
        value = int(match.group(1).replace(".", ""))
        return f"{match.group(0)} ({terbilang(value)} rupiah)"

    return _AMOUNT.sub(words, text)


def _grouped(n: int) -> str:
    """An integer as Babel's `id_ID` decimal format writes it (`-1.234.567`), without its
    per-call locale and pattern parsing: a national page formats thousands of counts
    (tests/reports/test_format.py compares the two)."""
    return f"{n:,}".replace(",", ".")


def angka(value, digits: int = 0) -> str:
    """`1234567` → `1.234.567`; with `digits`, a fixed number of decimals (`69,6`)."""
    if value is None:
        return "–"
    if digits:
        return format_decimal(value, format=f"#,##0.{'0' * digits}", locale=LOCALE)
    if type(value) is int:
        return _grouped(value)
    return format_decimal(value, locale=LOCALE)


def persen(value: float | None, digits: int = 2) -> str:
    """`value` is a ratio in percent units (94.73 → `94,73%`)."""
    if value is None:
        return "–"
    return format_percent(value / 100, format=f"#,##0.{'0' * digits}%", locale=LOCALE)


def tanggal(value: date | datetime | None, fmt: str = "long") -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date() if value.tzinfo else value.date()
    return _date_text(value, fmt)


@functools.lru_cache(maxsize=8192)  # a page repeats a few dates many times (gap matrix)
def _date_text(value: date, fmt: str) -> str:
    return format_date(value, format=fmt, locale=LOCALE)


WAKTU = "d MMMM yyyy HH.mm"
_MONTHS = tuple(LOCALE.months["format"]["wide"][m] for m in range(1, 13))


def waktu(value: datetime | None, fmt: str = WAKTU) -> str:
    """Date-time in WIB: `23 November 2026 14.30 WIB` (a naive value is UTC, as Babel
    reads it). The usual pattern is written out here: Babel's pattern machinery cost 40 µs a
    value, on every row of a list (the same text: tests/reports)."""
    if value is None:
        return "–"
    if fmt != WAKTU:
        return format_datetime(value, fmt, tzinfo=WIB, locale=LOCALE) + " WIB"
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(WIB)
    return (
        f"{local.day} {_MONTHS[local.month - 1]} {local.year:04d} "
        f"{local.hour:02d}.{local.minute:02d} WIB"
    )
