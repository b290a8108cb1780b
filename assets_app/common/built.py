"""Statements built once and kept per app: `built(key, build)`.

A page's statements of some tens of clauses cost more Python to build (and, as new objects,
to derive SQLAlchemy's compiled-cache key from) than the database spends running them on a
kabupaten's rows. A statement is immutable and holds nothing of a session, so one built for
the same inputs can be executed again by any request or thread.

The key must name everything the statement is built from — the user's id, role and region,
the page's arguments, the day — and the builder must read nothing else: no database (a
value it read would be frozen into the statement) and no clock finer than the key's day.
Moments finer than a day are named binds given at execution (see `core.inbox`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app

T = TypeVar("T")

MAX_ENTRIES = 1024  # some tens of KB each
_lock = threading.Lock()


def built(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """What `build()` returns for `key`, built on the first call of the app's process."""
    cache: OrderedDict = current_app.extensions.setdefault("built_statements", OrderedDict())
    with _lock:
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return hit
    value = build()
    with _lock:
        cache[key] = value
        while len(cache) > MAX_ENTRIES:
            cache.popitem(last=False)
    return value


def inline_constants(stmt, dialect, keep: tuple[str, ...] = ()):
    """`stmt` with its integer and text constants written into the SQL instead of bound,
    except the binds named in `keep` (and dates, lists and values given at execution).

    For a kept statement run on every request: each bound value costs the driver and
    SQLAlchemy some microseconds per execution (the inbox had 82), and PostgreSQL plans a
    prepared statement again at every execution while its parameters could change the
    plan; with only `keep` left it keeps one plan per connection. The values are ones the
    builder wrote (codes, vocabulary words, counts), rendered by the dialect's own literal
    quoting."""
    from sqlalchemy.sql import visitors
    from sqlalchemy.sql.elements import BindParameter

    quote = sa.String().literal_processor(dialect)

    def inline(element):
        if not isinstance(element, BindParameter) or element.key in keep:
            return None
        if element.expanding or element.callable is not None:
            return None
        value = element.value
        if type(value) is int:
            return sa.literal_column(str(value), type_=element.type)
        if type(value) is str:
            return sa.literal_column(quote(value), type_=element.type)
        return None

    return visitors.replacement_traverse(stmt, {}, inline)


def user_key(user) -> tuple:
    """What a user contributes to a key: id, role and region (scope and permissions)."""
    return (
        getattr(user, "id", None),
        getattr(user, "role", None),
        getattr(user, "region_code", None),
    )
