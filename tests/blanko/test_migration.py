"""Migration 0017 fills the daily rollups of an installation that already has a ledger and
tickets (from 0011 with rows present), by the WIB day; its downgrade drops them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from tests.migrations import flask_db, scratch_database

CAST = {"t": sa.DateTime, "b": sa.Boolean}


def _insert(conn, sql: str, **params):
    """Parameters named t_… are naive UTC datetimes given as text, b_… booleans."""
    binds = [sa.bindparam(k, type_=CAST[k[0]]()) for k in params if k[:2] in ("t_", "b_")]
    values = {k: datetime.fromisoformat(v) if k.startswith("t_") else v for k, v in params.items()}
    conn.execute(sa.text(sql).bindparams(*binds), values)


def _regions(conn) -> None:
    """Jawa Timur, Bondowoso and its kecamatan Pujer."""
    for code, level, parent in (
        ("35", "provinsi", None),
        ("35.11", "kabkota", "35"),
        ("35.11.05", "kecamatan", "35.11"),
    ):
        _insert(
            conn,
            "INSERT INTO regions (code, name, level, parent_code) "
            "VALUES (:code, :code, :level, :parent)",
            code=code,
            level=level,
            parent=parent,
        )


def test_0017_fills_the_rollups_from_existing_rows(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0011")
        with engine.begin() as conn:
            _regions(conn)
            move = (
                "INSERT INTO blanko_movements (id, kind, region_code, from_region, to_region, "
                "quantity, occurred_at, created_at) VALUES (:id, :kind, :region, :frm, :to, :q, "
                ":t_at, :t_at)"
            )
            # 100 received at the Dinas 1 Nov 23.30 WIB (16.30 UTC: still 1 Nov in WIB)
            _insert(conn, move, id=1, kind="penerimaan", region="35.11", frm=None, to="35.11",
                    q=100, t_at="2026-11-01 16:30:00")  # fmt: skip
            # 30 sent on 2 Nov (01.00 WIB = 1 Nov 18.00 UTC), 28 confirmed on 4 Nov
            _insert(conn, move, id=2, kind="distribusi", region="35.11.05", frm="35.11",
                    to="35.11.05", q=30, t_at="2026-11-01 18:00:00")  # fmt: skip
            _insert(
                conn,
                "INSERT INTO blanko_receipts (movement_id, region_code, quantity_sent, "
                "quantity_received, received_at, created_at) "
                "VALUES (2, '35.11.05', 30, 28, :t_at, :t_at)",
                t_at="2026-11-04 03:00:00",
            )
            # 2 damaged on 5 Nov, written off on 6 Nov
            _insert(conn, move, id=3, kind="rusak", region="35.11.05", frm="35.11.05", to=None,
                    q=2, t_at="2026-11-05 03:00:00")  # fmt: skip
            _insert(
                conn,
                "INSERT INTO blanko_approvals (movement_id, region_code, approved, decided_at, "
                "created_at) VALUES (3, '35.11.05', :b_ok, :t_at, :t_at)",
                b_ok=True,
                t_at="2026-11-06 03:00:00",
            )
            ticket = (
                "INSERT INTO tickets (number, region_code, category, urgency, impact, priority, "
                "title, description, status, responsible_party, reopened_count, "
                "escalation_level, created_at, updated_at) VALUES (:n, '35.11.05', 'jaringan', "
                "'tinggi', 'tinggi', 'tinggi', 'VPN', 'Putus', 'baru', 'disdukcapil', 0, 0, "
                ":t_at, :t_at)"
            )
            _insert(conn, ticket, n="TK-1", t_at="2026-11-02 16:59:00")  # 2 Nov 23.59 WIB
            _insert(conn, ticket, n="TK-2", t_at="2026-11-02 17:00:00")  # 3 Nov 00.00 WIB
            _insert(conn, ticket, n="TK-3", t_at="2026-11-03 09:00:00")
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT region_code, day, received, distributed, returned, used, damaged, "
                    "adjusted, from_ditjen, short, on_hand, in_transit, reserved "
                    "FROM blanko_daily ORDER BY region_code, day"
                )
            ).all()
            got = [(r[0], _day(r[1]), *r[2:]) for r in rows]
            assert got == [
                ("35.11", date(2026, 11, 1), 100, 0, 0, 0, 0, 0, 100, 0, 100, 0, 0),
                ("35.11", date(2026, 11, 2), 0, -30, 0, 0, 0, 0, 0, 0, 70, 0, 0),
                ("35.11.05", date(2026, 11, 2), 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0),
                ("35.11.05", date(2026, 11, 4), 28, 0, 0, 0, 0, 0, 0, 2, 28, 0, 0),
                ("35.11.05", date(2026, 11, 5), 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 2),
                ("35.11.05", date(2026, 11, 6), 0, 0, 0, 0, -2, 0, 0, 0, 26, 0, 0),
            ]
            tickets = conn.execute(
                sa.text("SELECT region_code, day, filed FROM ticket_daily ORDER BY day")
            ).all()
            assert [(c, _day(d), n) for c, d, n in tickets] == [
                ("35.11.05", date(2026, 11, 2), 1),
                ("35.11.05", date(2026, 11, 3), 2),
            ]
        flask_db(env, "downgrade", "0011")
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            assert "blanko_daily" not in names and "ticket_daily" not in names


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_0023_stores_the_closed_days_of_the_window(database_url, tmp_path):
    """The upgrade runs on the real clock: the closed days are the 29 ending yesterday (WIB)."""
    from assets_app.common.timeutil import today_wib

    today = today_wib()
    through = today - timedelta(days=1)
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0022")
        with engine.begin() as conn:
            _regions(conn)
            daily = sa.text(
                "INSERT INTO blanko_daily (region_code, day, received, distributed, returned, "
                "used, damaged, adjusted, from_ditjen, short, on_hand, in_transit, reserved) "
                "VALUES ('35.11.05', :day, 0, 0, 0, :used, 0, 0, 0, 0, 0, 0, 0)"
            ).bindparams(sa.bindparam("day", type_=sa.Date))
            # the window's first and last closed day count; the day before it and today not
            for day, used in ((through, -5), (through - timedelta(days=28), -3),
                              (through - timedelta(days=29), -100), (today, -7)):  # fmt: skip
                conn.execute(daily, {"day": day, "used": used})
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT region_code, through_day, used FROM blanko_window_use "
                    "ORDER BY region_code"
                )
            ).all()
            assert [(c, _day(d), n) for c, d, n in rows] == [
                ("35.11", through, 0),
                ("35.11.05", through, 8),
            ]
        flask_db(env, "downgrade", "0022")
        with engine.connect() as conn:
            assert "blanko_window_use" not in sa.inspect(conn).get_table_names()
