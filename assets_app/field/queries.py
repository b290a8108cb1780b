"""Reading the daily reports, reporting compliance and the public service board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.assets import services as asset_services
from assets_app.blanko import queries as blanko_queries
from assets_app.common import vocab
from assets_app.common.errors import NotFound
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.extensions import db
from assets_app.field.models import DailyReport, StatusBoard
from assets_app.field.vocab import DEVICE_CATEGORIES, NO_BLANKO, NO_DEVICE, PUBLIC_CAUSE
from assets_app.regions.models import Region
from assets_app.regions.scope import scoped
from assets_app.regions.services import children

# --- the daily report form -----------------------------------------------------------------


@dataclass
class Device:
    id: int
    name: str
    category: str
    status: str
    cause: str | None
    responsible_party: str | None

    @property
    def down(self) -> bool:
        return self.status in vocab.DOWN_STATUSES


@dataclass
class DailyForm:
    """What the form is pre-filled with: the devices' current status, the day's report."""

    region: Region
    day: date
    devices: list[Device]
    report: DailyReport | None
    usage: object | None
    values: dict = field(default_factory=dict)


def devices_of(region_code: str) -> list[Device]:
    assets = asset_queries.service_devices([region_code], DEVICE_CATEGORIES)
    events = asset_queries.latest_events([a.id for a in assets])
    out = []
    for a in assets:
        ev = events.get(a.id)
        down = a.status in vocab.DOWN_STATUSES
        out.append(
            Device(
                a.id,
                a.name,
                a.category,
                a.status,
                ev.cause if ev and down else None,
                ev.responsible_party if ev and down else None,
            )
        )
    return out


def daily_form(region: Region, day: date) -> DailyForm:
    report = get_report(region.code, day)
    usage = asset_queries.usage_of_day([region.code], day).get(region.code)
    values = (
        {
            k: getattr(usage, k)
            for k in ("rekam", "cetak_ktp", "cetak_kk", "ditolak", "suket", "kuota")
        }
        if usage
        else {}
    )
    if report is not None:
        values.update(
            blanko_used=report.blanko_used, blanko_damaged=report.blanko_damaged, note=report.note
        )
    return DailyForm(region, day, devices_of(region.code), report, usage, values)


def get_report(region_code: str, day: date) -> DailyReport | None:
    return db.session.scalar(
        sa.select(DailyReport).where(DailyReport.region_code == region_code, DailyReport.day == day)
    )


def reports_stmt(user, region: str | None, start: date | None, end: date | None) -> sa.Select:
    stmt = scoped(sa.select(DailyReport), DailyReport.region_code, user, region)
    if start:
        stmt = stmt.where(DailyReport.day >= start)
    if end:
        stmt = stmt.where(DailyReport.day <= end)
    return stmt


def report_out(report: DailyReport) -> dict:
    """The report with the day's counts (from its usage row) for the API."""
    usage = asset_queries.usage_of_day([report.region_code], report.day).get(report.region_code)
    counts = {
        k: getattr(usage, k) if usage else None
        for k in ("rekam", "cetak_ktp", "cetak_kk", "ditolak", "suket", "kuota")
    }
    return {
        "id": report.id,
        "region_code": report.region_code,
        "day": report.day,
        **counts,
        "blanko_used": report.blanko_used,
        "blanko_damaged": report.blanko_damaged,
        "devices_changed": report.devices_changed,
        "corrections": report.corrections,
        "note": report.note,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }


# --- compliance ----------------------------------------------------------------------------


def compliance(user, region: str | None, start: date, end: date, today: date | None = None):
    """Per service point: days reported, working days expected, reporting_pct (the summary's
    figure, `assets.reporting`), and when its latest report was written."""
    stats = asset_services.reporting_by_region(user, region, start, end, today)
    last = asset_queries.last_usage_report_at(stats)
    return [
        {
            "region_code": s.region_code,
            "name": s.name,
            "days_reported": s.reported_days,
            "days_expected": s.working_days,
            "reporting_pct": s.reporting_pct,
            "last_report_at": last.get(s.region_code),
        }
        for s in sorted(stats.values(), key=lambda s: s.region_code)
    ]


# --- the public board ----------------------------------------------------------------------


@dataclass
class Place:
    region_code: str
    name: str
    can_record: bool
    can_print: bool
    since: datetime | None
    cause: str | None
    kuota: int | None
    ditolak: int | None
    blanko_available: int
    last_report_at: datetime | None
    print_cause: str | None = None


@dataclass
class Board:
    region_code: str
    name: str
    as_of: datetime
    notice: str | None
    places: list[Place]

    @property
    def none_can_record(self) -> bool:
        kec = [p for p in self.places if p.region_code != self.region_code]
        return bool(kec) and not any(p.can_record for p in kec)

    def as_json(self) -> dict:
        def iso(v):
            return v.isoformat() if v else None

        return {
            "region_code": self.region_code,
            "name": self.name,
            "as_of": iso(self.as_of),
            "notice": self.notice,
            "kecamatan": [
                {
                    "region_code": p.region_code,
                    "name": p.name,
                    "can_record": p.can_record,
                    "can_print": p.can_print,
                    "since": iso(p.since),
                    "cause": p.cause,
                    "kuota": p.kuota,
                    "blanko_available": p.blanko_available,
                    "last_report_at": iso(p.last_report_at),
                }
                for p in self.places
            ],
        }


