"""Serial ranges: parsing, sum = quantity, never received twice, one location at a time."""

from __future__ import annotations

import pytest

from assets_app.blanko import serials, services
from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from tests.blanko.conftest import DINAS, KEC2, PUJER


def test_parse_ranges_accepts_numbers_and_digit_strings_and_sorts():
    assert serials.parse_ranges([["2001", "2010"], [1, 5]]) == [(1, 5), (2001, 2010)]
    assert serials.parse_ranges_text("1001-1100\n1201 – 1300; 1500") == [
        (1001, 1100),
        (1201, 1300),
        (1500, 1500),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([[5, 1]], "Rentang ke-1: nomor awal 5 lebih besar dari nomor akhir 1."),
        ([[1, 10], [5, 20]], "Rentang 1–10 dan 5–20 saling tumpang tindih."),
        ([["a", 3]], "Rentang ke-1: nomor seri harus berupa angka bulat tanpa tanda."),
        ([[1]], "Rentang ke-1: harus berisi tepat dua nomor [awal, akhir]."),
        ("x", "Harus berupa daftar [[awal, akhir], …]."),
    ],
)
def test_parse_ranges_explains_what_is_wrong(raw, message):
    with pytest.raises(ValidationFailed) as e:
        serials.parse_ranges(raw)
    assert message in e.value.errors["serial_ranges"]


def test_interval_helpers():
    assert serials.merge([(5, 9), (1, 4), (20, 30), (25, 40)]) == [(1, 9), (20, 40)]
    rest, found = serials.subtract([(1, 100)], (10, 20))
    assert rest == [(1, 9), (21, 100)] and found == 11


def test_penerimaan_ranges_must_add_up_to_the_quantity(ledger):
    with pytest.raises(ValidationFailed) as e:
        ledger.receive(1000, ranges=[[1, 999]])
    assert e.value.errors["serial_ranges"] == [
        "Jumlah nomor seri (999) tidak sama dengan jumlah keping (1.000)."
    ]


def test_a_serial_is_never_received_twice(ledger):
    ledger.receive(1000, ranges=[[1001, 2000]])
    with pytest.raises(ValidationFailed) as e:
        ledger.receive(100, ranges=[[1950, 2049]], ref="BAST/002")
    assert e.value.errors["serial_ranges"] == [
        "Nomor seri 1950–2000 sudah pernah diterima sebelumnya."
    ]
    db.session.rollback()
    assert ledger.bal(DINAS) == (1000, 0, 0)


def test_serials_follow_the_cards_from_dinas_to_kecamatan(ledger, users):
    ledger.receive(1000, ranges=[[1001, 2000]])
    m = ledger.distribute(200, PUJER, ranges=[[1001, 1200]])
    assert serials.holdings(DINAS) == [(1201, 2000)]
    assert serials.holdings(PUJER, "in_transit") == [(1001, 1200)]
    assert serials.holdings(PUJER) == []
    ledger.confirm(m, 200)
    assert serials.holdings(PUJER) == [(1001, 1200)]
    assert serials.holdings(PUJER, "in_transit") == []


def test_a_serial_is_at_one_location_at_a_time(ledger, users):
    ledger.receive(1000, ranges=[[1001, 2000]])
    ledger.distribute(200, PUJER, ranges=[[1001, 1200]])
    # The same cards cannot leave the Dinas again while they are on their way to Pujer …
    with pytest.raises(ValidationFailed) as e:
        ledger.distribute(50, KEC2, ranges=[[1151, 1200]])
    assert e.value.errors["serial_ranges"] == [
        "Nomor seri 1151–1200 tidak berada di Gudang Dinas Kab. Bondowoso."
    ]
    db.session.rollback()
    # … nor be used somewhere they are not.
    ledger.stock(KEC2, 10)
    with pytest.raises(ValidationFailed, match="tidak berada di Kec. Cerme|tidak berada di Kec"):
        ledger.use(5, KEC2, by="camat2", serial_ranges=[[1001, 1005]])
    db.session.rollback()
    assert serials.holdings(DINAS) == [(1201, 2000)]


def test_pemakaian_and_rusak_with_serials(ledger, users):
    ledger.receive(100, ranges=[[1, 100]])
    ledger.confirm(ledger.distribute(100, PUJER, ranges=[[1, 100]]))
    ledger.use(10, serial_ranges=[[1, 10]])
    assert serials.holdings(PUJER) == [(11, 100)]
    bad = ledger.damage(2, serial_ranges=[[11, 12]])
    assert serials.holdings(PUJER) == [(13, 100)]
    assert serials.holdings(PUJER, "reserved") == [(11, 12)]
    ledger.decide(bad, False, ba=None)
    assert serials.holdings(PUJER) == [(11, 100)]
    bad2 = ledger.damage(2, serial_ranges=[[11, 12]])
    ledger.decide(bad2, True)
    assert serials.holdings(PUJER) == [(13, 100)]
    assert serials.holdings(PUJER, "reserved") == []
    assert ledger.bal(PUJER) == (88, 0, 0)


def test_ranges_of_other_kinds_must_match_the_quantity_too(ledger, users):
    ledger.receive(100, ranges=[[1, 100]])
    with pytest.raises(ValidationFailed) as e:
        services.record_movement(
            users["petugas"],
            kind="distribusi",
            from_region=DINAS,
            to_region=PUJER,
            quantity=10,
            serial_ranges=[[1, 5]],
        )
    assert "tidak sama dengan jumlah keping (10)" in e.value.errors["serial_ranges"][0]
