from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from assets_app.common import vocab
from assets_app.common.errors import DomainError, NotFound
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import page_args, paginate, sort_args
from assets_app.common.permissions import can, require
from assets_app.db import utcnow
from assets_app.extensions import db
from assets_app.letters import services as letter_services
from assets_app.letters import vocab as letter_vocab
from assets_app.regions.services import region_choices
from assets_app.tickets import attachments as files
from assets_app.tickets import forms, notifications, services, sla, workflow
from assets_app.tickets.models import Ticket

bp = Blueprint("tickets", __name__)


def _uploads(name: str = "attachments"):
    return [(f.filename, f.read()) for f in request.files.getlist(name) if f and f.filename]


def _fail(error: DomainError, form=None, field_map=None):
    db.session.rollback()
    services.discard_unsaved_files()
    apply_errors(form, error, field_map)


# --- lists ---------------------------------------------------------------------------------

LIST_TITLES = {
    "index": "Tiket perbaikan",
    "mine": "Tiket saya",
    "overdue": "Tiket terlambat",
}


def _list(view: str):
    f = {
        "region": request.args.get("region") or None,
        "status": request.args.get("status") or ("terbuka" if view != "index" else None),
        "priority": request.args.get("priority") or None,
        "category": request.args.get("category") or None,
        "party": request.args.get("party") or None,
        "q": (request.args.get("q") or "").strip() or None,
    }
    if view == "index" and "status" not in request.args:
        f["status"] = "terbuka"
    now = utcnow()
    stmt = services.tickets_query(
        current_user, mine=view == "mine", overdue=view == "overdue", now=now, **f
    )
    sort, order = sort_args(services.SORTS, "-created")
    page_no, per_page = page_args()
    page = paginate(stmt.order_by(*order, Ticket.id.desc()), page_no, per_page)
    return render_template(
        "tickets/list.html",
        view=view,
        title=LIST_TITLES[view],
        page=page,
        filters=f,
        sort=sort,
        now=now,
        regions=region_choices(current_user, levels=("kecamatan",)),
        vocab=vocab,
    )


@bp.get("/tiket/")
@login_required
@require("tickets.view")
def index():
    return _list("index")


@bp.get("/tiket/saya")
@login_required
@require("tickets.view")
def mine():
    return _list("mine")


@bp.get("/tiket/terlambat")
@login_required
@require("tickets.view")
def overdue():
    return _list("overdue")


@bp.get("/tiket/per-pihak")
@login_required
@require("tickets.view")
def by_party():
    region = request.args.get("region") or None
    rows = services.party_summary(current_user, region)
    return render_template("tickets/by_party.html", rows=rows, region=region)


@bp.get("/tiket/per-kecamatan")
@login_required
@require("tickets.view")
def by_region():
    region = request.args.get("region") or None
    rows = services.region_summary(current_user, region)
    return render_template("tickets/by_region.html", rows=rows, region=region)


# --- filing --------------------------------------------------------------------------------


def _asset_choices(regions: list[tuple[str, str]]):
    grouped: dict[str, list[tuple[str, str]]] = {}
    codes = [c for c, _ in regions]
    names = dict(regions)
    from assets_app.tickets.services import assets_in_regions

    for asset in assets_in_regions(codes):
        grouped.setdefault(names[asset.region_code], []).append(
            (str(asset.id), f"{asset.name} · {asset.brand_model or '-'} · NUP {asset.register_no}")
        )
    return [("", "— tidak terkait aset tertentu —"), *grouped.items()]


