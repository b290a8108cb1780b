"""The register's rules, tested on the services directly (no web layer)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assets_app.assets import downtime, idle, queries, services, settings
from assets_app.assets.models import Asset, StatusEvent
from assets_app.audit.models import AuditLog
from assets_app.common.errors import Conflict, Forbidden, ValidationFailed
from tests.assets.helpers import asset_data, make_asset
from tests.querycount import count_queries


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- register ------------------------------------------------------------------------------


def test_create_asset_starts_operational_with_first_event_and_audit(db, users):
    asset = make_asset(users["petugas"], register_no="7")
    assert asset.register_no == "0007"  # NUP normalised
    assert asset.status == "operasional"
    assert asset.status_since == utc(2019, 8, 14, 17)  # 15 Aug 2019 00:00 WIB
    events = db.session.scalars(db.select(StatusEvent).where(StatusEvent.asset_id == asset.id))
    assert [e.status for e in events] == ["operasional"]
    logged = db.session.scalars(
        db.select(AuditLog).where(AuditLog.entity == "assets", AuditLog.entity_id == str(asset.id))
    ).all()
    assert len(logged) == 1 and logged[0].changes["unit_price"] == 14_750_000
    assert len(asset.label_token) >= 16


@pytest.mark.parametrize(
    ("override", "field", "text"),
    [
        ({"unit_price": -1}, "unit_price", "tidak boleh negatif"),
        ({"unit_price": "seratus"}, "unit_price", "bilangan bulat"),
        ({"unit_price": 12.5}, "unit_price", "tanpa pecahan"),
        ({"acquired_on": date.today() + timedelta(days=2)}, "acquired_on", "masa depan"),
        ({"bast_date": date(2019, 8, 1)}, "bast_date", "sebelum tanggal perolehan"),
        ({"category": "printer"}, "category", "tidak dikenal"),
        ({"condition": "RR"}, "condition", "tidak dikenal"),
        ({"funding_source": "APBDES"}, "funding_source", "tidak dikenal"),
        ({"kode_barang": "1.3.1.01.01.01.001"}, "kode_barang", "format KIB B"),
        ({"name": ""}, "name", "Wajib diisi"),
        ({"region_code": "35.11.05.2001"}, "region_code", "harus setingkat"),
        ({"region_code": "99.99"}, "region_code", "tidak dikenal"),
        ({"region_code": "36.73.05"}, "region_code", "di luar cakupan"),
        ({"register_no": "A-1"}, "register_no", "angka"),
    ],
)
def test_create_asset_rejects_bad_fields(db, users, override, field, text):
    with pytest.raises(ValidationFailed) as exc:
        services.create_asset(users["petugas"], asset_data(**override))
    assert any(text in m for m in exc.value.errors[field]), exc.value.errors
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Asset.id))) == 0


def test_register_number_unique_within_kode_and_region(db, users):
    make_asset(users["petugas"], register_no="0001")
    with pytest.raises(ValidationFailed) as exc:
        services.create_asset(users["petugas"], asset_data(register_no="1"))
    assert "sudah dipakai" in exc.value.errors["register_no"][0]
    db.session.rollback()
    # Same number, another kode barang or another kecamatan: fine.
    make_asset(users["petugas"], register_no="0001", kode_barang="1.3.2.10.02.03.003")
    make_asset(users["petugas"], register_no="0001", region_code="35.11.06")


def test_update_asset_partial_and_disposed_is_read_only(db, users):
    asset = make_asset(users["petugas"])
    services.update_asset(users["petugas"], asset, {"unit_price": "Rp 15.000.000"})
    db.session.commit()
    assert asset.unit_price == 15_000_000
    with pytest.raises(ValidationFailed):
        services.update_asset(users["petugas"], asset, {"bast_date": date(2018, 1, 1)})
    db.session.rollback()
    services.dispose_asset(users["petugas"], asset, note="SK Bupati 030/12/2026")
    db.session.commit()
    with pytest.raises(Conflict):
        services.update_asset(users["petugas"], asset, {"name": "X"})


# --- status --------------------------------------------------------------------------------


def test_status_change_needs_cause_and_party_and_updates_cache(db, users):
    asset = make_asset(users["petugas"])
    with pytest.raises(ValidationFailed) as exc:
        services.set_status(users["camat"], asset, status="gangguan")
    assert exc.value.errors == {
        "cause": ["Sebab wajib dipilih untuk status Gangguan."],
        "responsible_party": ["Penanggung jawab wajib dipilih untuk status Gangguan."],
    }
    db.session.rollback()
    with pytest.raises(ValidationFailed) as exc:  # a cause alone does not blame anybody
        services.set_status(users["camat"], asset, status="dalam_perbaikan", cause="jaringan")
    assert exc.value.errors == {
        "responsible_party": ["Penanggung jawab wajib dipilih untuk status Dalam perbaikan."]
    }
    db.session.rollback()
    when = utc(2026, 6, 1, 3)
    services.set_status(
        users["camat"],
        asset,
        status="gangguan",
        cause="jaringan",
        responsible_party="diskominfo",
        started_at=when,
        note="VPN putus",
    )
    db.session.commit()
    db.session.refresh(asset)
    assert (asset.status, asset.status_since) == ("gangguan", when)
    # The same status again is refused; going back in time too; the future too.
    for kwargs, field in (
        ({"status": "gangguan", "cause": "jaringan", "responsible_party": "diskominfo"}, "status"),
        ({"status": "operasional", "started_at": utc(2026, 5, 1)}, "started_at"),
        (
            {"status": "operasional", "started_at": datetime.now(UTC) + timedelta(hours=1)},
            "started_at",
        ),
        ({"status": "operasional", "started_at": utc(2026, 6, 1, 3, 0)}, None),
    ):
        if field is None:
            services.set_status(users["camat"], asset, **kwargs)
            db.session.commit()
            continue
        with pytest.raises(ValidationFailed) as exc:
            services.set_status(users["camat"], asset, **kwargs)
        assert field in exc.value.errors
        db.session.rollback()
    assert asset.status == "operasional"


def test_events_are_append_only(db, users):
    asset = make_asset(users["petugas"])
    event = db.session.scalar(db.select(StatusEvent).where(StatusEvent.asset_id == asset.id))
    event.note = "diubah"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_disposal_only_by_asset_officers_and_final(db, users):
    asset = make_asset(users["petugas"])
    with pytest.raises(Forbidden):
        services.set_status(users["camat"], asset, status="dihapuskan", note="x")
    with pytest.raises(ValidationFailed) as exc:
        services.dispose_asset(users["petugas"], asset, note="")
    assert "note" in exc.value.errors
    db.session.rollback()
    services.dispose_asset(users["kadis"], asset, note="BA penghapusan 000.2.4/3/2026")
    db.session.commit()
    assert asset.status == "dihapuskan"
    with pytest.raises(Conflict):
        services.set_status(users["petugas"], asset, status="operasional")


# --- downtime ------------------------------------------------------------------------------


def _timeline(db, users, region="35.11.05", **kw):
    """gangguan 1–3 Mar (jaringan/diskominfo), perbaikan 3–4 Mar (perangkat_keras/vendor),
    operasional 4–10 Mar, tidak_digunakan from 10 Mar (operator/disdukcapil), still open."""
    asset = make_asset(
        users["petugas"],
        region_code=region,
        acquired_on=date(2026, 1, 5),
        bast_date=date(2026, 1, 5),
        **kw,
    )
    now = utc(2026, 11, 1)
    for status, cause, party, at in (
        ("gangguan", "jaringan", "diskominfo", utc(2026, 3, 1)),
        ("dalam_perbaikan", "perangkat_keras", "vendor", utc(2026, 3, 3)),
        ("operasional", None, None, utc(2026, 3, 4)),
        ("tidak_digunakan", "operator", "disdukcapil", utc(2026, 3, 10)),
    ):
        services.set_status(
            users["petugas"],
            asset,
            status=status,
            cause=cause,
            responsible_party=party,
            started_at=at,
            now=now,
        )
    db.session.commit()
    return asset


def test_downtime_split_by_cause_and_party_clipped_to_period(db, users):
    asset = _timeline(db, users)
    result = downtime.downtime_hours(
        [asset.id], utc(2026, 3, 2), utc(2026, 3, 11), now=utc(2026, 11, 1)
    )
    # gangguan clipped at the start: 24 h; perbaikan 24 h; tidak_digunakan clipped at end: 24 h
    assert result["hours"] == pytest.approx(72)
    assert result["by_cause"] == {"jaringan": 24, "perangkat_keras": 24, "operator": 24}
    assert result["by_party"] == {"diskominfo": 24, "vendor": 24, "disdukcapil": 24}
    assert result["by_status"]["dalam_perbaikan"] == 24


def test_downtime_open_interval_counts_up_to_now(db, users):
    asset = _timeline(db, users)
    result = downtime.downtime_hours(
        [asset.id], utc(2026, 3, 9), utc(2026, 12, 31), now=utc(2026, 3, 10, 12)
    )
    assert result["hours"] == pytest.approx(12)
    assert result["by_party"] == {"disdukcapil": 12}
    # A period wholly in the future, or before any downtime, has none.
    assert downtime.downtime_hours([asset.id], utc(2026, 3, 5), utc(2026, 3, 9))["hours"] == 0
    assert (
        downtime.downtime_hours(
            [asset.id], utc(2026, 12, 1), utc(2026, 12, 2), now=utc(2026, 11, 1)
        )["hours"]
        == 0
    )


def test_downtime_filters_and_by_region_respect_scope(db, users):
    a = _timeline(db, users)
    _timeline(db, users, region="35.11.06")
    start, end, now = utc(2026, 3, 1), utc(2026, 3, 11), utc(2026, 11, 1)
    whole = downtime.downtime_hours(None, start, end, user=users["kadis"], now=now)
    assert whole["hours"] == pytest.approx(2 * (72 + 24))
    camat = downtime.downtime_hours(None, start, end, user=users["camat"], now=now)
    assert camat["hours"] == pytest.approx(96)
    stmt = db.select(Asset.id).where(Asset.id == a.id)
    assert downtime.downtime_hours(stmt, start, end, now=now)["hours"] == pytest.approx(96)
    by_region = downtime.downtime_by_region(users["kadis"], "35.11", start, end, now=now)
    assert set(by_region) == {"35.11.05", "35.11.06"}
    assert by_region["35.11.05"]["by_cause"]["jaringan"] == pytest.approx(48)
    assert downtime.downtime_by_region(users["camat"], None, start, end, now=now).keys() == {
        "35.11.05"
    }


def test_down_since_spans_consecutive_down_statuses(db, users):
    asset = make_asset(users["petugas"], acquired_on=date(2026, 1, 5), bast_date=None)
    now = utc(2026, 11, 1)
    services.set_status(
        users["petugas"],
        asset,
        status="gangguan",
        cause="jaringan",
        responsible_party="diskominfo",
        started_at=utc(2026, 6, 1),
        now=now,
    )
    services.set_status(
        users["petugas"],
        asset,
        status="dalam_perbaikan",
        cause="perangkat_keras",
        responsible_party="vendor",
        started_at=utc(2026, 8, 1),
        now=now,
    )
    db.session.commit()
    assert queries.down_since([asset.id]) == {asset.id: utc(2026, 6, 1)}
    latest = queries.latest_events([asset.id])
    assert latest[asset.id].cause == "perangkat_keras"


# --- totals --------------------------------------------------------------------------------


def test_register_totals_and_by_region_and_can_record(db, users):
    make_asset(users["petugas"], unit_price=10_000_000)
    make_asset(
        users["petugas"],
        unit_price=5_000_000,
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
        name="Printer KK",
    )
    other = make_asset(users["petugas"], region_code="35.11.06", unit_price=7_000_000)
    disposed = make_asset(users["petugas"], unit_price=99_000_000)
    services.dispose_asset(users["petugas"], disposed, note="SK 1")
    services.set_status(
        users["petugas"], other, status="gangguan", cause="listrik", responsible_party="pln"
    )
    db.session.commit()
    assert queries.register_totals(users["kadis"]) == (3, 22_000_000)
    assert queries.register_totals(users["kadis"], "35.11.05") == (2, 15_000_000)
    assert queries.register_totals(users["kadis"], category="cetak_kk") == (1, 5_000_000)
    assert queries.register_totals(users["kadis"], status="dihapuskan") == (1, 99_000_000)
    assert queries.register_totals(users["kadis"], q="printer") == (1, 5_000_000)
    assert queries.register_totals(users["camat"]) == (2, 15_000_000)
    assert queries.register_totals(users["petugas_serang"]) == (0, 0)
    by_region = queries.assets_by_region(users["kadis"], "35.11")
    assert by_region == {
        "35.11.05": {"count": 2, "value": 15_000_000, "operational": 2, "recording": 1},
        "35.11.06": {"count": 1, "value": 7_000_000, "operational": 0, "recording": 0},
    }
    assert queries.can_record_today(["35.11.05", "35.11.06", "35.11.07"]) == {
        "35.11.05": True,
        "35.11.06": False,
        "35.11.07": False,
    }
    # from the register's counts (the summary's way): the same answer, no query
    with count_queries(db.engine) as statements:
        assert queries.can_record_today(register=by_region) == {
            "35.11.05": True,
            "35.11.06": False,
        }
    assert statements == []


# --- usage and idle ------------------------------------------------------------------------


def test_usage_one_row_per_day_correction_replaces(db, users):
    row, created = services.record_usage(
        users["camat"],
        {
            "region_code": "35.11.05",
            "day": "2026-11-20",
            "rekam": 40,
            "cetak_ktp": 30,
            "cetak_kk": 12,
            "ditolak": 5,
            "kuota": 60,
        },
    )
    db.session.commit()
    assert created
    row2, created2 = services.record_usage(
        users["camat"], {"region_code": "35.11.05", "day": date(2026, 11, 20), "rekam": 41}
    )
    db.session.commit()
    assert not created2 and row2.id == row.id and row2.rekam == 41 and row2.ditolak == 0
    audit = db.session.scalars(
        db.select(AuditLog).where(AuditLog.entity == "usage_days", AuditLog.action == "update")
    ).one()
    assert audit.changes["rekam"] == [40, 41]
    for bad, field in (
        ({"region_code": "35.11.06"}, "region_code"),  # other kecamatan: out of camat's scope
        ({"day": "2099-01-01"}, "day"),
        ({"rekam": -3}, "rekam"),
        ({"rekam": "banyak"}, "rekam"),
    ):
        data = {"region_code": "35.11.05", "day": "2026-11-19", **bad}
        with pytest.raises(ValidationFailed) as exc:
            services.record_usage(users["camat"], data, today=date(2026, 11, 23))
        assert field in exc.value.errors
        db.session.rollback()
    totals = queries.usage_totals(users["kadis"], "35.11", date(2026, 11, 1), date(2026, 11, 30))
    assert totals == {
        "35.11.05": {"rekam": 41, "cetak_ktp": 0, "cetak_kk": 0, "ditolak": 0, "days": 1}
    }


def test_idle_rules(db, users):
    today = date(2026, 11, 23)
    old = {"acquired_on": date(2019, 8, 15), "bast_date": None}
    # Wringin files no usage report at all: its operational assets are unreported, not idle.
    unused = make_asset(users["petugas"], region_code="35.11.06", **old)
    used = make_asset(users["petugas"], region_code="35.11.05", **old)
    printer = make_asset(
        users["petugas"],
        region_code="35.11.05",
        category="cetak_kk",
        kode_barang="1.3.2.10.02.03.003",
        name="Printer KK",
        **old,
    )
    net = make_asset(
        users["petugas"],
        region_code="35.11.05",
        category="jaringan",
        kode_barang="1.3.2.10.02.04.002",
        name="Router",
        **old,
    )
    parked = make_asset(users["petugas"], region_code="35.11.05", **old)
    services.set_status(
        users["petugas"],
        parked,
        status="tidak_digunakan",
        cause="operator",
        responsible_party="disdukcapil",
        started_at=utc(2026, 1, 1),
    )
    broken = make_asset(users["petugas"], region_code="35.11.06", **old)
    services.set_status(
        users["petugas"],
        broken,
        status="gangguan",
        cause="jaringan",
        responsible_party="diskominfo",
        started_at=utc(2026, 1, 1),
    )
    recent = make_asset(
        users["petugas"],
        region_code="35.11.06",
        acquired_on=today - timedelta(days=5),
        bast_date=None,
    )
    # Pujer records every day but prints no KK at all in the window (last KK print 2 months ago).
    services.record_usage(
        users["petugas"],
        {"region_code": "35.11.05", "day": "2026-09-20", "rekam": 10, "cetak_kk": 3},
    )
    for d in range(30):
        services.record_usage(
            users["petugas"],
            {"region_code": "35.11.05", "day": today - timedelta(days=d), "rekam": 20},
        )
    db.session.commit()
    items = idle.idle_assets(users["kadis"], today=today)
    by_id = {i.asset.id: i for i in items}
    assert set(by_id) == {printer.id, parked.id}
    assert used.id not in by_id and net.id not in by_id  # recording counts for the router too
    assert broken.id not in by_id and recent.id not in by_id
    assert by_id[parked.id].kind == "status" and by_id[parked.id].since == date(2026, 1, 1)
    assert by_id[printer.id].since == date(2026, 9, 21)
    assert "pencetakan KK" in by_id[printer.id].reason
    assert "melaporkan nol pencetakan KK" in by_id[printer.id].reason
    value = idle.idle_value_by_region(users["kadis"], today=today)
    assert value == {"35.11.05": (2, 14_750_000 * 2)}
    split = idle.idle_split_by_region(users["kadis"], today=today)
    assert split["35.11.06"] == idle.IdleSplit(0, 0, 1, 14_750_000)  # unused: unreported
    assert split["35.11.05"] == idle.IdleSplit(2, 14_750_000 * 2, 0, 0)
    assert [
        a.id for a in db.session.scalars(idle.unreported_stmt(users["kadis"], today=today))
    ] == [unused.id]
    # A shorter window than the KK gap still flags the printer; camat sees only own kecamatan.
    assert {i.asset.id for i in idle.idle_assets(users["camat"], today=today)} == {
        printer.id,
        parked.id,
    }
    # No operator holds a certificate here, so the training domain names that for each item.
    assert idle.idle_extra_reasons(items) == {
        i.asset.id: "tidak ada operator terlatih" for i in items
    }


def test_coverage_latest_per_region(db, users):
    services.record_coverage(
        users["petugas"],
        {
            "region_code": "35.11.05",
            "as_of": "2026-06-30",
            "wajib_ktp": 30_000,
            "sudah_rekam": 27_000,
        },
    )
    services.record_coverage(
        users["petugas"],
        {
            "region_code": "35.11.05",
            "as_of": "2026-10-31",
            "wajib_ktp": 30_100,
            "sudah_rekam": 28_500,
        },
    )
    services.record_coverage(
        users["petugas"],
        {
            "region_code": "35.11.05.2001",
            "as_of": "2026-10-31",
            "wajib_ktp": 3000,
            "sudah_rekam": 2900,
        },
    )
    db.session.commit()
    latest = queries.latest_coverage(users["kadis"], "35.11")
    assert set(latest) == {"35.11.05", "35.11.05.2001"}
    assert latest["35.11.05"].sudah_rekam == 28_500
    assert latest["35.11.05"].belum_rekam == 1_600
    with pytest.raises(ValidationFailed) as exc:
        services.record_coverage(
            users["petugas"],
            {
                "region_code": "35.11.05",
                "as_of": "2026-10-31",
                "wajib_ktp": 100,
                "sudah_rekam": 200,
            },
        )
    assert "melebihi" in exc.value.errors["sudah_rekam"][0]


def test_condition_labels_are_a_setting(app, db, users):
    from assets_app.assets import documents

    app.config["CONDITION_LABELS"] = {"KB": "Rusak Ringan"}
    try:
        asset = make_asset(users["petugas"], condition="rusak ringan")
        assert asset.condition == "KB"
        row = next(documents.kib_rows(users["kadis"], queries.AssetFilter()))
        assert row.condition == "Rusak Ringan"
    finally:
        app.config.pop("CONDITION_LABELS")
    assert settings.condition_labels()["KB"] == "Kurang Baik"
