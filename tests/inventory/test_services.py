"""Inventarisasi rules: scope, scans once, closing groups, the register updated through the
assets services (with audit rows), not found never deletes."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa

from assets_app.assets import queries as asset_queries
from assets_app.assets.documents import write_export
from assets_app.audit.models import AuditLog
from assets_app.common.errors import Conflict, Forbidden, ValidationFailed
from assets_app.extensions import db
from assets_app.inventory import queries, services
from tests.inventory.helpers import assets_two_kecamatan, open_pujer


def _messages(exc) -> str:
    return " ".join(m for msgs in exc.value.errors.values() for m in msgs)


def test_session_lists_expected_assets_of_its_kecamatan_only(users):
    a, b, c, other = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    groups = queries.groups_of(session)
    assert groups.expected == 3
    assert {ln.asset_id for ln in groups.lines["not_found"]} == {a.id, b.id, c.id}
    assert "Kec. Pujer" in session.title or "Pujer" in session.title


def test_camat_session_only_own_kecamatan_and_out_of_scope_scans_refused(users):
    a, b, c, other = assets_two_kecamatan()
    camat = users["camat"]
    with pytest.raises(ValidationFailed) as exc:
        services.open_session(camat, regions=["35.11.06"])
    assert "di luar cakupan wilayah Anda" in _messages(exc)
    with pytest.raises(ValidationFailed):
        services.open_session(camat, regions=["35.11"])
    session = open_pujer(camat)
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(camat, session, label_token=other.label_token, condition="B")
    assert "di luar cakupan wilayah Anda" in _messages(exc)
    # The petugas of the Dinas sees the asset, but it is outside this session's kecamatan.
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(users["petugas"], session, asset_id=other.id, condition="B")
    assert "di luar cakupan inventarisasi ini" in _messages(exc)
    assert queries.scans_of(session) == []


def test_scan_twice_is_recorded_once_and_key_replays(users):
    a, *_ = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    first, created = services.record_scan(
        users["petugas"], session, label_token=a.label_token, condition="KB", idempotency_key="k1"
    )
    assert created
    again, created = services.record_scan(
        users["camat"], session, register_no=a.register_no, condition="RB"
    )
    assert not created and again.id == first.id and again.condition == "KB"
    replay, created = services.record_scan(
        users["petugas"], session, label_token=a.label_token, condition="B", idempotency_key="k1"
    )
    assert not created and replay.id == first.id
    db.session.commit()
    assert len(queries.scans_of(session)) == 1


def test_bad_scan_input_named_by_field(users):
    a, *_ = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(users["petugas"], session, label_token="tidak-ada", condition="B")
    assert "tidak dikenal" in exc.value.errors["asset"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(users["petugas"], session, asset_id=a.id, condition="X")
    assert "condition" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(
            users["petugas"], session, asset_id=a.id, condition="B", photo=b"GIF89a not a photo"
        )
    assert "JPEG atau PNG" in exc.value.errors["photo"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.record_scan(
            users["petugas"], session, asset_id=a.id, condition="B", found_in_region="36.73.05"
        )
    assert "found_in_region" in exc.value.errors
    assert queries.scans_of(session) == []


def test_closing_groups_values_and_register_update_through_assets_service(users):
    a, b, c, other = assets_two_kecamatan()
    petugas, kadis = users["petugas"], users["kadis"]
    session = open_pujer(petugas)
    services.record_scan(petugas, session, asset_id=a.id, condition="B")
    services.record_scan(
        petugas,
        session,
        asset_id=b.id,
        condition="RB",
        found_in_region="35.11.06",
        note="Di gudang",
    )
    services.record_unregistered(petugas, session, description="Monitor tanpa label")
    db.session.commit()
    groups = queries.groups_of(session)
    assert {k: groups.count(k) for k in groups.lines} == {
        "found": 2,
        "not_found": 1,
        "condition_changed": 1,
        "moved": 1,
        "unregistered": 1,
    }
    assert groups.value("found") == 14_000_000
    assert groups.value("not_found") == 1_500_000
    # The opener may not confirm (four eyes); only a Kepala Dinas confirms.
    with pytest.raises(Forbidden):
        services.confirm_session(petugas, session)
    services.submit_session(petugas, session)
    with pytest.raises(Conflict):
        services.record_scan(petugas, session, asset_id=c.id, condition="B")
    services.confirm_session(kadis, session)
    db.session.commit()

    db.session.expire_all()
    moved = asset_queries.get_asset(b.id)
    assert (moved.region_code, moved.condition) == ("35.11.06", "RB")
    assert moved.last_inventory_result == "ditemukan"
    audit = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "assets", AuditLog.entity_id == str(b.id))
    ).all()
    assert any("region_code" in (row.changes or {}) for row in audit)
    # Not found only flags: the asset is still in the register, unchanged otherwise.
    missing = asset_queries.get_asset(c.id)
    assert missing is not None and missing.status == "operasional"
    assert missing.last_inventory_result == "tidak_ditemukan"
    assert missing.region_code == "35.11.05"
    # The frozen groups stay as confirmed.
    frozen = queries.groups_of(session)
    assert [ln.asset_id for ln in frozen.lines["moved"]] == [b.id]
    assert [ln.asset_id for ln in frozen.lines["not_found"]] == [c.id]
    assert frozen.count("unregistered") == 1
    with pytest.raises(Conflict):
        services.confirm_session(kadis, session)


def test_condition_change_shows_in_kib_export(users):
    a, *_ = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    services.record_scan(users["petugas"], session, asset_id=a.id, condition="KB")
    services.confirm_session(users["kadis"], session)
    db.session.commit()
    out = BytesIO()
    write_export(users["admin"], asset_queries.AssetFilter(region="35.11.05"), out)
    sheet = openpyxl.load_workbook(BytesIO(out.getvalue()), read_only=True).worksheets[0]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in rows if a.name in r)
    assert "Kurang Baik" in row or "KB" in row


def test_not_inventoried_since_filter(users):
    a, b, *_ = assets_two_kecamatan()
    session = open_pujer(users["petugas"])
    services.record_scan(users["petugas"], session, asset_id=a.id, condition="B")
    services.confirm_session(users["kadis"], session)
    db.session.commit()
    f = asset_queries.AssetFilter.from_args(
        {"region": "35.11.05", "not_inventoried_since": "2000-01-01"}
    )
    page, _ = asset_queries.list_assets(users["admin"], f)
    assert {x.id for x in page.items} == set()  # all three were inventoried (found or not)
    f = asset_queries.AssetFilter.from_args({"not_inventoried_since": "2000-01-01"})
    page, _ = asset_queries.list_assets(users["admin"], f)
    assert "PC kecamatan lain" in {x.name for x in page.items}


def test_overlapping_running_session_refused(users):
    assets_two_kecamatan()
    open_pujer(users["petugas"])
    with pytest.raises(Conflict):
        services.open_session(users["kadis"], regions=["35.11"])
    with pytest.raises(ValidationFailed) as exc:
        services.open_session(users["kadis"], regions=["35.11.06", "36.73.05"])
    assert "regions" in exc.value.errors
