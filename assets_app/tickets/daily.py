"""Rekap harian tiket (`TicketDaily`): tickets filed per kecamatan per WIB day.

`on_filed` is called by `services._new_ticket` in the filing's transaction (one upsert), so
the period count "Tiket dilaporkan" reads O(kecamatan × days) rows (`stats`); `rebuild` and
`check` recompute it from `tickets` in one INSERT … SELECT (written out in migration 0017).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from assets_app.common.timeutil import WIB, dialect
from assets_app.extensions import db
from assets_app.regions.scope import subtree_clause
from assets_app.tickets.models import TicketDaily

T = TicketDaily.__table__


def on_filed(region_code: str, at: datetime) -> None:
    if dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(T).values(region_code=region_code, day=at.astimezone(WIB).date(), filed=1)
    db.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["region_code", "day"], set_={"filed": T.c.filed + 1}
        )
    )


def _recompute_sql(root: str | None) -> tuple[str, dict]:
    if dialect() == "postgresql":
        day = "CAST(created_at + INTERVAL '7 hours' AS DATE)"
    else:
        day = "date(created_at, '+7 hours')"
    where, params = _where("region_code", root)
    return (
        f"SELECT region_code, {day} AS day, count(*) FROM tickets WHERE {where} "
        f"GROUP BY region_code, {day}",
        params,
    )


def _where(col: str, root: str | None) -> tuple[str, dict]:
    if root is None:
        return "TRUE", {}
    return f"({col} = :root OR {col} LIKE :below)", {"root": root, "below": root + ".%"}


def rebuild(root: str | None = None) -> int:
    if dialect() == "postgresql":
        # writers wait until the rebuild commits, then add their change to the rebuilt rows;
        # the rebuild waits for writers already under way, and then sees their ledger rows
        db.session.execute(sa.text("LOCK TABLE ticket_daily IN SHARE ROW EXCLUSIVE MODE"))
    where, params = _where("region_code", root)
    db.session.execute(sa.text(f"DELETE FROM ticket_daily WHERE {where}"), params)
    select, params = _recompute_sql(root)
    db.session.execute(
        sa.text(f"INSERT INTO ticket_daily (region_code, day, filed) {select}"), params
    )
    where, params = _where("region_code", root)
    return db.session.scalar(sa.text(f"SELECT count(*) FROM ticket_daily WHERE {where}"), params)


def check(root: str | None = None) -> list[str]:
    select, params = _recompute_sql(root)
    want = {
        (code, day if isinstance(day, date) else date.fromisoformat(str(day))): int(n)
        for code, day, n in db.session.execute(sa.text(select), params).all()
    }
    have = {
        (code, day): n
        for code, day, n in db.session.execute(
            sa.select(T.c.region_code, T.c.day, T.c.filed).where(
                subtree_clause(T.c.region_code, root)
            )
        )
    }
    return [
        f"tiket {code} {day.isoformat()}: dilaporkan tercatat {have.get((code, day), '-')}, "
        f"menurut tiket {want.get((code, day), '-')}"
        for code, day in sorted(set(want) | set(have))
        if want.get((code, day)) != have.get((code, day))
    ]
