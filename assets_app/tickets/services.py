"""Repair tickets: filing, workflow, comments, assignment, attachments, SLA, letters.

Every write takes the acting user as `by`, checks the rules, flushes and never commits.
Report figures for the DPRD packet live in `assets_app.tickets.stats` (re-exported below).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from assets_app.assets import services as asset_services
from assets_app.assets.models import Asset, StatusEvent
from assets_app.auth.models import User
from assets_app.common import vocab
from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.common.formatting import WIB, tanggal
from assets_app.common.permissions import can
from assets_app.common.sequence import next_value
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.letters.models import Letter
from assets_app.regions.models import Region
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause
from assets_app.regions.services import require_region_in_scope
from assets_app.tickets import attachments as files
from assets_app.tickets import sla, workflow
from assets_app.tickets.models import (
    OPEN_STATUSES,
    Holiday,
    IdempotencyKey,
    SlaSetting,
    SlaTarget,
    Ticket,
    TicketAttachment,
    TicketEvent,
)
from assets_app.tickets.notifications import notify, users_covering

SUBJECT = "ticket"  # Letter.subject_type of ticket letters
DEFAULT_TARGETS = {"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (24, 20)}
# Asset status cause for a ticket category.
CATEGORY_CAUSE = {
    "jaringan": "jaringan",
    "perangkat": "perangkat_keras",
    "listrik": "listrik",
    "blanko": "blanko",
    "aplikasi": "perangkat_lunak",
    "lainnya": "lainnya",
}
MAX_TITLE = 200
MAX_TEXT = 10000


def ticket_path(ticket_id: int) -> str:
    return f"/tiket/{ticket_id}"


def _now(at: datetime | None) -> datetime:
    return at or utcnow()


# --- SLA settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaConfig:
    calendar: sla.WorkCalendar
    targets: dict[str, tuple[int, int]]  # priority → (accept hours, resolve days)

    def accept_target(self, priority: str) -> timedelta:
        return sla.accept_target(self.targets[priority][0], self.calendar)

    def resolve_target(self, priority: str) -> timedelta:
        return sla.resolve_target(self.targets[priority][1], self.calendar)


def load_sla_config() -> SlaConfig:
    cache = g.get("_sla_config") if has_app_context() else None
    if cache is not None:
        return cache
    row = db.session.get(SlaSetting, 1)
    holidays = frozenset(db.session.scalars(sa.select(Holiday.day)))
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
    for t in db.session.scalars(sa.select(SlaTarget)):
        targets[t.priority] = (t.accept_hours, t.resolve_days)
    config = SlaConfig(cal, targets)
    if has_app_context():
        g._sla_config = config
    return config


def _forget_sla_config() -> None:
    if has_app_context():
        g.pop("_sla_config", None)


def _parse_time(value, field: str, errors: dict) -> time | None:
    if isinstance(value, time):
        return value
    try:
        hh, mm = str(value or "").strip().replace(".", ":").split(":")
        return time(int(hh), int(mm))
    except ValueError:
        errors.setdefault(field, []).append("Jam tidak valid (format JJ:MM, mis. 07:30).")
        return None


def save_sla_settings(
    *, by, mode: str, day_start, day_end, workdays, targets: dict[str, tuple]
) -> SlaConfig:
    """Calendar and targets together; open tickets' due dates are recomputed."""
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah SLA.")
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
        try:
            a = int(accept)
            if not 1 <= a <= 720:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"accept_{prio}"] = ["Target terima 1–720 jam."]
            a = None
        try:
            r = int(resolve)
            if not 1 <= r <= 365:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"resolve_{prio}"] = ["Target selesai 1–365 hari."]
            r = None
        if a is not None and r is not None:
            clean[prio] = (a, r)
    if errors:
        raise ValidationFailed(errors=errors)
    row = db.session.get(SlaSetting, 1) or SlaSetting(id=1)
    row.mode, row.day_start, row.day_end = mode, start, end
    row.workdays = ",".join(str(d) for d in days)
    db.session.add(row)
    existing = {t.priority: t for t in db.session.scalars(sa.select(SlaTarget))}
    for prio, (a, r) in clean.items():
        t = existing.get(prio) or SlaTarget(priority=prio)
        t.accept_hours, t.resolve_days = a, r
        db.session.add(t)
    db.session.flush()
    _forget_sla_config()
    refresh_open_tickets()
    return load_sla_config()


def add_holiday(*, by, day, name: str) -> Holiday:
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah hari libur.")
    errors: dict[str, list[str]] = {}
    d = letters.parse_date(day, "day", errors, required=True)
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Wajib diisi."]
    elif len(name) > 120:
        errors["name"] = ["Maksimal 120 karakter."]
    if d and db.session.scalar(sa.select(Holiday.id).where(Holiday.day == d)):
        errors["day"] = [f"{tanggal(d)} sudah ada dalam daftar hari libur."]
    if errors:
        raise ValidationFailed(errors=errors)
    holiday = Holiday(day=d, name=name)
    db.session.add(holiday)
    db.session.flush()
    _forget_sla_config()
    refresh_open_tickets()
    return holiday


def delete_holiday(*, by, holiday_id: int) -> None:
    if not can(by, "sla.manage"):
        raise Forbidden("Hanya admin yang dapat mengubah hari libur.")
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound("Hari libur tidak ditemukan.")
    db.session.delete(holiday)
    db.session.flush()
    _forget_sla_config()
    refresh_open_tickets()


