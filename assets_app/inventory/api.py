"""REST API: /api/v1/inventories (open, scan, close, read with the closing groups).

`POST /{id}/scans` honours `Idempotency-Key`: the same key again returns the first scan
(200, `Idempotent-Replayed: true`); the same asset scanned again returns its first scan too.
"""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint
from assets_app.api.schemas import Int
from assets_app.common.validate import MAX_INT64
from assets_app.inventory import queries, services
from assets_app.inventory.vocab import GROUPS

blp = Blueprint(
    "api_inventory", __name__, url_prefix="/api/v1/inventories", description="Inventarisasi aset"
)
Str = ma.fields.String


class SessionIn(ma.Schema):
    regions = ma.fields.List(
        Str(),
        required=True,
        metadata={"description": "Kode kab/kota, atau satu/lebih kode kecamatan"},
    )
    title = Str(allow_none=True)
    note = Str(allow_none=True)


class ScanIn(ma.Schema):
    asset_id = Int(allow_none=True)
    label_token = Str(allow_none=True, metadata={"description": "Token label, atau alamat QR"})
    register_no = Str(allow_none=True, metadata={"description": "NUP, atau kode_barang/NUP"})
    condition = Str(allow_none=True, metadata={"enum": ["B", "KB", "RB"]})
    note = Str(allow_none=True)
    found_in_region = Str(
        allow_none=True, metadata={"description": "Bila ditemukan di tempat lain"}
    )
    unregistered = ma.fields.Boolean(load_default=False)
    description = Str(allow_none=True, metadata={"description": "Uraian barang tidak terdaftar"})


class CloseIn(ma.Schema):
    note = Str(allow_none=True, metadata={"description": "Catatan Kepala Dinas (opsional)"})


class ScanOut(ma.Schema):
    id = Int()
    asset_id = Int(allow_none=True)
    condition = Str(allow_none=True)
    found_in_region = Str(allow_none=True)
    note = Str(allow_none=True)
    description = Str(allow_none=True)
    scanned_at = ma.fields.AwareDateTime()


class LineOut(ma.Schema):
    asset_id = Int(allow_none=True)
    kode_barang = Str()
    register_no = Str()
    name = Str()
    region_code = Str()
    unit_price = Int(max=MAX_INT64)
    condition_before = Str(allow_none=True)
    condition_after = Str(allow_none=True)
    found_in_region = Str(allow_none=True)
    note = Str(allow_none=True)


class GroupsOut(ma.Schema):
    found = ma.fields.List(ma.fields.Nested(LineOut))
    not_found = ma.fields.List(ma.fields.Nested(LineOut))
    condition_changed = ma.fields.List(ma.fields.Nested(LineOut))
    moved = ma.fields.List(ma.fields.Nested(LineOut))
    unregistered = ma.fields.List(ma.fields.Nested(LineOut))


class ValuesOut(ma.Schema):
    found = Int(max=MAX_INT64)
    not_found = Int(max=MAX_INT64)
    condition_changed = Int(max=MAX_INT64)
    moved = Int(max=MAX_INT64)
    unregistered = Int(max=MAX_INT64)


class SessionOut(ma.Schema):
    id = Int()
    region_code = Str()
    regions = ma.fields.List(Str(), attribute="region_codes")
    title = Str()
    note = Str(allow_none=True)
    status = Str(metadata={"enum": ["berjalan", "diajukan", "selesai"]})
    opened_at = ma.fields.AwareDateTime()
    confirmed_at = ma.fields.AwareDateTime(allow_none=True)
    confirm_note = Str(allow_none=True)
    expected = Int()
    groups = ma.fields.Nested(GroupsOut)
    values = ma.fields.Nested(ValuesOut)


def _detail(session) -> dict:
    groups = queries.groups_of(session, current_user)
    return {
        "id": session.id,
        "region_code": session.region_code,
        "region_codes": session.region_codes,
        "title": session.title,
        "note": session.note,
        "status": session.status,
        "opened_at": session.opened_at,
        "confirmed_at": session.confirmed_at,
        "confirm_note": session.confirm_note,
        "expected": groups.expected,
        "groups": {k: [ln.as_dict() for ln in groups.lines[k]] for k in GROUPS},
        "values": {k: groups.value(k) for k in GROUPS},
    }


@blp.route("", methods=["POST"])
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
def open_inventory(data):
    """Membuka inventarisasi untuk satu kab/kota, satu kecamatan atau beberapa kecamatan."""
    require_api("inventory.open")
    return _detail(services.open_session(current_user, **data))


@blp.route("/<int:session_id>")
@blp.response(200, SessionOut)
def get_inventory(session_id):
    """Inventarisasi dengan kelompok hasil (`groups`) dan nilainya (`values`, Rupiah)."""
    require_api("inventory.view")
    return _detail(queries.get_session_or_404(current_user, session_id))


@blp.route("/<int:session_id>/scans", methods=["POST"])
@blp.arguments(ScanIn)
@blp.response(201, ScanOut)
def post_scan(data, session_id):
    """Mencatat temuan: `asset_id`, `label_token` atau `register_no` dengan `condition`;
    `unregistered: true` dengan `description` untuk barang yang tidak terdaftar."""
    require_api("inventory.scan")
    session = queries.get_session_or_404(current_user, session_id)
    key = request.headers.get("Idempotency-Key")
    common = {k: data.get(k) for k in ("condition", "note", "found_in_region")}
    if data.pop("unregistered", False):
        scan, created = services.record_unregistered(
            current_user,
            session,
            description=data.get("description"),
            idempotency_key=key,
            **common,
        )
    else:
        scan, created = services.record_scan(
            current_user,
            session,
            asset_id=data.get("asset_id"),
            label_token=data.get("label_token"),
            register_no=data.get("register_no"),
            idempotency_key=key,
            **common,
        )
    if created:
        return scan
    return scan, 200, {"Idempotent-Replayed": "true"}


@blp.route("/<int:session_id>/close", methods=["POST"])
@blp.arguments(CloseIn)
@blp.response(200, SessionOut)
def close_inventory(data, session_id):
    """Kepala Dinas mengonfirmasi hasil; register diperbarui (kondisi, lokasi, tanda)."""
    require_api("inventory.confirm")
    session = queries.get_session_or_404(current_user, session_id)
    services.confirm_session(current_user, session, note=data.get("note"))
    return _detail(session)
