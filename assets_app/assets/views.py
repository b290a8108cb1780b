"""Web pages of the register, daily usage and coverage. Thin: parse → service → render or
redirect; the request's unit of work commits once at the end (`common.uow`)."""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime, timedelta
from functools import wraps

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

from assets_app.assets import (
    documents,
    formats,
    forms,
    importer,
    queries,
    reporting,
    services,
    settings,
)
from assets_app.assets import idle as idling
from assets_app.assets.fields import KODE_BARANG_SUGGESTIONS
from assets_app.common import vocab
from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.forms import form_data, submitted
from assets_app.common.pagination import page_args, paginate
from assets_app.common.permissions import require
from assets_app.common.timeutil import start_of_day, today_wib
from assets_app.common.uow import discard
from assets_app.common.validate import Invalid, check_date_window, parse_date
from assets_app.common.views import form_post
from assets_app.exports import services as exportjobs
from assets_app.regions.services import region_choices
from reports.labels_pdf import render_labels_pdf

bp = Blueprint("assets", __name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_KINDS = "<any(aset, pemakaian, cakupan):kind>"


def _pick(levels, blank: str, selected: str | None = None) -> list[tuple[str, str]]:
    return [("", blank), *region_choices(current_user, levels=levels, selected=selected)]


def _regions(levels) -> list[tuple[str, str]]:
    return region_choices(current_user, levels=levels)


def _asset_or_404(asset_id: int):
    return queries.get_asset_or_404(current_user, asset_id)


def _to_detail(asset, message: str | None = None, category: str = "success"):
    if message:
        flash(message, category)
    return redirect(url_for("assets.detail", asset_id=asset.id))


def _not_disposed(message: str, category: str = "warning"):
    """For a view that changes an asset: loads it (404 outside scope) and passes it on; a
    disposed asset goes back to its page with `message` instead."""

    def decorate(view):
        @wraps(view)
        def wrapped(asset_id: int):
            asset = _asset_or_404(asset_id)
            if asset.status == "dihapuskan":
                return _to_detail(asset, message, category)
            return view(asset)

        return wrapped

    return decorate


def _region_arg() -> str | None:
    return (request.args.get("region") or "").strip() or None


def public_base_url() -> str:
    from assets_app.core.public_url import base_url

    return base_url(request.url_root)


def _vocabs() -> dict:
    return {
        "categories": vocab.ASSET_CATEGORY,
        "statuses": vocab.ASSET_STATUS,
        "conditions": settings.condition_labels(),
        "funding": vocab.FUNDING_SOURCE,
        "methods": vocab.ACQUISITION_METHOD,
        "causes": vocab.STATUS_CAUSE,
        "parties": settings.PARTY_LABELS,
    }


# --- register ------------------------------------------------------------------------------


@bp.get("/aset/")
@require("assets.view")
def index():
    f = queries.AssetFilter.from_args(request.args)
    page, per_page = page_args()
    sort = request.args.get("sort", "kode")
    result, value = queries.list_assets(current_user, f, sort=sort, page=page, per_page=per_page)
    return render_template(
        "assets/index.html",
        page=result,
        value=value,
        f=f,
        sort=sort,
        regions=_regions(settings.ASSET_REGION_LEVELS),
        **_vocabs(),
    )


def _asset_form(asset=None) -> forms.AssetForm:
    form = forms.AssetForm(obj=asset)
    form.region_code.choices = _pick(
        settings.ASSET_REGION_LEVELS, "— pilih lokasi —", form.region_code.data
    )
    form.condition.choices = list(settings.condition_labels().items())
    return form


def _asset_form_page(form, asset=None):
    return render_template(
        "assets/form.html", form=form, asset=asset, suggestions=KODE_BARANG_SUGGESTIONS
    )


@bp.route("/aset/baru", methods=["GET", "POST"])
@require("assets.write")
def new():
    form = _asset_form()
    asset = submitted(form, lambda: services.create_asset(current_user, form_data(form)))
    if asset:
        return _to_detail(asset, f"Aset {asset.name} ({asset.register_no}) dicatat.")
    return _asset_form_page(form)


@bp.get("/aset/<int:asset_id>")
@require("assets.view")
def detail(asset_id: int):
    asset = _asset_or_404(asset_id)
    since = queries.down_since([asset.id]).get(asset.id) if asset.is_down else None
    return render_template(
        "assets/detail.html",
        asset=asset,
        region=queries.region_of(asset),
        timeline=queries.asset_timeline(asset),
        down_since=since,
        public_url=f"{public_base_url()}/l/{asset.label_token}",
        **_vocabs(),
    )


@bp.route("/aset/<int:asset_id>/ubah", methods=["GET", "POST"])
@require("assets.write")
@_not_disposed("Aset sudah dihapuskan; datanya tidak dapat diubah lagi.")
def edit(asset):
    form = _asset_form(asset)
    if submitted(form, lambda: services.update_asset(current_user, asset, form_data(form))):
        return _to_detail(asset, "Perubahan data aset disimpan.")
    return _asset_form_page(form, asset)


@bp.route("/aset/<int:asset_id>/status", methods=["GET", "POST"])
@require("assets.status")
@_not_disposed("Aset sudah dihapuskan; statusnya tidak dapat diubah lagi.")
def status(asset):
    form = forms.StatusForm()
    if request.method == "GET":
        form.status.data = "gangguan" if asset.status == "operasional" else "operasional"
    if submitted(form, lambda: services.set_status(current_user, asset, **form_data(form))):
        return _to_detail(asset, f"Status {asset.name} kini {asset.status_label}.")
    return render_template("assets/status.html", asset=asset, form=form)


@bp.route("/aset/<int:asset_id>/hapuskan", methods=["GET", "POST"])
@require("assets.write")
@_not_disposed("Aset ini sudah dihapuskan.", "info")
def dispose(asset):
    form = forms.DisposeForm()

    def action():
        day = form.started_at.data  # a day: disposal counts from 00:00 WIB
        started_at = start_of_day(day) if day else None
        return services.dispose_asset(
            current_user, asset, note=form.note.data, started_at=started_at
        )

    if submitted(form, action):
        return _to_detail(asset, f"Aset {asset.name} dihapuskan dari daftar aktif.")
    return render_template("assets/dispose.html", asset=asset, form=form)


@bp.get("/aset/ekspor")
@require("assets.view")
def export():
    f = queries.AssetFilter.from_args(request.args)
    fmt = request.args.get("format")
    # Above EXPORT_JOB_THRESHOLD rows the file is written in the background (exports).
    params = {"format": fmt if fmt in formats.FORMATS else None, "filter": f.as_args()}
    try:
        job = exportjobs.start_if_big(current_user, "register", params)
    except ValidationFailed as e:
        flash(e.message, "warning")
        return redirect(url_for("assets.index", **f.as_args()))
    if job is not None:
        return redirect(url_for("exports.job", job_id=job.id), code=303)
    if fmt in ("kib", "ebmd", "simda"):
        data = io.BytesIO(formats.export_register(current_user, f, fmt))
        mimetype = formats.MIMETYPES[formats.EXTENSION[fmt]]
        name = formats.export_filename(f, fmt)
        return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (send_file closes it after sending)
    documents.write_export(current_user, f, spool)
    spool.seek(0)
    return send_file(
        spool, mimetype=XLSX_MIME, as_attachment=True, download_name=documents.export_filename(f)
    )


@bp.get("/aset/label")
@require("assets.write")
def labels():
    f = queries.AssetFilter.from_args(request.args)
    ids = [int(i) for i in request.args.getlist("id") if i.isdigit()][: documents.MAX_LABELS]
    try:
        items = documents.label_items(current_user, f, public_base_url(), ids=ids or None)
    except ValidationFailed as e:
        flash(e.message, "danger")
        return redirect(url_for("assets.index", **f.as_args()))
    pdf = render_labels_pdf(items, title="Label aset Disdukcapil")
    name = f"label-aset-{(f.region or 'semua').replace('.', '-')}.pdf"
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name
    )