@bp.route("/tiket/baru", methods=["GET", "POST"])
@login_required
@require("tickets.file")
def new():
    form = forms.TicketForm()
    regions = region_choices(current_user, levels=("kecamatan",))
    form.region_code.choices = regions if len(regions) == 1 else [("", "— pilih —"), *regions]
    form.asset_id.choices = _asset_choices(regions)
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
        if request.args.get("asset_id"):
            asset = services.asset_for_filing(request.args.get("asset_id"), current_user)
            if asset is not None:
                form.asset_id.data = str(asset.id)
                form.region_code.data = asset.region_code
        if len(regions) == 1:
            form.region_code.data = regions[0][0]
    if form.validate_on_submit():
        try:
            ticket, created = services.file_ticket(
                by=current_user,
                region_code=form.region_code.data,
                asset_id=form.asset_id.data or None,
                category=form.category.data,
                urgency=form.urgency.data,
                impact=form.impact.data,
                title=form.title.data,
                description=form.description.data,
                attachments=_uploads(),
                idempotency_key=form.idempotency_key.data,
            )
            db.session.commit()
            if created:
                flash(f"Tiket {ticket.number} dibuat. Petugas Dinas sudah diberi tahu.", "success")
            else:
                flash(
                    f"Tiket {ticket.number} sudah tersimpan sebelumnya; tidak dibuat dua kali.",
                    "info",
                )
            return redirect(url_for("tickets.detail", ticket_id=ticket.id))
        except DomainError as e:
            _fail(e, form)
    return render_template(
        "tickets/form.html", form=form, priority_matrix=workflow.PRIORITY_MATRIX, vocab=vocab
    ), (422 if request.method == "POST" else 200)


# --- one ticket ----------------------------------------------------------------------------


def _ticket(ticket_id: int):
    return services.get_ticket_or_404(ticket_id, current_user)


def _render_detail(ticket, status: int = 200, **overrides):
    now = utcnow()
    config = services.load_sla_config()
    events = services.ticket_events(ticket)
    letters = services.ticket_letters(ticket)
    clocks = services.ticket_clocks(ticket, now)
    steps = services.allowed_steps(ticket, current_user, now)
    assign_form = overrides.get("assign_form") or forms.AssignForm(prefix="assign")
    if can(current_user, "tickets.handle"):
        assign_form.assignee_id.choices = [("", "— tetap —")] + [
            (str(u.id), f"{u.name} ({u.role_label})") for u in services.assignee_choices(ticket)
        ]
    transition_form = overrides.get("transition_form") or forms.TransitionForm(prefix="tr")
    return render_template(
        "tickets/detail.html",
        ticket=ticket,
        region=services.ticket_region(ticket),
        asset=services.ticket_asset(ticket),
        events=events,
        timeline=services.timeline(ticket, events, letters),
        letters=letters,
        correspondence=letter_services.correspondence(letters),
        attachments=services.ticket_attachments(ticket),
        clocks=clocks,
        calendar=config.calendar,
        fmt=lambda td: sla.format_duration(td, config.calendar),
        steps=steps,
        transition_form=transition_form,
        failed_step=overrides.get("failed_step"),
        comment_form=overrides.get("comment_form") or forms.CommentForm(prefix="c"),
        assign_form=assign_form,
        people=services.users_by_id([ticket.reporter_id, ticket.assignee_id]),
        vocab=vocab,
        now=now,
        third_parties=workflow.THIRD_PARTIES,
    ), status


@bp.get("/tiket/<int:ticket_id>")
@login_required
@require("tickets.view")
def detail(ticket_id: int):
    return _render_detail(_ticket(ticket_id))


