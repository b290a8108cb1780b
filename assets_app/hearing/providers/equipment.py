"""The equipment register's figures, from the assets domain's services: register, status and
downtime, daily usage and idle equipment, recording coverage, purchases with unit prices."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from assets_app.assets import services as assets
from assets_app.common import vocab
from assets_app.common.timeutil import WIB, utcnow
from assets_app.hearing.providers.base import (
    Provider,
    SectionProvider,
    moment,
    region_arg,
    row_key,
)
from assets_app.regions.models import level_of
from reports.hearing_data import IdleAsset, PurchaseLine


def _capital(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def _now(today: date) -> datetime:
    """The instant stocks are read at: the end of `today` (WIB), never after the real now."""
    return min(datetime.combine(today + timedelta(days=1), time(), WIB), utcnow())


def _assets(user, region_code, start: date, end: date, today: date, *, as_of) -> dict:
    """The register, operational status, ability to record and idle/unreported equipment at
    the summary's `as_of` (the idle window ends that day)."""
    day, at = moment(today, as_of)
    register = assets.assets_by_region(user, region_code, at=at)
    idle = assets.idle_split_by_region(user, region_code, today=day, at=at)
    able = assets.can_record_today(register=register)  # counted by assets_by_region
    out: dict[str, dict] = {}
    for code, r in register.items():
        out[code] = {
            "assets_count": r["count"],
            "assets_value": r["value"],
            "operational_count": r["operational"],
            "can_record_today": able.get(code, False),
        }
    for code, split in idle.items():
        out.setdefault(code, {}).update(
            {
                "idle_count": split.idle_count,
                "idle_value": split.idle_value,
                "unreported_count": split.unreported_count,
                "unreported_value": split.unreported_value,
            }
        )
    return out


def _reporting(user, region_code, start: date, end: date, today: date) -> dict:
    """Daily usage reporting of each kecamatan in the period (Mon–Fri working days)."""
    return {
        code: {
            "reported_days": r.reported_days,
            "expected_days": r.working_days,
            "last_report_on": r.last_report,
        }
        for code, r in assets.reporting_by_region(user, region_code, start, end, today).items()
    }


def _downtime(user, region_code, start: date, end: date, today: date) -> dict:
    lo = datetime.combine(start, time(), WIB)
    hi = datetime.combine(end + timedelta(days=1), time(), WIB)
    rows = assets.downtime_by_region(user, region_code, lo, hi, now=_now(today))
    return {
        code: {
            "downtime_hours": d["hours"],
            "downtime_by_party": d["by_party"],
            "downtime_by_cause": d["by_cause"],
        }
        for code, d in rows.items()
    }


def _usage(user, region_code, start: date, end: date, today: date) -> dict:
    return {
        code: {"recorded": u["rekam"], "turned_away": u["ditolak"]}
        for code, u in assets.usage_totals(user, region_code, start, end).items()
    }


def _coverage(user, region_code, start: date, end: date, today: date) -> dict:
    """Latest snapshot per region; a kecamatan's own snapshot wins over the sum of its
    kelurahan. Snapshots of a whole kab/kota are left out (they would count twice)."""
    own: dict[str, tuple[int, int]] = {}
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, snap in assets.latest_coverage(user, region_code).items():
        if level_of(code) in ("provinsi", "kabkota"):
            continue
        key = row_key(code)
        if key == code:
            own[code] = (snap.wajib_ktp, snap.sudah_rekam)
        else:
            parts[key][0] += snap.wajib_ktp
            parts[key][1] += snap.sudah_rekam
    out = {k: {"wajib_ktp": w, "sudah_rekam": s} for k, (w, s) in parts.items()}
    out.update({k: {"wajib_ktp": w, "sudah_rekam": s} for k, (w, s) in own.items()})
    return out


