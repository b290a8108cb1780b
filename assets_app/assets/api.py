"""REST API: /api/v1/assets (+ /{id}/status), /api/v1/usage, /api/v1/coverage.

Same services, scope and roles as the web. Schemas only check JSON types; the services check
the rules and answer in Indonesian, so API, form and XLSX import agree word for word.
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, Timestamps, paginated, sort_field
from assets_app.api.schemas import Day, Int, Moment, list_filters, one_of
from assets_app.assets import queries, services
from assets_app.assets.models import Asset, CoverageSnapshot, UsageDay
from assets_app.common import vocab
from assets_app.common.timeutil import wib_local_to_utc
from assets_app.common.validate import MAX_INT64

assets_blp = Blueprint(
    "api_assets", __name__, url_prefix="/api/v1/assets", description="Register aset (KIB B)"
)
usage_blp = Blueprint(
    "api_usage", __name__, url_prefix="/api/v1/usage", description="Pemakaian harian"
)
coverage_blp = Blueprint(
    "api_coverage", __name__, url_prefix="/api/v1/coverage", description="Cakupan perekaman"
)
BLUEPRINTS = (assets_blp, usage_blp, coverage_blp)


# --- schemas -------------------------------------------------------------------------------

Str = ma.fields.String


class AssetIn(ma.Schema):
    region_code = Str(allow_none=True)
    kode_barang = Str(allow_none=True)
    register_no = Str(allow_none=True)
    name = Str(allow_none=True)
    category = Str(allow_none=True, metadata={"enum": list(vocab.ASSET_CATEGORY)})
    brand_model = Str(allow_none=True)
    serial_number = Str(allow_none=True)
    acquired_on = Day(allow_none=True)
    funding_source = Str(allow_none=True, metadata={"enum": list(vocab.FUNDING_SOURCE)})
    acquisition_method = Str(allow_none=True, metadata={"enum": list(vocab.ACQUISITION_METHOD)})
    contract_no = Str(allow_none=True)
    vendor = Str(allow_none=True)
    unit_price = Int(
        strict=True, allow_none=True, max=MAX_INT64, metadata={"description": "Rupiah, bulat"}
    )
    bast_no = Str(allow_none=True)
    bast_date = Day(allow_none=True)
    condition = Str(allow_none=True, metadata={"enum": list(vocab.CONDITION)})
    custodian = Str(allow_none=True)
    notes = Str(allow_none=True)
    nibar = Str(allow_none=True, metadata={"description": "NIBAR e-BMD; unik per kab/kota"})
    ukuran_cc = Str(allow_none=True)
    bahan = Str(allow_none=True)


class AssetOut(Timestamps):
    region_code = Str()
    kode_barang = Str()
    register_no = Str()
    name = Str()
    category = Str()
    brand_model = Str(allow_none=True)
    serial_number = Str(allow_none=True)
    acquired_on = Day()
    funding_source = Str()
    acquisition_method = Str()
    contract_no = Str(allow_none=True)
    vendor = Str(allow_none=True)
    unit_price = Int(max=MAX_INT64)
    bast_no = Str(allow_none=True)
    bast_date = Day(allow_none=True)
    condition = Str()
    custodian = Str(allow_none=True)
    notes = Str(allow_none=True)
    nibar = Str(allow_none=True, metadata={"description": "NIBAR e-BMD; unik per kab/kota"})
    ukuran_cc = Str(allow_none=True)
    bahan = Str(allow_none=True)
    status = Str()
    status_since = ma.fields.AwareDateTime()
    label_token = Str(metadata={"description": "Isi kode QR label: <base>/l/<label_token>"})
    last_inventory_on = Day(allow_none=True)
    last_inventory_result = Str(
        allow_none=True, metadata={"enum": ["ditemukan", "tidak_ditemukan"]}
    )


class AssetArgs(PageArgs):
    category = one_of(vocab.ASSET_CATEGORY, load_default=None)
    status = one_of([*vocab.ASSET_STATUS, "semua"], load_default=None)
    condition = one_of(vocab.CONDITION, load_default=None)
    funding_source = one_of(vocab.FUNDING_SOURCE, load_default=None)
    year = Int(load_default=None, validate=ma.validate.Range(min=1945, max=2100))
    q = Str(load_default=None)
    not_inventoried_since = Day(load_default=None)
    sort = sort_field(queries.SORTS, "kode")


class StatusIn(ma.Schema):
    status = Str(required=True, metadata={"enum": list(vocab.ASSET_STATUS)})
    cause = Str(allow_none=True, metadata={"enum": list(vocab.STATUS_CAUSE)})
    responsible_party = Str(allow_none=True, metadata={"enum": list(vocab.RESPONSIBLE_PARTY)})
    started_at = Moment(
        allow_none=True,
        metadata={"description": "ISO 8601; tanpa zona waktu dianggap WIB; kosong = sekarang"},
    )
    note = Str(allow_none=True)


class StatusOut(ma.Schema):
    id = Int()
    asset_id = Int()
    status = Str()
    cause = Str(allow_none=True)
    responsible_party = Str(allow_none=True)
    started_at = ma.fields.AwareDateTime()
    note = Str(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class UsageArgs(PageArgs):
    start = Day(load_default=None, data_key="from")
    end = Day(load_default=None, data_key="to")


class UsageIn(ma.Schema):
    region_code = Str(allow_none=True)
    day = Day(allow_none=True)
    rekam = Int(strict=True, allow_none=True)
    cetak_ktp = Int(strict=True, allow_none=True)
    cetak_kk = Int(strict=True, allow_none=True)
    ditolak = Int(strict=True, allow_none=True)
    kuota = Int(strict=True, allow_none=True)


class UsageOut(Timestamps):
    region_code = Str()
    day = Day()
    rekam = Int()
    cetak_ktp = Int()
    cetak_kk = Int()
    ditolak = Int()
    kuota = Int(allow_none=True)


class CoverageArgs(PageArgs):
    latest = ma.fields.Boolean(
        load_default=False, metadata={"description": "hanya data terbaru tiap wilayah"}
    )


class CoverageIn(ma.Schema):
    region_code = Str(allow_none=True)
    as_of = Day(allow_none=True)
    wajib_ktp = Int(strict=True, allow_none=True)
    sudah_rekam = Int(strict=True, allow_none=True)


class CoverageOut(Timestamps):
    region_code = Str()
    as_of = Day()
    wajib_ktp = Int()
    sudah_rekam = Int()
    belum_rekam = Int()
    coverage_pct = ma.fields.Float(allow_none=True)


# --- assets --------------------------------------------------------------------------------


@assets_blp.route("")
@assets_blp.arguments(AssetArgs, location="query")
@assets_blp.response(200, AssetOut(many=True))
def list_assets(args):
    """Register aset dalam cakupan; tanpa `status` aset dihapuskan tidak ikut."""
    require_api("assets.view")
    f = queries.AssetFilter(**list_filters(args))
    stmt = queries.apply_filter(sa.select(Asset), current_user, f)
    return paginated(stmt, args, sorts=queries.SORTS, tiebreak=Asset.id)


@assets_blp.route("", methods=["POST"])
@assets_blp.arguments(AssetIn)
@assets_blp.response(201, AssetOut)
def create_asset(data):
    """Mencatat satu aset; mulai berstatus operasional sejak tanggal perolehan."""
    require_api("assets.write")
    return services.create_asset(current_user, data)


@assets_blp.route("/<int:asset_id>")
@assets_blp.response(200, AssetOut)
def get_asset(asset_id):
    require_api("assets.view")
    return queries.get_asset_or_404(current_user, asset_id)


@assets_blp.route("/<int:asset_id>", methods=["PATCH"])
@assets_blp.arguments(AssetIn)
@assets_blp.response(200, AssetOut)
def patch_asset(data, asset_id):
    """Mengubah sebagian kolom register (status diubah lewat /status)."""
    require_api("assets.write")
    asset = queries.get_asset_or_404(current_user, asset_id)
    return services.update_asset(current_user, asset, data)


@assets_blp.route("/<int:asset_id>/status", methods=["POST"])
@assets_blp.arguments(StatusIn)
@assets_blp.response(201, StatusOut)
def post_status(data, asset_id):
    """Mencatat perubahan status (gangguan, dalam_perbaikan, … butuh sebab dan penanggung
    jawab). `dihapuskan` hanya untuk admin, kadis dan petugas."""
    require_api("assets.status")
    asset = queries.get_asset_or_404(current_user, asset_id)
    started = data.get("started_at")
    if started is not None:
        started = wib_local_to_utc(started)
    return services.set_status(
        current_user,
        asset,
        status=data.get("status"),
        cause=data.get("cause"),
        responsible_party=data.get("responsible_party"),
        started_at=started,
        note=data.get("note"),
    )


# --- usage ---------------------------------------------------------------------------------


@usage_blp.route("")
@usage_blp.arguments(UsageArgs, location="query")
@usage_blp.response(200, UsageOut(many=True))
def list_usage(args):
    """Pemakaian harian per tempat layanan; saring `region`, `from`, `to`."""
    require_api("assets.view")
    stmt = queries.usage_stmt(current_user, args["region"], args["start"], args["end"])
    return paginated(stmt.order_by(UsageDay.day.desc(), UsageDay.region_code), args)


@usage_blp.route("", methods=["POST"])
@usage_blp.arguments(UsageIn)
@usage_blp.response(201, UsageOut)
def post_usage(data):
    """Satu baris per tempat per hari: 201 bila baru, 200 bila mengoreksi data hari itu."""
    require_api("usage.write")
    row, created = services.record_usage(current_user, data)
    return row, 201 if created else 200


# --- coverage ------------------------------------------------------------------------------


@coverage_blp.route("")
@coverage_blp.arguments(CoverageArgs, location="query")
@coverage_blp.response(200, CoverageOut(many=True))
def list_coverage(args):
    """Cakupan perekaman; `latest=true` memberi data terbaru tiap wilayah saja."""
    require_api("assets.view")
    stmt = queries.coverage_stmt(current_user, args["region"])
    if args["latest"]:
        ids = [s.id for s in queries.latest_coverage(current_user, args["region"]).values()]
        stmt = sa.select(CoverageSnapshot).where(CoverageSnapshot.id.in_(ids))
    return paginated(
        stmt.order_by(CoverageSnapshot.region_code, CoverageSnapshot.as_of.desc()), args
    )


@coverage_blp.route("", methods=["POST"])
@coverage_blp.arguments(CoverageIn)
@coverage_blp.response(201, CoverageOut)
def post_coverage(data):
    """Satu data per wilayah per tanggal: 201 bila baru, 200 bila mengoreksi."""
    require_api("coverage.write")
    snap, created = services.record_coverage(current_user, data)
    return snap, 201 if created else 200
