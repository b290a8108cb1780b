"""Indonesian formatting for the web app: Jinja filters and services use the same Babel
functions as the documents in `reports/` (one module, `reports._format`), under the names the
templates know."""

from __future__ import annotations

from datetime import datetime

from reports._format import LOCALE, WIB, rupiah, tanggal, waktu
from reports._format import angka as number
from reports._format import persen as percent

__all__ = ["LOCALE", "WIB", "number", "percent", "rupiah", "tanggal", "to_wib", "waktu"]


def to_wib(value: datetime) -> datetime:
    return value.astimezone(WIB)