def _idle_window() -> int:
    window = request.args.get("hari", type=int) or current_app.config.get(
        "IDLE_WINDOW_DAYS", settings.IDLE_WINDOW_DAYS
    )
    return min(max(window, 7), 365)


@bp.get("/aset/menganggur")
@require("assets.view")
def idle():
    region, window = _region_arg(), _idle_window()
    result, by_region = idling.idle_page(current_user, region, window, *page_args())
    today = today_wib()
    idle_regions = [(c, s) for c, s in by_region.items() if s.idle_count]
    unreported = [(c, s) for c, s in by_region.items() if s.unreported_count]
    # the side panels name the PANEL_ROWS regions of largest value (a national scope has
    # thousands); their totals stay those of every region
    top_idle = _largest(idle_regions, lambda s: s.idle_value)
    top_unreported = _largest(unreported, lambda s: s.unreported_value)
    return render_template(
        "assets/idle.html",
        page=result,
        extra=services.idle_extra_reasons(result.items),
        by_region=top_idle,
        by_region_more=len(idle_regions) - len(top_idle),
        unreported=top_unreported,
        unreported_more=len(unreported) - len(top_unreported),
        last_reports=services.reporting_by_region(
            current_user, region, today, today, today, codes=[c for c, _ in top_unreported]
        ),
        names=queries.region_names(dict(top_idle + top_unreported)),
        total_count=result.total,
        total_value=sum(s.idle_value for s in by_region.values()),
        unreported_count=sum(s.unreported_count for _, s in unreported),
        unreported_value=sum(s.unreported_value for _, s in unreported),
        window=window,
        region=region,
        regions=_regions(settings.ASSET_REGION_LEVELS),
    )


