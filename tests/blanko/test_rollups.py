"""The blanko daily rollup (`blanko.daily`): kept by the services in the same transaction as
each ledger row, it always equals a recomputation from the ledger, and the figures read from
it are the ledger's (balances as of any day, per kab/kota per day)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from assets_app.blanko import daily, window
from assets_app.blanko import services as blanko
from assets_app.blanko.stats import (
    M,
    closing_by_kabkota_day,
    current_balances,
    ledger_balances,
    usage_in_window,
    used_in,
)
from assets_app.blanko.stats import window as usage_window
from assets_app.blanko.summary import blanko_summary_by_region
from assets_app.common.errors import DomainError
from assets_app.common.formatting import WIB
from assets_app.common.timeutil import end_of_day, start_of_day
from assets_app.extensions import db
from tests.properties import EXAMPLES, fresh_users
from tests.querycount import count_queries

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tue 1 December 2026, 09.00 WIB
FIRST = date(2026, 11, 1)
DINAS = "35.11"
KEC = ("35.11.01", "35.11.05", "35.11.06")


def at(offset: int, hour: int = 9) -> datetime:
    return datetime.combine(FIRST + timedelta(days=offset), time(hour), WIB)


def stored() -> dict:
    D = daily.D
    return {
        (r[0], r[1]): tuple(r[2:])
        for r in db.session.execute(sa.select(D.c.region_code, D.c.day, *daily.D.c[2:]))
    }


# --- random ledgers ------------------------------------------------------------------------

# One event: what, where (a kecamatan index), how many, on which day (events are written in
# the list's order, so later days come before earlier ones: backdated entries), and what
# follows (a receipt / decision some days later, or nothing yet).
event = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(("distribusi", "pemakaian", "rusak", "pengembalian", "opname")),
        "kec": st.integers(0, 2),
        "qty": st.integers(1, 40),
        "day": st.integers(0, 25),
        "then": st.sampled_from(("full", "short", "approve", "reject", None)),
        "after": st.integers(0, 3),
    }
)
ledgers = st.fixed_dictionaries(
    {
        "received": st.integers(200, 2_000),
        "received_day": st.integers(0, 10),
        "events": st.lists(event, min_size=3, max_size=12),
    }
)


def write(users, data: dict) -> None:
    """Writes one random ledger through the services; refused entries (not enough stock, a
    second pending adjustment…) are rolled back as a request would be."""
    petugas, kadis = users["petugas"], users["kadis"]

    def attempt(fn):
        try:
            out = fn()
            db.session.commit()
            return out
        except DomainError:
            db.session.rollback()
            return None

    attempt(
        lambda: blanko.record_movement(
            petugas,
            kind="penerimaan",
            to_region=DINAS,
            quantity=data["received"],
            occurred_at=at(data["received_day"], 8),
            reference="BAST/DITJEN/1",
            bast_date=at(data["received_day"]).date(),
        )
    )

    # every kecamatan holds cards from the start, so that its pemakaian is not refused
    for kec in KEC:
        sent = attempt(
            lambda kec=kec: blanko.record_movement(
                petugas,
                kind="distribusi",
                from_region=DINAS,
                to_region=kec,
                quantity=60,
                occurred_at=at(data["received_day"], 10),
            )
        )
        if sent is not None:
            attempt(
                lambda sent=sent: blanko.receive_movement(
                    petugas,
                    sent.id,
                    quantity_received=60,
                    note=None,
                    received_at=at(data["received_day"], 11),
                    on_behalf_reason="Dicatat Dinas (uji rekap)",
                )
            )

    def step(e):
        kec, qty, when = KEC[e["kec"]], e["qty"], at(e["day"])
        later = min(at(e["day"] + e["after"], 15), NOW)
        kind = e["kind"]
        if kind == "opname":
            attempt(
                lambda: blanko.record_stock_opname(
                    petugas,
                    region_code=DINAS,
                    counted_quantity=max(0, qty * 10),
                    counted_at=when,
                    reason="Hitung fisik",
                )
            )
            m = None
        else:
            frm, to = (DINAS, kec) if kind == "distribusi" else (kec, None)
            if kind == "pengembalian":
                to = DINAS
            m = attempt(
                lambda frm=frm, to=to: blanko.record_movement(
                    petugas,
                    kind=kind,
                    from_region=frm,
                    to_region=to,
                    quantity=qty,
                    occurred_at=when,
                    note="Gagal cetak" if kind == "rusak" else None,
                )
            )
        if m is None or e["then"] is None:
            return
        if m.kind in ("distribusi", "pengembalian") and e["then"] in ("full", "short"):
            got = qty if e["then"] == "full" else qty - 1
            attempt(
                lambda m=m, got=got: blanko.receive_movement(
                    petugas,
                    m.id,
                    quantity_received=got,
                    note="kurang" if got < qty else None,
                    received_at=later,
                    on_behalf_reason="Dicatat Dinas (uji rekap)",
                )
            )
        elif m.kind == "rusak" and e["then"] in ("approve", "reject"):
            attempt(
                lambda m=m: blanko.decide_movement(
                    kadis,
                    m.id,
                    approved=e["then"] == "approve",
                    berita_acara_no="BA/1" if e["then"] == "approve" else None,
                    note=None if e["then"] == "approve" else "Tidak terbukti",
                    decided_at=later,
                )
            )

    for e in data["events"]:
        step(e)
    # a pending stock-opname adjustment is decided too, so both directions are exercised
    pending = db.session.execute(
        sa.text(
            "SELECT m.id FROM blanko_movements m LEFT JOIN blanko_approvals a "
            "ON a.movement_id = m.id WHERE m.kind = 'penyesuaian' AND a.id IS NULL"
        )
    ).scalars()
    for mid in list(pending):
        attempt(
            lambda mid=mid: blanko.decide_movement(
                kadis, mid, approved=True, berita_acara_no="BA/2"
            )
        )


@pytest.mark.slow
def test_maintained_rollup_equals_rebuild_after_random_ledgers(app, users, runner, _dbstate):
    @EXAMPLES
    @given(data=ledgers)
    def run(data):
        fresh = fresh_users(_dbstate)
        with time_machine.travel(NOW, tick=False):
            # the closed days of the window stored first: the backdated uses that follow
            # must be added to them by the writers
            window.refresh_if_stale()
            db.session.commit()
            write(fresh, data)
            maintained = stored()
            assert daily.check() == []
            assert window.check() == []
            raw = {}
            for code, q in db.session.execute(
                sa.select(M.c.from_region, sa.func.sum(M.c.quantity))
                .where(*used_in(*usage_window(NOW.date())))
                .group_by(M.c.from_region)
            ).all():
                raw[code] = int(q)
            assert usage_in_window(KEC, NOW.date()) == {k: v for k, v in raw.items() if v}
            # the figures read from the rollup are the ledger's, on every day
            for offset in (0, 5, 12, 20, 26, 30):
                day = FIRST + timedelta(days=offset)
                assert daily.balances_before(day) == ledger_balances(start_of_day(day))
            # "now" from the balance rows: the rollup's latest closing of every location
            latest = daily.balances_before(NOW.date() + timedelta(days=1))
            assert current_balances(None, None) == {
                k: v for k, v in latest.items() if k in current_balances(None, None)
            }
            assert all(
                v == (0, 0, 0) for k, v in latest.items() if k not in current_balances(None, None)
            )
            closing = closing_by_kabkota_day(fresh["kadis"], DINAS, FIRST, NOW.date())
            for (kab, day), on_hand in closing.items():
                want = sum(
                    v[0] for k, v in ledger_balances(end_of_day(day)).items() if k.startswith(kab)
                )
                assert on_hand == want, (kab, day)
            daily.rebuild()
            db.session.commit()
            assert stored() == maintained
            assert runner.invoke(args=["rollups", "check"]).exit_code == 0

    run()


def test_rebuild_then_check_and_a_corrupted_row_is_reported(app, ledger, runner):
    ledger.receive(100)
    m = ledger.distribute(30, frm=DINAS, to="35.11.05")
    ledger.confirm(m, 29, note="satu kurang")
    ledger.use(4)
    result = runner.invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "blanko_daily:" in result.output
    result = runner.invoke(args=["rollups", "check", "--region", "35.11"])
    assert result.exit_code == 0, result.output
    assert "blanko_daily: cocok" in result.output

    db.session.execute(
        sa.text("UPDATE blanko_daily SET used = used - 1 WHERE region_code = '35.11.05'")
    )
    db.session.commit()
    result = runner.invoke(args=["rollups", "check"])
    assert result.exit_code == 1
    assert "35.11.05" in result.output and "used tercatat" in result.output
    # a rebuild of the region repairs it
    assert runner.invoke(args=["rollups", "rebuild", "--region", "35.11.05"]).exit_code == 0
    assert runner.invoke(args=["rollups", "check"]).exit_code == 0


def test_a_refused_entry_leaves_no_rollup_change(app, ledger, users):
    ledger.receive(10)
    before = stored()
    with pytest.raises(DomainError):
        blanko.record_movement(
            users["petugas"], kind="distribusi", from_region=DINAS, to_region=KEC[1], quantity=11
        )
    db.session.rollback()
    assert stored() == before and daily.check() == []


def test_backdated_entry_moves_every_later_closing(app, ledger):
    ledger.receive(100, occurred_at=datetime.now(UTC) - timedelta(days=1))
    ledger.receive(50, occurred_at=datetime.now(UTC) - timedelta(days=5), ref="BAST/002")
    rows = sorted((k[1], v) for k, v in stored().items() if k[0] == DINAS)
    closings = [v[daily.COLUMNS.index("on_hand")] for _, v in rows]
    assert closings == [50, 150]
    assert daily.check() == []


def test_summary_blanko_part_runs_a_bounded_number_of_queries(app, ledger, users):
    ledger.stock("35.11.05", 200)
    ledger.use(5)
    today = datetime.now(WIB).date()
    kadis = users["kadis"]
    args = (kadis, DINAS, today - timedelta(days=30), today)
    assert kadis.id  # loaded before counting
    with count_queries(db.engine) as few:
        blanko_summary_by_region(*args)
    for i in range(8):  # many more movements, on many days
        ledger.use(1, occurred_at=datetime.now(UTC) - timedelta(days=i, hours=1))
    assert kadis.id
    with count_queries(db.engine) as many:
        rows = blanko_summary_by_region(*args)
    assert len(many) == len(few) <= 7
    assert rows["35.11.05"]["used"] == 5 + 8


def test_rollup_reads_keep_to_the_users_scope(app, ledger, users):
    ledger.stock("35.11.05", 200)
    ledger.stock("35.11.06", 80)
    ledger.use(5)
    today = datetime.now(WIB).date()
    first, after = today - timedelta(days=30), today + timedelta(days=1)
    # the whole kab/kota sees every location it holds stock at
    assert {"35.11", "35.11.05", "35.11.06"} <= set(daily.flows_between(first, today, DINAS))
    camat = users["camat"]  # 35.11.05
    flows = daily.flows_between(first, today, DINAS, user=camat)
    assert set(flows) == {"35.11.05"}
    assert flows["35.11.05"]["used"] == -5  # a change of the stock on hand
    assert set(daily.balances_before(after, DINAS, user=camat)) == {"35.11.05"}
    assert daily.flows_between(first, today, user=users["petugas_serang"]) == {}


def test_location_names_of_many_codes_read_their_range(regions):
    """Past `MANY_CODES` the names come from a range of the regions table, not thousands of
    bound codes: the same labels, only for the codes asked, unknown codes left out."""
    from assets_app.blanko import queries
    from assets_app.regions.models import Region

    codes = list(db.session.scalars(sa.select(Region.code).where(Region.level != "provinsi")))
    assert len(codes) > queries.MANY_CODES
    asked = [*codes[1:-1], "35.11.99"]  # the range's ends left out, one unknown code
    many = queries.location_names(asked)
    few = {c: n for part in range(0, len(asked), 100) for c, n in
           queries.location_names(asked[part : part + 100]).items()}  # fmt: skip
    assert many == few and set(many) == set(codes[1:-1])
