from __future__ import annotations

import re
import uuid

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from assets_app.common import vocab
from assets_app.common.errors import NotFound
from assets_app.common.forms import submitted
from assets_app.common.pagination import page_args, page_of, paginate, sort_args
from assets_app.common.permissions import can, require
from assets_app.common.timeutil import utcnow
from assets_app.common.views import form_post, page_form
from assets_app.letters import queries as letter_queries
from assets_app.letters import vocab as letter_vocab
from assets_app.regions.services import (
    chosen_setting_scope,
    region_choices,
    setting_scope_label,
    setting_scopes,
)
from assets_app.tickets import attachments as files
from assets_app.tickets import forms, notifications, queries, services, sla, sla_config, workflow
from assets_app.tickets.timeline import timeline

bp = Blueprint("tickets", __name__)


def _uploads(name: str = "attachments"):
    return [(f.filename, f.read()) for f in request.files.getlist(name) if f and f.filename]


def _status() -> int:
    return 422 if request.method == "POST" else 200


def _to_ticket(ticket, anchor: str = ""):
    return redirect(url_for("tickets.detail", ticket_id=ticket.id) + anchor)


# --- lists ---------------------------------------------------------------------------------

LIST_TITLES = {
    "index": "Tiket perbaikan",
    "mine": "Tiket saya",
    "overdue": "Tiket terlambat",
}


def _filters(view: str) -> dict:
    args = request.args
    status = args.get("status") or ("terbuka" if view != "index" else None)
    if view == "index" and "status" not in args:
        status = "terbuka"
    return {
        "region": args.get("region") or None,
        "status": status,
        "priority": args.get("priority") or None,
        "category": args.get("category") or None,
        "party": args.get("party") or None,
        "q": (args.get("q") or "").strip() or None,
    }


def _list(view: str):
    f, now = _filters(view), utcnow()
    sort, order = sort_args(queries.SORTS, "-created")
    stmt = queries.tickets_query(
        current_user, mine=view == "mine", overdue=view == "overdue", now=now, order=order, **f
    )
    page = paginate(stmt, *page_args())
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
@require("tickets.view")
def index():
    return _list("index")


@bp.get("/tiket/saya")
@require("tickets.view")
def mine():
    return _list("mine")


@bp.get("/tiket/terlambat")
@require("tickets.view")
def overdue():
    return _list("overdue")


@bp.get("/tiket/per-pihak")
@require("tickets.view")
def by_party():
    region = request.args.get("region") or None
    rows = queries.party_summary(current_user, region)
    return render_template("tickets/by_party.html", rows=rows, region=region)


@bp.get("/tiket/per-kecamatan")
@require("tickets.view")
def by_region():
    region = request.args.get("region") or None
    # a national scope may have a row for each of 7,285 kecamatan: 50 a page
    page = page_of(queries.region_summary(current_user, region), *page_args(50))
    return render_template("tickets/by_region.html", rows=page.items, page=page, region=region)


# --- filing --------------------------------------------------------------------------------


def _ticket_form() -> forms.TicketForm:
    """The filing form with its choices; on GET pre-filled (the asset the user came from, the
    only kecamatan they cover) and given a fresh idempotency key."""
    form = forms.TicketForm()
    regions = region_choices(current_user, levels=("kecamatan",), selected=form.region_code.data)
    form.region_code.choices = regions if len(regions) == 1 else [("", "— pilih —"), *regions]
    form.asset_groups = queries.filing_asset_groups(regions)
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
        asset = queries.asset_for_filing(request.args.get("asset_id"), current_user)
        if asset is not None:
            form.asset_id.data = str(asset.id)
            form.region_code.data = asset.region_code
        if len(regions) == 1:
            form.region_code.data = regions[0][0]
    return form


def _file(form):
    return services.file_ticket(
        by=current_user,
        region_code=form.region_code.data,
        asset_id=form.asset_id.data or None,
        mark_asset_down=form.mark_asset_down.data,
        category=form.category.data,
        urgency=form.urgency.data,
        impact=form.impact.data,
        title=form.title.data,
        description=form.description.data,
        attachments=_uploads(),
        idempotency_key=form.idempotency_key.data,
    )


@bp.route("/tiket/baru", methods=["GET", "POST"])
@require("tickets.file")
def new():
    form = _ticket_form()
    result = submitted(form, lambda: _file(form))
    if result:
        ticket, created = result
        if created:
            flash(f"Tiket {ticket.number} dibuat. Petugas Dinas sudah diberi tahu.", "success")
        else:
            flash(
                f"Tiket {ticket.number} sudah tersimpan sebelumnya; tidak dibuat dua kali.", "info"
            )
        return _to_ticket(ticket)
    return render_template(
        "tickets/form.html", form=form, priority_matrix=workflow.PRIORITY_MATRIX, vocab=vocab
    ), _status()


