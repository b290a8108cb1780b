"""Issue 12: the register, operational status, idle equipment and trained operators of an
ended period are read as of its end, not on the day the packet is made. A January–June packet
made on 1 December does not count a printer bought in August, still counts a PC disposed in
September, counts as operational (and able to record) a PC that broke in October, does not
call idle a scanner set aside in November, and does not count a certificate issued in
September."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from assets_app.assets import services as assets
from assets_app.common.timeutil import WIB
from assets_app.extensions import db
from assets_app.hearing.summary import build_summary
from tests.assets.helpers import make_asset
from tests.training.factories import certify

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=WIB)
START, END = date(2026, 1, 1), date(2026, 6, 30)
PUJER, MAESAN = "35.11.05", "35.11.06"


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def _status(asset, status, at, **why):
    assets.set_status(assets.SystemActor(), asset, status=status, started_at=at, now=NOW, **why)
    db.session.commit()


@pytest.fixture
def data(users):
    with time_machine.travel(NOW, tick=False):
        broke = make_asset(region_code=PUJER, unit_price=15_000_000, name="PC rusak Oktober")
        disposed = make_asset(region_code=PUJER, unit_price=7_000_000, name="PC dihapus")
        make_asset(
            region_code=PUJER,
            category="cetak_ktp",
            unit_price=40_000_000,
            acquired_on=date(2026, 8, 3),
            bast_date=date(2026, 8, 3),
            name="Printer Agustus",
        )
        set_aside = make_asset(region_code=MAESAN, unit_price=5_000_000, name="Scanner")
        _status(
            broke, "gangguan", wib(2026, 10, 5, 8), cause="jaringan", responsible_party="diskominfo"
        )
        _status(disposed, "dihapuskan", wib(2026, 9, 1, 8), note="SK Bupati 12/2026")
        _status(
            set_aside,
            "tidak_digunakan",
            wib(2026, 11, 2, 8),
            cause="operator",
            responsible_party="kecamatan",
        )
        certify(PUJER, ("perekaman",), ends_on=date(2026, 3, 2), name="Sertifikat Maret")
        certify(PUJER, ("perekaman",), ends_on=date(2026, 9, 14), name="Sertifikat September")
    return {"set_aside": set_aside}


def _rows(user, start, end):
    with time_machine.travel(NOW, tick=False):
        s = build_summary(user, "35.11", start, end, sections=True)
    return s, {r.region_code: r.figures for r in s.rows}


def test_register_and_status_are_those_of_the_period_end(users, data):
    s, rows = _rows(users["petugas"], START, END)
    pujer = rows[PUJER]
    assert (pujer.assets_count, pujer.assets_value) == (2, 22_000_000)  # not August's printer
    assert pujer.operational_count == 2  # broke in October, disposed in September
    assert pujer.can_record_today is True
    assert {p.name for p in s.sections["purchases"]} == {
        "PC rusak Oktober",
        "PC dihapus",
        "Scanner",
    }
    assert rows[MAESAN].idle_count == 0  # set aside only in November
    assert "Scanner" not in {i.name for i in s.sections["idle_assets"]}
    assert pujer.trained_operators == 1  # September's certificate did not exist yet


def test_the_same_figures_today_read_the_current_register(users, data):
    s, rows = _rows(users["petugas"], date(2026, 11, 1), NOW.date())
    pujer = rows[PUJER]
    assert (pujer.assets_count, pujer.assets_value) == (2, 55_000_000)  # PC + printer
    assert pujer.operational_count == 1  # the printer; the PC is down
    assert pujer.can_record_today is False
    assert (rows[MAESAN].idle_count, rows[MAESAN].idle_value) == (1, 5_000_000)
    idle = {i.name: i for i in s.sections["idle_assets"]}
    assert idle["Scanner"].since == date(2026, 11, 2) and idle["Scanner"].days_idle == 29
    assert pujer.trained_operators == 2


def test_an_asset_idle_at_the_period_end_keeps_its_cause_then(users, data):
    """Idle in a past period: since-when and reason are those in force at its end."""
    s, rows = _rows(users["petugas"], date(2026, 11, 1), date(2026, 11, 30))
    item = next(i for i in s.sections["idle_assets"] if i.name == "Scanner")
    assert item.since == date(2026, 11, 2) and item.days_idle == 28  # to 30 November
    assert "Operator" in item.reason