def holidays_list(year: int | None = None) -> list[Holiday]:
    stmt = sa.select(Holiday).order_by(Holiday.day)
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
    for tid, at, to in db.session.execute(stmt):
        if to and to != "baru":
            out[tid].append((at, to))
    return out


def clocks_for(
    ticket: Ticket,
    transitions: list[tuple[datetime, str]],
    now: datetime,
    config: SlaConfig | None = None,
) -> sla.TicketClocks:
    config = config or load_sla_config()
    return sla.compute_clocks(
        ticket.created_at,
        transitions,
        now,
        config.calendar,
        config.accept_target(ticket.priority),
        config.resolve_target(ticket.priority),
    )


def ticket_clocks(ticket: Ticket, now: datetime | None = None) -> sla.TicketClocks:
    return clocks_for(ticket, transitions_by_ticket([ticket.id])[ticket.id], _now(now))


def _apply_clock_cache(ticket: Ticket, clocks: sla.TicketClocks) -> None:
    accept = clocks.accept
    accept_due = accept.due_at if (accept.running or accept.breached) else None
    if ticket.accept_due_at != accept_due:
        ticket.accept_due_at = accept_due
    if ticket.resolve_due_at != clocks.resolve.due_at:
        ticket.resolve_due_at = clocks.resolve.due_at


def refresh_sla(ticket: Ticket, now: datetime | None = None) -> sla.TicketClocks:
    db.session.flush()
    clocks = ticket_clocks(ticket, now)
    _apply_clock_cache(ticket, clocks)
    return clocks


def refresh_open_tickets(now: datetime | None = None, batch: int = 500) -> int:
    """Recomputes the cached due dates of every open ticket (after a calendar change, and by
    the cron run), in batches of bounded queries."""
    now = _now(now)
    config = load_sla_config()
    ids = list(
        db.session.scalars(
            sa.select(Ticket.id).where(Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.id)
        )
    )
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        tickets = db.session.scalars(sa.select(Ticket).where(Ticket.id.in_(chunk))).all()
        trans = transitions_by_ticket(chunk)
        for t in tickets:
            _apply_clock_cache(t, clocks_for(t, trans[t.id], now, config))
    db.session.flush()
    return len(ids)


# --- reading -------------------------------------------------------------------------------


def get_ticket_or_404(ticket_id: int, user) -> Ticket:
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or not in_scope(user, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")
    return ticket


SORTS = {
    "number": Ticket.number,
    "created": Ticket.created_at,
    "priority": sa.case(
        {"kritis": 0, "tinggi": 1, "sedang": 2, "rendah": 3}, value=Ticket.priority
    ),
    "status": Ticket.status,
    "due": sa.func.coalesce(Ticket.resolve_due_at, Ticket.accept_due_at),
    "region": Ticket.region_code,
}


def tickets_query(
    user,
    *,
    region: str | None = None,
    status: str | None = None,
    priority: str | None = None,
    category: str | None = None,
    party: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    q: str | None = None,
    now: datetime | None = None,
) -> sa.Select:
    """Tickets in the user's scope with the list filters; `status="terbuka"` = not finished."""
    now = _now(now)
    stmt = sa.select(Ticket).where(scope_clause(Ticket.region_code, user))
    if region:
        stmt = stmt.where(subtree_clause(Ticket.region_code, region))
    if status == "terbuka":
        stmt = stmt.where(Ticket.status.in_(OPEN_STATUSES))
    elif status in vocab.TICKET_STATUS:
        stmt = stmt.where(Ticket.status == status)
    if priority in vocab.TICKET_PRIORITY:
        stmt = stmt.where(Ticket.priority == priority)
    if category in vocab.TICKET_CATEGORY:
        stmt = stmt.where(Ticket.category == category)
    if party in vocab.RESPONSIBLE_PARTY:
        stmt = stmt.where(Ticket.responsible_party == party)
    if mine:
        stmt = stmt.where(sa.or_(Ticket.reporter_id == user.id, Ticket.assignee_id == user.id))
    if overdue:
        stmt = stmt.where(overdue_clause(now))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Ticket.title).like(like),
                sa.func.lower(Ticket.number).like(like),
                sa.func.lower(Ticket.description).like(like),
            )
        )
    return stmt.options(selectinload(Ticket.region), selectinload(Ticket.assignee))


def overdue_clause(now: datetime):
    """Open now and past a due date (uses the cached due dates)."""
    return sa.and_(
        Ticket.status.in_(OPEN_STATUSES),
        sa.or_(
            Ticket.resolve_due_at <= now,
            sa.and_(Ticket.status == "baru", Ticket.accept_due_at <= now),
        ),
    )


def party_summary(user, region: str | None = None, now: datetime | None = None) -> list[dict]:
    """Open tickets per responsible party: count, overdue, oldest (one query)."""
    now = _now(now)
    stmt = (
        sa.select(
            Ticket.responsible_party,
            sa.func.count(),
            sa.func.count(sa.case((overdue_clause(now), 1))),
            sa.func.min(Ticket.created_at),
        )
        .where(scope_clause(Ticket.region_code, user), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.responsible_party)
    )
    if region:
        stmt = stmt.where(subtree_clause(Ticket.region_code, region))
    rows = {r[0]: r for r in db.session.execute(stmt)}
    out = []
    for party, label in vocab.RESPONSIBLE_PARTY.items():
        _, count, late, oldest = rows.get(party, (party, 0, 0, None))
        out.append(
            {
                "party": party,
                "label": label,
                "open": count,
                "overdue": late,
                "oldest_days": (now - oldest).days if oldest else None,
            }
        )
    return out


