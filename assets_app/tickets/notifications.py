"""In-app notifications: one row per recipient; unread ones are counted in the navigation."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from assets_app.auth.models import User
from assets_app.common.rows import own_row, stamp_once
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db
from assets_app.tickets.models import Notification


def region_chain(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def users_covering(region_code: str, roles: Iterable[str]) -> list[int]:
    """Active users of these roles whose scope contains the region (whole-installation admins
    are not paged for every kecamatan)."""
    stmt = sa.select(User.id).where(
        User.active.is_(True),
        User.role.in_(list(roles)),
        User.region_code.in_(region_chain(region_code)),
    )
    return list(db.session.scalars(stmt))


def notify(
    user_ids: Iterable[int | None],
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str | None = None,
    ticket_id: int | None = None,
    exclude: int | None = None,
    at=None,
) -> int:
    ids = sorted({u for u in user_ids if u is not None and u != exclude})
    for uid in ids:
        db.session.add(
            Notification(
                user_id=uid,
                ticket_id=ticket_id,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                created_at=at or utcnow(),
            )
        )
    if ids:
        db.session.flush()
    return len(ids)


def unread_count(user) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def notifications_query(user, *, unread_only: bool = False) -> sa.Select:
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def mark_read(user, notification_id: int) -> Notification:
    n = own_row(Notification, notification_id, user, "Notifikasi tidak ditemukan.")
    return stamp_once(n, "read_at")


def mark_all_read(user) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
