"""/api/v1/blanko: balances, movements (list, create), receipts and approvals."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, paginated
from assets_app.api.schemas import Day, Int, Moment, list_filters, one_of
from assets_app.blanko import queries, services, stats
from assets_app.blanko.models import STATUS_LABELS
from assets_app.common import vocab
from assets_app.common.errors import ValidationFailed

blp = Blueprint(
    "api_blanko", __name__, url_prefix="/api/v1/blanko", description="Stok blanko KTP-el"
)


# --- schemas -------------------------------------------------------------------------------


class BalanceArgs(PageArgs):
    low = ma.fields.Boolean(load_default=False)


class BalanceSchema(ma.Schema):
    region_code = ma.fields.String(attribute="code")
    name = ma.fields.String(attribute="label")
    level = ma.fields.String()
    on_hand = Int()
    in_transit = Int()
    reserved = Int()
    available = Int()
    used_30_days = Int(attribute="used_30")
    days_of_cover = ma.fields.Float(allow_none=True)
    low_stock_threshold = Int(attribute="threshold")
    low_stock = ma.fields.Boolean(attribute="low")


class _Authored(ma.Schema):
    """A ledger row: written once by someone, with an optional note."""

    id = Int()
    note = ma.fields.String(allow_none=True)
    author = ma.fields.Function(lambda r: r.author.username if r.author else None)


class ReceiptSchema(_Authored):
    quantity_sent = Int()
    quantity_received = Int()
    difference = Int()
    received_at = Moment()
    on_behalf_reason = ma.fields.String(allow_none=True)


class ApprovalSchema(_Authored):
    approved = ma.fields.Boolean()
    berita_acara_no = ma.fields.String(allow_none=True)
    decided_at = Moment()


class MovementSchema(_Authored):
    kind = ma.fields.String()
    status = ma.fields.String()
    region_code = ma.fields.String()
    from_region = ma.fields.String(allow_none=True)
    to_region = ma.fields.String(allow_none=True)
    quantity = Int()
    occurred_at = Moment()
    reference = ma.fields.String(allow_none=True)
    bast_date = Day(allow_none=True)
    request_id = Int(allow_none=True)
    serial_ranges = ma.fields.Function(lambda m: [[r.start_no, r.end_no] for r in m.serial_ranges])
    created_at = Moment()
    receipt = ma.fields.Nested(ReceiptSchema, allow_none=True)
    approval = ma.fields.Nested(ApprovalSchema, allow_none=True)


class MovementArgs(PageArgs):
    kind = one_of(vocab.BLANKO_MOVEMENT, load_default=None)
    status = one_of(STATUS_LABELS, load_default=None)
    location = ma.fields.String(load_default=None)
    start = Day(load_default=None, data_key="from")
    end = Day(load_default=None, data_key="to")


class MovementCreate(ma.Schema):
    kind = one_of(vocab.BLANKO_MOVEMENT, required=True)
    from_region = ma.fields.String(load_default=None, allow_none=True)
    to_region = ma.fields.String(load_default=None, allow_none=True)
    region_code = ma.fields.String(load_default=None, allow_none=True)
    quantity = Int(strict=True, load_default=None, allow_none=True)
    counted_quantity = Int(strict=True, load_default=None, allow_none=True)
    occurred_at = Moment(load_default=None, allow_none=True)
    reference = ma.fields.String(load_default=None, allow_none=True)
    bast_no = ma.fields.String(load_default=None, allow_none=True)
    bast_date = Day(load_default=None, allow_none=True)
    serial_ranges = ma.fields.List(
        ma.fields.List(ma.fields.Raw()), load_default=None, allow_none=True
    )
    note = ma.fields.String(load_default=None, allow_none=True)
    request_id = Int(strict=True, load_default=None, allow_none=True)


class ReceiveBody(ma.Schema):
    quantity_received = Int(strict=True, required=True)
    note = ma.fields.String(load_default=None, allow_none=True)
    received_at = Moment(load_default=None, allow_none=True)
    # Required when the caller is not the destination itself (the Dinas for a kecamatan).
    on_behalf_reason = ma.fields.String(load_default=None, allow_none=True)


class ApproveBody(ma.Schema):
    approved = ma.fields.Boolean(required=True)
    berita_acara_no = ma.fields.String(load_default=None, allow_none=True)
    note = ma.fields.String(load_default=None, allow_none=True)
    decided_at = Moment(load_default=None, allow_none=True)
    witnesses = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=120)),
        load_default=None,
        validate=ma.validate.Length(max=3),
        metadata={"description": "nama saksi berita acara (paling banyak tiga)"},
    )


# --- endpoints -----------------------------------------------------------------------------


@blp.route("/balances")
@blp.arguments(BalanceArgs, location="query")
@blp.response(200, BalanceSchema(many=True))
def balances(args):
    """Saldo per lokasi (gudang Dinas dan kecamatan) dalam cakupan; `region` menyaring subpohon,
    `low=true` hanya lokasi dengan ketahanan stok di bawah ambang."""
    require_api("blanko.view")
    page, per_page = args["page"], args["per_page"]
    result = stats.locations_page(current_user, args["region"], args["low"], page, per_page)
    headers = {"X-Total-Count": str(result.total), "X-Page": str(page), "X-Per-Page": str(per_page)}
    return result.items, headers


@blp.route("/movements")
@blp.arguments(MovementArgs, location="query")
@blp.response(200, MovementSchema(many=True))
def list_movements(args):
    """Riwayat mutasi (terbaru dahulu), disaring wilayah, lokasi, jenis, status dan tanggal."""
    require_api("blanko.view")
    f = queries.MovementFilters(**list_filters(args))
    return paginated(queries.movements_query(current_user, f), args)


@blp.route("/movements", methods=["POST"])
@blp.arguments(MovementCreate)
@blp.response(201, MovementSchema)
def create_movement(body):
    """Mencatat mutasi. Stok yang tidak cukup ditolak (422) dengan pesan yang menyebut
    tersedia dan diminta. `penyesuaian` dengan `counted_quantity` = hasil stock opname."""
    if body["kind"] == "penyesuaian" and body["counted_quantity"] is not None:
        movement_id = _opname_adjustment(body)
    else:
        movement_id = services.record_movement(current_user, **_movement_fields(body)).id
    return queries.get_movement(current_user, movement_id)


def _opname_adjustment(body) -> int:
    """A penyesuaian given as a count: the stock opname, whose difference is the movement."""
    opname = services.record_stock_opname(
        current_user,
        region_code=body["region_code"] or body["from_region"] or body["to_region"],
        counted_quantity=body["counted_quantity"],
        reason=body["note"],
        counted_at=body["occurred_at"],
    )
    if opname.movement_id is None:
        raise ValidationFailed(
            errors={"counted_quantity": ["Hasil hitung sama dengan buku: tidak ada selisih."]}
        )
    return opname.movement_id


def _movement_fields(body) -> dict:
    """The service's arguments; `region_code` is the one location of a one-sided movement and
    `bast_no` another name of `reference`."""
    kind, from_region, to_region = body["kind"], body["from_region"], body["to_region"]
    if body["region_code"] and not (from_region or to_region):
        if kind == "penerimaan":
            to_region = body["region_code"]
        else:
            from_region = body["region_code"]
    return {
        "kind": kind,
        "from_region": from_region,
        "to_region": to_region,
        "quantity": body["quantity"],
        "occurred_at": body["occurred_at"],
        "reference": body["reference"] or body["bast_no"],
        "bast_date": body["bast_date"],
        "note": body["note"],
        "serial_ranges": body["serial_ranges"],
        "request_id": body["request_id"],
    }


@blp.route("/movements/<int:movement_id>")
@blp.response(200, MovementSchema)
def get_movement(movement_id):
    require_api("blanko.view")
    return queries.get_movement(current_user, movement_id)


@blp.route("/movements/<int:movement_id>/receive", methods=["POST"])
@blp.arguments(ReceiveBody)
@blp.response(201, MovementSchema)
def receive(body, movement_id):
    """Konfirmasi penerimaan distribusi/pengembalian oleh lokasi tujuan; pengguna di atasnya
    (Dinas untuk kecamatan) hanya dapat mencatatnya atas nama tujuan dengan `on_behalf_reason`."""
    services.receive_movement(current_user, movement_id, **body)
    return queries.get_movement(current_user, movement_id)


@blp.route("/movements/<int:movement_id>/approve", methods=["POST"])
@blp.arguments(ApproveBody)
@blp.response(201, MovementSchema)
def approve(body, movement_id):
    """Keputusan Kepala Dinas atas blanko rusak/penyesuaian: `approved` true memerlukan
    `berita_acara_no`; false menolak dan saldo tetap."""
    services.decide_movement(current_user, movement_id, **body)
    return queries.get_movement(current_user, movement_id)
