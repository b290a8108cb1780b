"""Prepared database states for the suite, restored per test by copying only what changed.

Three states, each built once per session and saved as a snapshot:

- ``empty``: the schema, no rows;
- ``regions``: Kota Serang (36.73) and Kab. Bondowoso (35.11) with their subtrees;
- ``users``: ``regions`` plus the eight accounts of the ``users`` fixture (and their audit rows).

Every statement any engine of this process runs is watched: INSERT/UPDATE/DELETE mark their
table dirty, anything else that is not a plain read marks the whole database dirty (so does a
test handed ``database_url``, which may write from another process). Before a test, ``restore``
empties the dirty tables and any table whose content differs between the state the database
holds and the one wanted (plus the tables referencing those), then copies the wanted rows back
from the snapshot: a few statements instead of rebuilding the data.

Snapshots live beside the test database: on SQLite in attached database files (a byte copy
of the prepared database, same schema), on PostgreSQL in schemas ``snap_<state>`` of the test
database.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from assets_app.extensions import db

STATES = ("empty", "regions", "users")
REGIONS = ("36.73", "35.11")
# key → (role, region, username), as the `users` fixture returns them.
USERS = {
    "admin": ("admin", None, "admin"),
    "admin_kab": ("admin", "35.11", "admin.bondowoso"),
    "kadis": ("kadis", "35.11", "kadis"),
    "petugas": ("petugas", "35.11", "petugas"),
    "camat": ("camat", "35.11.05", "camat.pujer"),
    "camat2": ("camat", "35.11.06", "camat.lain"),
    "dprd": ("dprd", "35.11", "dprd"),
    "petugas_serang": ("petugas", "36.73", "petugas.serang"),
}
# The users' timestamps (and their audit rows) say "created when the fixture ran". Restored
# rows keep the time the snapshot was taken; they are moved to the present only when that
# would tell differently: when the clock was set back before it (time_machine), when it is
# far ahead, or on another day in WIB.
_USER_TIMES = ("created_at", "password_changed_at", "last_login_at")
_STALE_AFTER = timedelta(minutes=10)
_WIB = ZoneInfo("Asia/Jakarta")

ALL = "*"
_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_READ = re.compile(
    r"^\s*(?:SELECT|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SHOW|SET|PRAGMA|EXPLAIN|VALUES)\b",
    re.IGNORECASE,
)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|TRUNCATE)\b", re.I)


class _Tracker:
    def __init__(self) -> None:
        self.tables: set[str] = set()
        self.dirty: set[str] = {ALL}
        self.paused = False

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if self.paused:
            return
        m = _WRITE.match(statement)
        if m:
            name = m.group(1)
            self.dirty.add(name if name in self.tables else ALL)
        elif not _is_read(statement):
            self.dirty.add(ALL)


def _is_read(statement: str) -> bool:
    if _READ.match(statement):
        return True
    return statement.lstrip()[:4].upper() == "WITH" and not _WRITE_WORD.search(statement)


_tracker = _Tracker()
sa.event.listen(sa.engine.Engine, "before_cursor_execute", _tracker)


def mark_all_dirty() -> None:
    _tracker.dirty.add(ALL)


class _Store:
    """Where snapshots are kept and how rows are copied back, per engine."""

    def __init__(self, engine, workdir: str):
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.workdir = workdir
        self._conn: sqlite3.Connection | None = None

    def _sqlite(self) -> sqlite3.Connection:
        """A connection of its own, outside the engine (so not watched), opened once the
        schema exists."""
        if self._conn is None:
            conn = sqlite3.connect(
                self.engine.url.database, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL").fetchall()
            conn.execute("PRAGMA busy_timeout=30000").fetchall()
            # The restore itself keeps foreign keys consistent (parents before children).
            conn.execute("PRAGMA foreign_keys=OFF")
            # A throwaway database: commits need not wait for the disk.
            conn.execute("PRAGMA synchronous=OFF")
            self._conn = conn
        return self._conn

    def save(self, name: str, tables: list[str]) -> None:
        schema = f"snap_{name}"
        if self.sqlite:
            path = f"{self.workdir}/{schema}.sqlite"
            target = sqlite3.connect(path)
            self._sqlite().backup(target)
            target.close()
            self._conn.execute(f"ATTACH DATABASE '{path}' AS {schema}")
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            for t in tables:
                conn.exec_driver_sql(f'CREATE TABLE {schema}."{t}" AS TABLE public."{t}"')

    def run(self, statements: list[str]) -> None:
        if not statements:
            return
        if self.sqlite:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for s in statements:
                    self._conn.execute(s)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return
        with self.engine.begin() as conn:
            # Skip foreign-key triggers: the restore keeps references consistent itself.
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for s in statements:
                conn.exec_driver_sql(s)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


class DatabaseState:
    def __init__(self, engine, workdir: str):
        self.store = _Store(engine, workdir)
        tables = db.metadata.sorted_tables
        self.order = [t.name for t in tables]
        _tracker.tables = set(self.order)
        self.parents = {
            t.name: {fk.column.table.name for fk in t.foreign_keys} - {t.name} for t in tables
        }
        self.content: dict[str, dict[str, str]] = {}  # state → {non-empty table: snapshot}
        self.current = "empty"
        self.user_ids: list[int] = []
        self.audit_ids: list[int] = []
        self.snapshot_at: datetime | None = None
        self.times_at: dict[str, datetime] = {}

    # --- building ------------------------------------------------------------------------

    def prepare(self) -> None:
        from assets_app.audit.models import AuditLog
        from assets_app.auth.models import User
        from assets_app.db import utcnow
        from assets_app.regions.services import load_regions
        from tests.factories import make_user

        db.create_all()
        self._save("empty")
        load_regions(list(REGIONS))
        db.session.commit()
        self._save("regions")
        self.snapshot_at = utcnow()
        for role, region, username in USERS.values():
            make_user(role, region, username=username)
        self.user_ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
        self.audit_ids = list(db.session.scalars(sa.select(AuditLog.id).order_by(AuditLog.id)))
        db.session.remove()
        self._save("users")
        self.current = "users"
        self.times_at = {"users": self.snapshot_at, "audit_log": self.snapshot_at}
        _tracker.dirty.clear()

    def _save(self, name: str) -> None:
        with db.engine.connect() as conn:
            filled = [
                t.name
                for t in db.metadata.sorted_tables
                if conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
            ]
        self.store.save(name, filled)
        self.content[name] = {t: f"snap_{name}" for t in filled}

    # --- restoring -----------------------------------------------------------------------

    def restore(self, wanted: str) -> None:
        """Brings the database to `wanted`, touching only the tables that need it."""
        dirty = set(self.order) if ALL in _tracker.dirty else _tracker.dirty & set(self.order)
        have, want = self.content[self.current], self.content[wanted]
        maybe_rows = set(have) | dirty
        reset = {t for t in maybe_rows if t in dirty or have.get(t) != want.get(t)}
        grew = True
        while grew:  # a table referencing one being emptied is emptied too
            grew = False
            for t in maybe_rows - reset:
                if self.parents[t] & reset:
                    reset.add(t)
                    grew = True
        fill = [t for t in self.order if t in want and (t in reset or t not in maybe_rows)]
        q = self._quote
        statements = [f"DELETE FROM {q(t)}" for t in reversed(self.order) if t in reset]
        statements += [f"INSERT INTO {q(t)} SELECT * FROM {want[t]}.{q(t)}" for t in fill]
        self.store.run(statements)
        _tracker.dirty.clear()
        self.current = wanted
        for t in fill:
            if t in self.times_at:
                self.times_at[t] = self.snapshot_at

    @staticmethod
    def _quote(name: str) -> str:
        return f'"{name}"'

    def ensure(self, wanted: str) -> None:
        """For a fixture asked for after `app` chose the state (request.getfixturevalue)."""
        if STATES.index(self.current) < STATES.index(wanted):
            self.restore(wanted)

    # --- the users fixture -----------------------------------------------------------------

    def standard_users(self) -> dict:
        from assets_app.auth.models import User

        self._rebase_times()
        names = [u for _, _, u in USERS.values()]
        found = {
            u.username: u
            for u in db.session.scalars(sa.select(User).where(User.username.in_(names)))
        }
        return {key: found[username] for key, (_, _, username) in USERS.items()}

    def _rebase_times(self) -> None:
        """Moves the standard users' timestamps (and their audit rows') to now, if stale."""
        from assets_app.audit.models import AuditLog
        from assets_app.auth.models import User
        from assets_app.db import utcnow

        now = utcnow()
        shift = {t: now - at for t, at in self.times_at.items() if _stale(at, now)}
        if not shift:
            return
        users, audit = User.__table__, AuditLog.__table__
        _tracker.paused = True
        try:
            if "users" in shift:
                rows = db.session.execute(
                    sa.select(users.c.id, *(users.c[c] for c in _USER_TIMES)).where(
                        users.c.id.in_(self.user_ids)
                    )
                ).all()
                params = [
                    {"b_id": r.id} | {c: _moved(getattr(r, c), shift["users"]) for c in _USER_TIMES}
                    for r in rows
                ]
                stmt = sa.update(users).where(users.c.id == sa.bindparam("b_id"))
                db.session.connection().execute(stmt, params)
            if "audit_log" in shift:
                rows = db.session.execute(
                    sa.select(audit.c.id, audit.c.at, audit.c.changes).where(
                        audit.c.id.in_(self.audit_ids)
                    )
                ).all()
                params = []
                for r in rows:
                    changes = dict(r.changes or {})
                    for key in _USER_TIMES:
                        if isinstance(changes.get(key), str):
                            moved = datetime.fromisoformat(changes[key]) + shift["audit_log"]
                            changes[key] = moved.isoformat()
                    params.append(
                        {"b_id": r.id, "at": _moved(r.at, shift["audit_log"]), "changes": changes}
                    )
                stmt = sa.update(audit).where(audit.c.id == sa.bindparam("b_id"))
                db.session.connection().execute(stmt, params)
            db.session.commit()
        finally:
            _tracker.paused = False
        self.times_at.update({t: now for t in shift})


def _stale(at: datetime, now: datetime) -> bool:
    if not timedelta(0) <= now - at <= _STALE_AFTER:
        return True
    return at.astimezone(_WIB).date() != now.astimezone(_WIB).date()


def _moved(value: datetime | None, by: timedelta) -> datetime | None:
    return None if value is None else value + by
