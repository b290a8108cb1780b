"""`/api/v1/daily-reports` (Idempotency-Key) and `/api/v1/reports/compliance`."""

from __future__ import annotations

from datetime import timedelta

import marshmallow as ma
from flask import request
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, api_error, paginated
from assets_app.api.schemas import Day, Int, Moment, one_of
from assets_app.common import idempotency, vocab
from assets_app.common.timeutil import today_wib
from assets_app.field import queries, services
from assets_app.field.models import DailyReport

blp = Blueprint(
    "api_daily_reports", __name__, url_prefix="/api/v1/daily-reports", description="Laporan harian"
)
compliance_blp = Blueprint(
    "api_compliance", __name__, url_prefix="/api/v1/reports", description="Kepatuhan melapor"
)
BLUEPRINTS = (blp, compliance_blp)


class DeviceIn(ma.Schema):
    asset_id = Int(required=True)
    status = one_of([s for s in vocab.ASSET_STATUS if s != "dihapuskan"], required=True)
    cause = one_of(vocab.STATUS_CAUSE, load_default=None, allow_none=True)
    responsible_party = one_of(vocab.RESPONSIBLE_PARTY, load_default=None, allow_none=True)


class DailyReportIn(ma.Schema):
    region_code = ma.fields.String(load_default=None, allow_none=True)
    day = Day(load_default=None, allow_none=True)
    rekam = Int(load_default=None, allow_none=True)
    cetak_ktp = Int(load_default=None, allow_none=True)
    cetak_kk = Int(load_default=None, allow_none=True)
    ditolak = Int(load_default=None, allow_none=True)
    suket = Int(load_default=None, allow_none=True)
    kuota = Int(load_default=None, allow_none=True)
    blanko_used = Int(load_default=0, allow_none=True)
    blanko_damaged = Int(load_default=0, allow_none=True)
    devices = ma.fields.List(ma.fields.Nested(DeviceIn), load_default=list)
    note = ma.fields.String(load_default=None, allow_none=True)


class DailyReportOut(ma.Schema):
    id = Int()
    region_code = ma.fields.String()
    day = Day()
    rekam = Int(allow_none=True)
    cetak_ktp = Int(allow_none=True)
    cetak_kk = Int(allow_none=True)
    ditolak = Int(allow_none=True)
    suket = Int(allow_none=True)
    kuota = Int(allow_none=True)
    blanko_used = Int()
    blanko_damaged = Int()
    devices_changed = Int()
    corrections = Int()
    note = ma.fields.String(allow_none=True)
    created_at = Moment()
    updated_at = Moment()


class ReportArgs(PageArgs):
    start = Day(load_default=None, data_key="from")
    end = Day(load_default=None, data_key="to")


class ComplianceArgs(ma.Schema):
    region = ma.fields.String(load_default=None)
    start = Day(load_default=None, data_key="from")
    end = Day(load_default=None, data_key="to")


class ComplianceOut(ma.Schema):
    region_code = ma.fields.String()
    name = ma.fields.String()
    days_reported = Int()
    days_expected = Int()
    reporting_pct = ma.fields.Float(allow_none=True)
    last_report_at = Moment(allow_none=True)


@blp.route("", methods=["POST"])
@blp.arguments(DailyReportIn)
@blp.response(201, DailyReportOut)
def post_daily_report(data):
    """Laporan harian satu tempat layanan (pemakaian, status perangkat, blanko) dalam satu
    transaksi. Kirim ulang dengan `Idempotency-Key` yang sama → laporan yang sama (200)."""
    require_api("daily.file")
    key = request.headers.get("Idempotency-Key")
    report, written = services.file_daily_report(
        current_user,
        data,
        idempotency_key=key,
        request_fingerprint=idempotency.fingerprint(data) if key else None,
    )
    if written:
        return queries.report_out(report)
    return queries.report_out(report), 200, {"Idempotent-Replayed": "true"}


@blp.route("")
@blp.arguments(ReportArgs, location="query")
@blp.response(200, DailyReportOut(many=True))
def list_daily_reports(args):
    """Laporan harian dalam cakupan; saring `region`, `from`, `to`."""
    require_api("daily.view")
    stmt = queries.reports_stmt(current_user, args["region"], args["start"], args["end"])
    stmt = stmt.order_by(DailyReport.day.desc(), DailyReport.region_code)
    items, headers = paginated(stmt, args)
    return [queries.report_out(r) for r in items], headers


@compliance_blp.route("/compliance")
@compliance_blp.arguments(ComplianceArgs, location="query")
@compliance_blp.response(200, ComplianceOut(many=True))
def get_compliance(args):
    """Kepatuhan melapor per kecamatan (dan kantor Dinas bila melayani): hari melapor ÷ hari
    kerja kalender kantor dalam periode (bawaan 30 hari terakhir)."""
    require_api("daily.view")
    end = args["end"] or today_wib()
    start = args["start"] or end - timedelta(days=29)
    if start > end:
        api_error(422, {"from": ["Tanggal awal harus sebelum atau sama dengan tanggal akhir."]})
    return queries.compliance(current_user, args["region"], start, end)
