from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user

from assets_app.api.base import Blueprint, PageArgs, api_error, paginated
from assets_app.api.schemas import one_of
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.scope import check_region_param, in_scope, scoped

blp = Blueprint("api_regions", __name__, url_prefix="/api/v1/regions", description="Wilayah")


class RegionArgs(PageArgs):
    parent = ma.fields.String(load_default=None)
    level = one_of(["provinsi", "kabkota", "kecamatan", "kelurahan"], load_default=None)


class RegionSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()
    parent_code = ma.fields.String(allow_none=True)


@blp.route("")
@blp.arguments(RegionArgs, location="query")
@blp.response(200, RegionSchema(many=True))
def list_regions(args):
    """Wilayah dalam cakupan pengguna; `parent` memberi anak langsung satu wilayah."""
    check_region_param()
    stmt = scoped(
        sa.select(Region).order_by(Region.code), Region.code, current_user, args["region"]
    )
    if args["parent"]:
        parent = db.session.get(Region, args["parent"])
        if parent is None or not in_scope(current_user, parent.code):
            api_error(404, "Wilayah induk tidak ditemukan atau di luar cakupan Anda.")
        stmt = stmt.where(Region.parent_code == parent.code)
    if args["level"]:
        stmt = stmt.where(Region.level == args["level"])
    return paginated(stmt, args)


@blp.route("/<code>")
@blp.response(200, RegionSchema)
def get_region(code):
    region = db.session.get(Region, code)
    if region is None or not in_scope(current_user, region.code):
        api_error(404, "Wilayah tidak ditemukan atau di luar cakupan Anda.")
    return region