PANEL_ROWS = 25


def _largest(items: list, value) -> list:
    """The PANEL_ROWS items of largest value, shown in region-code order."""
    if len(items) <= PANEL_ROWS:
        return sorted(items)
    top = sorted(items, key=lambda cs: (-value(cs[1]), cs[0]))[:PANEL_ROWS]
    return sorted(top)


def _date_arg(name: str, default: date) -> date:
    try:
        return parse_date(request.args.get(name)) or default
    except Invalid:
        return default


@bp.get("/aset/belum-melapor")
@require("usage.reporting")
def not_reported():
    today = today_wib()
    end = min(_date_arg("sampai", today), today)
    start = min(_date_arg("dari", end - timedelta(days=settings.REPORTING_PERIOD_DAYS - 1)), end)
    region = _region_arg()
    result = reporting.not_reported_page(current_user, region, start, end, *page_args(), today)
    return render_template(
        "assets/not_reported.html",
        result=result,
        page=result.page,
        start=start,
        end=end,
        today=today,
        region=region,
        regions=_regions(("kecamatan",)),
    )


# --- imports: one flow for the register, daily usage and coverage -------------------------

IMPORT_PAGES = {
    "aset": {
        "title": "Impor register aset (KIB B)",
        "back": "assets.index",
        "action": "assets.write",
        "template_name": "templat-impor-aset.xlsx",
    },
    "pemakaian": {
        "title": "Impor pemakaian harian",
        "back": "assets.usage_index",
        "action": "usage.write",
        "template_name": "templat-impor-pemakaian.xlsx",
    },
    "cakupan": {
        "title": "Impor cakupan perekaman",
        "back": "assets.coverage_index",
        "action": "coverage.write",
        "template_name": "templat-impor-cakupan.xlsx",
    },
}


def _for_kind(view):
    """Checks the permission of the import's kind (`require` for the kind's action)."""

    @wraps(view)
    def wrapped(kind: str):
        return require(IMPORT_PAGES[kind]["action"])(view)(kind)

    return wrapped


