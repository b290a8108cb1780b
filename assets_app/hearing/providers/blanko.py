"""Blanko KTP-el: received, distributed, used, damaged, balance and days of cover per
location and for the whole area (blanko domain services)."""

from __future__ import annotations

from datetime import date

from assets_app.blanko import queries as blanko
from assets_app.hearing.providers.base import Provider, ProviderResult
from assets_app.regions.models import level_of


def _is_kecamatan(code: str) -> bool:
    return level_of(code) == "kecamatan"


def _blanko(user, region_code, start: date, end: date, today: date) -> ProviderResult:
    """`blanko_received`: from Ditjen Dukcapil (at the Dinas); `blanko_distributed`: cards a
    kecamatan received from the Dinas — so neither total counts a card twice. Days of cover
    as the blanko domain defines it, for each location and for the whole area (all stock at
    the area's combined daily use), not a sum or mean of the locations' ratios."""
    raw = blanko.blanko_summary_by_region(user, region_code, start, end, today)
    rows = {}
    for code, r in raw.items():
        kec = _is_kecamatan(code)
        rows[code] = {
            "blanko_received": 0 if kec else r["received"],
            "blanko_distributed": r["received"] if kec else 0,
            "blanko_used": r["used"],
            "blanko_damaged": r["damaged"],
            "blanko_balance": r["balance"],
            "days_of_cover": r["days_of_cover"],
        }
    total = {}
    if region_code is not None and raw:
        whole = blanko.blanko_total_for_region(user, region_code, start, end, today, rows=raw)
        total["days_of_cover"] = whole["days_of_cover"]
    return ProviderResult(rows, total)


BLANKO = Provider(
    "blanko",
    _blanko,
    section="blanko",
    metrics=(
        "blanko_received",
        "blanko_distributed",
        "blanko_used",
        "blanko_damaged",
        "blanko_balance",
        "days_of_cover",
    ),
)
DRILL = [
    (
        "blanko_balance",
        "blanko.location",
        lambda c: {"code": c} if c and _is_kecamatan(c) else None,
    ),
    ("blanko_balance", "blanko.index", lambda c: {"region": c} if c else {}),
]