# --- one ticket ----------------------------------------------------------------------------


def _ticket(ticket_id: int):
    return queries.get_ticket_or_404(ticket_id, current_user)


def _kept_party(ticket, parties=None) -> str | None:
    """The blank option's label when it keeps the party already recorded on the ticket
    (`parties`: those that count here), else None: the user must choose."""
    if parties is None or ticket.responsible_party in parties:
        return f"— tetap: {ticket.party_label} —"
    return None


def _assign_form(ticket, form=None):
    form = form or forms.AssignForm(prefix="assign")
    form.responsible_party.choices = [("", _kept_party(ticket))] + [
        (k, v) for k, v in vocab.RESPONSIBLE_PARTY.items()
    ]
    if can(current_user, "tickets.handle"):
        form.assignee_id.choices = [("", "— tetap —")] + [
            (str(u.id), f"{u.name} ({u.role_label})") for u in queries.assignee_choices(ticket)
        ]
    return form


def _render_detail(ticket, status: int = 200, **overrides):
    """The ticket page: its facts, clocks, history, letters, files and the forms of the steps
    the user may take (one set of bounded queries)."""
    now = utcnow()
    config = sla_config.load_sla_config(ticket.region_code)
    events = queries.ticket_events(ticket)
    letters = queries.ticket_letters(ticket)
    return render_template(
        "tickets/detail.html",
        ticket=ticket,
        region=queries.ticket_region(ticket),
        asset=queries.ticket_asset(ticket),
        events=events,
        timeline=timeline(ticket, events, letters),
        letters=letters,
        correspondence=letter_queries.correspondence(letters),
        attachments=queries.ticket_attachments(ticket),
        clocks=sla_config.ticket_clocks(ticket, now),
        calendar=config.calendar,
        fmt=lambda td: sla.format_duration(td, config.calendar),
        steps=queries.allowed_steps(ticket, current_user, now),
        transition_form=overrides.get("transition_form") or forms.TransitionForm(prefix="tr"),
        failed_step=overrides.get("failed_step"),
        comment_form=overrides.get("comment_form") or forms.CommentForm(prefix="c"),
        assign_form=_assign_form(ticket, overrides.get("assign_form")),
        people=queries.users_by_id([ticket.reporter_id, ticket.assignee_id]),
        vocab=vocab,
        now=now,
        third_parties=workflow.THIRD_PARTIES,
        waited_blank=_kept_party(ticket, workflow.THIRD_PARTIES) or forms.CHOOSE_PARTY,
    ), status


def _ticket_action(ticket_id: int, form, form_key: str, action, message, anchor="", field_map=None):
    """A form on the ticket page: `action(ticket)`, then back to the ticket with `message`
    (a function of the ticket); a refusal re-renders the page with the form's errors."""
    ticket = _ticket(ticket_id)

    def refused():
        failed = {"failed_step": form.to.data} if form_key == "transition_form" else {}
        return _render_detail(_ticket(ticket_id), 422, **{form_key: form}, **failed)

    back = url_for("tickets.detail", ticket_id=ticket.id)
    done = lambda: message(ticket)  # noqa: E731
    return page_form(
        form, lambda: action(ticket), done, back, refused, anchor=anchor, field_map=field_map
    )


@bp.get("/tiket/<int:ticket_id>")
@require("tickets.view")
def detail(ticket_id: int):
    return _render_detail(_ticket(ticket_id))


@bp.get("/tiket/nomor/<number>")
@require("tickets.view")
def by_number(number: str):
    """A ticket number written in another page's text (an asset's history) leads here."""
    return _to_ticket(queries.get_ticket_by_number_or_404(number, current_user))


TICKET_NUMBER = re.compile(r"\bTK-\d{4}-\d{5}\b")


def link_ticket_numbers(text) -> Markup:
    """The `ticket_links` filter: text escaped, each ticket number a link to its ticket."""
    if not text:
        return Markup("")
    escaped = str(escape(text))
    return Markup(
        TICKET_NUMBER.sub(
            lambda m: f'<a href="{url_for("tickets.by_number", number=m[0])}">{m[0]}</a>', escaped
        )
    )


