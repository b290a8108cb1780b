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


ANALYZE_AFTER_ROWS = 1_000


def analyze(session, *tables: sa.Table) -> None:
    """Refreshes planner statistics (of `tables`, or all) after a bulk load. SQLite keeps none
    unless asked, and PostgreSQL's autovacuum may come minutes later; both accept ANALYZE
    inside a transaction, so its statistics commit (or roll back) with the load."""
    preparer = session.get_bind().dialect.identifier_preparer
    for name in [preparer.format_table(t) for t in tables] or [""]:
        session.execute(sa.text(f"ANALYZE {name}".strip()))
