"""Blanko pages: thin — parse, call the service, commit, flash/redirect or re-render."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from assets_app.blanko import documents, forms, serials, services, stats
from assets_app.blanko.models import REQUEST_STATUS, STATUS_LABELS
from assets_app.common import vocab
from assets_app.common.errors import Conflict, ValidationFailed
from assets_app.common.formatting import WIB, tanggal
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import Page, page_args, paginate
from assets_app.common.permissions import can, require
from assets_app.db import utcnow
from assets_app.extensions import db

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


def _now_local() -> str:
    return utcnow().astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


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


def _day(value: str | None, errors: list, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"Tanggal '{label}' tidak valid.")
        return None


def _location_choices(
    levels=("kabkota", "kecamatan"), blank: str | None = None, as_region: bool = False
):
    choices = services.location_choices(current_user, levels, as_region=as_region)
    return ([("", blank)] if blank is not None else []) + choices


# --- balances ------------------------------------------------------------------------------


@bp.get("/")
@login_required
@require("blanko.view")
def index():
    page, per_page = page_args(50)
    region = request.args.get("region", "").strip() or None
    low = request.args.get("low") == "1"
    stmt = stats.locations_stmt(current_user, region, only_low=low)
    if low:
        result = paginate(stmt, page, per_page, scalars=False)
        result.items = stats.location_rows(result.items)
    else:  # the count needs no aggregate: every location in scope is listed
        rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
        result = Page(
            stats.location_rows(rows), stats.locations_count(current_user, region), page, per_page
        )
    return render_template(
        "blanko/index.html",
        page=result,
        totals=stats.totals(current_user, region),
        region=region or "",
        low=low,
        region_opts=_location_choices(
            ("provinsi", "kabkota"), blank="Semua wilayah", as_region=True
        ),
    )


@bp.get("/peringatan")
@login_required
@require("blanko.view")
def alerts():
    page, per_page = page_args(50)
    result = paginate(
        stats.locations_stmt(current_user, only_low=True), page, per_page, scalars=False
    )
    result.items = stats.location_rows(result.items)
    kab_codes = sorted({r.code[:5] for r in result.items})
    open_requests = {code: services.open_requests_for(code) for code in kab_codes}
    return render_template("blanko/alerts.html", page=result, open_requests=open_requests)


@bp.get("/lokasi/<code>")
@login_required
@require("blanko.view")
def location(code: str):
    loc = services.get_location_or_404(current_user, code)
    row = stats.location_row(current_user, loc.code)
    page, per_page = page_args(20)
    history = paginate(
        services.movements_query(current_user, services.MovementFilters(location=loc.code)),
        page,
        per_page,
    )
    pending_in = db.session.scalars(
        services.pending_receipts_query(current_user)
        .where(services.BlankoMovement.to_region == loc.code)
        .limit(50)
    ).all()
    pending_ok = db.session.scalars(
        services.pending_approvals_query(current_user)
        .where(
            (services.BlankoMovement.from_region == loc.code)
            | (services.BlankoMovement.to_region == loc.code)
        )
        .limit(50)
    ).all()
    names = services.location_names(
        {
            c
            for m in [*history.items, *pending_in, *pending_ok]
            for c in (m.from_region, m.to_region)
        }
    )
    return render_template(
        "blanko/location.html",
        loc=loc,
        row=row,
        history=history,
        pending_in=pending_in,
        pending_ok=pending_ok,
        names=names,
        usage=[] if loc.is_dinas else stats.usage_comparison(loc.code),
        held=serials.holdings(loc.code),
        settings=services.location_settings(loc.code),
        requests=services.open_requests_for(loc.code) if loc.is_dinas else [],
    )


@bp.route("/lokasi/<code>/pengaturan", methods=["GET", "POST"])
@login_required
@require("blanko.write")
def settings(code: str):
    loc = services.get_location_or_404(current_user, code)
    current = services.location_settings(loc.code)
    form = forms.SettingsForm()
    if request.method == "GET":
        form.low_stock_days.data = str(current.low_stock_days)
        form.lead_time_days.data = str(current.lead_time_days)
    if form.validate_on_submit():
        try:
            services.update_location_settings(
                current_user,
                loc.code,
                low_stock_days=form.low_stock_days.data,
                lead_time_days=form.lead_time_days.data if loc.is_dinas else None,
            )
            db.session.commit()
            flash(f"Pengaturan {loc.label} disimpan.", "success")
            return redirect(url_for("blanko.location", code=loc.code))
        except ValidationFailed as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template("blanko/settings.html", loc=loc, form=form)


# --- movements -----------------------------------------------------------------------------


@bp.get("/mutasi")
@login_required
@require("blanko.view")
def movements():
    page, per_page = page_args(50)
    errors: list[str] = []
    f = services.MovementFilters(
        region=request.args.get("region", "").strip() or None,
        location=request.args.get("location", "").strip() or None,
        kind=request.args.get("kind") or None,
        status=request.args.get("status") or None,
        start=_day(request.args.get("from"), errors, "dari"),
        end=_day(request.args.get("to"), errors, "sampai"),
        q=request.args.get("q", "").strip() or None,
    )
    result = paginate(services.movements_query(current_user, f), page, per_page)
    names = services.location_names({c for m in result.items for c in (m.from_region, m.to_region)})
    return render_template(
        "blanko/movements.html",
        page=result,
        names=names,
        f=f,
        args=request.args,
        errors=errors,
        kinds=vocab.BLANKO_MOVEMENT,
        statuses=STATUS_LABELS,
        region_opts=_location_choices(blank="Semua lokasi"),
    )


@bp.route("/mutasi/baru/<kind>", methods=["GET", "POST"])
@login_required
@require("blanko.view")
def new_movement(kind: str):
    if kind == "penyesuaian":
        return redirect(url_for("blanko.opname_new", region=request.args.get("from_region")))
    spec = KIND_FORMS.get(kind)
    if spec is None:
        abort(404)
    if not can(current_user, services.KIND_ACTION[kind]):
        abort(403)
    form = forms.MovementForm()
    for name, levels in spec["levels"].items():
        getattr(form, name).choices = _location_choices(levels, blank="— pilih —")
    for name, text in spec["labels"].items():
        getattr(form, name).label.text = text
    if kind == "penerimaan":
        form.request_id.choices = [("", "— tidak terkait permintaan —")] + [
            (str(r.id), f"{r.letter_no} · {r.quantity} keping")
            for r in db.session.scalars(services.requests_query(current_user, "open").limit(100))
        ]
    if request.method == "GET":
        form.occurred_at.data = _now_local()
        for name in spec["levels"]:
            select = getattr(form, name)
            if request.args.get(name):
                select.data = request.args[name]
            elif len(select.choices) == 2:  # only one location in scope: take it
                select.data = select.choices[1][0]
        if kind == "penerimaan" and request.args.get("request_id"):
            form.request_id.data = request.args["request_id"]
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in spec["fields"]}
        try:
            movement = services.record_movement(current_user, kind=kind, **data)
            db.session.commit()
            flash(_saved_message(movement), "success")
            return redirect(url_for("blanko.movement", movement_id=movement.id))
        except (ValidationFailed, Conflict) as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template("blanko/movement_form.html", form=form, kind=kind, spec=spec)


def _saved_message(m) -> str:
    label = m.kind_label
    if m.kind in ("distribusi", "pengembalian"):
        return f"{label} {m.quantity} keping tercatat; menunggu konfirmasi penerimaan."
    if m.kind == "rusak":
        return f"{m.quantity} keping rusak tercatat; menunggu persetujuan Kepala Dinas."
    return f"{label} {m.quantity} keping tercatat."


@bp.get("/mutasi/<int:movement_id>")
@login_required
@require("blanko.view")
def movement(movement_id: int):
    m = services.get_movement(current_user, movement_id)
    return _movement_page(m)


def _movement_page(m, receive_form=None, decide_form=None, status=200, correct_form=None):
    if receive_form is None:
        receive_form = forms.ReceiveForm(formdata=None)
        receive_form.quantity_received.data = str(m.quantity)
        receive_form.received_at.data = _now_local()
    decide_form = decide_form or forms.DecisionForm(formdata=None)
    correct_form = correct_form or forms.CorrectionForm(formdata=None)
    names = services.location_names([m.from_region, m.to_region, m.region_code])
    return render_template(
        "blanko/movement.html",
        m=m,
        names=names,
        receive_form=receive_form,
        decide_form=decide_form,
        can_receive=can(current_user, "blanko.receive")
        and m.status == "in_transit"
        and _in_scope(m.to_region),
        can_decide=can(current_user, "blanko.approve") and m.status == "pending_approval",
        correct_form=correct_form,
        can_correct=can(current_user, "blanko.write") and m.kind in ("penerimaan", "pemakaian"),
    ), status


def _in_scope(code):
    from assets_app.regions.scope import in_scope

    return in_scope(current_user, code)


@bp.post("/mutasi/<int:movement_id>/terima")
@login_required
@require("blanko.receive")
def receive(movement_id: int):
    form = forms.ReceiveForm()
    if form.validate_on_submit():
        try:
            receipt = services.receive_movement(
                current_user,
                movement_id,
                quantity_received=form.quantity_received.data,
                received_at=form.received_at.data,
                note=form.note.data,
            )
            db.session.commit()
            msg = f"Penerimaan {receipt.quantity_received} keping dikonfirmasi."
            if receipt.difference:
                msg += f" Selisih {receipt.difference} keping dicatat."
            flash(msg, "success")
            return redirect(_safe_next(url_for("blanko.movement", movement_id=movement_id)))
        except (ValidationFailed, Conflict) as e:
            db.session.rollback()
            apply_errors(form, e)
    m = services.get_movement(current_user, movement_id)
    return _movement_page(m, receive_form=form, status=422)


@bp.post("/mutasi/<int:movement_id>/putuskan")
@login_required
@require("blanko.approve")
def decide(movement_id: int):
    form = forms.DecisionForm()
    if form.validate_on_submit():
        choice = form.approved.data
        approved = {"ya": True, "tidak": False}.get(choice, choice)
        try:
            decision = services.decide_movement(
                current_user,
                movement_id,
                approved=approved,
                berita_acara_no=form.berita_acara_no.data,
                note=form.note.data,
            )
            db.session.commit()
            flash(
                "Disetujui; saldo diperbarui." if decision.approved else "Ditolak; saldo tetap.",
                "success",
            )
            return redirect(_safe_next(url_for("blanko.movement", movement_id=movement_id)))
        except (ValidationFailed, Conflict) as e:
            db.session.rollback()
            apply_errors(form, e)
    m = services.get_movement(current_user, movement_id)
    return _movement_page(m, decide_form=form, status=422)


@bp.post("/mutasi/<int:movement_id>/koreksi")
@login_required
@require("blanko.write")
def correct(movement_id: int):
    form = forms.CorrectionForm()
    if form.validate_on_submit():
        try:
            fix = services.correct_movement(
                current_user, movement_id, quantity=form.quantity.data, reason=form.note.data
            )
            db.session.commit()
            flash(
                f"Koreksi {fix.quantity} keping dicatat sebagai penyesuaian #{fix.id}; "
                "menunggu persetujuan Kepala Dinas.",
                "success",
            )
            return redirect(url_for("blanko.movement", movement_id=fix.id))
        except (ValidationFailed, Conflict) as e:
            db.session.rollback()
            apply_errors(form, e)
    m = services.get_movement(current_user, movement_id)
    return _movement_page(m, correct_form=form, status=422)


@bp.get("/mutasi/<int:movement_id>/berita-acara.pdf")
@login_required
@require("blanko.view")
def berita_acara(movement_id: int):
    filename, data = documents.berita_acara(current_user, movement_id)
    return _pdf(filename, data)


@bp.get("/penerimaan-tertunda")
@login_required
@require("blanko.receive")
def receipts():
    page, per_page = page_args(50)
    result = paginate(services.pending_receipts_query(current_user), page, per_page)
    names = services.location_names({c for m in result.items for c in (m.from_region, m.to_region)})
    return render_template(
        "blanko/receipts.html",
        page=result,
        names=names,
        form=forms.ReceiveForm(formdata=None),
        now_local=_now_local(),
    )


@bp.get("/persetujuan")
@login_required
@require("blanko.view")
def approvals():
    page, per_page = page_args(50)
    result = paginate(services.pending_approvals_query(current_user), page, per_page)
    names = services.location_names({c for m in result.items for c in (m.from_region, m.to_region)})
    return render_template(
        "blanko/approvals.html", page=result, names=names, form=forms.DecisionForm(formdata=None)
    )


# --- spoilage --------------------------------------------------------------------------------


@bp.get("/kerusakan")
@login_required
@require("blanko.view")
def spoilage():
    import sqlalchemy as sa

    from assets_app.regions.models import Region
    from assets_app.regions.scope import scoped

    page, per_page = page_args(50)
    region = request.args.get("region", "").strip() or None
    try:
        end = date.fromisoformat((request.args.get("sampai") or "") + "-01")
    except ValueError:
        end = stats.today_wib()
    months = stats.month_list(end, 6)
    stmt = scoped(
        sa.select(Region).where(Region.level == "kecamatan").order_by(Region.code),
        Region.code,
        current_user,
        region,
    )
    result = paginate(stmt, page, per_page)
    data = stats.spoilage([r.code for r in result.items], months)
    return render_template(
        "blanko/spoilage.html",
        page=result,
        months=months,
        data=data,
        region=region or "",
        end=end.strftime("%Y-%m"),
        region_opts=_location_choices(("kabkota",), blank="Semua kab/kota", as_region=True),
        month_labels={m: tanggal(date.fromisoformat(m + "-01"), "MMM yyyy") for m in months},
    )


# --- stock opname --------------------------------------------------------------------------


@bp.get("/opname")
@login_required
@require("blanko.view")
def opname():
    page, per_page = page_args(50)
    region = request.args.get("region", "").strip() or None
    result = paginate(services.stock_opnames_query(current_user, region), page, per_page)
    return render_template(
        "blanko/opname.html",
        page=result,
        names=services.location_names({o.region_code for o in result.items}),
        region=region or "",
        region_opts=_location_choices(("kabkota", "kecamatan"), blank="Semua lokasi"),
    )


@bp.route("/opname/baru", methods=["GET", "POST"])
@login_required
@require("blanko.write")
def opname_new():
    form = forms.OpnameForm()
    form.region_code.choices = _location_choices(blank="— pilih —")
    if request.method == "GET":
        form.region_code.data = request.args.get("region") or ""
        form.counted_at.data = _now_local()
    if form.validate_on_submit():
        try:
            record = services.record_stock_opname(
                current_user,
                region_code=form.region_code.data,
                counted_quantity=form.counted_quantity.data,
                counted_at=form.counted_at.data,
                reason=form.reason.data,
            )
            db.session.commit()
            if record.movement_id:
                flash(
                    f"Stock opname dicatat. Selisih {record.difference:+d} keping menunggu "
                    "persetujuan Kepala Dinas.",
                    "success",
                )
                return redirect(url_for("blanko.movement", movement_id=record.movement_id))
            flash("Stock opname dicatat: hasil hitung sama dengan buku.", "success")
            return redirect(url_for("blanko.location", code=record.region_code))
        except ValidationFailed as e:
            db.session.rollback()
            apply_errors(form, e)
    book = None
    code = form.region_code.data
    if code:
        loc = services.get_location(code)
        if loc is not None and _in_scope(code):
            book = (loc, services.balance_of(code))
    return render_template("blanko/opname_form.html", form=form, book=book)


@bp.get("/opname/lembar.pdf")
@login_required
@require("blanko.write")
def opname_sheet():
    region = request.args.get("region", "").strip() or None
    if region:
        services.get_location_or_404(current_user, region)
    filename, data = documents.opname_sheet(current_user, region)
    return _pdf(filename, data)


# --- requests to Ditjen ----------------------------------------------------------------------


@bp.get("/permintaan")
@login_required
@require("blanko.view")
def requests():
    page, per_page = page_args(25)
    status = request.args.get("status") or None
    result = paginate(services.requests_query(current_user, status), page, per_page)
    return render_template(
        "blanko/requests.html",
        page=result,
        status=status or "",
        statuses=REQUEST_STATUS,
        fulfilled=services.request_fulfilment([r.id for r in result.items]),
        names=services.location_names({r.region_code for r in result.items}),
    )


@bp.route("/permintaan/baru", methods=["GET", "POST"])
@login_required
@require("blanko.write")
def request_new():
    form = forms.RequestForm()
    form.region_code.choices = _location_choices(("kabkota",), blank="— pilih —")
    code = form.region_code.data if request.method == "POST" else request.args.get("region")
    if not code and current_user.region_code and len(current_user.region_code) == 5:
        code = current_user.region_code
    basis = None
    if code:
        loc = services.get_location(code)
        if loc is not None and loc.is_dinas and _in_scope(code):
            basis = services.request_suggestion(current_user, code)
    if request.method == "GET":
        form.region_code.data = code or ""
        form.letter_date.data = stats.today_wib().isoformat()
        if basis:
            form.quantity.data = str(basis["suggested"] or "")
    if form.validate_on_submit():
        try:
            req = services.create_request(
                current_user,
                region_code=form.region_code.data,
                quantity=form.quantity.data,
                letter_date=_parse_date_field(form.letter_date.data),
                recipient=form.recipient.data,
                signatory=form.signatory.data,
                note=form.note.data,
            )
            db.session.commit()
            flash(f"Permintaan {req.quantity} keping dibuat, nomor {req.letter_no}.", "success")
            return redirect(url_for("blanko.request_detail", request_id=req.id))
        except ValidationFailed as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template("blanko/request_form.html", form=form, basis=basis)


def _parse_date_field(value: str | None):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value  # the service names the field and the problem


@bp.get("/permintaan/<int:request_id>")
@login_required
@require("blanko.view")
def request_detail(request_id: int):
    req = services.get_request(current_user, request_id)
    fulfilled = services.request_fulfilment([req.id]).get(req.id)
    return render_template(
        "blanko/request.html",
        req=req,
        fulfilled=fulfilled,
        names=services.location_names([req.region_code]),
        cancel_form=forms.CancelForm(formdata=None),
    )


@bp.get("/permintaan/<int:request_id>/surat.pdf")
@login_required
@require("blanko.view")
def request_letter(request_id: int):
    filename, data = documents.request_letter(current_user, request_id)
    return _pdf(filename, data)


@bp.post("/permintaan/<int:request_id>/batal")
@login_required
@require("blanko.write")
def request_cancel(request_id: int):
    form = forms.CancelForm()
    req = services.get_request(current_user, request_id)
    if form.validate_on_submit():
        try:
            services.cancel_request(current_user, req.id, note=form.note.data)
            db.session.commit()
            flash("Permintaan dibatalkan.", "success")
            return redirect(url_for("blanko.request_detail", request_id=req.id))
        except ValidationFailed as e:
            db.session.rollback()
            apply_errors(form, e)
            req = services.get_request(current_user, request_id)
    return render_template(
        "blanko/request.html",
        req=req,
        fulfilled=services.request_fulfilment([req.id]).get(req.id),
        names=services.location_names([req.region_code]),
        cancel_form=form,
    ), 422
