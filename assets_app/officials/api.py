"""API: /api/v1/officials (list, add) and /api/v1/officials/{id} (read, change)."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, Timestamps
from assets_app.api.schemas import Day, Int, one_of
from assets_app.officials import queries, services, vocab

blp = Blueprint(
    "api_officials",
    __name__,
    url_prefix="/api/v1/officials",
    description="Pejabat penanda tangan dokumen per kabupaten/kota",
)


class OfficialSchema(Timestamps):
    id = Int()
    region_code = ma.fields.String()
    name = ma.fields.String()
    nip = ma.fields.String()
    rank = ma.fields.String()
    position = ma.fields.String()
    sign_line = ma.fields.String(allow_none=True)
    signs = ma.fields.List(ma.fields.String())
    active_from = Day(allow_none=True)
    active_to = Day(allow_none=True)


class OfficialArgs(ma.Schema):
    region = ma.fields.String(load_default=None, validate=ma.validate.Length(max=13))


class OfficialPatch(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(max=120))
    nip = ma.fields.String(validate=ma.validate.Length(max=40))
    rank = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=80))
    position = ma.fields.String(validate=ma.validate.Length(max=200))
    sign_line = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))
    signs = ma.fields.List(one_of(vocab.DOC_KINDS), validate=ma.validate.Length(max=12))
    active_from = Day(allow_none=True)
    active_to = Day(allow_none=True)


class OfficialIn(OfficialPatch):
    region_code = ma.fields.String(required=True, validate=ma.validate.Length(max=13))
    name = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    nip = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    position = ma.fields.String(required=True, validate=ma.validate.Length(max=200))


@blp.route("")
@blp.arguments(OfficialArgs, location="query")
@blp.response(200, OfficialSchema(many=True))
def list_officials(args):
    """Officials in the token's scope (`?region=` narrows to one kab/kota)."""
    require_api("officials.view")
    return queries.list_officials(current_user, args.get("region"))


@blp.route("", methods=["POST"])
@blp.arguments(OfficialIn)
@blp.response(201, OfficialSchema)
def create_official(data):
    """Adds an official; `signs` lists the documents they sign."""
    require_api("officials.write")
    return services.create_official(current_user, **data)


@blp.route("/<int:official_id>")
@blp.response(200, OfficialSchema)
def get_official(official_id):
    require_api("officials.view")
    return queries.get_official(current_user, official_id)


@blp.route("/<int:official_id>", methods=["PATCH"])
@blp.arguments(OfficialPatch)
@blp.response(200, OfficialSchema)
def update_official(data, official_id):
    """Changes the given fields of an official (the others stay)."""
    require_api("officials.write")
    official = queries.get_official(current_user, official_id)
    return services.update_official(current_user, official, **data)
