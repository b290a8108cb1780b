"""SLA settings (work calendar, targets per priority, holidays) and the due dates they give.

`load_sla_config` is read once per request; a change recomputes every open ticket's cached
due dates (`refresh_open_tickets`), which the lists, stats and escalation read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, has_app_context

from assets_app.common import vocab
from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import tanggal
from assets_app.common.permissions import can
from assets_app.common.timeutil import utcnow
from assets_app.common.validate import Invalid, parse_date
from assets_app.extensions import db
from assets_app.regions.models import kabkota_of
from assets_app.regions.scope import in_scope, subtree_clause
from assets_app.regions.services import require_setting_scope
from assets_app.tickets import sla
from assets_app.tickets.models import (
    OPEN_STATUSES,
    Holiday,
    SlaSetting,
    SlaTarget,
    Ticket,
    TicketEvent,
)

DEFAULT_TARGETS = {"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (24, 20)}


# --- SLA settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaConfig:
    calendar: sla.WorkCalendar
    targets: dict[str, tuple[int, int]]  # priority → (accept hours, resolve days)
    region_code: str | None = None  # the kab/kota it is for; None: the installation default
    own: bool = False  # the kab/kota saved its own calendar and targets

    def accept_target(self, priority: str) -> timedelta:
        return sla.accept_target(self.targets[priority][0], self.calendar)

    def resolve_target(self, priority: str) -> timedelta:
        return sla.resolve_target(self.targets[priority][1], self.calendar)


def _kab(region_code: str | None) -> str | None:
    return kabkota_of(region_code) if region_code else None


def _calendar_row(kab: str | None) -> SlaSetting | None:
    return db.session.scalar(
        sa.select(SlaSetting).where(
            SlaSetting.region_code.is_(None) if kab is None else SlaSetting.region_code == kab
        )
    )


def _holiday_clause(kab: str | None):
    """National holidays, and the kab/kota's own when `kab` is given."""
    if kab is None:
        return Holiday.region_code.is_(None)
    return sa.or_(Holiday.region_code.is_(None), Holiday.region_code == kab)


def load_sla_config(region_code: str | None = None) -> SlaConfig:
    """The SLA of the kab/kota `region_code` lies in (a ticket's region, a kecamatan or the
    kab/kota itself): its own calendar and targets where it saved them, else the installation
    default; national holidays plus its own. None: the installation default."""
    kab = _kab(region_code)
    cache = g.setdefault("_sla_configs", {}) if has_app_context() else {}
    if kab in cache:
        return cache[kab]
    row = (_calendar_row(kab) if kab else None) or _calendar_row(None)
    holidays = frozenset(db.session.scalars(sa.select(Holiday.day).where(_holiday_clause(kab))))
    if row is None:
        cal = sla.WorkCalendar(holidays=holidays)
    else:
        cal = sla.WorkCalendar(
            mode=row.mode,
            day_start=row.day_start,
            day_end=row.day_end,
            workdays=frozenset(int(d) for d in row.workdays.split(",") if d),
            holidays=holidays,
        )
    targets = dict(DEFAULT_TARGETS)
    own = bool(kab) and row is not None and row.region_code == kab
    rows = db.session.scalars(
        sa.select(SlaTarget).where(
            sa.or_(SlaTarget.region_code.is_(None), SlaTarget.region_code == kab)
            if kab
            else SlaTarget.region_code.is_(None)
        )
    ).all()
    for t in sorted(rows, key=lambda t: t.region_code is not None):  # the kab/kota's last
        targets[t.priority] = (t.accept_hours, t.resolve_days)
    config = SlaConfig(cal, targets, kab, own)
    cache[kab] = config
    return config


def is_working_day(day: date, region_code: str | None = None) -> bool:
    """Whether `day` is a working day of the calendar of `region_code`'s kab/kota — what
    `load_sla_config(region_code).calendar` says — in one query (pages that need only this,
    like the inbox on every page, do not load the whole SLA configuration)."""
    kab = _kab(region_code)
    cached = g.get("_sla_configs", {}).get(kab) if has_app_context() else None
    if cached is not None:
        cal = cached.calendar
        return day.weekday() in cal.workdays and day not in cal.holidays
    days_cache = g.setdefault("_working_days", {}) if has_app_context() else {}
    if (day, kab) not in days_cache:
        days_cache[(day, kab)] = _is_working_day(day, kab)
    return days_cache[(day, kab)]


def _is_working_day(day: date, kab: str | None) -> bool:
    own = sa.select(SlaSetting.workdays).where(SlaSetting.region_code == kab) if kab else None
    default = sa.select(SlaSetting.workdays).where(SlaSetting.region_code.is_(None))
    workdays = own.scalar_subquery() if own is not None else sa.null()
    holiday = sa.select(Holiday.id).where(Holiday.day == day, _holiday_clause(kab)).exists()
    row = db.session.execute(sa.select(workdays, default.scalar_subquery(), holiday)).one()
    days = row[0] or row[1]
    weekdays = (
        frozenset(int(d) for d in days.split(",") if d) if days else sla.WorkCalendar().workdays
    )
    return day.weekday() in weekdays and not row[2]