def board_setting(code: str) -> StatusBoard | None:
    return db.session.get(StatusBoard, code)


def _service_state(devices, events, since, category: str):
    """(able, since, cause) of one service (recording or printing) at one place."""
    mine = [a for a in devices if a.category == category]
    if not mine:
        return False, None, NO_DEVICE
    if any(a.status == "operasional" for a in mine):
        return True, None, None
    down = [a for a in mine if a.id in since]
    first = min(down, key=lambda a: since[a.id]) if down else None
    ev = events.get(first.id) if first else None
    cause = PUBLIC_CAUSE.get(ev.cause or "lainnya") if ev else PUBLIC_CAUSE["lainnya"]
    return False, since.get(first.id) if first else None, cause


def public_board(code: str, today: date | None = None) -> Board:
    """The board of a kab/kota (404 when unknown, not a kab/kota, or switched off): no names
    of people, no ticket text — only places, states, public causes and counts."""
    region = db.session.get(Region, code)
    setting = board_setting(code)
    if region is None or region.level != "kabkota" or (setting and not setting.enabled):
        raise NotFound("Papan layanan tidak ditemukan.")
    today = today or today_wib()
    places = [region, *children(code)]
    places = [p for p in places if p.level in ("kabkota", "kecamatan")]
    codes = [p.code for p in places]
    devices = asset_queries.service_devices(codes, ("perekaman", "cetak_ktp"))
    ids = [a.id for a in devices]
    events = asset_queries.latest_events(ids)
    since = asset_queries.down_since(ids)
    usage = asset_queries.usage_of_day(codes, today)
    blanko = blanko_queries.available_of(codes)
    last = asset_queries.last_usage_report_at(codes)
    out = []
    for p in places:
        own = [a for a in devices if a.region_code == p.code]
        if p.level == "kabkota" and not own:
            continue  # the Dinas office shows only where it serves citizens itself
        rec, rec_since, rec_cause = _service_state(own, events, since, "perekaman")
        prn, prn_since, prn_cause = _service_state(own, events, since, "cetak_ktp")
        if prn and blanko[p.code] <= 0:
            prn, prn_cause = False, NO_BLANKO
        u = usage.get(p.code)
        out.append(
            Place(
                p.code,
                "Kantor Dinas" if p.level == "kabkota" else f"Kec. {p.name}",
                rec,
                prn,
                rec_since or prn_since,
                rec_cause or prn_cause,
                u.kuota if u else None,
                u.ditolak if u else None,
                blanko[p.code],
                last.get(p.code),
                prn_cause,
            )
        )
    return Board(code, region.name, utcnow(), setting.notice if setting else None, out)


# --- pages ---------------------------------------------------------------------------------


def _report_region(user, wanted: str | None) -> Region | None:
    """The service point the form is for: the camat's own; else `?region=` (404 out of
    scope) or the first kecamatan in scope."""
    from assets_app.regions.scope import scope_clause
    from assets_app.regions.services import bounded_regions

    if getattr(user, "role", None) == "camat" and user.region_code:
        return db.session.get(Region, user.region_code)
    if wanted:
        levels = ("kecamatan", "kabkota")
        if wanted not in {c for c, _, lv in bounded_regions(user, levels, wanted) if lv in levels}:
            raise NotFound("Wilayah tidak ditemukan.")
        return db.session.get(Region, wanted)
    first = (
        sa.select(Region)
        .where(scope_clause(Region.code, user), Region.level == "kecamatan")
        .order_by(Region.code)
        .limit(1)
    )
    return db.session.scalar(first)


def daily_page(user, args, form, posted_form) -> dict:
    """The daily report page: the region, its devices with their current status (or what was
    just posted), the form pre-filled from the day's report."""
    from assets_app.common.validate import Invalid, parse_date
    from assets_app.regions.services import region_choices

    region = _report_region(user, form.region_code.data or args.get("region"))
    try:
        day = parse_date(form.day.data or args.get("day")) or today_wib()
    except Invalid:
        day = today_wib()
    if region is None:
        return {"daily": None, "choices": [], "posted": {}}
    daily = daily_form(region, day)
    if not form.is_submitted():
        form.region_code.data = region.code
        form.day.data = day.isoformat()
        for key, value in daily.values.items():
            getattr(form, key).data = "" if value is None else str(value)
    posted = {k: v for k, v in posted_form.items() if k.startswith("device_")}
    return {
        "daily": daily,
        "choices": region_choices(user, levels=("kecamatan", "kabkota"), selected=region.code),
        "posted": posted,
    }


def board_region_or_404(user, code: str) -> Region:
    from assets_app.regions.scope import in_scope

    region = db.session.get(Region, code)
    if region is None or region.level != "kabkota" or not in_scope(user, code):
        raise NotFound("Kabupaten/kota tidak ditemukan.")
    return region


def boards_in_scope(user) -> list[tuple[Region, StatusBoard | None]]:
    from assets_app.regions.services import regions_in_scope

    regions = regions_in_scope(user, level="kabkota")
    settings = {
        b.region_code: b
        for b in db.session.scalars(
            sa.select(StatusBoard).where(StatusBoard.region_code.in_([r.code for r in regions]))
        )
    }
    return [(r, settings.get(r.code)) for r in regions]
