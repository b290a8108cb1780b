"""The tickets' notices, written to the shared outbox (`assets_app.notify`): one in-app row per
recipient plus e-mail/WhatsApp rows by each recipient's preferences."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from assets_app.notify import queries as notify_queries
from assets_app.notify import services as notify_services


def users_covering(region_code: str, roles: Iterable[str]) -> list[int]:
    """Active users of these roles whose scope contains the region (the outbox's rule)."""
    return notify_services.recipients(region_code, roles)


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
    dedupe: str | None = None,
) -> int:
    return notify_services.send(
        user_ids,
        kind=kind,
        subject=title,
        body=body,
        link=url,
        related=("ticket", ticket_id) if ticket_id else None,
        exclude=exclude,
        at=at,
        dedupe=dedupe,
    )


def unread_count(user) -> int:
    return notify_queries.unread_count(user)


def notifications_query(user, *, unread_only: bool = False) -> sa.Select:
    return notify_queries.inbox_stmt(user, unread_only=unread_only)


def mark_read(user, notification_id: int):
    return notify_services.mark_read(user, notification_id)


def mark_all_read(user) -> int:
    return notify_services.mark_all_read(user)
