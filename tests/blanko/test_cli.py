"""`flask blanko check`: consistent ledger → exit 0 and a summary; tampering → exit 1."""

from __future__ import annotations

import sqlalchemy as sa

from assets_app.extensions import db
from tests.blanko.conftest import DINAS, PUJER


def _busy_ledger(ledger):
    ledger.receive(1000, ranges=[[1001, 2000]])
    ledger.confirm(ledger.distribute(200, PUJER, ranges=[[1001, 1200]]), 195, note="5 hilang")
    ledger.decide(ledger.damage(5), True)
    ledger.decide(ledger.damage(2), False, ba=None)
    ledger.damage(1)
    ledger.use(10)
    ledger.distribute(50, "35.11.06")


def test_check_passes_on_a_consistent_ledger(runner, ledger):
    _busy_ledger(ledger)
    result = runner.invoke(args=["blanko", "check"])
    assert result.exit_code == 0, result.output
    assert "Buku blanko konsisten: 3 lokasi, 7 mutasi, 2 rentang nomor seri." in result.output


def test_check_detects_a_balance_tampered_in_the_database(runner, ledger):
    _busy_ledger(ledger)
    db.session.execute(
        sa.text("UPDATE blanko_balances SET on_hand = on_hand + 7 WHERE region_code = :r"),
        {"r": PUJER},
    )
    db.session.execute(
        sa.text("UPDATE blanko_balances SET in_transit_in = 0 WHERE region_code = '35.11.06'")
    )
    db.session.commit()
    result = runner.invoke(args=["blanko", "check"])
    assert result.exit_code == 1
    assert (
        "Saldo tidak cocok di Kec. Pujer (35.11.05): stok di tangan tercatat 187, "
        "menurut buku mutasi 180." in result.output
    )
    assert "dalam perjalanan tercatat 0, menurut buku mutasi 50." in result.output
    assert "Galat: 2 selisih ditemukan" in result.output


def test_check_detects_tampered_serial_holdings(runner, ledger):
    _busy_ledger(ledger)
    db.session.execute(
        sa.text(
            "INSERT INTO blanko_serial_blocks (region_code, start_no, end_no, state) "
            "VALUES (:r, 1500, 1510, 'held')"
        ),
        {"r": PUJER},
    )
    db.session.commit()
    result = runner.invoke(args=["blanko", "check"])
    assert result.exit_code == 1
    assert "Nomor seri 1500–1510 tercatat di dua tempat sekaligus (35.11 dan 35.11.05)" in (
        result.output
    ) or "Nomor seri 1500–1510 tercatat di dua tempat sekaligus (35.11.05 dan 35.11)" in (
        result.output
    )
    assert "Nomor seri di tangan di 35.11.05" in result.output


def test_check_detects_a_missing_balance_row(runner, ledger):
    ledger.receive(10)
    db.session.execute(sa.text("DELETE FROM blanko_balances WHERE region_code = :r"), {"r": DINAS})
    db.session.commit()
    result = runner.invoke(args=["blanko", "check"])
    assert result.exit_code == 1
    assert "stok di tangan tercatat 0, menurut buku mutasi 10" in result.output


def test_check_on_an_empty_ledger(runner, app):
    result = runner.invoke(args=["blanko", "check"])
    assert result.exit_code == 0
    assert "0 lokasi, 0 mutasi" in result.output
