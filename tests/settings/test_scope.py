"""Settings have a scope: per-kab/kota settings apply only to that kab/kota's objects and fall
back to the installation default; only an admin without a region changes a default."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from assets_app.common.errors import Forbidden, NotFound, ValidationFailed
from assets_app.extensions import db
from assets_app.tickets import sla_config
from assets_app.tickets.models import Holiday, SlaSetting, SlaTarget
from assets_app.tickets.sla import WIB
from assets_app.training import settings as validity
from assets_app.training.models import TopicValidity
from tests.tickets.helpers import file_ticket
from tests.training.factories import attend, make_operator, make_training

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
WEEKDAYS = ["0", "1", "2", "3", "4"]
TARGETS = {"kritis": (4, 2), "tinggi": (8, 5), "sedang": (16, 10), "rendah": (24, 20)}


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def two_tickets(users):
    """An open ticket in Bondowoso (35.11.05) and one in Kota Serang (36.73.05)."""
    with time_machine.travel(MONDAY_9, tick=False):
        bondowoso = file_ticket(users["camat"], "35.11.05")
        serang = file_ticket(users["petugas_serang"], "36.73.05")
    return bondowoso, serang


def _due(ticket):
    db.session.rollback()  # a fresh read: what the requests committed
    return db.session.get(type(ticket), ticket.id).resolve_due_at


# --- SLA holidays ----------------------------------------------------------------------------


def test_kab_admin_holiday_moves_only_own_tickets(client, login, users, two_tickets, no_csrf):
    """The issue's reproducer: an admin of 35.11 adds a holiday through /admin/sla/libur."""
    bondowoso, serang = two_tickets
    before_b, before_s = _due(bondowoso), _due(serang)
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        login(users["admin_kab"])  # the session is made at the travelled-to time
        r = client.post("/admin/sla/libur", data={"h-day": "2026-11-24", "h-name": "Libur daerah"})
    assert r.status_code == 302, r.get_data(as_text=True)
    assert "/admin/sla" in r.headers["Location"], r.headers["Location"]
    db.session.rollback()
    holiday = db.session.scalars(sa.select(Holiday)).one()
    assert holiday.region_code == "35.11"
    assert _due(serang) == before_s  # Kota Serang untouched
    assert _due(bondowoso) == before_b + timedelta(days=1)  # one working day later
    sla_config.forget_sla_config()  # this test's context cached the config before the request
    assert date(2026, 11, 24) not in sla_config.load_sla_config("36.73").calendar.holidays
    assert date(2026, 11, 24) in sla_config.load_sla_config("35.11.05").calendar.holidays


def test_national_holiday_moves_every_kabkota(users, two_tickets):
    bondowoso, serang = two_tickets
    before_b, before_s = _due(bondowoso), _due(serang)
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        sla_config.add_holiday(by=users["admin"], day="2026-11-24", name="Cuti bersama")
        db.session.commit()
    assert db.session.scalars(sa.select(Holiday)).one().region_code is None
    assert _due(bondowoso) == before_b + timedelta(days=1)
    assert _due(serang) == before_s + timedelta(days=1)


def test_kab_admin_cannot_touch_national_or_other_holidays(client, login, users, no_csrf):
    natal = sla_config.add_holiday(by=users["admin"], day="2026-12-25", name="Natal")
    serang_day = sla_config.add_holiday(
        by=users["admin"], day="2026-12-01", name="HUT Kota Serang", region_code="36.73"
    )
    db.session.commit()
    kab = users["admin_kab"]
    with pytest.raises(Forbidden, match="seluruh instalasi"):
        sla_config.add_holiday(by=kab, day="2026-12-26", name="Cuti", region_code=None)
    with pytest.raises(ValidationFailed):
        sla_config.add_holiday(by=kab, day="2026-12-26", name="Cuti", region_code="36.73")
    with pytest.raises(Forbidden):
        sla_config.delete_holiday(by=kab, holiday_id=natal.id)
    with pytest.raises(NotFound):
        sla_config.delete_holiday(by=kab, holiday_id=serang_day.id)
    db.session.rollback()
    # The same through the web: nothing written, nothing removed.
    login(kab)
    r = client.post("/admin/sla/libur?region=", data={"h-day": "2026-12-27", "h-name": "X"})
    assert r.status_code in (403, 422)
    r = client.post("/admin/sla/libur?region=36.73", data={"h-day": "2026-12-27", "h-name": "X"})
    assert r.status_code == 404  # another kab/kota is out of scope
    assert client.post(f"/admin/sla/libur/{natal.id}/hapus").status_code == 403
    assert client.post(f"/admin/sla/libur/{serang_day.id}/hapus").status_code == 404
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Holiday)) == 2
    # A national day cannot be added again as the kab/kota's own.
    with pytest.raises(ValidationFailed, match="hari libur nasional"):
        sla_config.add_holiday(by=kab, day="2026-12-25", name="Natal", region_code="35.11")


# --- SLA calendar and targets ----------------------------------------------------------------


