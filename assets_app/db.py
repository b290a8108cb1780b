"""Declarative base, UTC datetime type and small column helpers shared by every domain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from assets_app.common.timeutil import utcnow
from assets_app.common.vocab import label as vocab_label

__all__ = [
    "AppendOnly",
    "Base",
    "NAMING_CONVENTION",
    "TimestampMixin",
    "UTCDateTime",
    "label_property",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, hands back aware UTC (SQLite drops tzinfo otherwise)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime menerima hanya datetime dengan zona waktu")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite enforces foreign keys only when asked; WAL lets readers run beside a writer."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


class AppendOnly:
    """A ledger row: audited, and only ever inserted (the audit listener refuses changes)."""

    __audit__ = True
    __append_only__ = True


def label_property(column: str, vocabulary: Mapping[str, str]) -> property:
    """A read-only `<x>_label` attribute: the Indonesian label of `column`'s value."""
    return property(lambda self: vocab_label(vocabulary, getattr(self, column)))


def off_index(column):
    """`column` in a condition SQLite must not serve by its index: a unary `+` (a no-op on
    the value) there; the column itself on PostgreSQL. For a range SQLite's statistics
    misjudge (a due date almost every row has passed, a day window of the whole
    installation) where another condition's index is the selective one."""
    from assets_app.common.timeutil import dialect

    if dialect() != "sqlite":
        return column
    return sa.literal_column(f"+{column.table.name}.{column.name}", type_=column.type)
