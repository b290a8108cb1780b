"""The "Perlu tindakan" inbox: what waits for the user's action, one line per kind of work,
each a count and a link to the list that shows exactly those rows.

The lines come from the domains (`core.registry.inbox_providers`); this module only joins
them. All counts are computed in SQL in **one** statement (each line's count is a scalar
subquery of it), once per request: the page, the home-page block and the menu badge share
the result (`flask.g`).

Every page shows the badge, and building the lines' statements (some thirty clauses each)
cost as much Python as the database spends counting. So the built statement is kept per
user and day (`common.built`): what shapes it is the user's id, role and region and the
day (WIB); the only finer value inside it, `now`, is the named bind `NOW_PARAM` given at
execution. What the database holds is read when it runs: a line that exists on working days
only says so as SQL (`InboxLine.when`), so a holiday declared today drops it at once. The
counts themselves are always fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g, has_request_context, request

from assets_app.common.built import built, inline_constants, user_key
from assets_app.common.permissions import can
from assets_app.common.timeutil import today_wib, utcnow
from assets_app.db import UTCDateTime
from assets_app.extensions import db

NOW_PARAM = "inbox_now"


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
    # the menu's other counts, computed in the same statement (not part of `total`)
    menu_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(e.count for e in self.entries)

    @property
    def waiting(self) -> tuple[InboxEntry, ...]:
        return tuple(e for e in self.entries if e.count)


def _build(user, today) -> tuple[tuple, tuple, sa.Select | None]:
    """The lines (key, label, url, hint), the menu counts' keys and the one statement
    counting them all."""
    from assets_app.core.registry import inbox_providers, menu_count_providers

    now = sa.bindparam(NOW_PARAM, type_=UTCDateTime)
    lines = [line for provider in inbox_providers() for line in provider(user, now, today)]
    if not lines:
        return (), (), None
    extra = [count for provider in menu_count_providers() for count in provider(user)]
    stmt = sa.select(
        *(_column(line) for line in lines),
        *(count.scalar_subquery().label(key) for key, count in extra),
    )
    # one statement per user and day: its codes and words go into the SQL, `now` stays bound
    stmt = inline_constants(stmt, db.engine.dialect, keep=(NOW_PARAM,))
    keys = tuple(key for key, _ in extra)
    return tuple((line.key, line.label, line.url, line.hint) for line in lines), keys, stmt


def _column(line):
    """A line's count; NULL (the line left out) where its `when` does not hold."""
    count = line.count.scalar_subquery()
    if line.when is not None:
        count = sa.case((line.when, count), else_=sa.null())
    return count.label(line.key)


def _built(user, now):
    today = today_wib(now)
    return built(("inbox", *user_key(user), today), lambda: _build(user, today))


def _compute(user, now) -> Inbox:
    lines, keys, stmt = _built(user, now)
    if stmt is None:
        return Inbox(())
    row = db.session.execute(stmt, {NOW_PARAM: now}).one()
    counts, extra = row[: len(lines)], row[len(lines) :]
    return Inbox(
        tuple(
            InboxEntry(key, label, int(n), url, hint)
            for (key, label, url, hint), n in zip(lines, counts, strict=True)
            if n is not None  # a count is never NULL: a line whose `when` did not hold
        ),
        {key: int(n or 0) for key, n in zip(keys, extra, strict=True)},
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