@form_post(bp, "/tiket/<int:ticket_id>/status", "tickets.detail")
@require("tickets.comment")
def transition(ticket_id: int):
    form = forms.TransitionForm(prefix="tr")
    return _ticket_action(
        ticket_id,
        form,
        "transition_form",
        lambda t: services.transition(
            t,
            by=current_user,
            to=form.to.data,
            note=form.note.data,
            responsible_party=form.responsible_party.data or None,
            update_asset=form.update_asset.data,
        ),
        lambda t: f"Tiket {t.number} sekarang berstatus {t.status_label}.",
        field_map={"to": "_refusal"},  # no such field: shown as an alert
    )


@form_post(bp, "/tiket/<int:ticket_id>/komentar", "tickets.detail")
@require("tickets.comment")
def comment(ticket_id: int):
    form = forms.CommentForm(prefix="c")
    return _ticket_action(
        ticket_id,
        form,
        "comment_form",
        lambda t: services.add_comment(
            t, by=current_user, note=form.note.data, attachments=_uploads("c-attachments")
        ),
        lambda t: "Komentar disimpan.",
        anchor="#riwayat",
    )


@form_post(bp, "/tiket/<int:ticket_id>/penugasan", "tickets.detail")
@require("tickets.handle")
def assign(ticket_id: int):
    form = forms.AssignForm(prefix="assign")
    return _ticket_action(
        ticket_id,
        form,
        "assign_form",
        lambda t: services.assign(
            t,
            by=current_user,
            assignee_id=form.assignee_id.data or None,
            responsible_party=form.responsible_party.data or None,
            note=form.note.data,
        ),
        lambda t: "Penugasan tiket diperbarui.",
    )


@bp.get("/tiket/<int:ticket_id>/lampiran/<int:attachment_id>")
@require("tickets.view")
def attachment(ticket_id: int, attachment_id: int):
    att = queries.get_attachment_or_404(_ticket(ticket_id), attachment_id)
    try:
        path = files.absolute(att.stored_path)
    except ValueError:
        raise NotFound("Berkas lampiran tidak ditemukan di penyimpanan.") from None
    if not path.exists():
        raise NotFound("Berkas lampiran tidak ditemukan di penyimpanan.")
    as_attachment = not att.is_image and request.args.get("unduh") == "1"
    resp = send_file(
        path, mimetype=att.content_type, as_attachment=as_attachment,
        download_name=att.filename, max_age=600,
    )  # fmt: skip
    resp.cache_control.public = False  # the browser may keep it; shared proxies may not
    resp.cache_control.private = True
    return resp


# --- letters from a ticket -----------------------------------------------------------------


def _letter_form(ticket) -> forms.TicketLetterForm:
    """The draft form; on GET (or "isi ulang") filled with the wording for the chosen party."""
    if request.method == "POST" and "isi-ulang" not in request.form:
        return forms.TicketLetterForm()
    party = request.values.get("party") or ticket.responsible_party
    superior = request.values.get("superior") in ("1", "y", "on")
    defaults = services.letter_draft_defaults(ticket, party, superior=superior)
    return forms.TicketLetterForm(
        formdata=None, data={**defaults, "party": party, "superior": superior}
    )


LETTER_FIELDS = ("recipient", "recipient_place", "perihal", "classification", "sifat")
LETTER_FIELDS += ("lampiran", "body", "tembusan")


