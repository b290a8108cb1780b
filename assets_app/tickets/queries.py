"""Read-only questions about tickets: one ticket, the filtered lists, summaries, who may be
assigned, which steps a user may take, and the links the letters pages show."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from assets_app.assets import queries as asset_queries
from assets_app.auth.models import User
from assets_app.common import vocab
from assets_app.common.errors import NotFound
from assets_app.common.timeutil import utcnow
from assets_app.db import off_index
from assets_app.extensions import db
from assets_app.letters import queries as letter_queries
from assets_app.regions.models import Region, region_chain
from assets_app.regions.scope import in_scope, scope_clause, subtree_clause
from assets_app.tickets import workflow
from assets_app.tickets.models import OPEN_STATUSES, Ticket, TicketAttachment, TicketEvent

SUBJECT = "ticket"  # Letter.subject_type of ticket letters


def ticket_path(ticket_id: int) -> str:
    return f"/tiket/{ticket_id}"


# --- reading -------------------------------------------------------------------------------


def get_ticket_or_404(ticket_id: int, user) -> Ticket:
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or not in_scope(user, ticket.region_code):
        raise NotFound("Tiket tidak ditemukan atau di luar cakupan wilayah Anda.")
    return ticket


def get_ticket_by_number_or_404(number: str, user) -> Ticket:
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.number == number))
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
    order: list | None = None,
) -> sa.Select:
    """Tickets in the user's scope with the list filters; `status="terbuka"` = not finished.
    Ordered by `order` (default newest first), the newest id breaking ties."""
    now = utcnow() if now is None else now  # a datetime, or the inbox's bound `now`
    stmt = sa.select(Ticket).where(scope_clause(Ticket.region_code, user))
    if region:
        stmt = stmt.where(subtree_clause(Ticket.region_code, region))
    if status == "terbuka":
        stmt = stmt.where(Ticket.status.in_(OPEN_STATUSES))
    elif status == WAITING_KECAMATAN:
        stmt = stmt.where(waiting_kecamatan_clause())
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
    stmt = stmt.order_by(*(order or [Ticket.created_at.desc()]), Ticket.id.desc())
    # many-to-one: joined into the page's own query (a COUNT over it ignores them)
    return stmt.options(joinedload(Ticket.region), joinedload(Ticket.assignee))


WAITING_KECAMATAN = "menunggu_kecamatan"  # a list filter beside the statuses
WAITING_KECAMATAN_LABEL = "Menunggu jawaban kecamatan"


def waiting_kecamatan_clause():
    """Waiting for the kecamatan's answer: resolved and waiting for the camat to close or
    reopen it, or put on hold waiting for the kecamatan itself."""
    return sa.or_(
        Ticket.status == "selesai",
        sa.and_(Ticket.status == "menunggu_pihak_ketiga", Ticket.responsible_party == "kecamatan"),
    )


def overdue_clause(now: datetime | sa.BindParameter):
    """Open now and past a due date (uses the cached due dates). The open statuses are the
    selective part (most tickets' due dates have passed, most tickets are closed): the due
    dates stay off their indexes on SQLite, which would scan every passed due date."""
    return sa.and_(
        Ticket.status.in_(OPEN_STATUSES),
        sa.or_(
            off_index(Ticket.resolve_due_at) <= now,
            sa.and_(Ticket.status == "baru", off_index(Ticket.accept_due_at) <= now),
        ),
    )


def party_summary(user, region: str | None = None, now: datetime | None = None) -> list[dict]:
    """Open tickets per responsible party: count, overdue, oldest (one query)."""
    now = now or utcnow()
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
    rows = {r[0]: r for r in db.session.execute(stmt).all()}
    out = []
    for party, label in vocab.RESPONSIBLE_PARTY.items():
        _, count, late, oldest = rows.get(party, (party, 0, 0, None))
        out.append(
            {
                "party": party,
                "label": label,
                "open": count,
                "overdue": late,
                "oldest_days": age_days(oldest, now) if oldest else None,
            }
        )
    return out


def region_summary(user, region: str | None = None, now: datetime | None = None) -> list[dict]:
    """Open tickets per kecamatan: count, overdue, oldest (one query + region names)."""
    now = now or utcnow()
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
            "oldest_days": age_days(oldest, now) if oldest else None,
        }
        for code, name, count, late, oldest in db.session.execute(stmt).all()
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


def ticket_asset(ticket: Ticket):
    return asset_queries.get_asset(ticket.asset_id)


def ticket_letters(ticket: Ticket) -> list:
    return letter_queries.letters_for_subject(SUBJECT, ticket.id)


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
    stmt = (
        sa.select(User)
        .where(
            User.active.is_(True),
            User.role.in_(sorted(workflow.HANDLERS)),
            sa.or_(User.region_code.in_(region_chain(code)), User.region_code.is_(None)),
        )
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def allowed_steps(ticket: Ticket, user, now: datetime | None = None) -> list[workflow.Step]:
    now = now or utcnow()
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


def asset_for_filing(asset_id, user):
    """The asset a new ticket may name, or None (unknown, out of scope, written off)."""
    asset = asset_queries.get_asset(asset_id)
    if asset is None or not in_scope(user, asset.region_code) or asset.status == "dihapuskan":
        return None
    return asset


def letter_subject_links(ids: list[int]) -> dict[int, tuple[str, str]]:
    """For the letters pages: ticket id → (label, url), one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Ticket.id, Ticket.number, Ticket.title).where(Ticket.id.in_(ids))
    )
    return {i: (f"Tiket {n}: {t}", ticket_path(i)) for i, n, t in rows}


def filing_asset_groups(regions: list[tuple[str, str]]) -> list[tuple[str, str, list]]:
    """The filing form's asset picker: (kecamatan code, kecamatan name, [(asset id, label)])
    in the order of `regions`, kecamatan without assets left out (one query)."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for asset in asset_queries.assets_in_regions([c for c, _ in regions], limit=5000):
        grouped.setdefault(asset.region_code, []).append(
            (str(asset.id), f"{asset.name} · {asset.brand_model or '-'} · NUP {asset.register_no}")
        )
    return [(code, name, grouped[code]) for code, name in regions if code in grouped]


# The DPRD packet's ticket figures (`stats`), for the hearing domain to read from here.
# `age_days` is the one definition of a ticket's age (pages and figures).
from assets_app.tickets.stats import (  # noqa: E402, F401
    age_days,
    overdue_tickets_with_letters,
    ticket_stats_by_region,
)


def office_calendar(region_code: str | None = None) -> tuple[frozenset[int], frozenset[date]]:
    """(working weekdays, Monday = 0; holidays) of the office calendar of the kab/kota that
    `region_code` lies in — the SLA calendar kept at `/admin/sla`, national holidays plus its
    own (the installation default above kab/kota level): what other domains count as a
    working day."""
    from assets_app.tickets.sla_config import load_sla_config

    cal = load_sla_config(region_code).calendar
    return cal.workdays, cal.holidays


def is_working_day(day: date, region_code: str | None = None) -> bool:
    """Whether `day` is a working day of the office calendar of `region_code`'s kab/kota."""
    from assets_app.tickets.sla_config import is_working_day as working

    return working(day, region_code)


def working_day_clause(day: date, region_code: str | None = None):
    """`is_working_day` as a SQL condition, evaluated when the statement runs."""
    from assets_app.tickets.sla_config import working_day_clause as clause

    return clause(day, region_code)
