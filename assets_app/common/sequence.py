"""Gap-free, duplicate-free counters (ticket numbers, letter numbers, any per-year sequence).

One row per key in `sequence_counters`. `next_value(key)` increments it inside the caller's
transaction, so a rolled-back transaction gives its number back (no gaps) and two transactions
never get the same number (no duplicates):

- PostgreSQL: the row is created with `INSERT … ON CONFLICT DO NOTHING`, locked with
  `SELECT … FOR UPDATE` (a second process waits here until the first commits or rolls back),
  then raised with a conditional `UPDATE … WHERE value = :seen`.
- SQLite: the first write of a transaction takes the database's single writer lock (waiting up
  to `busy_timeout`), so `UPDATE … SET value = value + 1` followed by a read in the same
  transaction is serialised the same way.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from assets_app.db import Base


class SequenceCounter(Base):
    """Last number handed out for a key such as `ticket:2026` or `letter:36.73:2026`."""

    __tablename__ = "sequence_counters"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[int] = mapped_column(sa.Integer, default=0)


def next_value(key: str) -> int:
    """The next number for `key` (1, 2, 3 …), reserved until the transaction ends."""
    from assets_app.extensions import db

    table = SequenceCounter.__table__
    session = db.session
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(table).values(key=key, value=0).on_conflict_do_nothing(index_elements=["key"])
    )
    if dialect == "postgresql":
        seen = session.execute(
            sa.select(table.c.value).where(table.c.key == key).with_for_update()
        ).scalar_one()
        result = session.execute(
            sa.update(table).where(table.c.key == key, table.c.value == seen).values(value=seen + 1)
        )
        if result.rowcount != 1:  # cannot happen while we hold the row lock
            raise RuntimeError(f"penghitung {key} berubah di tengah transaksi")
        return seen + 1
    session.execute(sa.update(table).where(table.c.key == key).values(value=table.c.value + 1))
    return session.execute(sa.select(table.c.value).where(table.c.key == key)).scalar_one()


def peek_value(key: str) -> int:
    """The last number handed out (0 when none), without reserving anything."""
    from assets_app.extensions import db

    table = SequenceCounter.__table__
    return db.session.execute(sa.select(table.c.value).where(table.c.key == key)).scalar() or 0
