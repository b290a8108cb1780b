"""Blanko KTP-el: the reconciliation per location and for the whole area, and days of cover
(blanko domain queries)."""

from __future__ import annotations

from datetime import date

from assets_app.blanko import queries as blanko
from assets_app.hearing.providers.base import Provider, ProviderResult
from assets_app.regions.models import level_of

# metric of the summary ← figure of `blanko.queries.blanko_summary_by_region` (keping).
FIGURES = {
    "blanko_opening": "opening",
    "blanko_received": "received",
    "blanko_received_external": "received_external",
    "blanko_distributed": "distributed",
    "blanko_returned": "returned",
    "blanko_used": "used",
    "blanko_damaged": "damaged",
    "blanko_adjusted": "adjusted",
    "blanko_closing": "closing",
    "blanko_in_transit": "in_transit",
    "blanko_short": "short",
    "blanko_balance": "closing",
    "days_of_cover": "days_of_cover",
    "blanko_low_locations": "low",  # True/False per location → 1/0, summed in the total
}


def _is_kecamatan(code: str) -> bool:
    return level_of(code) == "kecamatan"


def _value(v):
    return int(v) if isinstance(v, bool) else v


def _blanko(user, region_code, start: date, end: date, today: date) -> ProviderResult:
    """Each location's row as the blanko domain reconciles it: blanko_opening +
    blanko_received − blanko_distributed + blanko_returned − blanko_used − blanko_damaged +
    blanko_adjusted = blanko_closing (= blanko_balance), with blanko_in_transit and
    blanko_short beside it; the Dinas row shows what it shipped and what came back. The
    total sums the rows (so the identity holds for it too). Days of cover as the blanko
    domain defines it, for each location and for the whole area (all available stock at the
    area's combined daily use), not a sum or mean of the locations' ratios."""
    raw = blanko.blanko_summary_by_region(user, region_code, start, end, today)
    rows = {code: {m: _value(r[f]) for m, f in FIGURES.items()} for code, r in raw.items()}
    total = {}
    if raw:  # the whole installation too (it had no days of cover: "–" beside its kab/kota's)
        whole = blanko.blanko_total_for_region(user, region_code, start, end, today, rows=raw)
        total["days_of_cover"] = whole["days_of_cover"]

    def by_kabkota():
        cover = blanko.blanko_cover_by_kabkota(user, region_code, end, today, raw)
        return {kab: {"days_of_cover": c} for kab, c in cover.items()}

    return ProviderResult(rows, total, by_kabkota=by_kabkota)


BLANKO = Provider("blanko", _blanko, section="blanko", metrics=tuple(FIGURES))
DRILL = [
    (
        "blanko_balance",
        "blanko.location",
        lambda c: {"code": c} if c and _is_kecamatan(c) else None,
    ),
    ("blanko_balance", "blanko.index", lambda c: {"region": c} if c else {}),
]
