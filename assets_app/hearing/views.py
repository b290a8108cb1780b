from __future__ import annotations

import io

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from assets_app.common.forms import submitted
from assets_app.common.pagination import page_args
from assets_app.common.permissions import require
from assets_app.common.views import form_post, page_form, send_private_file
from assets_app.extensions import limiter
from assets_app.hearing import dashboard, forms, queries, services
from assets_app.hearing.models import PACKET_STATUS

bp = Blueprint("hearing", __name__, url_prefix="/laporan")
public_bp = Blueprint("verify", __name__, url_prefix="/verifikasi")

MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _base_url() -> str:
    from assets_app.core.public_url import base_url

    return base_url(request.host_url)


def _not_found(title: str, text: str):
    """The 404 error page with a title and text of its own."""
    return render_template("errors/error.html", status=404, title=title, text=text), 404


@bp.get("/ringkasan")
@require("reports.view")
def summary():
    """Every figure per kecamatan for an area and period (the lists behind the dashboard)."""
    return render_template(
        "hearing/summary.html", **dashboard.summary_page(current_user, request.args)
    )


@bp.get("/kabkota")
@require("reports.view")
def kabkota():
    """Every figure per kab/kota side by side, for a province or the whole installation."""
    return render_template(
        "hearing/kabkota.html", **dashboard.kabkota_page(current_user, request.args)
    )


@bp.get("/rekap-harian")
@require("reports.view")
def recap():
    """Rekapitulasi harian per kab/kota per day; `?format=xlsx|pdf` downloads it."""
    ctx = dashboard.recap_page(current_user, request.args)
    if ctx["file"]:
        data, mimetype, name = ctx["file"]
        return send_file(
            io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name
        )
    return render_template("hearing/recap.html", **ctx)


@bp.get("/rdp")
@require("reports.view")
def archive():
    page, per_page = page_args()
    status = request.args.get("status") if request.args.get("status") in PACKET_STATUS else None
    result = queries.list_reports(current_user, page, per_page, status)
    return render_template(
        "hearing/archive.html",
        page=result,
        status=status,
        statuses=PACKET_STATUS,
        approvals=queries.approvals_for(result.items),
    )


@bp.get("/rdp/<int:report_id>")
@require("reports.view")
def packet(report_id: int):
    """One packet: its files, who prepared it, and its approval (with the kadis's button)."""
    report = queries.get_report(report_id, current_user)
    return render_template(
        "hearing/packet.html", report=report, approval=queries.approval_of(report)
    )


@form_post(bp, "/rdp/<int:report_id>/setujui", "hearing.packet")
@require("reports.approve")
def approve(report_id: int):
    back = url_for("hearing.packet", report_id=report_id)
    return page_form(
        None,
        lambda: services.approve_packet(current_user, report_id),
        lambda: f"Paket laporan RDP #{report_id} disetujui.",
        back,
        lambda: redirect(back),
    )


@bp.route("/rdp/baru", methods=["GET", "POST"])
@require("reports.generate")
def new():
    form = forms.packet_form(current_user)
    generated = submitted(
        form,
        lambda: services.generate_packet(
            current_user, form.region.data, form.start.data, form.end.data, base_url=_base_url()
        ),
        field_map={"from": "start", "to": "end"},
    )
    if generated:
        report = generated.report
        flash(f"Paket laporan RDP #{report.id} dibuat dan diarsipkan.", "success")
        return redirect(url_for("hearing.archive", baru=report.id))
    return render_template("hearing/new.html", form=form)


@bp.get("/rdp/<int:report_id>/<any(pdf, xlsx):kind>")
@require("reports.view")
def download(report_id: int, kind: str):
    report = queries.get_report(report_id, current_user)
    path = services.file_path(report, kind)
    if not path.is_file():
        return _not_found(
            "Berkas tidak ditemukan",
            "Berkas arsip paket ini tidak ada di server. Hubungi administrator.",
        )
    return send_private_file(
        path,
        mimetype=MIMETYPES[kind],
        as_attachment=True,
        download_name=path.name,
        etag=report.sha256(kind),
    )


# --- public verification (no login) -----------------------------------------------------------


def _check_upload(form):
    """SHA-256 of the uploaded file, or None with the reason on the form."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = ["Pilih berkas PDF atau XLSX yang akan diperiksa."]
        return None
    return services.sha256_stream(upload.stream)


def _verify(form, find):
    """(digest, `find(digest)` or False) of the posted file; None for what is not known yet
    (nothing posted, or no file chosen: then the reason is on the form)."""
    if not form.validate_on_submit():
        return None, None
    digest = _check_upload(form)
    return digest, ((find(digest) or False) if digest else None)


@public_bp.route("/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_UPLOAD_RATE_LIMIT"], methods=["POST"])
def lookup():
    """Upload any file: is it a packet this system produced, and which one?"""
    form = forms.VerifyForm()
    digest, result = _verify(form, queries.find_by_hash)
    return render_template("hearing/verify_lookup.html", form=form, result=result, digest=digest)


@public_bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_UPLOAD_RATE_LIMIT"], methods=["POST"])
def check(token: str):
    report = queries.get_by_token(token)
    if report is None:
        return _not_found(
            "Paket tidak ditemukan", "Tidak ada paket laporan dengan kode verifikasi ini."
        )
    form = forms.VerifyForm()
    digest, match = _verify(form, lambda d: queries.match_kind(report, d))
    return render_template(
        "hearing/verify.html",
        report=report,
        form=form,
        match=match,
        digest=digest,
        approval=queries.approval_of(report),
    )