def working_day_clause(day: date, region_code: str | None = None) -> sa.ColumnElement[bool]:
    """`is_working_day(day, region_code)` as a SQL condition, read when the statement runs:
    the kab/kota's own working weekdays, else the default's, else Monday to Friday; and no
    national holiday or one of the kab/kota on `day`."""
    kab = _kab(region_code)

    def workdays(where):
        return sa.func.nullif(sa.select(SlaSetting.workdays).where(where).scalar_subquery(), "")

    default = ",".join(str(d) for d in sorted(sla.WorkCalendar().workdays))
    days = sa.func.coalesce(
        *((workdays(SlaSetting.region_code == kab),) if kab else ()),
        workdays(SlaSetting.region_code.is_(None)),
        default,
    )
    listed = (sa.literal(",") + days + sa.literal(",")).like(f"%,{day.weekday()},%")
    holiday = sa.select(Holiday.id).where(Holiday.day == day, _holiday_clause(kab)).exists()
    return sa.and_(listed, ~holiday)


def forget_sla_config() -> None:
    if has_app_context():
        g.pop("_sla_configs", None)
        g.pop("_working_days", None)


def _changed(kab: str | None) -> None:
    """After a change of the settings of `kab` (None: the default, which every kab/kota
    without its own falls back to): the open tickets it applies to are recomputed."""
    forget_sla_config()
    refresh_open_tickets(region_code=kab)


def _parse_time(value, field: str, errors: dict) -> time | None:
    if isinstance(value, time):
        return value
    try:
        hh, mm = str(value or "").strip().replace(".", ":").split(":")
        return time(int(hh), int(mm))
    except ValueError:
        errors.setdefault(field, []).append("Jam tidak valid (format JJ:MM, mis. 07:30).")
        return None


def _target(value, top: int, field: str, message: str, errors: dict) -> int | None:
    """A whole number from 1 to `top`, else `message` on `field`."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = None
    if n is None or not 1 <= n <= top:
        errors[field] = [message]
        return None
    return n


def save_sla_settings(
    *,
    by,
    mode: str,
    day_start,
    day_end,
    workdays,
    targets: dict[str, tuple],
    region_code: str | None = None,
) -> SlaConfig:
    """Calendar and targets together, of one kab/kota (`region_code`) or the installation
    default (None); the open tickets they apply to get their due dates recomputed."""
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah SLA.")
    kab = require_setting_scope(by, region_code)
    errors: dict[str, list[str]] = {}
    if mode not in ("kerja", "kalender"):
        errors["mode"] = ["Pilih jam kerja atau waktu kalender."]
    start = _parse_time(day_start, "day_start", errors)
    end = _parse_time(day_end, "day_end", errors)
    if start and end and end <= start:
        errors.setdefault("day_end", []).append("Jam selesai harus setelah jam mulai.")
    try:
        days = sorted({int(d) for d in workdays})
        if not days or any(d < 0 or d > 6 for d in days):
            raise ValueError
    except (TypeError, ValueError):
        errors["workdays"] = ["Pilih paling sedikit satu hari kerja."]
        days = []
    clean: dict[str, tuple[int, int]] = {}
    for prio in vocab.TICKET_PRIORITY:
        accept, resolve = targets.get(prio, (None, None))
        a = _target(accept, 720, f"accept_{prio}", "Target terima 1–720 jam.", errors)
        r = _target(resolve, 365, f"resolve_{prio}", "Target selesai 1–365 hari.", errors)
        if a is not None and r is not None:
            clean[prio] = (a, r)
    if errors:
        raise ValidationFailed(errors=errors)
    row = _calendar_row(kab) or SlaSetting(region_code=kab)
    row.mode, row.day_start, row.day_end = mode, start, end
    row.workdays = ",".join(str(d) for d in days)
    db.session.add(row)
    same = SlaTarget.region_code.is_(None) if kab is None else SlaTarget.region_code == kab
    existing = {t.priority: t for t in db.session.scalars(sa.select(SlaTarget).where(same))}
    for prio, (a, r) in clean.items():
        t = existing.get(prio) or SlaTarget(region_code=kab, priority=prio)
        t.accept_hours, t.resolve_days = a, r
        db.session.add(t)
    db.session.flush()
    _changed(kab)
    return load_sla_config(kab)


def add_holiday(*, by, day, name: str, region_code: str | None = None) -> Holiday:
    """A holiday of one kab/kota (`region_code`), or a national one (None: admin without a
    region only); the open tickets it applies to are recomputed."""
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah hari libur.")
    kab = require_setting_scope(by, region_code)
    errors: dict[str, list[str]] = {}
    try:
        d = parse_date(day)
    except Invalid as exc:
        d, errors["day"] = None, [str(exc)]
    if d is None and "day" not in errors:
        errors["day"] = ["Wajib diisi."]
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = ["Wajib diisi."]
    elif len(name) > 120:
        errors["name"] = ["Maksimal 120 karakter."]
    if d:
        clash = db.session.scalar(
            sa.select(Holiday).where(Holiday.day == d, _holiday_clause(kab)).limit(1)
        )
        if clash is not None:
            where = "hari libur nasional" if clash.is_national else "daftar hari libur"
            errors["day"] = [f"{tanggal(d)} sudah ada dalam {where}."]
    if errors:
        raise ValidationFailed(errors=errors)
    holiday = Holiday(day=d, name=name, region_code=kab)
    db.session.add(holiday)
    db.session.flush()
    _changed(kab)
    return holiday


def delete_holiday(*, by, holiday_id: int) -> None:
    """Removes a holiday: a national one by an admin without a region only, a kab/kota's by
    an admin of that kab/kota (out of scope: not found)."""
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah hari libur.")
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None or (holiday.region_code and not in_scope(by, holiday.region_code)):
        raise NotFound("Hari libur tidak ditemukan.")
    kab = require_setting_scope(by, holiday.region_code)
    db.session.delete(holiday)
    db.session.flush()
    _changed(kab)


def holidays_list(year: int | None = None, region_code: str | None = None) -> list[Holiday]:
    """National holidays, and those of `region_code`'s kab/kota when given."""
    stmt = sa.select(Holiday).where(_holiday_clause(_kab(region_code))).order_by(Holiday.day)
    if year:
        stmt = stmt.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return list(db.session.scalars(stmt))