def _purchases(user, region_code, start: date, end: date, today: date, *, as_of):
    """The register at `as_of` by acquisition year, funding, category, item and price."""
    _, at = moment(today, as_of)
    return [
        PurchaseLine(
            year=p["year"],
            funding_source=vocab.label(vocab.FUNDING_SOURCE, p["funding_source"]),
            category=vocab.label(vocab.ASSET_CATEGORY, p["category"]),
            name=p["name"],
            brand_model=p["brand_model"],
            quantity=p["quantity"],
            unit_price=p["unit_price"],
            total_value=p["unit_price"] * p["quantity"],
        )
        for p in assets.purchases_by_year(user, region_code, at=at)
    ]


def _region_label(region) -> str:
    if region is None:
        return "–"
    return region.display_name if region.level != "kabkota" else f"Dinas ({region.name})"


def _idle_assets(user, region_code, start: date, end: date, today: date, *, as_of):
    """Idle equipment at `as_of` with unit price, since when and why: the other domains'
    reasons first ("tidak ada operator terlatih"), then the status event's cause and note,
    or the reason the usage shows."""
    day, at = moment(today, as_of)
    items = assets.idle_assets(user, region_code, today=day, at=at)
    extra = assets.idle_extra_reasons(items)  # e.g. training: "tidak ada operator terlatih"
    events = assets.latest_events([i.asset.id for i in items if i.kind == "status"], at=at)
    out = []
    for item in items:
        a = item.asset
        reasons = [_capital(r) for r in extra.get(a.id, "").split(";") if r.strip()]
        event = events.get(a.id)
        if item.kind == "status" and event is not None and (event.cause or event.note):
            why = vocab.label(vocab.STATUS_CAUSE, event.cause) if event.cause else ""
            if event.note:
                why = f"{why}: {event.note}" if why else event.note
            reasons.append(why)
        else:
            reasons.append(item.reason)
        out.append(
            IdleAsset(
                region_code=a.region_code,
                region_name=_region_label(a.region),
                name=a.name,
                brand_model=a.brand_model,
                kode_barang=a.kode_barang,
                register_no=a.register_no,
                acquired_year=a.acquired_on.year,
                funding_source=vocab.label(vocab.FUNDING_SOURCE, a.funding_source),
                unit_price=a.unit_price,
                since=item.since,
                days_idle=(day - item.since).days if item.since else None,
                reason="; ".join(r for r in reasons if r),
            )
        )
    return out


PROVIDERS = (
    Provider(
        "assets",
        _assets,
        section="assets",
        metrics=(
            "assets_count",
            "assets_value",
            "operational_count",
            "can_record_today",
            "idle_count",
            "idle_value",
            "unreported_count",
            "unreported_value",
        ),
        takes_as_of=True,
    ),
    Provider(
        "downtime",
        _downtime,
        section="downtime",
        metrics=("downtime_hours", "downtime_by_party", "downtime_by_cause"),
    ),
    Provider("usage", _usage, section="usage", metrics=("recorded", "turned_away")),
    Provider(
        "reporting",
        _reporting,
        section="usage",
        metrics=("reported_days", "expected_days", "last_report_on"),
    ),
    Provider("coverage", _coverage, section="coverage", metrics=("wajib_ktp", "sudah_rekam")),
)
SECTIONS = (
    SectionProvider("purchases", _purchases, section="assets", takes_as_of=True),
    SectionProvider("idle_assets", _idle_assets, section="assets", takes_as_of=True),
)
DRILL = [
    *((m, "assets.index", region_arg) for m in ("assets_count", "assets_value", "operational_pct")),
    *((m, "assets.idle", region_arg) for m in ("idle_count", "idle_value")),
    # the idle page shows unreported equipment too (the "Belum melapor" page is the Dinas')
    *((m, "assets.idle", region_arg) for m in ("unreported_count", "unreported_value")),
    ("turned_away", "assets.usage_index", region_arg),
    ("coverage_pct", "assets.coverage_index", region_arg),
]