@bp.route("/tiket/<int:ticket_id>/surat/baru", methods=["GET", "POST"])
@require("letters.write")
def letter_new(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = _letter_form(ticket)
    fields = {f: getattr(form, f).data for f in LETTER_FIELDS}
    refill = "isi-ulang" in request.form
    compose = lambda: services.compose_ticket_letter(ticket, by=current_user, **fields)  # noqa: E731
    letter = None if refill else submitted(form, compose)
    if letter:
        flash("Draf surat disimpan. Kepala dinas diminta menandatanganinya.", "success")
        return redirect(url_for("letters.detail", letter_id=letter.id))
    return render_template(
        "tickets/letter_form.html", ticket=ticket, form=form,
        classifications=letter_vocab.CLASSIFICATIONS,
    ), (200 if refill else _status())  # fmt: skip


def _incoming_form(ticket) -> forms.IncomingLetterForm:
    form = forms.IncomingLetterForm()
    waiting = [lt for lt in queries.ticket_letters(ticket) if lt.awaiting_reply and lt.number]
    form.in_reply_to_id.choices = [("", "— bukan balasan —")] + [
        (str(lt.id), f"{lt.number} · {lt.perihal[:60]}") for lt in waiting
    ]
    if request.method == "GET":
        form.sender.data = f"Camat {queries.ticket_region(ticket).name}"
        form.recipient.data = "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    return form


INCOMING_FIELDS = ("sender", "recipient", "number", "letter_date", "received_on", "perihal")
INCOMING_FIELDS += ("body",)


@bp.route("/tiket/<int:ticket_id>/surat/masuk", methods=["GET", "POST"])
@require("letters.write")
def letter_incoming(ticket_id: int):
    ticket = _ticket(ticket_id)
    form = _incoming_form(ticket)
    if submitted(
        form,
        lambda: services.record_ticket_incoming_letter(
            ticket, by=current_user, in_reply_to_id=form.in_reply_to_id.data or None,
            **{f: getattr(form, f).data for f in INCOMING_FIELDS},
        ),
    ):  # fmt: skip
        flash("Surat masuk dicatat.", "success")
        return _to_ticket(ticket, "#surat")
    return render_template("tickets/letter_incoming.html", ticket=ticket, form=form), _status()


# --- notifications -------------------------------------------------------------------------


@bp.get("/notifikasi")
@require("notifications.view")
def notifications_list():
    unread_only = request.args.get("belum") == "1"
    stmt = notifications.notifications_query(current_user, unread_only=unread_only)
    return render_template(
        "tickets/notifications.html",
        page=paginate(stmt, *page_args()),
        unread_only=unread_only,
        unread=notifications.unread_count(current_user),
    )


@form_post(bp, "/notifikasi/<int:notification_id>", "tickets.notifications_list", keep=())
@require("notifications.view")
def notification_open(notification_id: int):
    n = notifications.mark_read(current_user, notification_id)
    target = n.url if n.url and n.url.startswith("/") and not n.url.startswith("//") else None
    return redirect(target or url_for("tickets.notifications_list"))


@form_post(bp, "/notifikasi/baca-semua", "tickets.notifications_list")
@require("notifications.view")
def notifications_read_all():
    count = notifications.mark_all_read(current_user)
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


def _sla_region() -> str | None:
    """The kab/kota (None: the installation default) the SLA page shows or changes: `?region=`
    as given on a POST (the service refuses one out of reach), else one the user may change."""
    wanted = request.args.get("region")
    if request.method == "POST" and wanted is not None:
        return wanted.strip() or None
    return chosen_setting_scope(current_user, wanted)


def _sla_url(code: str | None, anchor: str = "") -> str:
    return url_for("tickets.sla_settings", region=code or "") + anchor


def _render_sla(status: int, form=None, holiday_form=None):
    code = _sla_region()
    config = sla_config.load_sla_config(code)
    return render_template(
        "tickets/sla_settings.html",
        form=form or forms.SlaForm(formdata=None, data=_sla_form_data(config)),
        holiday_form=holiday_form or forms.HolidayForm(prefix="h"),
        holidays=sla_config.holidays_list(region_code=code),
        config=config,
        code=code,
        scopes=setting_scopes(current_user),
        scope_label=setting_scope_label(code),
        day_text=_day_text(config),
        vocab=vocab,
    ), status


def _save_sla(form):
    return sla_config.save_sla_settings(
        by=current_user,
        region_code=_sla_region(),
        mode=form.mode.data,
        day_start=form.day_start.data,
        day_end=form.day_end.data,
        workdays=form.workdays.data or [],
        targets={
            p: (getattr(form, f"accept_{p}").data, getattr(form, f"resolve_{p}").data)
            for p in vocab.TICKET_PRIORITY
        },
    )


@bp.route("/admin/sla", methods=["GET", "POST"])
@require("sla.manage")
def sla_settings():
    if request.method == "GET":
        return _render_sla(200)
    form = forms.SlaForm()
    if submitted(form, lambda: _save_sla(form)):
        flash("Pengaturan SLA disimpan; tenggat tiket terbuka dihitung ulang.", "success")
        return redirect(_sla_url(_sla_region()))
    return _render_sla(422, form=form)


@form_post(bp, "/admin/sla/libur", "tickets.sla_settings")
@require("sla.manage")
def holiday_add():
    form = forms.HolidayForm(prefix="h")
    code = _sla_region()
    if submitted(
        form,
        lambda: sla_config.add_holiday(
            by=current_user, day=form.day.data, name=form.name.data, region_code=code
        ),
    ):
        flash("Hari libur ditambahkan; tenggat tiket terbuka dihitung ulang.", "success")
        return redirect(_sla_url(code, "#libur"))
    return _render_sla(422, holiday_form=form)


@form_post(bp, "/admin/sla/libur/<int:holiday_id>/hapus", "tickets.sla_settings", keep=())
@require("sla.manage")
def holiday_delete(holiday_id: int):
    sla_config.delete_holiday(by=current_user, holiday_id=holiday_id)
    flash("Hari libur dihapus.", "success")
    return redirect(_sla_url(request.args.get("region"), "#libur"))
