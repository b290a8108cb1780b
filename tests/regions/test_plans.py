"""Planner statistics after `flask db upgrade`, and hot plans that do not depend on them."""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from assets_app import create_app
from assets_app.blanko import stats as blanko_stats
from assets_app.extensions import db as _db
from assets_app.training import gaps


def _upgrade(app) -> None:
    """What `flask db upgrade` runs (the migrations' env.py included), in this process."""
    from alembic import command

    with app.app_context():
        ext = app.extensions["migrate"]
        config = ext.migrate.get_config(ext.directory)
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")


@pytest.fixture
def fresh_sqlite(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.sqlite"})
    _upgrade(app)
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


class _Scope:
    def __init__(self, code):
        self.region_code = code


def _sqlite_plan(stmt) -> list[str]:
    sql = str(stmt.compile(_db.engine, compile_kwargs={"literal_binds": True}))
    return [r[-1] for r in _db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql))]


def _has_stat1() -> bool:
    return bool(
        _db.session.scalars(
            sa.text("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).all()
    )


def test_upgrade_leaves_sqlite_statistics(fresh_sqlite, tmp_path):
    assert _has_stat1()
    # A second upgrade in the same process (the migration config outlives a command) too.
    second = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/second.sqlite"})
    _upgrade(second)
    with second.app_context():
        assert _has_stat1()
        _db.session.remove()
        _db.engine.dispose()


@pytest.mark.parametrize("scope", [None, "35.11"])
@pytest.mark.parametrize("statistics", [True, False])
def test_training_plan_joins_operators_by_region(fresh_sqlite, scope, statistics):
    """With or without sqlite_stat1, operators are found by (region_code, active) for each
    held cell, never by scanning every active operator through an index on the boolean."""
    if not statistics:
        _db.session.execute(sa.text("DROP TABLE sqlite_stat1"))
        _db.session.commit()
    user = _Scope(scope)
    for stmt in (
        gaps.training_plan_stmt(user, None, date(2026, 12, 1)),
        gaps.gaps_stmt(user, None, date(2026, 12, 1)),
    ):
        plan = _sqlite_plan(stmt)
        on_operators = [p for p in plan if " operators " in f"{p} "]
        assert all("ix_operators_active" not in p for p in plan), plan
        assert all("ix_operators_region_active" in p or "PRIMARY KEY" in p for p in on_operators), (
            plan
        )


@pytest.mark.parametrize("statistics", [True, False])
def test_a_kabupaten_reads_its_blanko_window_through_the_primary_key(fresh_sqlite, statistics):
    """The 30-day use of one kab/kota's locations is a range of (region_code, day): never the
    covering (day, …) index of the whole installation's window, never a skip-scan of every
    region (an `= root OR range` subtree)."""
    if statistics:  # a national installation's (1.9 M rows, 7,800 locations, 247 days each)
        for index, stat in (
            ("ix_blanko_daily_day_region_used", "1922072 5266 1 1"),
            ("sqlite_autoindex_blanko_daily_1", "1922072 247 1"),
        ):
            _db.session.execute(
                sa.text("DELETE FROM sqlite_stat1 WHERE tbl = 'blanko_daily' AND idx = :i"),
                {"i": index},
            )
            _db.session.execute(
                sa.text("INSERT INTO sqlite_stat1 VALUES ('blanko_daily', :i, :s)"),
                {"i": index, "s": stat},
            )
        _db.session.execute(sa.text("ANALYZE sqlite_schema"))  # reloads the statistics
    else:
        _db.session.execute(sa.text("DROP TABLE sqlite_stat1"))
    _db.session.commit()
    plan = _sqlite_plan(blanko_stats.locations_stmt(_Scope("35.11"), today=date(2026, 12, 1)))
    # (the stored rows' freshness probe, `through_day=?`, reads one index entry)
    on_daily = [
        p
        for p in plan
        if "blanko_daily" in p or ("blanko_window_use" in p and "(through_day=?)" not in p)
    ]
    assert on_daily, plan
    for line in on_daily:
        assert "ANY(region_code)" not in line, plan
        # the kab/kota's range of codes, or one location's key (the closed days of the
        # window, when the stored sums are stale: a seek of (region_code, day) per location)
        assert "region_code>" in line or "(region_code=? AND day>? AND day<?)" in line, plan
        # the day index only for today's rows: one day, then the kab/kota's codes
        if "ix_blanko_daily_day_region_used" in line:
            assert "(day=? AND region_code>?" in line, plan
    # what holds it whatever the statistics (SQLite's stat4 samples of a national installation
    # chose the day index): a kab/kota's closed days are read per location, by its key; the
    # whole installation's by the day index
    kab = str(
        blanko_stats.locations_stmt(_Scope("35.11"), today=date(2026, 12, 1)).compile(_db.engine)
    )
    everything = str(
        blanko_stats.locations_stmt(_Scope(None), today=date(2026, 12, 1)).compile(_db.engine)
    )
    assert "blanko_daily.region_code = regions.code" in kab
    assert "blanko_daily.region_code = regions.code" not in everything


# PostgreSQL's side: defined only when the suite runs on PostgreSQL (as in
# tests/blanko/test_concurrency.py), so the SQLite run has nothing to skip.
if os.environ.get("DATABASE_URL", "").startswith("postgresql"):

    def test_upgrade_analyzes_postgresql(database_url):
        server = sa.engine.make_url(database_url)
        name = f"plans_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": server.set(database=name)})
            _upgrade(app)
            with app.app_context():
                analyzed = _db.session.scalar(
                    sa.text(
                        "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                        "WHERE relname = 'operators'"
                    )
                )
                _db.session.remove()
                _db.engine.dispose()
            assert analyzed is True
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    def test_postgresql_connections_have_jit_off(db):
        assert db.session.scalar(sa.text("SHOW jit")) == "off"
        # A fresh connection too, not only the pooled one the suite set up.
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SHOW jit")) == "off"
