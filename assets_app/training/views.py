"""Pages of the training domain: thin — parse, call the service, render/redirect. The request
commits once at its end (`common.uow`)."""

from __future__ import annotations

import functools
import io

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from assets_app.common import vocab
from assets_app.common.errors import DomainError
from assets_app.common.formatting import number
from assets_app.common.forms import apply_errors, form_data, submitted
from assets_app.common.pagination import first_page, page_args, paginate
from assets_app.common.permissions import can, require
from assets_app.common.timeutil import today_wib
from assets_app.common.uow import discard
from assets_app.common.views import form_post
from assets_app.regions.services import (
    chosen_setting_scope,
    region_choices,
    setting_scope_label,
    setting_scopes,
)
from assets_app.training import (
    certificates,
    forms,
    gaps,
    importer,
    queries,
    services,
)
from assets_app.training import materials as uploads
from assets_app.training import settings as validity

bp = Blueprint("training", __name__, url_prefix="/pelatihan")
public_bp = Blueprint("training_public", __name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(storage) -> uploads.UploadedFile | None:
    if storage is None or not storage.filename:
        return None
    return uploads.UploadedFile(storage.filename, storage.mimetype, storage.read())


def _bool_arg(name: str, default: bool | None) -> bool | None:
    value = request.args.get(name)
    if value in (None, ""):
        return default
    return {"aktif": True, "nonaktif": False, "semua": None}.get(value, default)


# --- operators ------------------------------------------------------------------------------


def _operator_region_choices(selected: str | None = None):
    return region_choices(current_user, levels=services.OPERATOR_LEVELS, selected=selected)


def _to_operator(op, message: str, category: str = "success"):
    """Back to the operator's page with `message`."""
    flash(message, category)
    return redirect(url_for("training.operator_detail", operator_id=op.id))


def _operator_filters() -> dict:
    return {
        "q": request.args.get("q", "").strip(),
        "region": request.args.get("region") or None,
        "certified": request.args.get("sertifikat") or None,
    }


@bp.get("/operator")
@require("training.view")
def operators():
    filters, today = _operator_filters(), today_wib()
    stmt = queries.operators_query(
        current_user, **filters, active=_bool_arg("status", True), today=today
    )
    result = paginate(stmt, *page_args())
    return render_template(
        "training/operators.html",
        page=result,
        **filters,
        status=request.args.get("status") or "aktif",
        regions=_operator_region_choices(),
        names=queries.region_names(o.region_code for o in result.items),
        valid=gaps.valid_topics_for_operators([o.id for o in result.items], today),
        topics=vocab.TRAINING_TOPIC,
        personal=can(current_user, "training.personal"),
    )


@bp.route("/operator/baru", methods=["GET", "POST"])
@require("training.write")
def operator_new():
    form = forms.OperatorForm()
    form.region_code.choices = _operator_region_choices()
    if request.method == "GET" and request.args.get("region"):
        form.region_code.data = request.args["region"]
    op = submitted(form, lambda: services.create_operator(form_data(form), by=current_user))
    if op:
        return _to_operator(op, f"Operator {op.name} ditambahkan.")
    return render_template("training/operator_form.html", form=form, op=None)


@bp.get("/operator/<int:operator_id>")
@require("training.view")
def operator_detail(operator_id: int):
    op = queries.get_operator(operator_id, current_user)
    today = today_wib()
    return render_template(
        "training/operator_detail.html",
        op=op,
        region_name=queries.region_names([op.region_code]).get(op.region_code, op.region_code),
        history=queries.operator_certificates(op),
        valid=gaps.valid_topics_for_operators([op.id], today).get(op.id, []),
        today=today,
        topics=vocab.TRAINING_TOPIC,
        personal=can(current_user, "training.personal"),
        confirm=forms.ConfirmForm(),
    )


@bp.route("/operator/<int:operator_id>/ubah", methods=["GET", "POST"])
@require("training.write")
def operator_edit(operator_id: int):
    op = queries.get_operator(operator_id, current_user)
    form = forms.OperatorForm(obj=op)
    form.region_code.choices = _operator_region_choices(form.region_code.data)
    if submitted(form, lambda: services.update_operator(op, form_data(form), by=current_user)):
        return _to_operator(op, f"Data operator {op.name} disimpan.")
    return render_template("training/operator_form.html", form=form, op=op)


@form_post(bp, "/operator/<int:operator_id>/status", "training.operator_detail")
@require("training.write")
def operator_toggle(operator_id: int):
    op = queries.get_operator(operator_id, current_user)
    if not forms.ConfirmForm().validate():
        return _to_operator(op, "Sesi formulir kedaluwarsa. Coba lagi.", "warning")
    services.set_operator_active(op, not op.active, by=current_user)
    return _to_operator(op, f"Operator {op.name} {'diaktifkan' if op.active else 'dinonaktifkan'}.")


@bp.route("/operator/impor", methods=["GET", "POST"])
@require("training.write")
def operator_import():
    form = forms.ImportForm()
    result = None
    if form.validate_on_submit():
        upload = _upload(form.file.data)
        if upload is None:
            form.file.errors = ["Pilih berkas XLSX."]
        else:
            result = importer.import_operators(
                upload.data, current_user, dry_run=bool(form.dry_run.data)
            )
            if result.ok and not result.dry_run:
                flash(f"{number(result.created)} operator diimpor.", "success")
                return redirect(url_for("training.operators"))
            discard()  # a dry run, or a file with problems: nothing of it is kept
            if result.ok:
                flash(f"Berkas valid: {number(result.rows)} baris siap diimpor.", "info")
    status = 422 if result is not None and not result.ok else 200
    return render_template("training/operator_import.html", form=form, result=result), status


@bp.get("/operator/templat.xlsx")
@require("training.write")
def operator_template():
    return send_file(
        io.BytesIO(importer.template_bytes()),
        mimetype=XLSX_MIME,
        as_attachment=True,
        download_name="templat-impor-operator.xlsx",
    )


# --- trainings ------------------------------------------------------------------------------


def _training_region_choices(selected: str | None = None):
    return region_choices(current_user, levels=services.TRAINING_LEVELS, selected=selected)


@bp.get("/")
@require("training.view")
def trainings():
    q = request.args.get("q", "").strip()
    topic = request.args.get("topic") or None
    year = request.args.get("year", type=int)
    stmt = queries.trainings_query(current_user, q=q, topic=topic, year=year)
    result = paginate(stmt, *page_args())
    return render_template(
        "training/trainings.html",
        page=result,
        q=q,
        topic=topic,
        year=year,
        topics=vocab.TRAINING_TOPIC,
        counts=queries.attendance_counts([t.id for t in result.items], current_user),
    )


@bp.route("/baru", methods=["GET", "POST"])
@require("training.write")
def training_new():
    form = forms.TrainingForm()
    form.region_code.choices = _training_region_choices()
    if request.method == "GET":
        form.region_code.data = queries.default_training_region(current_user)
        form.organiser.data = "dinas"
    training = _training_submitted(form, None, services.create_training)
    if training:
        flash(f"Sesi pelatihan “{training.title}” dibuat. Catat pesertanya di bawah.", "success")
        return redirect(url_for("training.training_detail", training_id=training.id))
    return render_template("training/training_form.html", form=form, training=None)


@bp.route("/<int:training_id>/ubah", methods=["GET", "POST"])
@require("training.write")
def training_edit(training_id: int):
    training = queries.get_training(training_id, current_user, manage=True)
    form = forms.TrainingForm(obj=training)
    form.region_code.choices = _training_region_choices(form.region_code.data)
    update = functools.partial(services.update_training, training)
    if _training_submitted(form, training, update):
        flash("Sesi pelatihan disimpan.", "success")
        return redirect(url_for("training.training_detail", training_id=training.id))
    return render_template("training/training_form.html", form=form, training=training)


def _training_submitted(form, training, save):
    """`submitted` for the session form, showing every problem at once: when a date does not
    parse, the service's checks of the other fields still run (`services.check_training`,
    which writes nothing) and their messages join the date's."""
    if not form.is_submitted():
        return None
    if not form.validate() and "csrf_token" not in form.errors:
        _, problems = services.check_training(form_data(form), current_user, training)
        unparsed = {name for name, messages in form.errors.items() if messages}
        others = {k: v for k, v in problems.items() if k not in unparsed}
        apply_errors(form, DomainError(errors=others))
    if form.errors:
        return None
    upload = _upload(form.materials.data)
    data = {k: v for k, v in form_data(form).items() if k != "materials"}
    return submitted(form, lambda: save(data, by=current_user, materials=upload), validate=False)


def _detail(training, add_form=None, status=200):
    manage = can(current_user, "training.write") and queries.can_manage_training(
        current_user, training
    )
    add_form = add_form or forms.AttendanceForm()
    if manage:
        add_form.operator_id.choices = [("", "— pilih operator —")] + [
            (str(i), label) for i, label in queries.invitable_operators(training, current_user)
        ]
    page_no, per_page = page_args(default_per_page=50)
    page = paginate(queries.attendance_stmt(training, current_user), page_no, per_page)
    rows = page.items
    return render_template(
        "training/training_detail.html",
        training=training,
        page=page,
        rows=rows,
        counts=queries.attendance_counts([training.id], current_user).get(training.id, (0, 0, 0)),
        manage=manage,
        add_form=add_form,
        row_form=forms.AttendanceRowForm,
        region_names=queries.region_names(
            [training.region_code, *(a.operator.region_code for a in rows)]
        ),
        personal=can(current_user, "training.personal"),
        today=today_wib(),
    ), status


@bp.get("/<int:training_id>")
@require("training.view")
def training_detail(training_id: int):
    return _detail(queries.get_training(training_id, current_user))


@form_post(bp, "/<int:training_id>/peserta", "training.training_detail")
@require("training.write")
def attendance_add(training_id: int):
    training = queries.get_training(training_id, current_user, manage=True)
    form = forms.AttendanceForm()
    att = submitted(
        form, lambda: services.record_attendance(training, **form_data(form), by=current_user)
    )
    if att:
        certificate = f" Sertifikat {att.certificate_no} terbit." if att.certificate_no else ""
        flash(f"Peserta dicatat.{certificate}", "success")
        return redirect(url_for("training.training_detail", training_id=training.id))
    return _detail(training, add_form=form, status=422)


@form_post(
    bp,
    "/<int:training_id>/peserta/<int:attendance_id>",
    "training.training_detail",
    keep=("training_id",),
)
@require("training.write")
def attendance_update(training_id: int, attendance_id: int):
    training = queries.get_training(training_id, current_user, manage=True)
    att = queries.get_attendance(attendance_id, current_user, training)
    form = forms.AttendanceRowForm(prefix=f"a{att.id}")
    record = functools.partial(services.record_attendance, training, operator_id=att.operator_id)
    if not form.validate():
        _flash_invalid_row(form)
    # no form passed on: a refused row update flashes every message above the list
    elif submitted(None, lambda: record(**form_data(form), by=current_user), validate=False):
        flash("Data peserta diperbarui.", "success")
    page = request.args.get("page", type=int)
    return redirect(url_for("training.training_detail", training_id=training.id, page=page))


def _flash_invalid_row(form) -> None:
    messages = [m for name, ms in form.errors.items() if name != "csrf_token" for m in ms]
    for m in messages:
        flash(m, "danger")
    if not messages:
        flash("Sesi formulir kedaluwarsa. Coba lagi.", "warning")


@bp.get("/<int:training_id>/materi")
@require("training.view")
def materials(training_id: int):
    training = queries.get_training(training_id, current_user)
    path = uploads.get_materials_path(training)
    return send_file(
        path,
        mimetype=training.materials_type,
        as_attachment=True,
        download_name=training.materials_name or path.name,
    )


@bp.get("/sertifikat/<int:attendance_id>.pdf")
@require("training.personal")
def certificate_pdf(attendance_id: int):
    from reports.certificate_pdf import render_certificate_pdf

    att = queries.get_attendance(attendance_id, current_user, certified=True)
    doc = certificates.certificate_document(att, certificates.verify_url(att.verify_token))
    name = att.certificate_no.replace("/", "-")
    resp = send_file(
        io.BytesIO(render_certificate_pdf(doc)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"sertifikat-{name}.pdf",
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --- gaps -----------------------------------------------------------------------------------


def _gap_region_arg():
    region = request.args.get("region") or None
    choices = region_choices(current_user, levels=("provinsi", "kabkota", "kecamatan"))
    if region and region not in {c for c, _ in choices}:
        region = None
    return region, choices


@bp.get("/kesenjangan")
@require("training.view")
def gaps_matrix():
    region, choices = _gap_region_arg()
    today = today_wib()
    soon = gaps.expiring_certificates_stmt(current_user, region, gaps.EXPIRY_WARNING_DAYS, today)
    expiring_page = first_page(soon, 10)
    # one page of region rows (a national matrix is 7,285 of them); the totals and the
    # number of regions with gaps stay those of the whole area
    page, gap_list, overview, plan = gaps.matrix_page(
        current_user, region, today, *page_args(default_per_page=50, max_per_page=200)
    )
    return render_template(
        "training/gaps.html",
        region=region,
        choices=choices,
        today=today,
        topics=vocab.TRAINING_TOPIC,
        matrix=page.items,
        page=page,
        gap_list=gap_list,
        gap_total=overview["gap_regions"],
        totals=overview["totals"],
        expiring=gaps.expiring_rows(expiring_page.items, today),
        expiring_total=expiring_page.total,
        plan=plan,
    )


@bp.get("/kesenjangan/segera-berakhir")
@require("training.view")
def expiring():
    region, choices = _gap_region_arg()
    days = request.args.get("hari", type=int) or gaps.EXPIRY_WARNING_DAYS
    days = min(max(days, 1), 365)
    today = today_wib()
    page, per_page = page_args(default_per_page=50)
    result = paginate(
        gaps.expiring_certificates_stmt(current_user, region, days, today),
        page,
        per_page,
        scalars=False,
    )
    return render_template(
        "training/expiring.html",
        page=result,
        rows=gaps.expiring_rows(result.items, today),
        region=region,
        choices=choices,
        days=days,
    )


@bp.get("/kesenjangan/rencana")
@require("training.view")
def plan():
    region, choices = _gap_region_arg()
    topic = request.args.get("topic") or None
    if topic not in vocab.TRAINING_TOPIC:
        topic = None
    today = today_wib()
    page, per_page = page_args(default_per_page=50)
    result = paginate(
        gaps.training_plan_stmt(current_user, region, today, topic), page, per_page, scalars=False
    )
    return render_template(
        "training/plan.html",
        page=result,
        entries=gaps.plan_entries(result.items, today),
        region=region,
        choices=choices,
        topic=topic,
        topics=vocab.TRAINING_TOPIC,
        summary=gaps.plan_summary(current_user, region, today),
    )


def _settings_region() -> str | None:
    """The kab/kota (None: the installation default) the page shows or changes: `?region=` as
    given on a POST (the service refuses one out of reach), else one the user may change."""
    wanted = request.args.get("region")
    if request.method == "POST" and wanted is not None:
        return wanted.strip() or None
    return chosen_setting_scope(current_user, wanted)


@bp.route("/pengaturan", methods=["GET", "POST"])
@require("training.settings")
def settings():
    code = _settings_region()
    form = forms.ValidityForm(data=validity.validity_months(code))
    save = functools.partial(validity.set_validity_months, by=current_user, region_code=code)
    if submitted(form, lambda: save(form_data(form))):
        flash(f"Masa berlaku sertifikat untuk {setting_scope_label(code)} disimpan.", "success")
        return redirect(url_for("training.settings", region=code or ""))
    own = validity.has_own_validity(code) if code else None
    scopes, label = setting_scopes(current_user), setting_scope_label(code)
    return render_template(
        "training/settings.html", form=form, code=code, own=own, scopes=scopes, scope_label=label
    ), (422 if request.method == "POST" else 200)


# --- public verification page (no login) ---------------------------------------------------


@public_bp.get("/sertifikat/<token>")
def certificate(token: str):
    g.no_store = True
    cert = certificates.public_certificate(token)
    if cert is None:
        return render_template("training/public_certificate.html", cert=None), 404
    return render_template("training/public_certificate.html", cert=cert)
