"""Bulk INSERT of many rows through Core, without the ORM's per-row bookkeeping."""

from __future__ import annotations

import sqlalchemy as sa


def insert_rows(session, table: sa.Table, rows: list[dict]) -> None:
    """INSERTs `rows` (dicts with the same keys) into `table` as one `executemany`.

    On SQLite a C loop inside the process; on PostgreSQL psycopg pipelines one short
    statement per row, parsed once. Multi-row `VALUES` statements (SQLAlchemy's
    "insertmanyvalues", used whenever RETURNING is asked for) measured twice the CPU here:
    psycopg re-parses every long statement client-side, placeholder by placeholder.
    """
    if rows:
        session.execute(table.insert(), rows)