def test_sla_targets_per_kabkota_fall_back_to_default(users, two_tickets):
    bondowoso, serang = two_tickets
    before_s = _due(serang)
    with time_machine.travel(MONDAY_9 + timedelta(hours=1), tick=False):
        sla_config.save_sla_settings(
            by=users["admin_kab"],
            region_code="35.11",
            mode="kalender",
            day_start="07:30",
            day_end="16:00",
            workdays=WEEKDAYS,
            targets={**TARGETS, "tinggi": (8, 1), "kritis": (4, 1)},
        )
        db.session.commit()
    assert _due(serang) == before_s
    assert _due(bondowoso) == bondowoso.created_at + timedelta(days=1)  # calendar mode, 1 day
    own = sla_config.load_sla_config("35.11.05")
    assert own.own and own.region_code == "35.11" and own.calendar.mode == "kalender"
    fallback = sla_config.load_sla_config("36.73.05")
    assert not fallback.own and fallback.calendar.mode == "kerja"
    assert fallback.targets == sla_config.load_sla_config(None).targets
    rows = db.session.scalars(sa.select(SlaTarget.region_code).distinct()).all()
    assert rows == ["35.11"]  # only the kab/kota saved; no default rows were written

    # The installation default changes Kota Serang, not Bondowoso, which has its own.
    with time_machine.travel(MONDAY_9 + timedelta(hours=2), tick=False):
        sla_config.save_sla_settings(
            by=users["admin"],
            mode="kerja",
            day_start="07:30",
            day_end="16:00",
            workdays=WEEKDAYS,
            targets={k: (a, r * 2) for k, (a, r) in TARGETS.items()},
        )
        db.session.commit()
    assert _due(bondowoso) == bondowoso.created_at + timedelta(days=1)
    assert _due(serang) > before_s
    with pytest.raises(Forbidden, match="seluruh instalasi"):
        sla_config.save_sla_settings(
            by=users["admin_kab"],
            mode="kerja",
            day_start="07:30",
            day_end="16:00",
            workdays=WEEKDAYS,
            targets=TARGETS,
        )
    defaults = db.session.scalars(sa.select(SlaSetting).where(SlaSetting.region_code.is_(None)))
    assert len(defaults.all()) == 1


def test_sla_page_shows_its_scope(client, login, users, no_csrf):
    login(users["admin_kab"])
    html = client.get("/admin/sla").get_data(as_text=True)
    assert "Berlaku untuk: <strong>Kabupaten Bondowoso</strong>" in html
    assert "Seluruh instalasi (bawaan)" not in html  # no way to pick the default
    login(users["admin"])
    html = client.get("/admin/sla").get_data(as_text=True)
    assert "Berlaku untuk: <strong>seluruh instalasi</strong>" in html
    html = client.get("/admin/sla?region=36.73").get_data(as_text=True)
    assert "Berlaku untuk: <strong>Kota Serang</strong>" in html


# --- certificate validity --------------------------------------------------------------------


def _valid_until(region_code: str, topic: str = "cetak_kk"):
    t = make_training((topic,), ends_on=date(2026, 1, 15), region_code=region_code)
    kec = "35.11.05" if region_code == "35.11" else "36.73.05"
    return attend(t, make_operator(kec)).valid_until


def test_kab_admin_validity_applies_only_to_own_certificates(client, login, users, no_csrf):
    """The issue's reproducer: validity set to 1 month in 35.11 leaves 36.73 at 24."""
    login(users["admin_kab"])
    data = {"perekaman": "1", "cetak_ktp": "1", "cetak_kk": "1", "jaringan": "1", "server": "1"}
    r = client.post("/pelatihan/pengaturan", data=data)
    assert r.status_code == 302
    db.session.rollback()
    assert set(db.session.scalars(sa.select(TopicValidity.region_code))) == {"35.11"}
    assert validity.validity_months("36.73")["cetak_kk"] == 24
    assert validity.validity_months("35.11.05")["cetak_kk"] == 1
    assert _valid_until("35.11") == date(2026, 2, 14)
    assert _valid_until("36.73") == date(2028, 1, 14)
    # Not the installation default, not another kab/kota.
    assert client.post("/pelatihan/pengaturan?region=", data=data).status_code in (403, 422)
    assert client.post("/pelatihan/pengaturan?region=36.73", data=data).status_code == 404
    db.session.rollback()
    assert set(db.session.scalars(sa.select(TopicValidity.region_code))) == {"35.11"}
    html = client.get("/pelatihan/pengaturan").get_data(as_text=True)
    assert "Berlaku untuk: <strong>Kabupaten Bondowoso</strong>" in html


def test_default_validity_reaches_kabkota_without_their_own(users):
    validity.set_validity_months(
        {"perekaman": 12, "cetak_ktp": 12, "cetak_kk": 12, "jaringan": 12, "server": 12},
        by=users["admin"],
    )
    validity.set_validity_months(
        {"perekaman": 6, "cetak_ktp": 6, "cetak_kk": 6, "jaringan": 6, "server": 6},
        by=users["admin"],
        region_code="35.11",
    )
    db.session.commit()
    assert validity.validity_months("36.73.05")["server"] == 12
    assert validity.validity_months("35.11")["server"] == 6
    assert validity.validity_months()["server"] == 12
    with pytest.raises(Forbidden):
        validity.set_validity_months(dict.fromkeys(validity.TOPICS, 3), by=users["admin_kab"])


# --- settings already per kab/kota or per location show it ---------------------------------


def test_letter_and_blanko_settings_pages_show_their_scope(client, login, users):
    login(users["admin_kab"])
    html = client.get("/admin/pengaturan-surat").get_data(as_text=True)
    assert "Berlaku untuk: <strong>Kabupaten Bondowoso</strong>" in html
    login(users["kadis"])
    html = client.get("/blanko/lokasi/35.11.05/pengaturan").get_data(as_text=True)
    assert 'data-testid="setting-scope"' in html and "Pujer" in html