def _preview(kind: str):
    """(ImportResult of a dry run, errors, upload token) of the posted file."""
    file = request.files.get("file")
    if file is None or not file.filename:
        return None, ["Pilih berkas XLSX untuk diunggah."], None
    max_bytes = int(current_app.config.get("IMPORT_MAX_BYTES", importer.DEFAULT_MAX_BYTES))
    data = file.read(max_bytes + 1)
    try:
        result = _run_import(kind, _layout(request.form.get("layout")), data, dry_run=True)
    except importer.ImportFailed as e:
        return None, e.messages, None
    return result, None, importer.store_upload(kind, current_user.id, data)


def _layout(value) -> str:
    return value if value in forms.IMPORT_LAYOUTS else "standar"


def _run_import(kind: str, layout: str, data: bytes, *, dry_run: bool = False):
    """The register import in the chosen layout (e-BMD, SIMDA), else the kind's importer."""
    if kind == "aset" and layout != "standar":
        return formats.import_register(data, layout, current_user, dry_run=dry_run)
    return importer.IMPORTERS[kind](data, current_user, dry_run=dry_run)


@bp.route(f"/{IMPORT_KINDS}/impor", methods=["GET", "POST"])
@_for_kind
def import_upload(kind: str):
    upload = forms.UploadForm()
    result = errors = token = None
    if upload.validate_on_submit():
        result, errors, token = _preview(kind)
    elif request.method == "POST":
        errors = ["Sesi formulir kedaluwarsa. Muat ulang halaman lalu unggah lagi."]
    return _import_page(kind, upload, result, errors, token)


def _import_page(kind, upload, result, errors, token):
    layout = _layout(request.form.get("layout"))
    confirm = forms.ConfirmImportForm(formdata=None, token=token, layout=layout)
    preview = list(zip(result.row_numbers[:20], result.rows[:20], strict=True)) if result else []
    return render_template(
        "assets/import.html",
        kind=kind,
        cfg=IMPORT_PAGES[kind],
        upload=upload,
        confirm=confirm,
        result=result,
        preview=preview,
        names=queries.region_names({r["region_code"] for _, r in preview}),
        errors=(errors or [])[: importer.ERRORS_SHOWN],
        error_count=len(errors or []),
        **_vocabs(),
    )


def _imported_message(kind: str, result) -> str:
    if kind == "aset":
        return f"{number(result.created)} aset diimpor."
    return f"{number(result.created)} baris baru dan {number(result.updated)} koreksi diimpor."


@form_post(bp, f"/{IMPORT_KINDS}/impor/konfirmasi", "assets.import_upload")
@_for_kind
def import_confirm(kind: str):
    form = forms.ConfirmImportForm()
    if not form.validate_on_submit():
        flash("Sesi formulir kedaluwarsa. Unggah ulang berkasnya.", "danger")
        return redirect(url_for("assets.import_upload", kind=kind))
    data = importer.load_upload(kind, current_user.id, form.token.data)
    if data is None:
        flash("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa. Unggah ulang.", "warning")
        return redirect(url_for("assets.import_upload", kind=kind))
    try:
        result = _run_import(kind, _layout(form.layout.data), data)
    except importer.ImportFailed as e:
        discard()
        return _import_page(kind, forms.UploadForm(formdata=None), None, e.messages, None)
    importer.discard_upload(kind, current_user.id, form.token.data)
    flash(_imported_message(kind, result), "success")
    return redirect(url_for(IMPORT_PAGES[kind]["back"]))


@bp.get(f"/{IMPORT_KINDS}/templat")
@_for_kind
def import_template(kind: str):
    data = documents.TEMPLATES[kind]()
    name = IMPORT_PAGES[kind]["template_name"]
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name=name)


# --- public label page ---------------------------------------------------------------------


