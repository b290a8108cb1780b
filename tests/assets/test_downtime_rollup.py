"""Issue 19, downtime rollup: `downtime_daily` kept in the status transaction equals a bulk
rebuild after random status histories (backdated events, region moves, disposals), and the
downtime figures read from it equal the unbounded LEAD()-over-all-events computation for
random periods and clocks; the migration fills it; `check` finds a corrupted row; the reads
and writes run a bounded number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from assets_app.assets import downtime
from assets_app.assets import services as assets
from assets_app.assets.models import DowntimeDaily
from assets_app.common.formatting import WIB
from assets_app.extensions import db
from tests.assets.helpers import make_asset
from tests.migrations import flask_db, scratch_database
from tests.properties import EXAMPLES, fresh_users
from tests.querycount import count_queries

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tue 1 December 2026, 09.00 WIB
BASE = datetime(2026, 10, 1, 0, 0, tzinfo=WIB)  # histories start here (midnight WIB)
REGIONS = ("35.11.01", "35.11.02", "35.11.05", "35.11")
STATUSES = ("operasional", "gangguan", "dalam_perbaikan", "tidak_digunakan")
CAUSES = (("perangkat_keras", "vendor"), ("jaringan", "diskominfo"), ("operator", "disdukcapil"))

# One step of an asset's history: wait `gap` minutes (often whole days, so events fall on WIB
# midnight), then a status change, a move to another region, or a disposal.
step = st.fixed_dictionaries(
    {
        "gap": st.one_of(
            st.integers(0, 3 * 24 * 60), st.sampled_from((0, 1440, 2880, 7 * 1440, 1439))
        ),
        "kind": st.sampled_from(("status",) * 6 + ("move", "dispose")),
        "status": st.integers(0, len(STATUSES) - 1),
        "cause": st.integers(0, len(CAUSES) - 1),
        "region": st.integers(0, len(REGIONS) - 1),
    }
)
history = st.fixed_dictionaries(
    {"region": st.integers(0, len(REGIONS) - 1), "steps": st.lists(step, max_size=7)}
)
period = st.fixed_dictionaries(
    {
        "start": st.integers(-2 * 1440, 60 * 1440),  # minutes after BASE
        "length": st.one_of(st.integers(1, 3 * 1440), st.integers(1, 70 * 1440)),
        "now": st.one_of(st.none(), st.integers(0, 70 * 1440)),  # a clock inside the history
        "region": st.one_of(st.none(), st.sampled_from(("35.11", "35.11.02", "35.11.05"))),
    }
)
datasets = st.fixed_dictionaries(
    {
        "assets": st.lists(history, min_size=1, max_size=5),
        "periods": st.lists(period, min_size=2, max_size=4),
    }
)


def write(petugas, data: dict) -> None:
    """Writes each history through the services, at a clock after every event (so events are
    backdated), committing each step as a user would."""
    for spec in data["assets"]:
        asset = make_asset(
            petugas,
            region_code=REGIONS[spec["region"]],
            acquired_on=date(2026, 9, 1),
            bast_date=date(2026, 9, 2),
        )
        at = BASE
        last = ("operasional", None, None)
        for s in spec["steps"]:
            at += timedelta(minutes=s["gap"])
            if s["kind"] == "move":
                code = REGIONS[s["region"]]
                if code != asset.region_code:
                    assets.update_asset(petugas, asset, {"region_code": code})
                    db.session.commit()
                continue
            if s["kind"] == "dispose":
                assets.dispose_asset(petugas, asset, note="BA penghapusan 1", started_at=at)
                db.session.commit()
                break
            status = STATUSES[s["status"]]
            cause, party = CAUSES[s["cause"]] if status != "operasional" else (None, None)
            if (status, cause, party) == last:
                continue
            assets.set_status(
                petugas, asset, status=status, cause=cause, responsible_party=party,
                started_at=at,
            )  # fmt: skip
            db.session.commit()
            last = (status, cause, party)


def _period(p: dict):
    start = BASE + timedelta(minutes=p["start"])
    end = start + timedelta(minutes=p["length"])
    now = NOW if p["now"] is None else BASE + timedelta(minutes=p["now"])
    return start, end, now


@pytest.mark.slow
def test_rollup_equals_rebuild_and_figures_equal_the_raw_computation(app, users, _dbstate):
    @EXAMPLES
    @given(data=datasets)
    def run(data):
        fresh = fresh_users(_dbstate)
        write(fresh["petugas"], data)
        # the maintained rows are exactly what a rebuild from the events writes
        assert downtime.check_rollup() == []
        maintained = _rows()
        downtime.rebuild_rollup()
        assert _rows() == pytest.approx(maintained)
        for p in data["periods"]:
            start, end, now = _period(p)
            for user in (fresh["admin"], fresh["kadis"], fresh["camat"]):
                got = downtime.downtime_by_region(user, p["region"], start, end, now=now)
                want = downtime.raw_downtime_by_region(user, p["region"], start, end, now=now)
                assert got == want, (p, user.id)
            # the installation total from the rollup equals the raw one over explicit ids
            ids = db.session.scalars(sa.select(assets.Asset.id)).all()
            total = downtime.downtime_hours(None, start, end, now=now)
            raw = downtime.downtime_hours(ids, start, end, now=now)
            assert total == raw, p
        db.session.rollback()

    with time_machine.travel(NOW, tick=False):
        run()


def _rows() -> dict:
    r = DowntimeDaily
    return {
        (c, d, s, ca, p): v
        for c, d, s, ca, p, v in db.session.execute(
            sa.select(r.region_code, r.day, r.status, r.cause, r.responsible_party, r.seconds)
        )
    }


def _down_for(petugas, asset, days: int, *, at: datetime) -> None:
    assets.set_status(
        petugas, asset, status="gangguan", cause="jaringan", responsible_party="diskominfo",
        started_at=at,
    )  # fmt: skip
    assets.set_status(petugas, asset, status="operasional", started_at=at + timedelta(days=days))
    db.session.commit()


@time_machine.travel(NOW, tick=False)
def test_a_closed_interval_is_cut_into_wib_days_and_the_open_one_grows_with_the_clock(users):
    petugas = users["petugas"]
    asset = make_asset(
        petugas, region_code="35.11.05", acquired_on=date(2026, 9, 1), bast_date=date(2026, 9, 2)
    )
    # down from Tue 10 Nov 18.00 WIB to Thu 12 Nov 06.00 WIB: 6 h + 24 h + 6 h
    assets.set_status(
        petugas, asset, status="gangguan", cause="jaringan", responsible_party="diskominfo",
        started_at=datetime(2026, 11, 10, 18, tzinfo=WIB),
    )  # fmt: skip
    assets.set_status(
        petugas, asset, status="operasional", started_at=datetime(2026, 11, 12, 6, tzinfo=WIB)
    )
    db.session.commit()
    days = {d: v for (_, d, *_), v in _rows().items()}
    assert days == {
        date(2026, 11, 10): 6 * 3600,
        date(2026, 11, 11): 86400,
        date(2026, 11, 12): 6 * 3600,
    }
    # still down since Sun 29 Nov 09.00 WIB: in no row, counted up to the clock
    assets.set_status(
        petugas, asset, status="tidak_digunakan", cause="operator",
        responsible_party="disdukcapil", started_at=datetime(2026, 11, 29, 9, tzinfo=WIB),
    )  # fmt: skip
    db.session.commit()
    assert len(_rows()) == 3
    start, end = datetime(2026, 11, 1, tzinfo=WIB), datetime(2026, 12, 1, tzinfo=WIB)
    got = downtime.downtime_by_region(users["kadis"], None, start, end + timedelta(days=1))
    assert got["35.11.05"]["hours"] == 36 + 48  # the open one up to 09.00 WIB today
    assert got["35.11.05"]["by_status"] == {"tidak_digunakan": 48.0, "gangguan": 36.0}


@time_machine.travel(NOW, tick=False)
def test_moving_an_asset_moves_its_downtime(users):
    petugas = users["petugas"]
    asset = make_asset(
        petugas, region_code="35.11.05", acquired_on=date(2026, 9, 1), bast_date=date(2026, 9, 2)
    )
    _down_for(petugas, asset, 2, at=datetime(2026, 11, 3, 0, tzinfo=WIB))
    assets.update_asset(petugas, asset, {"region_code": "35.11.02"})
    db.session.commit()
    assert {k[0] for k in _rows()} == {"35.11.02"}
    assert downtime.check_rollup() == []
    got = downtime.downtime_by_region(
        users["kadis"], None, datetime(2026, 11, 1, tzinfo=WIB), datetime(2026, 11, 30, tzinfo=WIB)
    )
    assert list(got) == ["35.11.02"] and got["35.11.02"]["hours"] == 48


@time_machine.travel(NOW, tick=False)
def test_check_finds_a_corrupted_row_and_rebuild_repairs_it(users, runner):
    petugas = users["petugas"]
    asset = make_asset(
        petugas, region_code="35.11.05", acquired_on=date(2026, 9, 1), bast_date=date(2026, 9, 2)
    )
    _down_for(petugas, asset, 3, at=datetime(2026, 11, 3, 0, tzinfo=WIB))
    assert downtime.check_rollup("35.11") == []
    db.session.execute(
        sa.update(DowntimeDaily)
        .where(DowntimeDaily.day == date(2026, 11, 4))
        .values(seconds=DowntimeDaily.seconds - 600)
    )
    db.session.add(
        DowntimeDaily(
            region_code="35.11.02", day=date(2026, 11, 4), status="gangguan",
            cause="jaringan", responsible_party="diskominfo", seconds=60,
        )
    )  # fmt: skip
    db.session.commit()
    lines = downtime.check_rollup()
    assert len(lines) == 2
    assert lines[0].startswith("35.11.02 2026-11-04 gangguan/jaringan/diskominfo")
    assert "35.11.05 2026-11-04" in lines[1] and "86400" in lines[1]
    assert downtime.check_rollup("35.11.05") == lines[1:]  # --region narrows it
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 1 and "downtime_daily: 2 selisih" in result.output
    result = runner.invoke(args=["rollups", "rebuild", "--region", "35.11"])
    assert result.exit_code == 0 and "downtime_daily: 3 baris" in result.output
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0


def test_the_status_cache_is_checked_and_rebuilt_with_the_rollups(users, runner):
    """The register's copy of each asset's latest event (what the downtime still open is
    read from) is compared by `flask rollups check` and repaired by `rebuild`."""
    from assets_app.assets import status_cache

    petugas = users["petugas"]
    down = make_asset(petugas, region_code="35.11.05", acquired_on=date(2026, 9, 1),
                      bast_date=date(2026, 9, 2))  # fmt: skip
    fine = make_asset(petugas, region_code="35.11.06", acquired_on=date(2026, 9, 1),
                      bast_date=date(2026, 9, 2))  # fmt: skip
    assets.set_status(
        petugas, down, status="gangguan", cause="listrik", responsible_party="pln",
        started_at=datetime(2026, 11, 3, tzinfo=WIB),
    )  # fmt: skip
    db.session.commit()
    assert (down.status_cause, down.status_party) == ("listrik", "pln")  # set with the event
    assert status_cache.check() == []
    db.session.execute(
        sa.update(assets.Asset).where(assets.Asset.id == down.id).values(status_party="vendor")
    )
    db.session.execute(
        sa.update(assets.Asset).where(assets.Asset.id == fine.id).values(status="gangguan")
    )
    db.session.commit()
    lines = status_cache.check()
    assert len(lines) == 2 and "status_party tersimpan vendor, menurut riwayat pln" in lines[0]
    assert status_cache.check("35.11.06") == lines[1:]
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 1 and "assets_status: 2 selisih" in result.output
    result = runner.invoke(args=["rollups", "rebuild", "--region", "35.11.05"])
    assert result.exit_code == 0 and "assets_status: 1 baris" in result.output
    assert runner.invoke(args=["rollups", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(assets.Asset, fine.id).status == "operasional"


@time_machine.travel(NOW, tick=False)
def test_queries_stay_bounded_whatever_the_length_of_the_history(app, users):
    petugas, kadis = users["petugas"], users["kadis"]
    start, end = datetime(2026, 9, 1, tzinfo=WIB), datetime(2026, 12, 1, tzinfo=WIB)
    counts = []
    for n in (1, 6):
        for i in range(n):
            asset = make_asset(
                petugas,
                region_code="35.11.05",
                acquired_on=date(2026, 9, 1),
                bast_date=date(2026, 9, 2),
            )
            _down_for(petugas, asset, 1 + 10 * i, at=datetime(2026, 9, 2 + i, tzinfo=WIB))
        db.session.refresh(kadis)  # loaded before counting (the commit expired it)
        with count_queries(db.engine) as statements:
            downtime.downtime_by_region(kadis, None, start, end)
        counts.append(len(statements))
    assert counts == [1, 1], statements
    # closing a 1-day or a 60-day interval: the same statements (one upsert of all its days)
    writes = []
    for days in (1, 60):
        asset = make_asset(
            petugas,
            region_code="35.11.02",
            acquired_on=date(2026, 9, 1),
            bast_date=date(2026, 9, 2),
        )
        assets.set_status(
            petugas, asset, status="gangguan", cause="jaringan", responsible_party="diskominfo",
            started_at=datetime(2026, 9, 20, tzinfo=WIB),
        )  # fmt: skip
        with count_queries(db.engine) as statements:
            assets.set_status(
                petugas, asset, status="operasional",
                started_at=datetime(2026, 9, 20, tzinfo=WIB) + timedelta(days=days),
            )  # fmt: skip
        db.session.commit()
        writes.append(len(statements))
    assert writes[0] == writes[1]
    assert downtime.check_rollup() == []


@time_machine.travel(NOW, tick=False)
def test_a_past_period_of_whole_days_reads_no_raw_events(users):
    """The rollup holds the closed days, the assets down now their open intervals: a past
    month of whole WIB days runs no window function over the timeline; the running month
    reads raw events of today only."""
    petugas, kadis = users["petugas"], users["kadis"]
    closed, still_down = (
        make_asset(petugas, region_code="35.11.05", acquired_on=date(2026, 9, 1),
                   bast_date=date(2026, 9, 2))
        for _ in range(2)
    )  # fmt: skip
    _down_for(petugas, closed, 3, at=datetime(2026, 10, 5, 10, 0, tzinfo=WIB))
    assets.set_status(
        petugas, still_down, status="gangguan", cause="listrik", responsible_party="pln",
        started_at=datetime(2026, 10, 20, tzinfo=WIB),
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(kadis)
    october = (datetime(2026, 10, 1, tzinfo=WIB), datetime(2026, 11, 1, tzinfo=WIB))
    with count_queries(db.engine) as statements:
        got = downtime.downtime_by_region(kadis, None, *october)
    assert len(statements) == 1 and "lead(" not in statements[0].lower()
    # 3 closed days + 12 open days (20–31 October), by party
    assert got["35.11.05"]["hours"] == 15 * 24
    assert got["35.11.05"]["by_party"] == {"pln": 12 * 24, "diskominfo": 3 * 24}
    # the running period: today's raw events only (the edge window), the same total
    running = (datetime(2026, 10, 1, tzinfo=WIB), datetime(2026, 12, 2, tzinfo=WIB))
    with count_queries(db.engine) as statements:
        now_figures = downtime.downtime_by_region(kadis, None, *running)
    assert "lead(" in statements[0].lower()
    assert now_figures == downtime.raw_downtime_by_region(kadis, None, *running)
    assert now_figures["35.11.05"]["by_party"]["pln"] == pytest.approx((12 + 30 + 9 / 24) * 24)


def _old_schema_asset(conn, aid: int, status: str, since: str, *, region=False) -> None:
    """A PC of Kab. Bondowoso written as the migration tests' old schemas hold it (with the
    kab/kota row first when `region`)."""
    if region:
        conn.execute(
            sa.text(
                "INSERT INTO regions (code, name, level, kind) VALUES "
                "('35.11', 'Kabupaten Bondowoso', 'kabkota', 'kabupaten')"
            )
        )
    conn.execute(
        sa.text(
            "INSERT INTO assets (id, region_code, kode_barang, register_no, name, category, "
            "acquired_on, funding_source, acquisition_method, unit_price, condition, "
            "label_token, status, status_since, created_at, updated_at) VALUES (:id, '35.11', "
            "'1.3.2.10.01.02.001', :id, 'PC', 'perekaman', :d, 'APBD', 'pembelian', 1, 'B', "
            ":tok, :s, :since, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        ).bindparams(sa.bindparam("d", type_=sa.Date)),
        {"id": aid, "d": date(2026, 1, 1), "tok": f"tok{aid}", "s": status, "since": since},
    )


def test_0018_fills_the_rollup_from_existing_events(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0011")
        with engine.begin() as conn:
            _old_schema_asset(conn, 1, "gangguan", "2026-11-20 00:00:00", region=True)
            # operasional, then down 1 Nov 12.00 WIB → 3 Nov 00.00 WIB (closed: 12 h + 24 h),
            # then down again since 20 Nov (open: no row)
            events = [
                ("operasional", None, None, "2026-01-01 00:00:00"),
                ("gangguan", "jaringan", None, "2026-11-01 05:00:00"),
                ("operasional", None, None, "2026-11-02 17:00:00"),
                ("gangguan", "jaringan", "vendor", "2026-11-20 00:00:00"),
            ]
            for status, cause, party, at in events:
                conn.execute(
                    sa.text(
                        "INSERT INTO asset_status_events (asset_id, status, cause, "
                        "responsible_party, started_at, created_at) "
                        "VALUES (1, :s, :c, :p, :t, :t)"
                    ),
                    {"s": status, "c": cause, "p": party, "t": at},
                )
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT region_code, day, status, cause, responsible_party, seconds "
                    "FROM downtime_daily ORDER BY day"
                )
            ).all()
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("asset_status_events")}
        assert [(r[0], str(r[1]), r[2], r[3], r[4], round(r[5])) for r in rows] == [
            ("35.11", "2026-11-01", "gangguan", "jaringan", "belum_ditentukan", 12 * 3600),
            ("35.11", "2026-11-02", "gangguan", "jaringan", "belum_ditentukan", 24 * 3600),
        ]
        assert "ix_asset_status_events_asset_started" in names
        flask_db(env, "downgrade", "0011")
        with engine.connect() as conn:
            assert "downtime_daily" not in sa.inspect(conn).get_table_names()
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("asset_status_events")}
        assert "ix_asset_status_events_asset_started" not in names


def test_0021_caches_the_latest_events_cause_and_party(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as (env, engine):
        flask_db(env, "upgrade", "0020")
        with engine.begin() as conn:
            _old_schema_asset(conn, 1, "gangguan", "2026-11-20 00:00:00", region=True)
            _old_schema_asset(conn, 2, "operasional", "2026-11-20 00:00:00")
            events = [
                (1, "gangguan", "listrik", "pln", "2026-11-01 05:00:00"),
                (1, "gangguan", "jaringan", "vendor", "2026-11-20 00:00:00"),  # the latest
                (2, "gangguan", "jaringan", "vendor", "2026-11-01 05:00:00"),
                (2, "operasional", None, None, "2026-11-20 00:00:00"),
            ]
            for aid, status, cause, party, at in events:
                conn.execute(
                    sa.text(
                        "INSERT INTO asset_status_events (asset_id, status, cause, "
                        "responsible_party, started_at, created_at) "
                        "VALUES (:a, :s, :c, :p, :t, :t)"
                    ),
                    {"a": aid, "s": status, "c": cause, "p": party, "t": at},
                )
        flask_db(env, "upgrade")
        with engine.connect() as conn:
            cached = conn.execute(
                sa.text("SELECT id, status_cause, status_party FROM assets ORDER BY id")
            ).all()
        assert [tuple(r) for r in cached] == [(1, "jaringan", "vendor"), (2, None, None)]
        flask_db(env, "downgrade", "0020")
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("assets")}
        assert "status_cause" not in columns and "status" in columns
