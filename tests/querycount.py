"""Counts SQL statements, to prove a page runs a bounded number of queries."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def count_queries(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
