"""Web pages of the inventarisasi: the list, opening a session, the session page with its
groups, the phone scan page (camera, photo of a label, or typing), closing, documents."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from assets_app.common.errors import DomainError, NotFound
from assets_app.common.forms import refused, submitted
from assets_app.common.pagination import page_args
from assets_app.common.permissions import require
from assets_app.common.views import form_post, page_form, send_private_file
from assets_app.inventory import documents, queries, services
from assets_app.inventory.forms import ButtonForm, OpenForm, ScanForm, UnregisteredForm
from assets_app.inventory.photos import max_bytes
from assets_app.inventory.vocab import SESSION_STATUS
from assets_app.regions.services import region_choices

bp = Blueprint("inventory", __name__, url_prefix="/inventarisasi")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/")
@require("inventory.view")
def index():
    status = request.args.get("status") if request.args.get("status") in SESSION_STATUS else None
    pg, per_page = page_args()
    page = queries.list_sessions(current_user, status=status, page=pg, per_page=per_page)
    return render_template(
        "inventory/index.html", page=page, status=status, statuses=SESSION_STATUS
    )


@bp.route("/baru", methods=["GET", "POST"])
@require("inventory.open")
def new():
    form = OpenForm()
    posted = request.form.getlist("regions")
    form.regions.choices = region_choices(current_user, selected=posted[0] if posted else None)
    session = submitted(
        form,
        lambda: services.open_session(
            current_user, regions=form.regions.data, title=form.title.data, note=form.note.data
        ),
    )
    if session:
        flash(f"{session.title} dibuka. Mulai pindai label aset.", "success")
        return redirect(url_for(".scan", session_id=session.id))
    return render_template("inventory/new.html", form=form)


@bp.get("/<int:session_id>")
@require("inventory.view")
def detail(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    return _detail_page(session)


def _detail_page(session, status: int = 200):
    groups = queries.groups_of(session, current_user)
    return render_template(
        "inventory/detail.html", s=session, groups=groups, form=ButtonForm()
    ), status


def _places(session) -> list[tuple[str, str]]:
    kab = session.region_code
    return [("", "— sama dengan register —")] + [
        (c, label) for c, label in region_choices(current_user, selected=kab) if c.startswith(kab)
    ]


def _scan_forms(session):
    scan, unreg = ScanForm(prefix="scan"), UnregisteredForm(prefix="unreg")
    scan.found_in_region.choices = _places(session)
    unreg.found_in_region.choices = _places(session)[1:]
    if request.method == "GET":
        scan.condition.data = "B"  # most finds are in good condition; one tap to change
    return scan, unreg


@bp.route("/<int:session_id>/pindai", methods=["GET", "POST"])
@require("inventory.scan")
def scan(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    form, unreg = _scan_forms(session)
    if request.method == "POST":
        return _answer(lambda: _record_scan(session, form), session, form, unreg, form)
    return _scan_page(session, form, unreg)


def _scan_page(session, form, unreg, status: int = 200):
    groups = queries.groups_of(session, current_user)
    page = render_template("inventory/scan.html", s=session, form=form, unreg=unreg, groups=groups)
    return page, status


@form_post(bp, "/<int:session_id>/tidak-terdaftar", "inventory.scan")
@require("inventory.scan")
def unregistered(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    form, unreg = _scan_forms(session)
    return _answer(lambda: _record_unregistered(session, unreg), session, form, unreg, unreg)


def _photo(field) -> bytes | None:
    """The uploaded photo, read up to one byte past the limit (the service refuses it)."""
    upload = field.data
    return upload.read(max_bytes() + 1) if upload and upload.filename else None


def _record_scan(session, form):
    code = (form.code.data or "").strip()
    by_label = "/l/" in code or (len(code) >= 12 and "/" not in code and not code.isdigit())
    return services.record_scan(
        current_user,
        session,
        label_token=code if by_label else None,
        register_no=None if by_label else code,
        condition=form.condition.data,
        note=form.note.data,
        found_in_region=form.found_in_region.data,
        photo=_photo(form.photo),
        idempotency_key=request.headers.get("Idempotency-Key") or request.form.get("key"),
    )


def _record_unregistered(session, form):
    return services.record_unregistered(
        current_user,
        session,
        description=form.description.data,
        condition=form.condition.data,
        note=form.note.data,
        found_in_region=form.found_in_region.data,
        photo=_photo(form.photo),
        idempotency_key=request.headers.get("Idempotency-Key") or request.form.get("key"),
    )


def _answer(action, session, form, unreg, posted):
    """JSON for the scan page's script (it queues what fails to send); without script, the
    page again with each message beside its field and what was typed kept (422)."""
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        scan, created = action()
    except DomainError as exc:
        if wants_json:
            return jsonify(errors=exc.errors), exc.status_code
        refused(posted, exc, field_map={"asset": "code"} if posted is form else None)
        return _scan_page(session, form, unreg, 422)
    message = _scan_message(scan, created)
    if wants_json:
        return jsonify(ok=True, created=created, message=message, scan_id=scan.id)
    flash(message, "success" if created else "info")
    return redirect(url_for(".scan", session_id=session.id))


def _scan_message(scan, created: bool) -> str:
    what = queries.scan_label(scan)
    if created:
        return f"{what} dicatat ditemukan." if scan.asset_id else f"{what} dicatat tidak terdaftar."
    return f"{what} sudah tercatat sebelumnya; tidak ada yang berubah."


@form_post(bp, "/<int:session_id>/ajukan", "inventory.detail")
@require("inventory.scan")
def submit(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    return page_form(
        None,  # a bare button (CSRF is checked before the view): a refusal is flashed
        lambda: services.submit_session(current_user, session),
        lambda: "Hasil inventarisasi diajukan; menunggu konfirmasi Kepala Dinas.",
        url_for(".detail", session_id=session.id),
        lambda: _detail_page(session, 422),
    )


@form_post(bp, "/<int:session_id>/konfirmasi", "inventory.detail")
@require("inventory.confirm")
def confirm(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    return page_form(
        None,
        lambda: services.confirm_session(current_user, session),
        lambda: "Hasil inventarisasi dikonfirmasi; register aset diperbarui.",
        url_for(".detail", session_id=session.id),
        lambda: _detail_page(session, 422),
    )


@bp.get("/<int:session_id>/berita-acara.pdf")
@require("inventory.view")
def berita_acara(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    name, data = documents.berita_acara(current_user, session)
    return _send(data, PDF, name)


@bp.get("/<int:session_id>/hasil.xlsx")
@require("inventory.view")
def result_xlsx(session_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    name, data = documents.result_xlsx(current_user, session)
    return _send(data, XLSX, name)


@bp.get("/<int:session_id>/foto/<int:scan_id>")
@require("inventory.view")
def photo(session_id: int, scan_id: int):
    session = queries.get_session_or_404(current_user, session_id)
    scan = queries.get_scan_or_404(session, scan_id)
    if not scan.photo:
        raise NotFound("Temuan ini tidak berfoto.")
    return _send(scan.photo, scan.photo_type, f"temuan-{scan.id}")


def _send(data: bytes, mimetype: str, name: str):
    from io import BytesIO

    return send_private_file(BytesIO(data), mimetype=mimetype, download_name=name)