def region_summary(user, region: str | None = None, now: datetime | None = None) -> list[dict]:
    """Open tickets per kecamatan: count, overdue, oldest (one query + region names)."""
    now = _now(now)
    stmt = (
        sa.select(
            Ticket.region_code,
            Region.name,
            sa.func.count(),
            sa.func.count(sa.case((overdue_clause(now), 1))),
            sa.func.min(Ticket.created_at),
        )
        .join(Region, Region.code == Ticket.region_code)
        .where(scope_clause(Ticket.region_code, user), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.region_code, Region.name)
        .order_by(Ticket.region_code)
    )
    if region:
        stmt = stmt.where(subtree_clause(Ticket.region_code, region))
    return [
        {
            "region_code": code,
            "name": name,
            "open": count,
            "overdue": late,
            "oldest_days": (now - oldest).days if oldest else None,
        }
        for code, name, count, late, oldest in db.session.execute(stmt)
    ]


def ticket_events(ticket: Ticket) -> list[TicketEvent]:
    return list(
        db.session.scalars(
            sa.select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .options(selectinload(TicketEvent.author))
            .order_by(TicketEvent.at, TicketEvent.id)
        )
    )


def ticket_attachments(ticket: Ticket) -> list[TicketAttachment]:
    return list(
        db.session.scalars(
            sa.select(TicketAttachment)
            .where(TicketAttachment.ticket_id == ticket.id)
            .order_by(TicketAttachment.id)
        )
    )


def get_attachment_or_404(ticket: Ticket, attachment_id: int) -> TicketAttachment:
    att = db.session.get(TicketAttachment, attachment_id)
    if att is None or att.ticket_id != ticket.id:
        raise NotFound("Lampiran tidak ditemukan.")
    return att


def ticket_region(ticket: Ticket) -> Region:
    return db.session.get(Region, ticket.region_code)


def ticket_asset(ticket: Ticket) -> Asset | None:
    return db.session.get(Asset, ticket.asset_id) if ticket.asset_id else None


def ticket_letters(ticket: Ticket) -> list[Letter]:
    return letters.letters_for_subject(SUBJECT, ticket.id)