@bp.post("/tiket/<int:ticket_id>/status")
@login_required
@require("tickets.comment")
def transition(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = forms.TransitionForm(prefix="tr")
    if not form.validate():
        flash("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    try:
        services.transition(
            ticket,
            by=current_user,
            to=form.to.data,
            note=form.note.data,
            responsible_party=form.responsible_party.data or None,
            update_asset=form.update_asset.data,
        )
        db.session.commit()
        flash(f"Tiket {ticket.number} sekarang berstatus {ticket.status_label}.", "success")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    except DomainError as e:
        _fail(e, form, {"to": "_refusal"})  # no such field: shown as an alert
        ticket = _ticket(ticket_id)
        return _render_detail(ticket, 422, transition_form=form, failed_step=form.to.data)


@bp.post("/tiket/<int:ticket_id>/komentar")
@login_required
@require("tickets.comment")
def comment(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = forms.CommentForm(prefix="c")
    if not form.validate():
        flash("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    try:
        services.add_comment(
            ticket, by=current_user, note=form.note.data, attachments=_uploads("c-attachments")
        )
        db.session.commit()
        flash("Komentar disimpan.", "success")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id) + "#riwayat")
    except DomainError as e:
        _fail(e, form)
        return _render_detail(_ticket(ticket_id), 422, comment_form=form)


@bp.post("/tiket/<int:ticket_id>/penugasan")
@login_required
@require("tickets.handle")
def assign(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = forms.AssignForm(prefix="assign")
    if not form.validate():
        flash("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    try:
        services.assign(
            ticket,
            by=current_user,
            assignee_id=form.assignee_id.data or None,
            responsible_party=form.responsible_party.data or None,
            note=form.note.data,
        )
        db.session.commit()
        flash("Penugasan tiket diperbarui.", "success")
        return redirect(url_for("tickets.detail", ticket_id=ticket.id))
    except DomainError as e:
        _fail(e, form)
        return _render_detail(_ticket(ticket_id), 422, assign_form=form)


@bp.get("/tiket/<int:ticket_id>/lampiran/<int:attachment_id>")
@login_required
@require("tickets.view")
def attachment(ticket_id: int, attachment_id: int):
    ticket = _ticket(ticket_id)
    att = services.get_attachment_or_404(ticket, attachment_id)
    try:
        path = files.absolute(att.stored_path)
    except ValueError:
        abort(404)
    if not path.exists():
        raise NotFound("Berkas lampiran tidak ditemukan di penyimpanan.")
    resp = send_file(
        path,
        mimetype=att.content_type,
        as_attachment=not att.is_image and request.args.get("unduh") == "1",
        download_name=att.filename,
        max_age=600,
    )
    resp.cache_control.public = False  # the browser may keep it; shared proxies may not
    resp.cache_control.private = True
    return resp


# --- letters from a ticket -----------------------------------------------------------------


@bp.route("/tiket/<int:ticket_id>/surat/baru", methods=["GET", "POST"])
@login_required
@require("letters.write")
def letter_new(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = forms.TicketLetterForm()
    if request.method == "GET" or "isi-ulang" in request.form:
        party = request.values.get("party") or ticket.responsible_party
        superior = request.values.get("superior") in ("1", "y", "on")
        defaults = services.letter_draft_defaults(ticket, party, superior=superior)
        form = forms.TicketLetterForm(
            formdata=None, data={**defaults, "party": party, "superior": superior}
        )
    elif form.validate():
        try:
            letter = services.compose_ticket_letter(
                ticket,
                by=current_user,
                recipient=form.recipient.data,
                recipient_place=form.recipient_place.data,
                perihal=form.perihal.data,
                classification=form.classification.data,
                sifat=form.sifat.data,
                lampiran=form.lampiran.data,
                body=form.body.data,
                tembusan=form.tembusan.data,
            )
            db.session.commit()
            flash("Draf surat disimpan. Kepala dinas diminta menandatanganinya.", "success")
            return redirect(url_for("letters.detail", letter_id=letter.id))
        except DomainError as e:
            _fail(e, form)
    return render_template(
        "tickets/letter_form.html",
        ticket=ticket,
        form=form,
        classifications=letter_vocab.CLASSIFICATIONS,
    ), (422 if request.method == "POST" and "isi-ulang" not in request.form else 200)


@bp.route("/tiket/<int:ticket_id>/surat/masuk", methods=["GET", "POST"])
@login_required
@require("letters.write")
def letter_incoming(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = forms.IncomingLetterForm()
    waiting = [lt for lt in services.ticket_letters(ticket) if lt.awaiting_reply]
    form.in_reply_to_id.choices = [("", "— bukan balasan —")] + [
        (str(lt.id), f"{lt.number} · {lt.perihal[:60]}") for lt in waiting if lt.number
    ]
    if request.method == "GET":
        form.sender.data = f"Camat {services.ticket_region(ticket).name}"
        form.recipient.data = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    elif form.validate():
        try:
            services.record_ticket_incoming_letter(
                ticket,
                by=current_user,
                sender=form.sender.data,
                recipient=form.recipient.data,
                number=form.number.data,
                letter_date=form.letter_date.data,
                received_on=form.received_on.data,
                perihal=form.perihal.data,
                body=form.body.data,
                in_reply_to_id=form.in_reply_to_id.data or None,
            )
            db.session.commit()
            flash("Surat masuk dicatat.", "success")
            return redirect(url_for("tickets.detail", ticket_id=ticket.id) + "#surat")
        except DomainError as e:
            _fail(e, form)
    return render_template("tickets/letter_incoming.html", ticket=ticket, form=form), (
        422 if request.method == "POST" else 200
    )


# --- notifications -------------------------------------------------------------------------


@bp.get("/notifikasi")
@login_required
@require("notifications.view")
def notifications_list():
    unread_only = request.args.get("belum") == "1"
    page_no, per_page = page_args()
    page = paginate(
        notifications.notifications_query(current_user, unread_only=unread_only), page_no, per_page
    )
    return render_template(
        "tickets/notifications.html",
        page=page,
        unread_only=unread_only,
        unread=notifications.unread_count(current_user),
    )


@bp.post("/notifikasi/<int:notification_id>")
@login_required
@require("notifications.view")
def notification_open(notification_id: int):
    n = notifications.mark_read(current_user, notification_id)
    db.session.commit()
    target = n.url if n.url and n.url.startswith("/") and not n.url.startswith("//") else None
    return redirect(target or url_for("tickets.notifications_list"))


@bp.post("/notifikasi/baca-semua")
@login_required
@require("notifications.view")
def notifications_read_all():
    count = notifications.mark_all_read(current_user)
    db.session.commit()
    flash(f"{count} notifikasi ditandai sudah dibaca.", "success")
    return redirect(url_for("tickets.notifications_list"))


# --- SLA administration --------------------------------------------------------------------


def _day_text(config) -> str:
    minutes = int(config.calendar.day_length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} jam" + (f" {rest} menit" if rest else "")


def _sla_form_data(config):
    cal = config.calendar
    data = {
        "mode": cal.mode,
        "day_start": cal.day_start.strftime("%H:%M"),
        "day_end": cal.day_end.strftime("%H:%M"),
        "workdays": [str(d) for d in sorted(cal.workdays)],
    }
    for prio, (a, r) in config.targets.items():
        data[f"accept_{prio}"] = str(a)
        data[f"resolve_{prio}"] = str(r)
    return data


@bp.route("/admin/sla", methods=["GET", "POST"])
@login_required
@require("sla.manage")
def sla_settings():
    config = services.load_sla_config()
    form = (
        forms.SlaForm()
        if request.method == "POST"
        else forms.SlaForm(formdata=None, data=_sla_form_data(config))
    )
    status = 200
    if request.method == "POST" and form.validate():
        try:
            services.save_sla_settings(
                by=current_user,
                mode=form.mode.data,
                day_start=form.day_start.data,
                day_end=form.day_end.data,
                workdays=form.workdays.data or [],
                targets={
                    p: (getattr(form, f"accept_{p}").data, getattr(form, f"resolve_{p}").data)
                    for p in vocab.TICKET_PRIORITY
                },
            )
            db.session.commit()
            flash("Pengaturan SLA disimpan; tenggat tiket terbuka dihitung ulang.", "success")
            return redirect(url_for("tickets.sla_settings"))
        except DomainError as e:
            _fail(e, form)
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "tickets/sla_settings.html",
        form=form,
        holiday_form=forms.HolidayForm(prefix="h"),
        holidays=services.holidays_list(),
        config=config,
        day_text=_day_text(config),
        vocab=vocab,
    ), status


@bp.post("/admin/sla/libur")
@login_required
@require("sla.manage")
def holiday_add():
    form = forms.HolidayForm(prefix="h")
    if form.validate():
        try:
            services.add_holiday(by=current_user, day=form.day.data, name=form.name.data)
            db.session.commit()
            flash("Hari libur ditambahkan; tenggat tiket terbuka dihitung ulang.", "success")
            return redirect(url_for("tickets.sla_settings") + "#libur")
        except DomainError as e:
            _fail(e, form)
    config = services.load_sla_config()
    return render_template(
        "tickets/sla_settings.html",
        form=forms.SlaForm(formdata=None, data=_sla_form_data(config)),
        holiday_form=form,
        holidays=services.holidays_list(),
        config=config,
        day_text=_day_text(config),
        vocab=vocab,
    ), 422


@bp.post("/admin/sla/libur/<int:holiday_id>/hapus")
@login_required
@require("sla.manage")
def holiday_delete(holiday_id: int):
    services.delete_holiday(by=current_user, holiday_id=holiday_id)
    db.session.commit()
    flash("Hari libur dihapus.", "success")
    return redirect(url_for("tickets.sla_settings") + "#libur")
