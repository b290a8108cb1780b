"""Read-only questions of the outbox: a user's in-app list, the admin's outbox list."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.common.errors import NotFound
from assets_app.common.pagination import Page, paginate
from assets_app.extensions import db
from assets_app.notify.models import JobRun, OutboxMessage
from assets_app.regions.scope import in_scope, scope_clause

UNREAD = "unread_notifications"


def _unread_stmt(user) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.channel == "aplikasi",
            OutboxMessage.read_at.is_(None),
        )
    )


def unread_count(user) -> int:
    """The user's unread in-app notifications (the menu's count: read from the inbox's
    statement when the user has an inbox, see `menu_counts`)."""
    from assets_app.core.inbox import inbox_for

    counted = inbox_for(user).menu_counts.get(UNREAD)
    if counted is not None:
        return counted
    return db.session.scalar(_unread_stmt(user)) or 0


def menu_counts(user) -> list[tuple[str, sa.Select]]:
    return [(UNREAD, _unread_stmt(user))]


def inbox_stmt(user, *, unread_only: bool = False) -> sa.Select:
    stmt = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.channel == "aplikasi")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if unread_only:
        stmt = stmt.where(OutboxMessage.read_at.is_(None))
    return stmt


def outbox_page(by, filters: dict, page: int, per_page: int) -> Page:
    """The outbox for an admin: recipients inside the admin's scope, newest first."""
    stmt = sa.select(OutboxMessage).join(User, User.id == OutboxMessage.user_id)
    stmt = stmt.where(scope_clause(User.region_code, by))
    for name in ("status", "channel", "kind"):
        if filters.get(name):
            stmt = stmt.where(getattr(OutboxMessage, name) == filters[name])
    stmt = stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return paginate(stmt, page, per_page)


def outbox_row_in_scope(by, message_id: int) -> OutboxMessage:
    """The outbox row when its recipient is inside `by`'s scope; otherwise 404."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or not in_scope(by, row.user.region_code):
        raise NotFound("Pesan tidak ditemukan.")
    return row


def last_runs() -> dict[str, JobRun]:
    latest = (
        sa.select(JobRun.job, sa.func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    )
    rows = db.session.scalars(sa.select(JobRun).join(latest, latest.c.id == JobRun.id))
    return {r.job: r for r in rows}