# --- SLA per ticket ------------------------------------------------------------------------


def transitions_by_ticket(ids: list[int]) -> dict[int, list[tuple[datetime, str]]]:
    out: dict[int, list[tuple[datetime, str]]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        sa.select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.to_value)
        .where(TicketEvent.ticket_id.in_(ids), TicketEvent.kind == "transition")
        .order_by(TicketEvent.at, TicketEvent.id)
    )
    for tid, at, to in db.session.execute(stmt).all():
        if to and to != "baru":
            out[tid].append((at, to))
    return out


def clocks_for(
    ticket: Ticket,
    transitions: list[tuple[datetime, str]],
    now: datetime,
    config: SlaConfig | None = None,
) -> sla.TicketClocks:
    """The ticket's clocks by the SLA of its kab/kota (`config` must be that one's)."""
    config = config or load_sla_config(ticket.region_code)
    return sla.compute_clocks(
        ticket.created_at,
        transitions,
        now,
        config.calendar,
        config.accept_target(ticket.priority),
        config.resolve_target(ticket.priority),
    )


def ticket_clocks(ticket: Ticket, now: datetime | None = None) -> sla.TicketClocks:
    return clocks_for(ticket, transitions_by_ticket([ticket.id])[ticket.id], (now or utcnow()))


def apply_clock_cache(ticket: Ticket, clocks: sla.TicketClocks) -> None:
    accept = clocks.accept
    accept_due = accept.due_at if (accept.running or accept.breached) else None
    if ticket.accept_due_at != accept_due:
        ticket.accept_due_at = accept_due
    if ticket.resolve_due_at != clocks.resolve.due_at:
        ticket.resolve_due_at = clocks.resolve.due_at


def refresh_sla(ticket: Ticket, now: datetime | None = None) -> sla.TicketClocks:
    db.session.flush()
    clocks = ticket_clocks(ticket, now)
    apply_clock_cache(ticket, clocks)
    return clocks


def open_tickets_in_batches(batch: int, region_code: str | None = None):
    """Every open ticket with its transitions (in the kab/kota `region_code` when given),
    `batch` at a time (two queries a batch)."""
    stmt = sa.select(Ticket.id).where(Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.id)
    if region_code:
        stmt = stmt.where(subtree_clause(Ticket.region_code, region_code))
    ids = list(db.session.scalars(stmt))
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        tickets = db.session.scalars(sa.select(Ticket).where(Ticket.id.in_(chunk))).all()
        trans = transitions_by_ticket(chunk)
        yield [(t, trans[t.id]) for t in tickets]


def refresh_open_tickets(
    now: datetime | None = None, batch: int = 500, region_code: str | None = None
) -> int:
    """Recomputes the cached due dates of the open tickets (after a calendar change, and by
    the cron run), each by the SLA of its own kab/kota, in batches of bounded queries;
    `region_code`: only that kab/kota's tickets."""
    now = now or utcnow()
    count = 0
    for rows in open_tickets_in_batches(batch, region_code):
        for t, transitions in rows:
            config = load_sla_config(t.region_code)
            apply_clock_cache(t, clocks_for(t, transitions, now, config))
        count += len(rows)
    db.session.flush()
    return count