def users_by_id(ids) -> dict[int, User]:
    ids = {int(i) for i in ids if i not in (None, "")}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def assignee_choices(ticket_or_region: Ticket | str) -> list[User]:
    """Active handlers (petugas, kadis, admin) whose scope covers the ticket's kecamatan."""
    code = (
        ticket_or_region.region_code if isinstance(ticket_or_region, Ticket) else ticket_or_region
    )
    parts = code.split(".")
    chain = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    stmt = (
        sa.select(User)
        .where(
            User.active.is_(True),
            User.role.in_(sorted(workflow.HANDLERS)),
            sa.or_(User.region_code.in_(chain), User.region_code.is_(None)),
        )
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def allowed_steps(ticket: Ticket, user, now: datetime | None = None) -> list[workflow.Step]:
    now = _now(now)
    if not in_scope(user, ticket.region_code):
        return []
    out = []
    for step in workflow.STEPS:
        if step.source != ticket.status:
            continue
        if (
            workflow.refusal(
                step.source,
                step.target,
                role=user.role,
                is_reporter=ticket.reporter_id == user.id,
                resolved_at=ticket.resolved_at,
                now=now,
            )
            is None
        ):
            out.append(step)
    return out


def assets_in_regions(codes: list[str], limit: int = 1000) -> list[Asset]:
    """Assets a ticket may name, for the filing form's select box (one query)."""
    if not codes:
        return []
    return list(
        db.session.scalars(
            sa.select(Asset)
            .where(Asset.region_code.in_(codes), Asset.status != "dihapuskan")
            .order_by(Asset.region_code, Asset.name, Asset.register_no)
            .limit(limit)
        )
    )


def asset_for_filing(asset_id, user) -> Asset | None:
    try:
        asset = db.session.get(Asset, int(asset_id))
    except (TypeError, ValueError):
        return None
    if asset is None or not in_scope(user, asset.region_code) or asset.status == "dihapuskan":
        return None
    return asset


# --- filing --------------------------------------------------------------------------------


def fingerprint(payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _existing_for_key(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        sa.select(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
        )
    )


def _replay(row: IdempotencyKey, fp: str | None) -> Ticket:
    if fp is not None and row.fingerprint is not None and row.fingerprint != fp:
        raise ValidationFailed(
            errors={
                "idempotency_key": [
                    "Kunci Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda."
                ]
            }
        )
    ticket = db.session.get(Ticket, row.ticket_id) if row.ticket_id else None
    if ticket is None:
        raise NotFound("Tiket untuk kunci ini tidak ditemukan.")
    return ticket


def _text(value, field, errors, *, limit, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(field, []).append("Wajib diisi.")
    elif len(value) > limit:
        errors.setdefault(field, []).append(f"Maksimal {limit} karakter.")
    return value


def _choice(value, vocabulary: dict, field: str, errors: dict, what: str) -> str | None:
    if value in vocabulary:
        return value
    errors.setdefault(field, []).append(
        f"{what} harus salah satu dari: {', '.join(vocabulary)}."
        if value
        else f"{what} wajib dipilih."
    )
    return None


def _new_files() -> list[str]:
    if not has_app_context():
        return []
    if "_ticket_new_files" not in g:
        g._ticket_new_files = []
    return g._ticket_new_files


def discard_unsaved_files() -> None:
    """After a rollback: removes files this request wrote that no saved row references."""
    paths = list(_new_files())
    _new_files().clear()
    keep = (
        set(
            db.session.scalars(
                sa.select(TicketAttachment.stored_path).where(
                    TicketAttachment.stored_path.in_(paths)
                )
            )
        )
        if paths
        else set()
    )
    files.discard_new_files([p for p in paths if p not in keep])


def _store_uploads(ticket: Ticket, uploads: list[files.Upload], by, at: datetime) -> list:
    saved = []
    for up in uploads:
        rel, new = files.write(up)
        if new:
            _new_files().append(rel)
        att = TicketAttachment(
            ticket_id=ticket.id,
            filename=up.filename,
            content_type=up.content_type,
            size=len(up.data),
            sha256=up.sha256,
            stored_path=rel,
            uploaded_by_id=getattr(by, "id", None),
            created_at=at,
        )
        db.session.add(att)
        saved.append(att)
    return saved


def file_ticket(
    *,
    by,
    region_code: str | None,
    category: str | None,
    urgency: str | None,
    impact: str | None,
    title: str | None,
    description: str | None,
    asset_id: int | str | None = None,
    attachments=(),
    idempotency_key: str | None = None,
    request_fingerprint: str | None = None,
    at: datetime | None = None,
) -> tuple[Ticket, bool]:
    """Files a ticket; returns (ticket, created). With an idempotency key, a resend returns the
    ticket made the first time (created=False) and creates nothing."""
    if not can(by, "tickets.file"):
        raise Forbidden("Peran Anda tidak dapat membuat tiket.")
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > 100:
            raise ValidationFailed(errors={"idempotency_key": ["Maksimal 100 karakter."]})
        row = _existing_for_key(by.id, key)
        if row is not None:
            return _replay(row, request_fingerprint), False

    errors: dict[str, list[str]] = {}
    region = None
    if by.role == "camat" and not region_code:
        region_code = by.region_code
    try:
        region = require_region_in_scope(region_code, by, "region_code", levels=("kecamatan",))
    except ValidationFailed as e:
        errors.update(e.errors)
    category = _choice(category, vocab.TICKET_CATEGORY, "category", errors, "Kategori")
    urgency = _choice(urgency, vocab.LEVEL3, "urgency", errors, "Urgensi")
    impact = _choice(impact, vocab.LEVEL3, "impact", errors, "Dampak")
    title = _text(title, "title", errors, limit=MAX_TITLE)
    description = _text(description, "description", errors, limit=MAX_TEXT)
    asset = None
    if asset_id not in (None, ""):
        try:
            asset = db.session.get(Asset, int(asset_id))
        except (TypeError, ValueError):
            asset = None
        if asset is None or not in_scope(by, asset.region_code):
            errors["asset_id"] = ["Aset tidak ditemukan."]
        elif region is not None and asset.region_code != region.code:
            errors["asset_id"] = ["Aset harus milik kecamatan tiket ini."]
        elif asset.status == "dihapuskan":
            errors["asset_id"] = ["Aset sudah dihapuskan dari register."]
    uploads: list[files.Upload] = []
    try:
        uploads = files.validate_files(attachments)
    except ValidationFailed as e:
        errors.update(e.errors)
    if errors:
        raise ValidationFailed(errors=errors)

    if key is not None:
        # Claimed first: a concurrent duplicate waits on this row and then fails the unique
        # constraint before doing anything else.
        claim = IdempotencyKey(user_id=by.id, key=key, fingerprint=request_fingerprint)
        db.session.add(claim)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            row = _existing_for_key(by.id, key)
            if row is None:
                raise
            return _replay(row, request_fingerprint), False

    now = _now(at)
    year = now.astimezone(WIB).year
    seq = next_value(f"ticket:{year}")
    ticket = Ticket(
        number=f"TK-{year}-{seq:05d}",
        region_code=region.code,
        asset_id=asset.id if asset else None,
        category=category,
        urgency=urgency,
        impact=impact,
        priority=workflow.priority_for(urgency, impact),
        title=title,
        description=description,
        status="baru",
        responsible_party="disdukcapil",
        reporter_id=by.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(ticket)
    db.session.flush()
    _event(ticket, "transition", None, "baru", "Tiket dibuat.", by, now)
    if uploads:
        _store_uploads(ticket, uploads, by, now)
        _event(
            ticket,
            "attachment",
            None,
            str(len(uploads)),
            ", ".join(u.filename for u in uploads),
            by,
            now,
        )
    if key is not None:
        claim.ticket_id = ticket.id
    refresh_sla(ticket, now)
    notify(
        users_covering(ticket.region_code, ("petugas", "kadis")),
        kind="tiket_baru",
        title=f"Tiket baru {ticket.number}: {ticket.title}",
        body=f"Prioritas {ticket.priority_label}, dilaporkan {by.name}.",
        url=ticket_path(ticket.id),
        ticket_id=ticket.id,
        exclude=by.id,
        at=now,
    )
    db.session.flush()
    return ticket, True


def _event(ticket, kind, from_value, to_value, note, by, at) -> TicketEvent:
    ev = TicketEvent(
        ticket_id=ticket.id,
        kind=kind,
        from_value=from_value,
        to_value=to_value,
        note=(note or "").strip() or None,
        author_id=getattr(by, "id", None),
        at=at,
    )
    db.session.add(ev)
    return ev


# --- workflow ------------------------------------------------------------------------------


def _require_handler_in_scope(ticket: Ticket, by) -> None:
    if not in_scope(by, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")


def _validate_assignee(ticket: Ticket, assignee_id, errors: dict) -> User | None:
    try:
        uid = int(assignee_id)
    except (TypeError, ValueError):
        errors["assignee_id"] = ["Petugas tidak dikenal."]
        return None
    user = db.session.get(User, uid)
    if (
        user is None
        or not user.active
        or user.role not in workflow.HANDLERS
        or not in_scope(user, ticket.region_code)
    ):
        errors["assignee_id"] = [
            "Penanggung jawab tiket harus petugas, kadis, atau admin aktif yang mencakup "
            "kecamatan ini."
        ]
        return None
    return user


def _set_assignee(ticket: Ticket, user: User, by, note, at) -> None:
    if ticket.assignee_id == user.id:
        return
    old = ticket.assignee_id
    ticket.assignee_id = user.id
    _event(ticket, "assign", str(old) if old else None, str(user.id), note, by, at)
    notify(
        [user.id],
        kind="penugasan",
        title=f"Anda ditugaskan pada tiket {ticket.number}",
        body=ticket.title,
        url=ticket_path(ticket.id),
        ticket_id=ticket.id,
        exclude=getattr(by, "id", None),
        at=at,
    )


def _set_party(ticket: Ticket, party: str, by, note, at) -> None:
    if ticket.responsible_party == party:
        return
    old = ticket.responsible_party
    ticket.responsible_party = party
    _event(ticket, "party", old, party, note, by, at)


def assign(ticket: Ticket, *, by, assignee_id=None, responsible_party=None, note=None, at=None):
    """Changes the assignee and/or the responsible party; each change is an event."""
    if not can(by, "tickets.handle"):
        raise Forbidden("Peran Anda tidak dapat menugaskan tiket.")
    _require_handler_in_scope(ticket, by)
    if not ticket.is_open:
        raise ValidationFailed(
            "Tiket yang sudah selesai atau ditutup tidak dapat ditugaskan ulang."
        )
    errors: dict[str, list[str]] = {}
    user = None
    if assignee_id not in (None, ""):
        user = _validate_assignee(ticket, assignee_id, errors)
    if responsible_party not in (None, ""):
        _choice(responsible_party, vocab.RESPONSIBLE_PARTY, "responsible_party", errors, "Pihak")
    note = _text(note, "note", errors, limit=MAX_TEXT, required=False)
    if user is None and responsible_party in (None, "") and not errors:
        errors["assignee_id"] = ["Pilih petugas atau pihak penanggung jawab."]
    if errors:
        raise ValidationFailed(errors=errors)
    now = _now(at)
    if user is not None:
        _set_assignee(ticket, user, by, note, now)
    if responsible_party:
        _set_party(ticket, responsible_party, by, note, now)
    ticket.updated_at = now
    db.session.flush()
    return ticket


def _set_asset_status(
    asset: Asset,
    status: str,
    *,
    cause: str | None,
    responsible_party: str | None,
    started_at: datetime,
    note: str | None,
    by,
) -> StatusEvent | None:
    """Moves the ticket's asset through the assets domain's status service, in the same
    transaction as the ticket transition. A ticket always knows why the asset is down; when
    its category maps to no cause, "lainnya" and the Dinas stand in."""
    if asset.status == status or asset.status == "dihapuskan":
        return None
    down = status in vocab.DOWN_STATUSES
    return asset_services.set_status(
        by,
        asset,
        status=status,
        cause=(cause or "lainnya") if down else None,
        responsible_party=(responsible_party or "disdukcapil") if down else None,
        started_at=started_at,
        note=note,
    )


def transition(
    ticket: Ticket,
    *,
    by,
    to: str | None,
    note: str | None = None,
    responsible_party: str | None = None,
    assignee_id=None,
    update_asset: bool = True,
    at: datetime | None = None,
) -> Ticket:
    """Moves a ticket one step of the workflow (see `workflow.STEPS`), as `by` may."""
    if not in_scope(by, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")
    now = _now(at)
    reason = workflow.refusal(
        ticket.status,
        to or "",
        role=by.role,
        is_reporter=ticket.reporter_id == by.id,
        resolved_at=ticket.resolved_at,
        now=now,
    )
    if reason:
        raise ValidationFailed(errors={"to": [reason]})
    step = workflow.STEP_BY_PAIR[(ticket.status, to)]
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors, limit=MAX_TEXT, required=step.note_required)
    if errors.get("note") and step.note_required and not note:
        errors["note"] = [f"Catatan wajib diisi: {step.note_hint}"]
    party = responsible_party or None
    if party is not None:
        _choice(party, vocab.RESPONSIBLE_PARTY, "responsible_party", errors, "Pihak")
        if by.role not in workflow.HANDLERS and party != ticket.responsible_party:
            errors["responsible_party"] = [
                "Hanya petugas yang dapat mengubah pihak penanggung jawab."
            ]
    effective_party = party or ticket.responsible_party
    if to == "menunggu_pihak_ketiga" and effective_party not in workflow.THIRD_PARTIES:
        errors.setdefault("responsible_party", []).append(
            "Pilih pihak ketiga yang ditunggu (vendor, Diskominfo, Ditjen Dukcapil, PLN, "
            "kecamatan), bukan Disdukcapil sendiri."
        )
    user = None
    if assignee_id not in (None, ""):
        if by.role not in workflow.HANDLERS:
            errors["assignee_id"] = ["Hanya petugas yang dapat menugaskan tiket."]
        else:
            user = _validate_assignee(ticket, assignee_id, errors)
    if errors:
        raise ValidationFailed(errors=errors)

    if party and party != ticket.responsible_party:
        _set_party(ticket, party, by, None, now)
    if user is not None:
        _set_assignee(ticket, user, by, None, now)
    elif to == "diterima" and ticket.assignee_id is None and by.role in workflow.HANDLERS:
        _set_assignee(ticket, by, by, "Diambil saat menerima tiket.", now)

    source = ticket.status
    ticket.status = to
    ticket.updated_at = now
    if to == "diterima" and ticket.accepted_at is None:
        ticket.accepted_at = now
    if to == "selesai":
        ticket.resolved_at = now
    if workflow.is_reopen(source, to):
        ticket.resolved_at = None
        ticket.reopened_count += 1
    if to == "ditutup":
        ticket.closed_at = now
    asset_note = None
    if update_asset and ticket.asset_id and to in ("dikerjakan", "selesai"):
        asset = db.session.get(Asset, ticket.asset_id)
        new_status = "operasional" if to == "selesai" else "dalam_perbaikan"
        ev = _set_asset_status(
            asset,
            new_status,
            cause=None if to == "selesai" else CATEGORY_CAUSE.get(ticket.category),
            responsible_party=None if to == "selesai" else ticket.responsible_party,
            started_at=now,
            note=f"Tiket {ticket.number}: {note}" if note else f"Tiket {ticket.number}",
            by=by,
        )
        if ev is not None:
            asset_note = f"Status aset {asset.name} menjadi {vocab.ASSET_STATUS[new_status]}."
    full_note = "\n".join(x for x in (note, asset_note) if x) or None
    _event(ticket, "transition", source, to, full_note, by, now)
    refresh_sla(ticket, now)

    recipients = {ticket.reporter_id, ticket.assignee_id}
    if to == "selesai":
        recipients |= set(users_covering(ticket.region_code, ("camat",)))
    notify(
        recipients,
        kind="status",
        title=f"Tiket {ticket.number}: {vocab.TICKET_STATUS[source]} → {vocab.TICKET_STATUS[to]}",
        body=(note or "")
        + ("\nMohon periksa dan tutup tiket bila sudah beres." if to == "selesai" else ""),
        url=ticket_path(ticket.id),
        ticket_id=ticket.id,
        exclude=by.id,
        at=now,
    )
    db.session.flush()
    return ticket


def add_comment(ticket: Ticket, *, by, note: str | None, attachments=(), at=None) -> TicketEvent:
    if not can(by, "tickets.comment"):
        raise Forbidden("Peran Anda tidak dapat menambah komentar.")
    if not in_scope(by, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")
    errors: dict[str, list[str]] = {}
    uploads: list[files.Upload] = []
    try:
        uploads = files.validate_files(attachments)
    except ValidationFailed as e:
        errors.update(e.errors)
    note = _text(note, "note", errors, limit=MAX_TEXT, required=not uploads)
    if errors:
        raise ValidationFailed(errors=errors)
    now = _now(at)
    ev = None
    if note:
        ev = _event(ticket, "comment", None, None, note, by, now)
    if uploads:
        _store_uploads(ticket, uploads, by, now)
        att_ev = _event(
            ticket,
            "attachment",
            None,
            str(len(uploads)),
            ", ".join(u.filename for u in uploads),
            by,
            now,
        )
        ev = ev or att_ev
    ticket.updated_at = now
    notify(
        {ticket.reporter_id, ticket.assignee_id},
        kind="komentar",
        title=f"Komentar baru pada tiket {ticket.number}",
        body=(note or "")[:300],
        url=ticket_path(ticket.id),
        ticket_id=ticket.id,
        exclude=by.id,
        at=now,
    )
    db.session.flush()
    return ev


# --- letters for a ticket ------------------------------------------------------------------

PARTY_RECIPIENTS = {
    "disdukcapil": ("Kepala Dinas Kependudukan dan Pencatatan Sipil {kab}", "{city}"),
    "kecamatan": ("Camat {kec}", "{city}"),
    "diskominfo": ("Kepala Dinas Komunikasi dan Informatika {kab}", "{city}"),
    "vendor": ("Pimpinan {vendor}", "Tempat"),
    "ditjen_dukcapil": (
        "Direktur Jenderal Kependudukan dan Pencatatan Sipil\nKementerian Dalam Negeri",
        "Jakarta",
    ),
    "pln": ("Manajer PT PLN (Persero) Unit Layanan Pelanggan {city}", "{city}"),
}
# Level 3 escalation writes to the responsible party's superior.
PARTY_SUPERIORS = {
    "disdukcapil": ("{head} {city}", "{city}"),
    "kecamatan": ("{head} {city}", "{city}"),
    "diskominfo": ("Sekretaris Daerah {kab}", "{city}"),
    "vendor": PARTY_RECIPIENTS["ditjen_dukcapil"],
    "ditjen_dukcapil": ("Menteri Dalam Negeri Republik Indonesia", "Jakarta"),
    "pln": ("General Manager PT PLN (Persero) Unit Induk Distribusi", "Tempat"),
}
PARTY_REQUESTS = {
    "disdukcapil": "memberikan arahan dan dukungan agar perbaikan dapat segera diselesaikan",
    "kecamatan": "segera menindaklanjuti gangguan tersebut di lingkungan kecamatan",
    "diskominfo": "segera memulihkan jaringan/koneksi internet di kantor kecamatan tersebut",
    "vendor": "segera melakukan perbaikan atau penggantian perangkat sesuai kewajiban "
    "dalam kontrak dan garansi",
    "ditjen_dukcapil": "berkenan memberikan dukungan perbaikan atau penggantian perangkat "
    "serta pemulihan layanan",
    "pln": "segera memulihkan pasokan listrik ke kantor kecamatan tersebut",
}


@dataclass(frozen=True)
class TicketFacts:
    ticket: Ticket
    kecamatan: Region
    kabkota: Region | None
    asset: Asset | None
    days_waiting: int
    letters: list[Letter]


def ticket_facts(ticket: Ticket, today: date | None = None) -> TicketFacts:
    today = today or letters.today_wib()
    kec = db.session.get(Region, ticket.region_code)
    kab = db.session.get(Region, letters.kabkota_code(ticket.region_code))
    asset = db.session.get(Asset, ticket.asset_id) if ticket.asset_id else None
    since = ticket.created_at.astimezone(WIB).date()
    return TicketFacts(ticket, kec, kab, asset, (today - since).days, ticket_letters(ticket))


def _fill(template: str, facts: TicketFacts) -> str:
    kab_name = facts.kabkota.name if facts.kabkota else ""
    city = kab_name.replace("Kabupaten ", "").replace("Kota ", "")
    head = "Wali Kota" if kab_name.startswith("Kota") else "Bupati"
    vendor = facts.asset.vendor if facts.asset and facts.asset.vendor else "Penyedia Perangkat"
    return template.format(
        kab=kab_name, city=city, kec=facts.kecamatan.name, vendor=vendor, head=head
    )


def recipient_for(party: str, facts: TicketFacts, *, superior: bool = False) -> tuple[str, str]:
    table = PARTY_SUPERIORS if superior else PARTY_RECIPIENTS
    name, place = table[party]
    return _fill(name, facts), _fill(place, facts)


def _letter_reference(lt: Letter) -> str:
    when = tanggal(lt.letter_date or lt.sent_on) if (lt.letter_date or lt.sent_on) else "–"
    if lt.direction == "masuk":
        return f"surat {lt.sender or 'masuk'} nomor {lt.number} tanggal {when}"
    return f"surat kami nomor {lt.number} tanggal {when} kepada {lt.recipient.splitlines()[0]}"


def letter_body(facts: TicketFacts, party: str, *, superior: bool = False) -> str:
    t = facts.ticket
    since = tanggal(t.created_at)
    lines = [
        "Dengan hormat,",
        "",
        f"Bersama ini kami sampaikan bahwa sejak {since} terdapat gangguan layanan "
        f"administrasi kependudukan di Kecamatan {facts.kecamatan.name}"
        + (f", {facts.kabkota.name}" if facts.kabkota else "")
        + f", yang tercatat pada tiket perbaikan {t.number} dengan keterangan sebagai berikut:",
        "",
        f"- Kecamatan: {facts.kecamatan.name}",
    ]
    if facts.asset is not None:
        a = facts.asset
        detail = ", ".join(
            x
            for x in (
                a.brand_model,
                f"nomor seri {a.serial_number}" if a.serial_number else None,
                f"NUP {a.register_no}",
            )
            if x
        )
        lines.append(f"- Perangkat: {a.name} ({detail})")
    lines += [
        f"- Gangguan: {t.title} (kategori {t.category_label.lower()})",
        f"- Sejak: {since}",
        f"- Lama menunggu: {facts.days_waiting} hari",
    ]
    earlier = [lt for lt in facts.letters if lt.number and lt.status != "dibatalkan"]
    if earlier:
        lines += ["", "Permasalahan ini telah disampaikan sebelumnya melalui:", ""]
        lines += [f"- {_letter_reference(lt)}" for lt in earlier]
    request = PARTY_REQUESTS["disdukcapil" if superior and party != "vendor" else party]
    if superior and party == "vendor":
        request = PARTY_REQUESTS["ditjen_dukcapil"]
    lines += [
        "",
        f"Sehubungan dengan hal tersebut, kami mohon Bapak/Ibu {request}, agar pelayanan "
        f"perekaman dan pencetakan KTP-el bagi warga Kecamatan {facts.kecamatan.name} dapat "
        "kembali berjalan.",
        "",
        "Demikian kami sampaikan. Atas perhatian dan kerja samanya, kami ucapkan terima kasih.",
    ]
    return "\n".join(lines)


def letter_draft_defaults(
    ticket: Ticket, party: str | None = None, *, superior=False, today: date | None = None
) -> dict:
    """Pre-filled fields of a new letter about the ticket, addressed to `party`, with the
    facts as of `today` (WIB; default today)."""
    party = party if party in vocab.RESPONSIBLE_PARTY else ticket.responsible_party
    facts = ticket_facts(ticket, today)
    recipient, place = recipient_for(party, facts, superior=superior)
    tembusan = [f"Camat {facts.kecamatan.name}"]
    return {
        "recipient": recipient,
        "recipient_place": place,
        "perihal": f"Permohonan tindak lanjut perbaikan {ticket.category_label.lower()} "
        f"Kecamatan {facts.kecamatan.name}",
        "classification": "000.2.2",
        "sifat": "segera" if ticket.priority in ("kritis", "tinggi") else "biasa",
        "lampiran": "-",
        "body": letter_body(facts, party, superior=superior),
        "tembusan": "\n".join(tembusan),
    }


def compose_ticket_letter(ticket: Ticket, *, by, **fields) -> Letter:
    """An outgoing draft about the ticket; the kadis are told it waits for a signature."""
    if by is not None:
        _require_handler_in_scope(ticket, by)
    letter = letters.compose_letter(
        by=by,
        region_code=ticket.region_code,
        direction="keluar",
        subject_type=SUBJECT,
        subject_id=ticket.id,
        **fields,
    )
    notify(
        users_covering(ticket.region_code, ("kadis",)),
        kind="surat",
        title=f"Draf surat menunggu tanda tangan: {letter.perihal}",
        body=f"Tiket {ticket.number}. Kepada {letter.recipient.splitlines()[0]}.",
        url=f"/surat/{letter.id}",
        ticket_id=ticket.id,
        exclude=getattr(by, "id", None),
    )
    return letter


def record_ticket_incoming_letter(ticket: Ticket, *, by, in_reply_to_id=None, **fields) -> Letter:
    _require_handler_in_scope(ticket, by)
    reply_to = None
    if in_reply_to_id not in (None, ""):
        reply_to = db.session.get(Letter, int(in_reply_to_id))
        if reply_to is None or reply_to.subject_type != SUBJECT or reply_to.subject_id != ticket.id:
            raise ValidationFailed(
                errors={"in_reply_to_id": ["Surat yang dibalas tidak ditemukan pada tiket ini."]}
            )
    return letters.compose_letter(
        by=by,
        region_code=ticket.region_code,
        direction="masuk",
        subject_type=SUBJECT,
        subject_id=ticket.id,
        in_reply_to=reply_to,
        **fields,
    )


def letter_subject_links(ids: list[int]) -> dict[int, tuple[str, str]]:
    """For the letters pages: ticket id → (label, url), one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Ticket.id, Ticket.number, Ticket.title).where(Ticket.id.in_(ids))
    )
    return {i: (f"Tiket {n}: {t}", ticket_path(i)) for i, n, t in rows}


# --- timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str
    title: str
    note: str | None
    author: str | None
    date_only: bool = False
    url: str | None = None


def _day_end(d: date) -> datetime:
    """Date-only milestones sort after the events of the same day."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=WIB)


def timeline(
    ticket: Ticket, events: list[TicketEvent], letter_list: list[Letter]
) -> list[TimelineItem]:
    """Events and letter milestones in time order (one query for the names of users)."""
    people = users_by_id(
        [e.to_value for e in events if e.kind == "assign"]
        + [e.from_value for e in events if e.kind == "assign"]
    )
    items: list[TimelineItem] = []
    label = vocab.TICKET_STATUS
    for e in events:
        author = e.author.name if e.author else "Sistem"
        if e.kind == "transition":
            title = (
                "Tiket dibuat"
                if e.from_value is None
                else f"Status: {label.get(e.from_value, e.from_value)} → {label.get(e.to_value, e.to_value)}"
            )
        elif e.kind == "assign":
            new = people.get(int(e.to_value)) if e.to_value else None
            title = f"Ditugaskan kepada {new.name if new else '–'}"
        elif e.kind == "party":
            title = (
                "Pihak penanggung jawab: "
                f"{vocab.label(vocab.RESPONSIBLE_PARTY, e.from_value)} → "
                f"{vocab.label(vocab.RESPONSIBLE_PARTY, e.to_value)}"
            )
        elif e.kind == "escalation":
            title = f"Eskalasi tingkat {e.to_value}"
        elif e.kind == "attachment":
            title = f"{e.to_value} lampiran ditambahkan"
        else:
            title = "Komentar"
        items.append(TimelineItem(e.at, e.kind, title, e.note, author))
    for lt in letter_list:
        url = f"/surat/{lt.id}"
        first = lt.recipient.splitlines()[0] if lt.recipient else ""
        if lt.direction == "masuk":
            if lt.letter_date:
                items.append(
                    TimelineItem(
                        _day_end(lt.letter_date),
                        "letter",
                        f"Surat masuk {lt.number} dari {lt.sender or '–'}",
                        lt.perihal,
                        None,
                        True,
                        url,
                    )
                )
        else:
            if lt.status == "draf":
                items.append(
                    TimelineItem(
                        lt.created_at,
                        "letter",
                        f"Draf surat kepada {first} menunggu tanda tangan",
                        lt.perihal,
                        None,
                        False,
                        url,
                    )
                )
            if lt.signed_at:
                items.append(
                    TimelineItem(
                        lt.signed_at,
                        "letter",
                        f"Surat {lt.number} ditandatangani",
                        None,
                        lt.signer_name,
                        False,
                        url,
                    )
                )
            if lt.sent_on:
                items.append(
                    TimelineItem(
                        _day_end(lt.sent_on),
                        "letter",
                        f"Surat {lt.number} dikirim kepada {first} ({lt.channel_label})",
                        None,
                        None,
                        True,
                        url,
                    )
                )
        if lt.replied_on:
            items.append(
                TimelineItem(
                    _day_end(lt.replied_on),
                    "letter",
                    f"Balasan atas surat {lt.number or ''}".strip(),
                    lt.reply_summary,
                    None,
                    True,
                    url,
                )
            )
    items.sort(key=lambda i: i.at)
    return items


# --- figures for the DPRD reports (documented in stats.py) ---------------------------------

from assets_app.tickets.stats import (  # noqa: E402, F401
    mean_time_to_resolve_by_party,
    open_tickets_by_age,
    overdue_count,
    overdue_tickets_with_letters,
    ticket_stats_by_region,
)
