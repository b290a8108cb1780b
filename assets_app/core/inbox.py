"""The "Perlu tindakan" inbox: what waits for the user's action, one line per kind of work,
each a count and a link to the list that shows exactly those rows.

The lines come from the domains (`core.registry.inbox_providers`); this module only joins
them. All counts are computed in SQL in **one** statement (each line's count is a scalar
subquery of it), once per request: the page, the home-page block and the menu badge share
the result (`flask.g`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g, has_request_context, request

from assets_app.common.permissions import can
from assets_app.common.timeutil import utcnow
from assets_app.extensions import db


@dataclass(frozen=True)
class InboxEntry:
    key: str
    label: str
    count: int
    url: str
    hint: str = ""


@dataclass(frozen=True)
class Inbox:
    entries: tuple[InboxEntry, ...]

    @property
    def total(self) -> int:
        return sum(e.count for e in self.entries)

    @property
    def waiting(self) -> tuple[InboxEntry, ...]:
        return tuple(e for e in self.entries if e.count)


def _compute(user, now) -> Inbox:
    from assets_app.core.registry import inbox_providers

    lines = [line for provider in inbox_providers() for line in provider(user, now)]
    if not lines:
        return Inbox(())
    stmt = sa.select(*(line.count.scalar_subquery().label(line.key) for line in lines))
    counts = db.session.execute(stmt).one()
    return Inbox(
        tuple(
            InboxEntry(line.key, line.label, int(n or 0), line.url, line.hint)
            for line, n in zip(lines, counts, strict=True)
        )
    )


def inbox_for(user, now=None) -> Inbox:
    """The user's inbox (one query; computed once per request)."""
    if not can(user, "inbox.view"):
        return Inbox(())
    if now is not None or not has_request_context():
        return _compute(user, now or utcnow())
    # `g` lives as long as the app context, which may outlast one request (tests, shells):
    # the cache belongs to the request it was computed for.
    req = request._get_current_object()
    owner, cache = g.get("_inbox", (None, {}))
    if owner is not req:
        owner, cache = req, {}
        g._inbox = (owner, cache)
    if user.id not in cache:
        cache[user.id] = _compute(user, utcnow())
    return cache[user.id]


def home_inbox(user) -> dict | None:
    if not can(user, "inbox.view"):
        return None
    return {"inbox": inbox_for(user)}


def count_of(stmt) -> sa.Select:
    """`SELECT count(*)` over the rows of a list query (its ordering dropped)."""
    return sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
