from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from assets_app.common.errors import DomainError, NotFound
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import page_args
from assets_app.common.permissions import require
from assets_app.extensions import db, limiter
from assets_app.hearing import dashboard, forms, services
from assets_app.regions.services import region_choices

bp = Blueprint("hearing", __name__, url_prefix="/laporan")
public_bp = Blueprint("verify", __name__, url_prefix="/verifikasi")

MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FOCUS_FILTERS = {
    "tidak_rekam": lambda f: f.can_record_today is False,
    "menganggur": lambda f: f.idle_count > 0,
    "tiket": lambda f: f.open_tickets > 0,
    "tiket_terlambat": lambda f: f.overdue_tickets > 0,
    "kesenjangan": lambda f: f.training_gaps > 0,
    "henti": lambda f: f.downtime_hours > 0,
}
FOCUS_LABELS = {
    "tidak_rekam": "kecamatan yang tidak dapat merekam hari ini",
    "menganggur": "kecamatan dengan peralatan menganggur",
    "tiket": "kecamatan dengan tiket terbuka",
    "tiket_terlambat": "kecamatan dengan tiket melewati batas waktu",
    "kesenjangan": "kecamatan dengan kesenjangan pelatihan",
    "henti": "kecamatan dengan waktu henti",
}


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


@bp.get("/ringkasan")
@login_required
@require("reports.view")
def summary():
    """Every figure per kecamatan for an area and period (the lists behind the dashboard)."""
    default_start, default_end = services.default_period()
    raw_start = request.args.get("dari") or default_start.isoformat()
    raw_end = request.args.get("sampai") or default_end.isoformat()
    errors: dict = {}
    try:
        region = services.resolve_region(current_user, request.args.get("region"))
    except NotFound:
        abort(404)
    except DomainError as e:
        errors.update(e.errors)
        region = services.resolve_region(current_user, None)
    try:
        start, end = services.parse_period(raw_start, raw_end, fields=("dari", "sampai"))
    except DomainError as e:
        errors.update(e.errors)
        start, end = default_start, default_end
    result = services.summary_for(current_user, region, start, end, today=services.today_wib())
    focus = request.args.get("tampil")
    rows = list(result.rows)
    if focus in FOCUS_FILTERS:
        rows = [r for r in rows if FOCUS_FILTERS[focus](r.figures)]
    return render_template(
        "hearing/summary.html",
        summary=result,
        rows=rows,
        cards=dashboard.cards(result),
        charts=dashboard.charts(result),
        drill_url=dashboard.drill_url,
        errors=errors,
        focus=focus if focus in FOCUS_FILTERS else None,
        focus_label=FOCUS_LABELS.get(focus or ""),
        choices=region_choices(current_user, ("provinsi", "kabkota", "kecamatan")),
        raw_start=raw_start,
        raw_end=raw_end,
        region_arg=request.args.get("region") or (region.code if region else ""),
    )


@bp.get("/rdp")
@login_required
@require("reports.view")
def archive():
    page, per_page = page_args()
    return render_template(
        "hearing/archive.html", page=services.list_reports(current_user, page, per_page)
    )


@bp.route("/rdp/baru", methods=["GET", "POST"])
@login_required
@require("reports.generate")
def new():
    form = forms.PacketForm()
    form.region.choices = [("", "— pilih wilayah —")] + region_choices(
        current_user, ("provinsi", "kabkota", "kecamatan")
    )
    if request.method == "GET":
        start, end = services.default_period()
        form.region.data = current_user.region_code or ""
        form.start.data = form.start.data or start.isoformat()
        form.end.data = form.end.data or end.isoformat()
    if form.validate_on_submit():
        generated = None
        try:
            generated = services.generate_packet(
                current_user,
                form.region.data,
                form.start.data,
                form.end.data,
                base_url=_base_url(),
            )
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e, {"from": "start", "to": "end"})
        except BaseException:
            db.session.rollback()
            if generated is not None:
                services.discard_files(generated.report)
            raise
        else:
            report = generated.report
            flash(f"Paket laporan RDP #{report.id} dibuat dan diarsipkan.", "success")
            return redirect(url_for("hearing.archive", baru=report.id))
    return render_template("hearing/new.html", form=form)


@bp.get("/rdp/<int:report_id>/<any(pdf, xlsx):kind>")
@login_required
@require("reports.view")
def download(report_id: int, kind: str):
    report = services.get_report_or_404(report_id, current_user)
    path = services.file_path(report, kind)
    if not path.is_file():
        return render_template(
            "errors/error.html",
            status=404,
            title="Berkas tidak ditemukan",
            text="Berkas arsip paket ini tidak ada di server. Hubungi administrator.",
        ), 404
    g.no_store = True
    return send_file(
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


@public_bp.route("/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_UPLOAD_RATE_LIMIT"], methods=["POST"])
def lookup():
    """Upload any file: is it a packet this system produced, and which one?"""
    form = forms.VerifyForm()
    result = None
    digest = None
    if form.validate_on_submit():
        digest = _check_upload(form)
        if digest:
            result = services.find_by_hash(digest) or False
    return render_template("hearing/verify_lookup.html", form=form, result=result, digest=digest)


@public_bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_UPLOAD_RATE_LIMIT"], methods=["POST"])
def check(token: str):
    report = services.get_by_token(token)
    if report is None:
        return render_template(
            "errors/error.html",
            status=404,
            title="Paket tidak ditemukan",
            text="Tidak ada paket laporan dengan kode verifikasi ini.",
        ), 404
    form = forms.VerifyForm()
    match = None
    digest = None
    if form.validate_on_submit():
        digest = _check_upload(form)
        if digest:
            match = services.match_kind(report, digest) or False
    return render_template(
        "hearing/verify.html", report=report, form=form, match=match, digest=digest
    )
