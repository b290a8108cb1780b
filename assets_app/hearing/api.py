from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_login import current_user
from marshmallow.validate import OneOf

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint
from assets_app.common.timeutil import today_wib
from assets_app.hearing import services, snapshot
from assets_app.hearing.period import default_period, parse_period

blp = Blueprint(
    "api_reports", __name__, url_prefix="/api/v1/reports", description="Laporan dan ringkasan"
)


class SummaryArgs(ma.Schema):
    region = ma.fields.String(load_default=None)
    from_ = ma.fields.String(data_key="from", load_default=None)
    to = ma.fields.String(load_default=None)
    by = ma.fields.String(load_default="kecamatan", validate=OneOf(("kecamatan", "kabkota")))


@blp.route("/summary")
@blp.arguments(SummaryArgs, location="query")
def summary(args):
    """Angka ringkasan (sama dengan paket RDP) per kecamatan dan jumlahnya.

    `region`: provinsi, kabupaten/kota, atau kecamatan dalam cakupan (bawaan: cakupan
    pengguna). `from`/`to`: YYYY-MM-DD, inklusif (bawaan: 30 hari terakhir). `by=kabkota`:
    baris per kabupaten/kota (`kabkota`) alih-alih per kecamatan, untuk provinsi atau
    seluruh instalasi.
    """
    require_api("reports.view")
    region = services.resolve_region(current_user, args["region"])
    default_start, default_end = default_period()
    start, end = parse_period(args["from_"] or default_start, args["to"] or default_end)
    stored = snapshot.stored_api(current_user, region, start, end, args["by"])
    if stored is not None:  # the same JSON as_api gives, as of the snapshot's moment
        return current_app.response_class(stored, mimetype="application/json")
    result = services.summary_for(
        current_user, region, start, end, today=today_wib(), by=args["by"]
    )
    return result.as_api()