@bp.get("/l/<token>")
def public_label(token: str):
    """What a QR label opens, without login: name, kecamatan and current status only."""
    row = queries.public_label(token)
    if row is None:
        raise NotFound()
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
    try:
        first = check_date_window(datetime.strptime(text or "", "%Y-%m").date())
    except ValueError:  # not a month, or outside the date window (Invalid is a ValueError)
        first = today_wib().replace(day=1)
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, nxt - timedelta(days=1)


@bp.get("/pemakaian/")
@require("assets.view")
def usage_index():
    region = _region_arg()
    start, end = _month_range(request.args.get("bulan"))
    stmt = queries.usage_rows(current_user, region, start, end)
    totals = queries.usage_totals(current_user, region, start, end)
    return render_template(
        "assets/usage_index.html",
        page=paginate(stmt, *page_args(default_per_page=31), scalars=False),
        grand={k: sum(t[k] for t in totals.values()) for k in (*settings.USAGE_COUNTS, "days")},
        region=region,
        month=start,
        prev_month=(start - timedelta(days=1)).strftime("%Y-%m"),
        next_month=(end + timedelta(days=1)).strftime("%Y-%m"),
        regions=_regions(settings.USAGE_REGION_LEVELS),
    )


def _day_arg() -> date:
    try:
        return parse_date(request.args.get("day")) or today_wib()
    except Invalid:
        return today_wib()


def _usage_form() -> forms.UsageForm:
    """The usage form; a GET shows the day asked for (today by default) with what was
    reported for it."""
    form = forms.UsageForm()
    form.region_code.choices = _pick(settings.USAGE_REGION_LEVELS, "— pilih tempat layanan —")
    if request.method != "GET":
        return form
    form.day.data = _day_arg()
    form.region_code.data = request.args.get("region") or current_user.region_code or None
    existing = queries.usage_on(current_user, form.region_code.data, form.day.data)
    for key in settings.USAGE_COUNTS:
        getattr(form, key).data = getattr(existing, key) if existing else 0
    form.kuota.data = existing.kuota if existing else None
    return form


@bp.route("/pemakaian/isi", methods=["GET", "POST"])
@require("usage.write")
def usage_form():
    index, template = "assets.usage_index", "assets/usage_form.html"
    return _record_form(_usage_form(), services.record_usage, _usage_saved, index, template)


def _usage_saved(row, created: bool) -> str:
    word = "dicatat" if created else "dikoreksi (data lama diganti; tercatat di log audit)"
    return f"Pemakaian {row.region_code} tanggal {row.day:%d/%m/%Y} {word}."


def _record_form(form, record, saved_message, index: str, template: str):
    """The end of a form that records or corrects one place's figures (usage of a day,
    coverage as of a day): saved, back to `index` for the place; else the form again."""
    done = submitted(form, lambda: record(current_user, form_data(form)))
    if done:
        row, created = done
        flash(saved_message(row, created), "success")
        return redirect(url_for(index, region=row.region_code))
    return render_template(template, form=form)


# --- coverage ------------------------------------------------------------------------------


@bp.get("/cakupan/")
@require("assets.view")
def coverage_index():
    region = _region_arg()
    stmt = queries.coverage_rows(current_user, region)
    return render_template(
        "assets/coverage_index.html",
        page=paginate(stmt, *page_args(), scalars=False),
        region=region,
        regions=_regions(settings.COVERAGE_REGION_LEVELS[:2]),
    )


@bp.route("/cakupan/isi", methods=["GET", "POST"])
@require("coverage.write")
def coverage_form():
    form = forms.CoverageForm()
    form.region_code.choices = _pick(settings.COVERAGE_REGION_LEVELS, "— pilih wilayah —")
    if request.method == "GET":
        form.as_of.data = today_wib()
        form.region_code.data = request.args.get("region")
    index, template = "assets.coverage_index", "assets/coverage_form.html"
    return _record_form(form, services.record_coverage, _coverage_saved, index, template)


def _coverage_saved(snap, created: bool) -> str:
    word = "dicatat" if created else "dikoreksi"
    return f"Cakupan {snap.region_code} per {snap.as_of:%d/%m/%Y} {word}."
