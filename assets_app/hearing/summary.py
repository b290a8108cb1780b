"""One source of numbers: the summary the dashboard, the packet and the API all show.

Each domain contributes through a provider (`hearing.providers`, composed there):
`fn(user, region_code, start, end, today)` returns `{region_code: {metric: value}}` for the
regions under `region_code` inside the user's scope (a kelurahan code is folded into its
kecamatan; a kab/kota or province code is the Dinas' own row). Providers aggregate in SQL
with a bounded number of queries. Section providers return the lists of the packet (idle
assets, overdue tickets with letters, training gaps, purchases).

`build_summary()` merges every provider into per-kecamatan rows and a total: counts and
amounts are summed, ages take the maximum, and every percentage or ratio is recomputed from
the summed parts (never averaged). A missing provider leaves its figures at zero/None and its
section out of `available`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from operator import attrgetter

import sqlalchemy as sa

from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.hearing.period import as_of_for
from assets_app.hearing.providers import (  # noqa: F401  (Provider, row_key: the provider API)
    PROVIDERS,
    SECTION_KEYS,
    SECTION_PROVIDERS,
    Provider,
    ProviderResult,
    row_key,
)
from assets_app.regions.models import Region, kabkota_of, level_of
from assets_app.regions.scope import scope_clause, subtree_clause
from reports.hearing_data import Figures, KecamatanRow
from reports.hearing_text import keadaan_per

# How each metric of one row adds up into a bigger area.
MAX_METRICS = frozenset({"oldest_ticket_days", "awaiting_reply_days", "last_report_on"})
DICT_METRICS = frozenset({"downtime_by_party", "downtime_by_cause"})
DERIVED_METRICS = frozenset(
    {"operational_pct", "coverage_pct", "spoilage_pct", "days_of_cover", "reporting_pct"}
)
HOUR_METRICS = frozenset({"downtime_hours"})
BOOL_METRICS = frozenset({"can_record_today"})
FIGURE_FIELDS = frozenset(f.name for f in fields(Figures))
# metrics _merge converts even on their first value (dict copy, bool, float)
_CONVERTED = DICT_METRICS | BOOL_METRICS | HOUR_METRICS
SUMMED_FIELDS = tuple(sorted(FIGURE_FIELDS - DERIVED_METRICS - BOOL_METRICS))
_SUMMED_OF = attrgetter(*SUMMED_FIELDS)


@dataclass(frozen=True)
class Summary:
    region_code: str | None
    scope_name: str
    start: date
    end: date
    today: date
    rows: tuple[KecamatanRow, ...]
    total: Figures
    available: frozenset[str]
    sections: Mapping[str, tuple] = field(default_factory=dict)
    # the moment of every point-in-time figure (hearing.period.as_of_for); aware, WIB
    as_of: datetime | None = None
    # by="kabkota": one row per kab/kota (summed from `rows` with the rules of the total)
    by: str = "kecamatan"
    kabkota: tuple[KabkotaRow, ...] = ()
    # a summary read from the stored snapshot (hearing.snapshot) holds no kecamatan rows,
    # only their number
    kecamatan_total: int | None = None
    from_snapshot: bool = False

    @property
    def as_of_label(self) -> str:
        """ "30 Juni 2026", or "1 Desember 2026 14.05 WIB" while the period runs."""
        return keadaan_per(self.as_of or self.today)

    @property
    def kecamatan_rows(self) -> tuple[KecamatanRow, ...]:
        return tuple(r for r in self.rows if r.level == "kecamatan")

    @property
    def kecamatan_count(self) -> int:
        if self.kecamatan_total is not None:
            return self.kecamatan_total
        return len(self.kecamatan_rows)

    @property
    def period_days(self) -> int:
        return (self.end - self.start).days + 1

    def as_api(self) -> dict:
        total = self.total.as_dict()
        total["kecamatan_count"] = self.kecamatan_count
        as_of = (self.as_of or as_of_for(self.end)).isoformat()
        total["as_of"] = as_of
        if self.by == "kabkota":
            total["kabkota_count"] = sum(1 for r in self.kabkota if r.level == "kabkota")
        head = {
            "region": self.region_code,
            "name": self.scope_name,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "as_of": as_of,
            "as_of_label": self.as_of_label,
            "available": sorted(self.available),
            "total": total,
        }
        if self.by == "kabkota":
            head["kabkota"] = [
                {"region_code": r.region_code, "name": r.name, "level": r.level}
                | r.figures.as_dict()
                | {"kecamatan_count": r.kecamatan_count, "as_of": as_of}
                for r in self.kabkota
            ]
            return head
        head["kecamatan"] = [
            {"region_code": r.region_code, "name": r.name, "level": r.level}
            | r.figures.as_dict()
            | {"as_of": as_of}
            for r in self.rows
        ]
        return head


@dataclass(frozen=True)
class KabkotaRow:
    """One kab/kota of a province view: its kecamatan and its Dinas summed like a total."""

    region_code: str
    name: str
    level: str  # "kabkota", or "provinsi" for a province Dinas' own row
    figures: Figures
    kecamatan_count: int


def _zero(metric: str):
    if metric in BOOL_METRICS:
        return False
    if metric in DICT_METRICS:
        return {}
    if metric in MAX_METRICS:
        return None
    if metric in HOUR_METRICS:
        return 0.0
    return 0


def _merge(into: dict, metric: str, value) -> None:
    if value is None:
        into.setdefault(metric, None)
        return
    if metric in DICT_METRICS:
        bucket = dict(into.get(metric) or {})
        for k, v in value.items():
            bucket[k] = bucket.get(k, 0.0) + float(v or 0)
        into[metric] = bucket
    elif metric in MAX_METRICS:
        old = into.get(metric)
        into[metric] = value if old is None else max(old, value)
    elif metric in BOOL_METRICS:
        into[metric] = bool(into.get(metric)) or bool(value)
    elif metric in HOUR_METRICS:
        into[metric] = float(into.get(metric) or 0) + float(value)
    else:
        into[metric] = (into.get(metric) or 0) + value


def _fold(metric: str, values):
    """What `_merge` gives for `values` merged one by one into an empty bucket, in one pass
    per metric (the national total folds ~8,000 rows × 50 metrics; `_merge` per value was a
    third of the summary's Python time)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if metric in DICT_METRICS:
        bucket: dict = {}
        for value in present:
            for k, v in value.items():
                bucket[k] = bucket.get(k, 0.0) + float(v or 0)
        return bucket
    if metric in MAX_METRICS:
        return max(present)
    if metric in BOOL_METRICS:
        return any(present)
    if metric in HOUR_METRICS:
        return sum(map(float, present), 0.0)
    return sum(present)


def _pct(part, whole) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


def _finish(
    values: dict,
    period_days: int,
    supplied: frozenset[str] = frozenset(),
    *,
    total_can_record: int | None = None,
) -> Figures:
    """Rounds hours and recomputes every ratio from its parts (unless a provider supplies
    it, see summary_provider), and builds the Figures."""
    v = {k: values[k] for k in values.keys() & FIGURE_FIELDS}
    for metric in HOUR_METRICS:
        if metric in v:
            v[metric] = round(float(v[metric] or 0), 1)
    for metric in DICT_METRICS:
        if metric in v:
            v[metric] = {k: round(h, 1) for k, h in sorted(v[metric].items()) if h}
    get = v.get
    if "operational_pct" not in supplied:
        v["operational_pct"] = _pct(get("operational_count", 0), get("assets_count", 0))
    if "coverage_pct" not in supplied:
        v["coverage_pct"] = _pct(get("sudah_rekam", 0), get("wajib_ktp", 0))
    if "reporting_pct" not in supplied:
        # reported days ÷ expected working days, summed over kecamatan (never averaged)
        v["reporting_pct"] = _pct(get("reported_days", 0), get("expected_days", 0))
    if "spoilage_pct" not in supplied:
        damaged = get("blanko_damaged", 0)
        v["spoilage_pct"] = _pct(damaged, get("blanko_used", 0) + damaged)
    if "days_of_cover" not in supplied:
        v["days_of_cover"] = _cover(get("blanko_balance", 0), get("blanko_used", 0), period_days)
    if total_can_record is not None:
        v["can_record_today"] = total_can_record
    return Figures.of(v)


def _cover(balance: int, used: int, period_days: int) -> float | None:
    daily = used / period_days if period_days else 0
    return round(balance / daily, 1) if daily else None


def _scope_regions(user, region_code: str | None) -> tuple[list, str]:
    """(code, name, level) of the kecamatan in the area, and the area's display name."""
    stmt = (
        sa.select(Region.code, Region.name, Region.level)
        .where(
            scope_clause(Region.code, user),
            subtree_clause(Region.code, region_code),
            sa.or_(Region.level == "kecamatan", Region.code == (region_code or "")),
        )
        .order_by(Region.code)
    )
    rows = db.session.execute(stmt).all()
    root = next((r for r in rows if r.code == region_code), None)
    kecamatan = [r for r in rows if r.level == "kecamatan"]
    if region_code is None:
        name = "Seluruh instalasi"
    elif root is None:
        name = region_code
    else:
        name = _display(root.name, root.level)
    return kecamatan, name


_DISPLAY = {"kecamatan": "Kec. {}", "provinsi": "Provinsi {}"}
_DINAS = {"provinsi": "Dinas tingkat Provinsi {}", "kabkota": "Kantor Dinas {}"}


def _display(name: str, level: str) -> str:
    return _DISPLAY.get(level, "{}").format(name)


def _dinas_name(name: str, level: str) -> str:
    """The row of a Dinas' own equipment (above kecamatan level)."""
    return _DINAS.get(level, "{}").format(name)


def _call(p, user, region_code, start, end, today, as_of):
    if p.takes_as_of:
        return p.fn(user, region_code, start, end, today, as_of=as_of)
    return p.fn(user, region_code, start, end, today)


def _collect(
    user, region_code, start, end, today, as_of, values: dict, group_fns: list | None = None
) -> tuple[set, dict]:
    """Runs every provider and merges its figures into `values` (row code → metrics);
    returns the sections that answered and the totals the providers supplied. `group_fns`
    receives (metrics, fn) of the providers that supply a ratio per kab/kota.

    A row gets zero (False, None) for the metrics of every provider that answered from the
    one that first mentioned it on; a row no provider mentions is left as it is."""
    available: set[str] = set()
    totals_supplied: dict = {}
    # per provider: (zeros of its metrics, the rows it was the first to mention)
    answered: list[tuple[dict, list[str]]] = [({}, list(values))]
    for provider in PROVIDERS.values():
        result = _call(provider, user, region_code, start, end, today, as_of)
        if isinstance(result, ProviderResult):
            totals_supplied.update({m: v for m, v in result.total.items() if m in provider.metrics})
            if group_fns is not None and result.by_kabkota is not None:
                group_fns.append((provider.metrics, result.by_kabkota))
            result = result.rows
        available.add(provider.section)
        allowed = frozenset(provider.metrics)
        converted = allowed & _CONVERTED
        new_rows: list[str] = []
        for code, metrics in result.items():
            if not metrics.keys() <= allowed:
                extra = sorted(set(metrics) - allowed)
                raise ValueError(f"penyedia {provider.key} mengisi metrik lain: {extra}")
            key = row_key(code)
            bucket = values.get(key)
            if bucket is None:
                bucket = values[key] = {}
                new_rows.append(key)
            if not converted and bucket.keys().isdisjoint(metrics):
                bucket.update(metrics)  # first values of plain metrics are themselves
                continue
            for metric, value in metrics.items():
                # the first value of a summed or max metric is itself (what _merge gives)
                if metric in bucket or metric in _CONVERTED:
                    _merge(bucket, metric, value)
                else:
                    bucket[metric] = value
        answered.append(({m: _zero(m) for m in provider.metrics}, new_rows))
    zeros: dict = {}  # shared values: never mutated, see _merge
    for provider_zeros, first_mentioned in reversed(answered):
        zeros = provider_zeros | zeros
        for key in first_mentioned:
            values[key] = zeros | values[key]
    return available, totals_supplied


def _rows(values: dict, kecamatan: list, period_days: int, supplied) -> list[KecamatanRow]:
    """Kecamatan first, in code order; the Dinas' own rows (kab/kota, province) last."""
    known = {r.code: r for r in kecamatan}
    others = sorted(k for k in values if k not in known)
    names: dict[str, tuple[str, str]] = {}
    if others:
        stmt = sa.select(Region.code, Region.name, Region.level).where(Region.code.in_(others))
        names = {c: (n, lv) for c, n, lv in db.session.execute(stmt).all()}
    rows: list[KecamatanRow] = []
    for code in sorted(values, key=lambda c: (c not in known, c)):
        if code in known:
            name, level = _display(known[code].name, "kecamatan"), "kecamatan"
        else:
            raw, level = names.get(code, (code, "kabkota"))
            name = _dinas_name(raw, level)
        rows.append(KecamatanRow(code, name, level, _finish(values[code], period_days, supplied)))
    return rows


def _total(rows: list[KecamatanRow], totals_supplied: dict, period_days: int, supplied) -> Figures:
    total_values: dict = {}
    if rows:
        # one C call per row, then one column per metric
        columns = zip(*map(_SUMMED_OF, [r.figures for r in rows]), strict=True)
        for metric, column in zip(SUMMED_FIELDS, columns, strict=True):
            total_values[metric] = _fold(metric, column)
    total_values.update(totals_supplied)
    can_record = None
    if any(r.figures.can_record_today is not None for r in rows):
        can_record = sum(1 for r in rows if r.level == "kecamatan" and r.figures.can_record_today)
    return _finish(total_values, period_days, supplied, total_can_record=can_record)


def _group_by_kabkota(
    rows: list[KecamatanRow], group_fns: list, period_days: int, supplied
) -> list[KabkotaRow]:
    """One row per kab/kota in the area (kab/kota names: one query): its rows summed by the
    same rules as the total (`_total`), ratios recomputed from the summed parts or, when a
    provider defines them, taken from its `by_kabkota`. A province Dinas' own row stays a row
    of its own."""
    groups: dict[str, list[KecamatanRow]] = {}
    for row in rows:
        groups.setdefault(kabkota_of(row.region_code) or row.region_code, []).append(row)
    per_kab: dict[str, dict] = {}
    for metrics, fn in group_fns:
        for kab, vals in fn().items():
            per_kab.setdefault(kab, {}).update({m: v for m, v in vals.items() if m in metrics})
    stmt = sa.select(Region.code, Region.name, Region.level).where(Region.code.in_(list(groups)))
    names = {c: (n, lv) for c, n, lv in db.session.execute(stmt).all()}
    out = []
    for code in sorted(groups):
        name, level = names.get(code, (code, level_of(code)))
        members = groups[code]
        figures = _total(members, per_kab.get(code, {}), period_days, supplied)
        display = _display(name, level) if level == "kabkota" else _dinas_name(name, level)
        count = sum(1 for r in members if r.level == "kecamatan")
        out.append(KabkotaRow(code, display, level, figures, count))
    return out


def _sections(user, region_code, start, end, today, as_of, available: set) -> dict:
    lists: dict[str, tuple] = {}
    for key in SECTION_KEYS:
        sp = SECTION_PROVIDERS.get(key)
        if sp is not None:
            lists[key] = tuple(_call(sp, user, region_code, start, end, today, as_of))
            available.add(sp.section)
        else:
            lists[key] = ()
    return lists


def build_summary(
    user,
    region_code: str | None,
    start: date,
    end: date,
    today: date | None = None,
    *,
    sections: bool = False,
    now: datetime | None = None,
    by: str = "kecamatan",
) -> Summary:
    """Every figure for the area `region_code` (inside the user's scope) and the period.

    The caller validates `region_code` (in scope) and the dates. Queries: one for the regions,
    one for the names of Dinas rows (if any), plus each provider's bounded queries.
    `by="kabkota"` also groups the rows per kab/kota (`Summary.kabkota`): one query for the
    names and one per provider that defines a ratio per kab/kota, whatever their number.
    Point-in-time figures are read at one moment, `as_of` (see `hearing.period.as_of_for`;
    `now` defaults to the current instant); flows cover [start, end].
    """
    today = today or today_wib()
    as_of = as_of_for(end, now)
    period_days = (end - start).days + 1
    kecamatan, scope_name = _scope_regions(user, region_code)
    values: dict[str, dict] = {r.code: {} for r in kecamatan}
    supplied = frozenset(m for p in PROVIDERS.values() for m in p.metrics if m in DERIVED_METRICS)
    group_fns: list | None = [] if by == "kabkota" else None
    available, totals_supplied = _collect(
        user, region_code, start, end, today, as_of, values, group_fns
    )
    rows = _rows(values, kecamatan, period_days, supplied)
    kab_rows = _group_by_kabkota(rows, group_fns, period_days, supplied) if by == "kabkota" else []
    lists = _sections(user, region_code, start, end, today, as_of, available) if sections else {}
    return Summary(
        region_code=region_code,
        scope_name=scope_name,
        start=start,
        end=end,
        today=today,
        rows=tuple(rows),
        total=_total(rows, totals_supplied, period_days, supplied),
        available=frozenset(available),
        sections=lists,
        as_of=as_of,
        by=by,
        kabkota=tuple(kab_rows),
    )
