"""Failure counters for the login and password-change limits, shared by every server process.

A counter lives in the `rate_counters` table (default) or in Redis when
`RATELIMIT_STORAGE_URI` or `REDIS_URL` names a `redis://` (or `rediss://`) server. Each rule
counts *failures* under a key and says, from the count, how long the key is locked:

- `LOGIN_PAIR`: per (typed username, client IP). Backoff: after `LOGIN_PAIR_FREE` failures
  the pair is locked for `LOGIN_PAIR_BASE_SECONDS`, and each further failure doubles that,
  at most `LOGIN_PAIR_MAX_SECONDS`. The counter is forgotten after
  `LOGIN_PAIR_FORGET_SECONDS` without a failure, or at a successful login.
- `LOGIN_IP`: per client IP, looser: `LOGIN_IP_LIMIT` failures within `LOGIN_IP_WINDOW_SECONDS`
  lock that IP until the window ends.
- `PASSWORD_CHANGE`: per user: `PASSWORD_CHANGE_LIMIT` wrong current passwords within
  `PASSWORD_CHANGE_WINDOW_SECONDS` lock the form for that window.

Keys are hashes of what they count, so the same message and the same counting apply to a
username that does not exist. The client IP is `request.remote_addr`: behind a proxy it is the
proxy's unless waitress is told to trust it (`TRUSTED_PROXY`, see `assets_app/serve.py`).

Writes run in their own short transaction: a refused request rolls back its own work, never
the count of its failure.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from assets_app.auth.models import RateCounter
from assets_app.common.timeutil import utcnow
from assets_app.db import UTCDateTime
from assets_app.extensions import db


@dataclass(frozen=True)
class Rule:
    name: str
    # Config keys: failures before the key locks, and how long a counter lives after its
    # first failure (fixed window) or its last one (sliding).
    limit_key: str
    window_key: str
    sliding: bool = False
    # Backoff: the n-th lock lasts LOGIN_PAIR_BASE_SECONDS * 2**(n-1), at most
    # LOGIN_PAIR_MAX_SECONDS. Without it a lock lasts the whole window.
    backoff: bool = False

    def window(self) -> int:
        return int(current_app.config[self.window_key])

    def lock_seconds(self, hits: int) -> int:
        cfg = current_app.config
        extra = hits - int(cfg[self.limit_key])
        if extra < 0:
            return 0
        if not self.backoff:
            return self.window()
        base, cap = int(cfg["LOGIN_PAIR_BASE_SECONDS"]), int(cfg["LOGIN_PAIR_MAX_SECONDS"])
        return min(cap, base * 2 ** min(extra, 20))

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()
        return f"{self.name}:{digest[:48]}"


LOGIN_PAIR = Rule(
    "login-pair", "LOGIN_PAIR_FREE", "LOGIN_PAIR_FORGET_SECONDS", sliding=True, backoff=True
)
LOGIN_IP = Rule("login-ip", "LOGIN_IP_LIMIT", "LOGIN_IP_WINDOW_SECONDS")
PASSWORD_CHANGE = Rule("password", "PASSWORD_CHANGE_LIMIT", "PASSWORD_CHANGE_WINDOW_SECONDS")


def login_keys(username: str, ip: str | None) -> tuple[str, str]:
    """(pair key, IP key) of a login attempt; the username as the login compares it."""
    ip = ip or "-"
    return LOGIN_PAIR.key((username or "").strip().lower(), ip), LOGIN_IP.key(ip)


def password_key(user_id: int) -> str:
    return PASSWORD_CHANGE.key(str(user_id))


def wait_text(seconds: int) -> str:
    """`45 detik`, `3 menit`: how long until a locked key may try again."""
    if seconds < 60:
        return f"{seconds} detik"
    return f"{math.ceil(seconds / 60)} menit"


# --- stores ---------------------------------------------------------------------------------


class DatabaseStore:
    """Counters in `rate_counters`; one short transaction per write, on any engine."""

    table = RateCounter.__table__

    def locked_for(self, keys) -> int:
        """Seconds until the last of `keys` is unlocked (0: none is locked)."""
        now = utcnow()
        t = self.table
        with db.engine.connect() as conn:
            until = conn.scalar(
                sa.select(sa.func.max(t.c.locked_until)).where(
                    t.c.key.in_(list(keys)), t.c.locked_until > now
                )
            )
        if until is None:
            return 0
        return max(1, math.ceil((until - now).total_seconds()))

    def hit(self, key: str, rule: Rule) -> int:
        """Counts one failure under `key`; returns the count and locks the key if the rule
        says so."""
        now = utcnow()
        t = self.table
        expires = now + timedelta(seconds=rule.window())
        at = sa.literal(expires, UTCDateTime())
        expired = t.c.expires_at <= now
        with db.engine.begin() as conn:
            # Housekeeping: counters that have run out and lock nothing.
            conn.execute(
                t.delete().where(
                    expired, sa.or_(t.c.locked_until.is_(None), t.c.locked_until <= now)
                )
            )
            hits = None
            # Another process's housekeeping may delete an expired row between the insert and
            # the update (PostgreSQL, read committed): then insert it again.
            for _ in range(3):
                conn.execute(_insert_missing(conn, t, key, expires))
                conn.execute(
                    t.update()
                    .where(t.c.key == key)
                    .values(
                        hits=sa.case((expired, 1), else_=t.c.hits + 1),
                        expires_at=at
                        if rule.sliding
                        else sa.case((expired, at), else_=t.c.expires_at),
                        locked_until=sa.case((expired, None), else_=t.c.locked_until),
                    )
                )
                hits = conn.scalar(sa.select(t.c.hits).where(t.c.key == key))
                if hits is not None:
                    break
            hits = hits or 1
            lock = rule.lock_seconds(hits)
            if lock:
                conn.execute(
                    t.update()
                    .where(t.c.key == key)
                    .values(locked_until=now + timedelta(seconds=lock))
                )
        return hits

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(self.table.delete().where(self.table.c.key == key))


def _insert_missing(conn, table, key, expires):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return (
        insert(table)
        .values(key=key, hits=0, expires_at=expires)
        .on_conflict_do_nothing(index_elements=["key"])
    )


# INCR, and (re)start the expiry on the first hit, or on every hit of a sliding rule.
_REDIS_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or ARGV[2] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisStore:
    """Counters in Redis: `<prefix><key>` counts, `<prefix>lock:<key>` expires when the lock
    ends. Redis keeps its own clock, so frozen-clock tests use the database store."""

    prefix = "aset-dukcapil:throttle:"

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self._hit = self.redis.register_script(_REDIS_HIT)

    def locked_for(self, keys) -> int:
        pttls = [self.redis.pttl(f"{self.prefix}lock:{k}") for k in keys]
        longest = max([p for p in pttls if p and p > 0], default=0)
        return math.ceil(longest / 1000) if longest else 0

    def hit(self, key: str, rule: Rule) -> int:
        window_ms = rule.window() * 1000
        hits = int(self._hit(keys=[self.prefix + key], args=[window_ms, int(rule.sliding)]))
        lock = rule.lock_seconds(hits)
        if lock:
            self.redis.set(f"{self.prefix}lock:{key}", 1, px=lock * 1000)
        return hits

    def clear(self, key: str) -> None:
        self.redis.delete(self.prefix + key, f"{self.prefix}lock:{key}")


def storage_uri(config) -> str:
    return config.get("RATELIMIT_STORAGE_URI") or ""


def store():
    """The store for this app: Redis when the limiter's storage URI is Redis, else the
    database."""
    app = current_app._get_current_object()
    uri = storage_uri(app.config)
    if not uri.startswith(("redis://", "rediss://")):
        return _DATABASE
    cached = app.extensions.get("throttle_redis")
    if cached is None or cached[0] != uri:
        cached = app.extensions["throttle_redis"] = (uri, RedisStore(uri))
    return cached[1]


_DATABASE = DatabaseStore()
