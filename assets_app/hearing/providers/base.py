"""What a provider is: a domain's figures for the summary, or one list of the packet."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from assets_app.common.timeutil import WIB
from assets_app.regions.models import level_of
from reports.hearing_data import METRIC_KEYS

SECTION_KEYS = ("purchases", "idle_assets", "overdue_tickets", "training_gaps")


@dataclass(frozen=True)
class Provider:
    """`fn(user, region_code, start, end, today) -> {region_code: {metric: value}}` (or a
    `ProviderResult`). `metrics` lists what it fills; a region it does not mention gets zero
    (False) for them. A ratio the summary would otherwise derive (e.g. `days_of_cover`) may
    be supplied when the domain defines it differently; its total then comes from
    `ProviderResult.total`."""

    key: str
    fn: Callable
    metrics: tuple[str, ...]
    section: str
    # True: fn also takes `as_of=` (the summary's one moment, see hearing.period.as_of_for)
    takes_as_of: bool = False

    def __post_init__(self):
        unknown = set(self.metrics) - set(METRIC_KEYS)
        if unknown:
            raise ValueError(f"metrik tidak dikenal: {sorted(unknown)}")


@dataclass(frozen=True)
class ProviderResult:
    """What a provider may return instead of a plain dict: the rows, and values of the total
    for metrics that are not a plain sum of the rows (e.g. a domain-defined ratio)."""

    rows: Mapping[str, Mapping]
    total: Mapping[str, object] = field(default_factory=dict)
    # the same supplied metrics per kab/kota ({kab/kota code: {metric: value}}), asked for only
    # by a summary grouped by kab/kota (`build_summary(by="kabkota")`); bounded queries
    by_kabkota: Callable[[], Mapping[str, Mapping]] | None = None


@dataclass(frozen=True)
class SectionProvider:
    """`fn(user, region_code, start, end, today) -> [...]`: one list of the packet."""

    key: str
    fn: Callable
    section: str
    takes_as_of: bool = False  # as Provider.takes_as_of

    def __post_init__(self):
        if self.key not in SECTION_KEYS:
            raise ValueError(f"bagian tidak dikenal: {self.key}")


def moment(today: date, as_of: datetime) -> tuple[date, datetime | None]:
    """(the day, the instant) a provider reads point-in-time figures at: the day of `as_of`,
    and `as_of` itself when it lies before `today` (an ended period) — None means "now", which
    the domains read from their current state without replaying history."""
    day = as_of.astimezone(WIB).date()
    return day, (as_of if day < today else None)


@lru_cache(maxsize=1 << 17)  # a national summary asks ~60,000 times for ~8,000 codes
def row_key(code: str) -> str:
    """The summary row a region code counts in: its kecamatan, or itself above that level."""
    return code.rsplit(".", 1)[0] if level_of(code) == "kelurahan" else code


def region_arg(code: str | None) -> dict:
    """URL arguments of a domain list filtered to an area (none for the whole scope)."""
    return {"region": code} if code else {}
