"""Blanko pages: parse, call the service, flash/redirect or re-render. The request commits
once at its end (`common.uow`); reads come from `queries` and `stats`."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from assets_app.blanko import ditjen, documents, forms, queries, rules, serials, services, stats
from assets_app.blanko.models import REQUEST_STATUS, STATUS_LABELS
from assets_app.common import vocab
from assets_app.common.formatting import number, tanggal
from assets_app.common.forms import form_data, submitted
from assets_app.common.pagination import page_args, page_of, paginate
from assets_app.common.permissions import can, require
from assets_app.common.timeutil import WIB, today_wib, utcnow
from assets_app.common.validate import Invalid, check_date_window, parse_date
from assets_app.common.views import form_post
from assets_app.letters import queries as letter_queries
from assets_app.regions.scope import in_scope

bp = Blueprint("blanko", __name__, url_prefix="/blanko")

# What each kind's form asks for, in order, and how the fields are labelled there.
KIND_FORMS = {
    "penerimaan": {
        "title": "Penerimaan blanko dari Ditjen Dukcapil",
        "fields": (
            "to_region",
            "quantity",
            "occurred_at",
            "reference",
            "bast_date",
            "request_id",
            "serial_ranges",
            "note",
        ),
        "labels": {"to_region": "Gudang Dinas penerima", "reference": "Nomor BAST"},
        "levels": {"to_region": ("kabkota",)},
        "help": "Saldo gudang Dinas bertambah saat disimpan. Jumlah nomor seri harus sama "
        "dengan jumlah keping.",
    },
    "distribusi": {
        "title": "Distribusi blanko ke kecamatan",
        "fields": (
            "from_region",
            "to_region",
            "quantity",
            "occurred_at",
            "reference",
            "serial_ranges",
            "note",
        ),
        "labels": {
            "from_region": "Dari gudang Dinas",
            "to_region": "Ke kecamatan",
            "reference": "Nomor BAST / surat jalan",
        },
        "levels": {"from_region": ("kabkota",), "to_region": ("kecamatan",)},
        "help": "Blanko keluar dari gudang Dinas saat dikirim dan tercatat dalam perjalanan "
        "sampai camat mengonfirmasi penerimaan.",
    },
    "pengembalian": {
        "title": "Pengembalian blanko ke gudang Dinas",
        "fields": ("from_region", "quantity", "occurred_at", "reference", "serial_ranges", "note"),
        "labels": {"from_region": "Dari kecamatan", "reference": "Nomor BAST / surat jalan"},
        "levels": {"from_region": ("kecamatan",)},
        "help": "Blanko keluar dari kecamatan saat dikirim dan tercatat dalam perjalanan sampai "
        "gudang Dinas mengonfirmasi penerimaan.",
    },
    "pemakaian": {
        "title": "Pemakaian blanko",
        "fields": ("from_region", "quantity", "occurred_at", "reference", "serial_ranges", "note"),
        "labels": {"from_region": "Lokasi", "reference": "Referensi (opsional)"},
        "levels": {"from_region": ("kabkota", "kecamatan")},
        "help": "Jumlah kartu KTP-el yang dicetak; dibandingkan dengan laporan pemakaian harian.",
    },
    "rusak": {
        "title": "Blanko rusak / gagal cetak",
        "fields": ("from_region", "quantity", "occurred_at", "serial_ranges", "note"),
        "labels": {"from_region": "Lokasi", "note": "Sebab kerusakan"},
        "levels": {"from_region": ("kabkota", "kecamatan")},
        "help": "Tercatat menunggu persetujuan Kepala Dinas. Saldo berkurang setelah disetujui "
        "dengan nomor berita acara; sementara itu kartu ini tidak dapat dipakai mutasi lain.",
    },
}


def _pdf(filename: str, data: bytes) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _safe_next(default: str) -> str:
    target = request.form.get("next") or request.args.get("next")
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def _arg(name: str) -> str | None:
    return request.args.get(name, "").strip() or None


def _day(name: str, errors: list, label: str) -> date | None:
    try:
        return parse_date(request.args.get(name))
    except Invalid:
        errors.append(f"Tanggal '{label}' tidak valid.")
        return None


def _choices(levels=("kabkota", "kecamatan"), blank: str | None = None, as_region=False):
    return queries.location_choices(current_user, levels, as_region=as_region, blank=blank)


# --- balances ------------------------------------------------------------------------------


@bp.get("/")
@require("blanko.view")
def index():
    region, low = _arg("region"), request.args.get("low") == "1"
    errors: list = []
    start, end = _day("dari", errors, "dari"), _day("sampai", errors, "sampai")
    end = end or today_wib()
    start = min(start or end.replace(day=1), end)
    recon = queries.reconciliation(current_user, region, start, end)
    # the reconciliation of a national scope has a row per location (7,800): 50 a page
    recon_page = page_of(recon.rows, request.args.get("rekon", 1, type=int) or 1, 50)
    recon_page.items = queries.labelled(recon_page.items)
    return render_template(
        "blanko/index.html",
        page=stats.locations_page(current_user, region, low, *page_args(50)),
        totals=stats.totals(current_user, region),
        recon=recon,
        recon_page=recon_page,
        errors=errors,
        region=region or "",
        low=low,
        region_opts=_choices(("provinsi", "kabkota"), blank="Semua wilayah", as_region=True),
    )


@bp.get("/peringatan")
@require("blanko.view")
def alerts():
    result = stats.locations_page(current_user, None, True, *page_args(50))
    kab_codes = sorted({r.kab_code for r in result.items})
    open_requests = {code: queries.open_requests_for(code) for code in kab_codes}
    return render_template("blanko/alerts.html", page=result, open_requests=open_requests)


@bp.get("/lokasi/<code>")
@require("blanko.view")
def location(code: str):
    loc = queries.get_location_or_404(current_user, code)
    history = paginate(
        queries.movements_query(current_user, queries.MovementFilters(location=loc.code)),
        *page_args(20),
    )
    pending_in, pending_ok = queries.location_worklists(current_user, loc.code)
    return render_template(
        "blanko/location.html",
        loc=loc,
        row=queries.location_row(current_user, loc.code),
        history=history,
        pending_in=pending_in,
        pending_ok=pending_ok,
        names=queries.names_of_movements([*history.items, *pending_in, *pending_ok]),
        usage=[] if loc.is_dinas else stats.usage_comparison(loc.code),
        held=serials.holdings(loc.code),
        settings=queries.location_settings(loc.code),
        requests=queries.open_requests_for(loc.code) if loc.is_dinas else [],
    )


@bp.route("/lokasi/<code>/pengaturan", methods=["GET", "POST"])
@require("blanko.write")
def settings(code: str):
    loc = queries.get_location_or_404(current_user, code)
    form = forms.SettingsForm(obj=queries.location_settings(loc.code))
    saved = submitted(
        form,
        lambda: services.update_location_settings(
            current_user,
            loc.code,
            low_stock_days=form.low_stock_days.data,
            lead_time_days=form.lead_time_days.data if loc.is_dinas else None,
        ),
    )
    if saved:
        flash(f"Pengaturan {loc.label} disimpan.", "success")
        return redirect(url_for("blanko.location", code=loc.code))
    return render_template("blanko/settings.html", loc=loc, form=form)


# --- movements -----------------------------------------------------------------------------


@bp.get("/mutasi")
@require("blanko.view")
def movements():
    errors: list[str] = []
    f = _movement_filters(errors)
    return _movement_list(
        "blanko/movements.html",
        queries.movements_query(current_user, f),
        f=f,
        args=request.args,
        errors=errors,
        kinds=vocab.BLANKO_MOVEMENT,
        statuses=STATUS_LABELS,
        region_opts=_choices(blank="Semua lokasi"),
    )


def _movement_list(template: str, stmt, **context):
    """A page of movements (50 a page) with the names of their locations."""
    result = paginate(stmt, *page_args(50))
    names = queries.names_of_movements(result.items)
    return render_template(template, page=result, names=names, **context)


def _movement_filters(errors: list) -> queries.MovementFilters:
    return queries.MovementFilters(
        region=_arg("region"),
        location=_arg("location"),
        kind=request.args.get("kind") or None,
        status=request.args.get("status") or None,
        start=_day("from", errors, "dari"),
        end=_day("to", errors, "sampai"),
        q=_arg("q"),
    )


@bp.route("/mutasi/baru/<kind>", methods=["GET", "POST"])
@require("blanko.view")
def new_movement(kind: str):
    if kind == "penyesuaian":
        return redirect(url_for("blanko.opname_new", region=request.args.get("from_region")))
    spec = KIND_FORMS.get(kind)
    if spec is None:
        abort(404)
    if not can(current_user, services.KIND_ACTION[kind]):
        abort(403)
    form = _movement_form(kind, spec)
    data = {name: form[name].data for name in spec["fields"]}
    movement = submitted(form, lambda: services.record_movement(current_user, kind=kind, **data))
    if movement:
        flash(_saved_message(movement), "success")
        return redirect(url_for("blanko.movement", movement_id=movement.id))
    return render_template("blanko/movement_form.html", form=form, kind=kind, spec=spec)


def _movement_form(kind: str, spec: dict) -> forms.MovementForm:
    """The form of one kind: its location choices and labels, and on GET the defaults (now,
    the locations asked for or the only one in scope, the request being fulfilled)."""
    form = forms.MovementForm()
    for name, levels in spec["levels"].items():
        form[name].choices = _choices(levels, blank="— pilih —")
    for name, text in spec["labels"].items():
        form[name].label.text = text
    if kind == "penerimaan":
        blank = ("", "— tidak terkait permintaan —")
        form.request_id.choices = [blank, *queries.open_request_choices(current_user)]
    if request.method == "GET":
        form.occurred_at.data = utcnow()
        for name in spec["levels"]:
            select = form[name]
            if request.args.get(name):
                select.data = request.args[name]
            elif len(select.choices) == 2:  # only one location in scope: take it
                select.data = select.choices[1][0]
        if kind == "penerimaan" and request.args.get("request_id"):
            form.request_id.data = request.args["request_id"]
    return form


def _saved_message(m) -> str:
    label = m.kind_label
    if m.kind in ("distribusi", "pengembalian"):
        return f"{label} {number(m.quantity)} keping tercatat; menunggu konfirmasi penerimaan."
    if m.kind == "rusak":
        return f"{number(m.quantity)} keping rusak tercatat; menunggu persetujuan Kepala Dinas."
    return f"{label} {number(m.quantity)} keping tercatat."


@bp.get("/mutasi/<int:movement_id>")
@require("blanko.view")
def movement(movement_id: int):
    return _movement_page(movement_id)


def location_visible(code: str) -> bool:
    """A stock location the current user may open (its page is a 404 otherwise)."""
    return bool(code) and in_scope(current_user, code)


def _movement_page(movement_id, receive_form=None, decide_form=None, correct_form=None):
    """The movement page; re-rendered with status 422 and the refused form after a POST."""
    m = queries.get_movement(current_user, movement_id)
    refused = receive_form or decide_form or correct_form
    if receive_form is None:
        receive_form = forms.ReceiveForm(formdata=None)
        receive_form.quantity_received.data = m.quantity
        receive_form.received_at.data = utcnow()
    return render_template(
        "blanko/movement.html",
        m=m,
        names=queries.location_names([m.from_region, m.to_region, m.region_code]),
        receive_form=receive_form,
        decide_form=decide_form or forms.DecisionForm(formdata=None),
        can_receive=can(current_user, "blanko.receive")
        and m.status == "in_transit"
        and in_scope(current_user, m.to_region),
        is_receiver=rules.is_receiver(current_user, m.to_region),
        destination=queries.get_location(m.to_region) if m.to_region else None,
        can_decide=can(current_user, "blanko.approve") and m.status == "pending_approval",
        own_record=services.recorded_by(current_user, m),
        correct_form=correct_form or forms.CorrectionForm(formdata=None),
        can_correct=can(current_user, "blanko.write") and m.kind in ("penerimaan", "pemakaian"),
    ), (422 if refused else 200)


@form_post(bp, "/mutasi/<int:movement_id>/terima", "blanko.movement")
@require("blanko.receive")
def receive(movement_id: int):
    form = forms.ReceiveForm()
    receipt = submitted(
        form,
        lambda: services.receive_movement(
            current_user,
            movement_id,
            quantity_received=form.quantity_received.data,
            received_at=form.received_at.data,
            note=form.note.data,
            on_behalf_reason=form.on_behalf_reason.data,
        ),
    )
    if not receipt:
        return _movement_page(movement_id, receive_form=form)
    done = "dicatat atas nama penerima" if receipt.on_behalf_reason else "dikonfirmasi"
    msg = f"Penerimaan {number(receipt.quantity_received)} keping {done}."
    if receipt.difference:
        msg += f" Selisih {number(receipt.difference)} keping dicatat."
    flash(msg, "success")
    return redirect(_safe_next(url_for("blanko.movement", movement_id=movement_id)))


@form_post(bp, "/mutasi/<int:movement_id>/putuskan", "blanko.movement")
@require("blanko.approve")
def decide(movement_id: int):
    form = forms.DecisionForm()
    decision = submitted(
        form,
        lambda: services.decide_movement(
            current_user,
            movement_id,
            approved=form.decision,
            berita_acara_no=form.berita_acara_no.data,
            note=form.note.data,
            witnesses=form.witnesses.data,
        ),
    )
    if not decision:
        return _movement_page(movement_id, decide_form=form)
    flash(
        "Disetujui; saldo diperbarui." if decision.approved else "Ditolak; saldo tetap.", "success"
    )
    return redirect(_safe_next(url_for("blanko.movement", movement_id=movement_id)))


@form_post(bp, "/mutasi/<int:movement_id>/koreksi", "blanko.movement")
@require("blanko.write")
def correct(movement_id: int):
    form = forms.CorrectionForm()
    fix = submitted(
        form,
        lambda: services.correct_movement(
            current_user, movement_id, quantity=form.quantity.data, reason=form.note.data
        ),
    )
    if not fix:
        return _movement_page(movement_id, correct_form=form)
    flash(
        f"Koreksi {number(fix.quantity)} keping dicatat sebagai penyesuaian #{fix.id}; "
        "menunggu persetujuan Kepala Dinas.",
        "success",
    )
    return redirect(url_for("blanko.movement", movement_id=fix.id))


@bp.get("/mutasi/<int:movement_id>/berita-acara.pdf")
@require("blanko.view")
def berita_acara(movement_id: int):
    return _pdf(*documents.berita_acara(current_user, movement_id))


@bp.get("/penerimaan-tertunda")
@require("blanko.receive")
def receipts():
    return _movement_list(
        "blanko/receipts.html",
        queries.pending_receipts_query(current_user),
        form=forms.ReceiveForm(formdata=None),
        is_receiver=lambda code: rules.is_receiver(current_user, code),
        now_local=utcnow().astimezone(WIB).strftime("%Y-%m-%dT%H:%M"),
    )


@bp.get("/persetujuan")
@require("blanko.view")
def approvals():
    return _movement_list(
        "blanko/approvals.html",
        queries.pending_approvals_query(current_user),
        form=forms.DecisionForm(formdata=None),
    )


# --- spoilage --------------------------------------------------------------------------------


@bp.get("/kerusakan")
@require("blanko.view")
def spoilage():
    region = _arg("region")
    end = _month(request.args.get("sampai"))
    months = stats.month_list(end, 6)
    result = paginate(queries.kecamatan_stmt(current_user, region), *page_args(50))
    return render_template(
        "blanko/spoilage.html",
        page=result,
        months=months,
        data=stats.spoilage([r.code for r in result.items], months),
        region=region or "",
        end=end.strftime("%Y-%m"),
        region_opts=_choices(("kabkota",), blank="Semua kab/kota", as_region=True),
        month_labels={m: tanggal(date.fromisoformat(m + "-01"), "MMM yyyy") for m in months},
    )


def _month(value: str | None) -> date:
    """The first day of a `YYYY-MM` month; this month when absent or not a month."""
    try:
        return check_date_window(date.fromisoformat((value or "") + "-01"))
    except ValueError:  # not a month, or outside the date window (Invalid is a ValueError)
        return today_wib()


# --- stock opname --------------------------------------------------------------------------


@bp.get("/opname")
@require("blanko.view")
def opname():
    region = _arg("region")
    result = paginate(queries.stock_opnames_query(current_user, region), *page_args(50))
    return render_template(
        "blanko/opname.html",
        page=result,
        names=queries.location_names({o.region_code for o in result.items}),
        region=region or "",
        region_opts=_choices(("kabkota", "kecamatan"), blank="Semua lokasi"),
    )


@bp.route("/opname/baru", methods=["GET", "POST"])
@require("blanko.write")
def opname_new():
    form = forms.OpnameForm()
    form.region_code.choices = _choices(blank="— pilih —")
    if request.method == "GET":
        form.region_code.data = request.args.get("region") or None
        form.counted_at.data = utcnow()
    record = submitted(form, lambda: services.record_stock_opname(current_user, **form_data(form)))
    if record and record.movement_id:
        flash(
            f"Stock opname dicatat. Selisih {'+' if record.difference > 0 else '−'}{number(abs(record.difference))} keping menunggu "
            "persetujuan Kepala Dinas.",
            "success",
        )
        return redirect(url_for("blanko.movement", movement_id=record.movement_id))
    if record:
        flash("Stock opname dicatat: hasil hitung sama dengan buku.", "success")
        return redirect(url_for("blanko.location", code=record.region_code))
    loc = queries.in_scope_location(current_user, form.region_code.data)
    book = (loc, queries.balance_of(loc.code)) if loc else None
    return render_template("blanko/opname_form.html", form=form, book=book)


@bp.get("/opname/lembar.pdf")
@require("blanko.write")
def opname_sheet():
    region = _arg("region")
    if region:
        queries.get_location_or_404(current_user, region)
    return _pdf(*documents.opname_sheet(current_user, region))


# --- requests to Ditjen ----------------------------------------------------------------------


@bp.get("/permintaan")
@require("blanko.view")
def requests():
    status = request.args.get("status") or None
    result = paginate(queries.requests_query(current_user, status), *page_args(25))
    return render_template(
        "blanko/requests.html",
        page=result,
        status=status or "",
        statuses=REQUEST_STATUS,
        fulfilled=queries.request_fulfilment([r.id for r in result.items]),
        names=queries.location_names({r.region_code for r in result.items}),
    )


@bp.route("/permintaan/baru", methods=["GET", "POST"])
@require("blanko.write")
def request_new():
    form = forms.RequestForm()
    form.region_code.choices = _choices(("kabkota",), blank="— pilih —")
    asked = form.region_code.data if request.method == "POST" else request.args.get("region")
    code = queries.default_request_region(current_user, asked)
    loc = queries.in_scope_location(current_user, code)
    basis = queries.request_suggestion(current_user, code) if loc and loc.is_dinas else None
    if request.method == "GET":
        form.region_code.data = code
        form.letter_date.data = today_wib()
        form.quantity.data = (basis or {}).get("suggested") or None
    req = submitted(form, lambda: ditjen.create_request(current_user, **form_data(form)))
    if req:
        flash(
            f"Permintaan {number(req.quantity)} keping dibuat dengan draf surat permohonan; "
            "nomor surat diberikan saat kepala dinas menandatanganinya.",
            "success",
        )
        return redirect(url_for("blanko.request_detail", request_id=req.id))
    return render_template("blanko/request_form.html", form=form, basis=basis)


@bp.get("/permintaan/<int:request_id>")
@require("blanko.view")
def request_detail(request_id: int):
    return _request_page(request_id)


def _request_page(request_id: int, cancel_form=None):
    """The request page; with status 422 and the refused form after a failed cancellation."""
    req = queries.get_request(current_user, request_id)
    return render_template(
        "blanko/request.html",
        req=req,
        letters=letter_queries.letters_for_subject("blanko_request", req.id),
        fulfilled=queries.request_fulfilment([req.id]).get(req.id),
        names=queries.location_names([req.region_code]),
        cancel_form=cancel_form or forms.CancelForm(formdata=None),
    ), (422 if cancel_form else 200)


@bp.get("/permintaan/<int:request_id>/surat.pdf")
@require("blanko.view")
def request_letter(request_id: int):
    return _pdf(*documents.request_letter(current_user, request_id))


@form_post(bp, "/permintaan/<int:request_id>/batal", "blanko.request_detail")
@require("blanko.write")
def request_cancel(request_id: int):
    req = queries.get_request(current_user, request_id)
    form = forms.CancelForm()
    if submitted(form, lambda: ditjen.cancel_request(current_user, req.id, note=form.note.data)):
        flash("Permintaan dibatalkan.", "success")
        return redirect(url_for("blanko.request_detail", request_id=req.id))
    return _request_page(request_id, cancel_form=form)
