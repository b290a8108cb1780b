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


def user_key(user) -> tuple:
    """What a user contributes to a key: id, role and region (scope and permissions)."""
    return (
        getattr(user, "id", None),
        getattr(user, "role", None),
        getattr(user, "region_code", None),
    )
