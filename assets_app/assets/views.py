"""Web pages of the register, daily usage and coverage. Thin: parse → service → commit."""

from __future__ import annotations

import io
import tempfile
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from assets_app.assets import documents, forms, importer, services
from assets_app.assets.models import Asset, CoverageSnapshot, UsageDay
from assets_app.assets.timeutil import today_wib, wib_local_to_utc
from assets_app.common import vocab
from assets_app.common.errors import DomainError, ValidationFailed
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import Page, page_args, paginate
from assets_app.common.permissions import require
from assets_app.extensions import db
from assets_app.regions.models import Region
from assets_app.regions.services import region_choices
from reports.labels_pdf import render_labels_pdf

bp = Blueprint("assets", __name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _data(form) -> dict:
    return {k: v for k, v in form.data.items() if k not in ("csrf_token", "submit")}


def _pick(levels, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *region_choices(current_user, levels=levels)]


def _asset_or_404(asset_id: int) -> Asset:
    return services.get_asset_or_404(current_user, asset_id)


def public_base_url() -> str:
    return (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


def _vocabs() -> dict:
    return {
        "categories": vocab.ASSET_CATEGORY,
        "statuses": vocab.ASSET_STATUS,
        "conditions": services.condition_labels(),
        "funding": vocab.FUNDING_SOURCE,
        "methods": vocab.ACQUISITION_METHOD,
        "causes": vocab.STATUS_CAUSE,
        "parties": services.PARTY_LABELS,
    }


# --- register ------------------------------------------------------------------------------


@bp.get("/aset/")
@login_required
@require("assets.view")
def index():
    f = services.AssetFilter.from_args(request.args)
    page, per_page = page_args()
    sort = request.args.get("sort", "kode")
    result, value = services.list_assets(current_user, f, sort=sort, page=page, per_page=per_page)
    return render_template(
        "assets/index.html",
        page=result,
        value=value,
        f=f,
        sort=sort,
        regions=region_choices(current_user, levels=services.ASSET_REGION_LEVELS),
        **_vocabs(),
    )


def _asset_form_page(form, asset=None):
    from assets_app.assets.fields import KODE_BARANG_SUGGESTIONS

    form.condition.choices = list(services.condition_labels().items())
    return render_template(
        "assets/form.html", form=form, asset=asset, suggestions=KODE_BARANG_SUGGESTIONS
    )


@bp.route("/aset/baru", methods=["GET", "POST"])
@login_required
@require("assets.write")
def new():
    form = forms.AssetForm()
    form.region_code.choices = _pick(services.ASSET_REGION_LEVELS, "— pilih lokasi —")
    if form.validate_on_submit():
        try:
            asset = services.create_asset(current_user, _data(form))
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            flash(f"Aset {asset.name} ({asset.register_no}) dicatat.", "success")
            return redirect(url_for("assets.detail", asset_id=asset.id))
    return _asset_form_page(form)


@bp.get("/aset/<int:asset_id>")
@login_required
@require("assets.view")
def detail(asset_id: int):
    asset = _asset_or_404(asset_id)
    region = db.session.get(Region, asset.region_code)
    timeline = services.asset_timeline(asset)
    since = services.down_since([asset.id]).get(asset.id) if asset.is_down else None
    return render_template(
        "assets/detail.html",
        asset=asset,
        region=region,
        timeline=timeline,
        down_since=since,
        public_url=f"{public_base_url()}/l/{asset.label_token}",
        **_vocabs(),
    )


@bp.route("/aset/<int:asset_id>/ubah", methods=["GET", "POST"])
@login_required
@require("assets.write")
def edit(asset_id: int):
    asset = _asset_or_404(asset_id)
    if asset.status == "dihapuskan":
        flash("Aset sudah dihapuskan; datanya tidak dapat diubah lagi.", "warning")
        return redirect(url_for("assets.detail", asset_id=asset.id))
    form = forms.AssetForm(obj=asset)
    form.region_code.choices = _pick(services.ASSET_REGION_LEVELS, "— pilih lokasi —")
    if form.validate_on_submit():
        try:
            services.update_asset(current_user, asset, _data(form))
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            flash("Perubahan data aset disimpan.", "success")
            return redirect(url_for("assets.detail", asset_id=asset.id))
    return _asset_form_page(form, asset)


def _parse_started_at(text: str | None, date_only: bool = False) -> datetime | None:
    if not text or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        fmt = "YYYY-MM-DD" if date_only else "YYYY-MM-DD JJ:MM"
        raise ValidationFailed(
            errors={"started_at": [f"Waktu tidak valid; gunakan format {fmt}."]}
        ) from None
    return wib_local_to_utc(value)


@bp.route("/aset/<int:asset_id>/status", methods=["GET", "POST"])
@login_required
@require("assets.status")
def status(asset_id: int):
    asset = _asset_or_404(asset_id)
    if asset.status == "dihapuskan":
        flash("Aset sudah dihapuskan; statusnya tidak dapat diubah lagi.", "warning")
        return redirect(url_for("assets.detail", asset_id=asset.id))
    form = forms.StatusForm()
    if request.method == "GET":
        form.status.data = "gangguan" if asset.status == "operasional" else "operasional"
    if form.validate_on_submit():
        try:
            services.set_status(
                current_user,
                asset,
                status=form.status.data,
                cause=form.cause.data,
                responsible_party=form.responsible_party.data,
                started_at=_parse_started_at(form.started_at.data),
                note=form.note.data,
            )
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            flash(f"Status {asset.name} kini {asset.status_label}.", "success")
            return redirect(url_for("assets.detail", asset_id=asset.id))
    return render_template("assets/status.html", asset=asset, form=form)


@bp.route("/aset/<int:asset_id>/hapuskan", methods=["GET", "POST"])
@login_required
@require("assets.write")
def dispose(asset_id: int):
    asset = _asset_or_404(asset_id)
    if asset.status == "dihapuskan":
        flash("Aset ini sudah dihapuskan.", "info")
        return redirect(url_for("assets.detail", asset_id=asset.id))
    form = forms.DisposeForm()
    if form.validate_on_submit():
        try:
            services.dispose_asset(
                current_user,
                asset,
                note=form.note.data,
                started_at=_parse_started_at(form.started_at.data, date_only=True),
            )
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            flash(f"Aset {asset.name} dihapuskan dari daftar aktif.", "success")
            return redirect(url_for("assets.detail", asset_id=asset.id))
    return render_template("assets/dispose.html", asset=asset, form=form)


@bp.get("/aset/ekspor")
@login_required
@require("assets.view")
def export():
    f = services.AssetFilter.from_args(request.args)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it after sending)
    documents.write_export(current_user, f, spool)
    spool.seek(0)
    return send_file(
        spool, mimetype=XLSX_MIME, as_attachment=True, download_name=documents.export_filename(f)
    )


@bp.get("/aset/label")
@login_required
@require("assets.write")
def labels():
    f = services.AssetFilter.from_args(request.args)
    ids = [int(i) for i in request.args.getlist("id") if i.isdigit()][: documents.MAX_LABELS]
    try:
        items = documents.label_items(current_user, f, public_base_url(), ids=ids or None)
    except ValidationFailed as e:
        flash(e.message, "danger")
        return redirect(url_for("assets.index", **f.as_args()))
    pdf = render_labels_pdf(items, title="Label aset Disdukcapil")
    name = f"label-aset-{(f.region or 'semua').replace('.', '-')}.pdf"
    return send_file(
        io.BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
    )


@bp.get("/aset/menganggur")
@login_required
@require("assets.view")
def idle():
    region = (request.args.get("region") or "").strip() or None
    window = request.args.get("hari", type=int) or current_app.config.get(
        "IDLE_WINDOW_DAYS", services.IDLE_WINDOW_DAYS
    )
    window = min(max(window, 7), 365)
    today = today_wib()
    page, per_page = page_args()
    by_region = services.idle_value_by_region(current_user, region, window, today)
    total = sum(c for c, _ in by_region.values())  # the page count comes from the aggregate
    page = min(page, max(1, -(-total // per_page)))
    stmt = services.idle_stmt(current_user, region, window, today)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = [services.idle_item(row, window) for row in rows]
    result = Page(items=items, total=total, page=page, per_page=per_page)
    extra = services.idle_extra_reasons(items)
    names = _region_names(by_region)
    return render_template(
        "assets/idle.html",
        page=result,
        extra=extra,
        by_region=sorted(by_region.items()),
        names=names,
        total_count=sum(c for c, _ in by_region.values()),
        total_value=sum(v for _, v in by_region.values()),
        window=window,
        region=region,
        regions=region_choices(current_user, levels=services.ASSET_REGION_LEVELS),
    )


def _region_names(codes) -> dict[str, str]:
    codes = list(codes)
    if not codes:
        return {}
    regions = db.session.scalars(sa.select(Region).where(Region.code.in_(codes)))
    return {r.code: r.display_name for r in regions}


# --- imports (assets, usage, coverage share the flow) -------------------------------------

IMPORT_PAGES = {
    "aset": {
        "title": "Impor register aset (KIB B)",
        "back": "assets.index",
        "template": "assets.template",
        "upload": "assets.import_upload",
        "confirm": "assets.import_confirm",
        "action": "assets.write",
    },
    "pemakaian": {
        "title": "Impor pemakaian harian",
        "back": "assets.usage_index",
        "template": "assets.usage_template",
        "upload": "assets.usage_import",
        "confirm": "assets.usage_import_confirm",
        "action": "usage.write",
    },
    "cakupan": {
        "title": "Impor cakupan perekaman",
        "back": "assets.coverage_index",
        "template": "assets.coverage_template",
        "upload": "assets.coverage_import",
        "confirm": "assets.coverage_import_confirm",
        "action": "coverage.write",
    },
}


def _import_upload(kind: str):
    upload = forms.UploadForm()
    result = errors = token = None
    if upload.validate_on_submit():
        file = request.files.get("file")
        if file is None or not file.filename:
            errors = ["Pilih berkas XLSX untuk diunggah."]
        else:
            max_bytes = int(current_app.config.get("IMPORT_MAX_BYTES", importer.DEFAULT_MAX_BYTES))
            data = file.read(max_bytes + 1)
            try:
                result = importer.IMPORTERS[kind](data, current_user, dry_run=True)
                token = importer.store_upload(kind, current_user.id, data)
            except importer.ImportFailed as e:
                errors = e.messages
            finally:
                db.session.rollback()
    elif request.method == "POST":
        errors = ["Sesi formulir kedaluwarsa. Muat ulang halaman lalu unggah lagi."]
    return _import_page(kind, upload, result, errors, token)


def _import_page(kind, upload, result, errors, token):
    confirm = forms.ConfirmImportForm(formdata=None, token=token)
    preview = list(zip(result.row_numbers[:20], result.rows[:20], strict=True)) if result else []
    names = _region_names({r["region_code"] for _, r in preview})
    return render_template(
        "assets/import.html",
        kind=kind,
        cfg=IMPORT_PAGES[kind],
        upload=upload,
        confirm=confirm,
        result=result,
        preview=preview,
        names=names,
        errors=(errors or [])[: importer.ERRORS_SHOWN],
        error_count=len(errors or []),
        **_vocabs(),
    )


def _import_confirm(kind: str):
    form = forms.ConfirmImportForm()
    cfg = IMPORT_PAGES[kind]
    if not form.validate_on_submit():
        flash("Sesi formulir kedaluwarsa. Unggah ulang berkasnya.", "danger")
        return redirect(url_for(cfg["upload"]))
    data = importer.load_upload(kind, current_user.id, form.token.data)
    if data is None:
        flash("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa. Unggah ulang.", "warning")
        return redirect(url_for(cfg["upload"]))
    try:
        result = importer.IMPORTERS[kind](data, current_user)
        db.session.commit()
    except importer.ImportFailed as e:
        db.session.rollback()
        return _import_page(kind, forms.UploadForm(formdata=None), None, e.messages, None)
    importer.discard_upload(kind, current_user.id, form.token.data)
    if kind == "aset":
        flash(f"{result.created} aset diimpor.", "success")
    else:
        flash(f"{result.created} baris baru dan {result.updated} koreksi diimpor.", "success")
    return redirect(url_for(cfg["back"]))


def _template_file(kind: str, name: str):
    data = documents.TEMPLATES[kind]()
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name=name)


@bp.route("/aset/impor", methods=["GET", "POST"])
@login_required
@require("assets.write")
def import_upload():
    return _import_upload("aset")


@bp.post("/aset/impor/konfirmasi")
@login_required
@require("assets.write")
def import_confirm():
    return _import_confirm("aset")


@bp.get("/aset/templat")
@login_required
@require("assets.write")
def template():
    return _template_file("aset", "templat-impor-aset.xlsx")


# --- public label page ---------------------------------------------------------------------


@bp.get("/l/<token>")
def public_label(token: str):
    """What a QR label opens, without login: name, kecamatan and current status only."""
    if len(token) > 40:
        abort(404)
    row = db.session.execute(
        sa.select(Asset.name, Asset.status, Region)
        .join(Region, Region.code == Asset.region_code)
        .where(Asset.label_token == token)
    ).first()
    if row is None:
        abort(404)
    name, status_code, region = row
    return render_template(
        "assets/public_label.html",
        name=name,
        status=status_code,
        status_label=vocab.label(vocab.ASSET_STATUS, status_code),
        place=region.display_name if region.level != "kabkota" else f"{region.name} (Dinas)",
    )


# --- daily usage ---------------------------------------------------------------------------


def _month_range(text: str | None):
    today = today_wib()
    try:
        first = datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        first = today.replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1)


@bp.get("/pemakaian/")
@login_required
@require("assets.view")
def usage_index():
    region = (request.args.get("region") or "").strip() or None
    start, end = _month_range(request.args.get("bulan"))
    page, per_page = page_args(default_per_page=31)
    stmt = (
        services.usage_stmt(current_user, region, start, end)
        .add_columns(Region)
        .join(Region, Region.code == UsageDay.region_code)
        .order_by(UsageDay.day.desc(), UsageDay.region_code)
    )
    result = paginate(stmt, page, per_page, scalars=False)
    totals = services.usage_totals(current_user, region, start, end)
    grand = {k: sum(t[k] for t in totals.values()) for k in (*services.USAGE_COUNTS, "days")}
    return render_template(
        "assets/usage_index.html",
        page=result,
        grand=grand,
        region=region,
        month=start,
        prev_month=(start - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(end + timedelta(days=1)).strftime("%Y-%m"),
        regions=region_choices(current_user, levels=services.USAGE_REGION_LEVELS),
    )


@bp.route("/pemakaian/isi", methods=["GET", "POST"])
@login_required
@require("usage.write")
def usage_form():
    form = forms.UsageForm()
    form.region_code.choices = _pick(services.USAGE_REGION_LEVELS, "— pilih tempat layanan —")
    if request.method == "GET":
        form.day.data = request.args.get("day") or today_wib().isoformat()
        form.region_code.data = request.args.get("region") or (
            current_user.region_code if current_user.region_code else None
        )
        existing = _existing_usage(form.region_code.data, form.day.data)
        for key in (*services.USAGE_COUNTS, "kuota"):
            value = getattr(existing, key) if existing else (0 if key != "kuota" else None)
            getattr(form, key).data = "" if value is None else str(value)
    if form.validate_on_submit():
        try:
            row, created = services.record_usage(current_user, _data(form))
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            word = "dicatat" if created else "dikoreksi (data lama diganti; tercatat di log audit)"
            flash(f"Pemakaian {row.region_code} tanggal {row.day:%d/%m/%Y} {word}.", "success")
            return redirect(url_for("assets.usage_index", region=row.region_code))
    return render_template("assets/usage_form.html", form=form)


def _existing_usage(region_code, day_text):
    try:
        day = datetime.strptime(day_text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    if not region_code:
        return None
    stmt = services.usage_stmt(current_user, region_code).where(
        UsageDay.region_code == region_code, UsageDay.day == day
    )
    return db.session.scalar(stmt)


@bp.route("/pemakaian/impor", methods=["GET", "POST"])
@login_required
@require("usage.write")
def usage_import():
    return _import_upload("pemakaian")


@bp.post("/pemakaian/impor/konfirmasi")
@login_required
@require("usage.write")
def usage_import_confirm():
    return _import_confirm("pemakaian")


@bp.get("/pemakaian/templat")
@login_required
@require("usage.write")
def usage_template():
    return _template_file("pemakaian", "templat-impor-pemakaian.xlsx")


# --- coverage ------------------------------------------------------------------------------


@bp.get("/cakupan/")
@login_required
@require("assets.view")
def coverage_index():
    region = (request.args.get("region") or "").strip() or None
    page, per_page = page_args()
    stmt = (
        services.coverage_stmt(current_user, region)
        .add_columns(Region)
        .join(Region, Region.code == CoverageSnapshot.region_code)
        .order_by(CoverageSnapshot.as_of.desc(), CoverageSnapshot.region_code)
    )
    result = paginate(stmt, page, per_page, scalars=False)
    return render_template(
        "assets/coverage_index.html",
        page=result,
        region=region,
        regions=region_choices(current_user, levels=services.COVERAGE_REGION_LEVELS[:2]),
    )


@bp.route("/cakupan/isi", methods=["GET", "POST"])
@login_required
@require("coverage.write")
def coverage_form():
    form = forms.CoverageForm()
    form.region_code.choices = _pick(services.COVERAGE_REGION_LEVELS, "— pilih wilayah —")
    if request.method == "GET":
        form.as_of.data = today_wib().isoformat()
        form.region_code.data = request.args.get("region")
    if form.validate_on_submit():
        try:
            snap, created = services.record_coverage(current_user, _data(form))
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
        else:
            word = "dicatat" if created else "dikoreksi"
            flash(f"Cakupan {snap.region_code} per {snap.as_of:%d/%m/%Y} {word}.", "success")
            return redirect(url_for("assets.coverage_index", region=snap.region_code))
    return render_template("assets/coverage_form.html", form=form)


@bp.route("/cakupan/impor", methods=["GET", "POST"])
@login_required
@require("coverage.write")
def coverage_import():
    return _import_upload("cakupan")


@bp.post("/cakupan/impor/konfirmasi")
@login_required
@require("coverage.write")
def coverage_import_confirm():
    return _import_confirm("cakupan")


@bp.get("/cakupan/templat")
@login_required
@require("coverage.write")
def coverage_template():
    return _template_file("cakupan", "templat-impor-cakupan.xlsx")
