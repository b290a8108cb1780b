from __future__ import annotations

import io

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from assets_app.common.errors import DomainError
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import page_args, paginate
from assets_app.common.permissions import require
from assets_app.extensions import db
from assets_app.letters import forms, services, vocab
from assets_app.letters.models import Letter
from assets_app.letters.registry import subject_links
from assets_app.regions.services import regions_in_scope

bp = Blueprint("letters", __name__)


@bp.get("/surat/")
@login_required
@require("letters.view")
def index():
    f = {
        "region": request.args.get("region") or None,
        "direction": request.args.get("direction") or None,
        "status": request.args.get("status") or None,
        "q": (request.args.get("q") or "").strip() or None,
    }
    stmt = services.letters_query(current_user, **f).order_by(
        Letter.created_at.desc(), Letter.id.desc()
    )
    page_no, per_page = page_args()
    page = paginate(stmt, page_no, per_page)
    return render_template(
        "letters/list.html",
        page=page,
        filters=f,
        links=subject_links(page.items),
        vocab=vocab,
    )


def _letter(letter_id: int) -> Letter:
    return services.get_letter_or_404(letter_id, current_user)


def _render(letter: Letter, status: int = 200, **forms_):
    from assets_app.auth.models import User

    people = {
        u.id: u
        for u in db.session.scalars(
            db.select(User).where(
                User.id.in_([i for i in (letter.created_by_id, letter.signed_by_id) if i])
            )
        )
    }
    return render_template(
        "letters/detail.html",
        letter=letter,
        links=subject_links([letter]),
        people=people,
        send_form=forms_.get("send_form") or forms.SendForm(prefix="s"),
        reply_form=forms_.get("reply_form") or forms.ReplyForm(prefix="r"),
        reply_to=db.session.get(Letter, letter.in_reply_to_id) if letter.in_reply_to_id else None,
        vocab=vocab,
    ), status


@bp.get("/surat/<int:letter_id>")
@login_required
@require("letters.view")
def detail(letter_id: int):
    return _render(_letter(letter_id))


@bp.route("/surat/<int:letter_id>/ubah", methods=["GET", "POST"])
@login_required
@require("letters.write")
def edit(letter_id: int):
    letter = _letter(letter_id)
    if letter.status != "draf":
        flash("Hanya draf yang dapat diubah.", "warning")
        return redirect(url_for("letters.detail", letter_id=letter.id))
    form = forms.DraftForm(obj=letter) if request.method == "GET" else forms.DraftForm()
    if request.method == "GET" and letter.letter_date:
        form.letter_date.data = letter.letter_date.isoformat()
    if request.method == "POST" and form.validate():
        try:
            services.update_draft(
                letter, by=current_user, **{f: getattr(form, f).data for f in services.DRAFT_FIELDS}
            )
            db.session.commit()
            flash("Draf surat disimpan.", "success")
            return redirect(url_for("letters.detail", letter_id=letter.id))
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template(
        "letters/edit.html", letter=letter, form=form, classifications=vocab.CLASSIFICATIONS
    ), (422 if request.method == "POST" else 200)


def _action(letter_id: int, fn, message: str, form=None, form_key: str | None = None):
    letter = _letter(letter_id)
    if form is not None and not form.validate():
        flash("Sesi formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.", "danger")
        return redirect(url_for("letters.detail", letter_id=letter.id))
    try:
        fn(letter)
        db.session.commit()
        flash(message.format(letter=letter), "success")
        return redirect(url_for("letters.detail", letter_id=letter.id))
    except DomainError as e:
        db.session.rollback()
        apply_errors(form, e)
        if form is None:
            return redirect(url_for("letters.detail", letter_id=letter.id))
        return _render(_letter(letter_id), 422, **{form_key: form})


@bp.post("/surat/<int:letter_id>/tandatangani")
@login_required
@require("letters.sign")
def sign(letter_id: int):
    return _action(
        letter_id,
        lambda lt: services.sign_letter(lt, current_user),
        "Surat ditandatangani dengan nomor {letter.number}.",
    )


@bp.post("/surat/<int:letter_id>/kirim")
@login_required
@require("letters.write")
def send(letter_id: int):
    form = forms.SendForm(prefix="s")
    return _action(
        letter_id,
        lambda lt: services.mark_sent(lt, current_user, form.sent_on.data, form.channel.data),
        "Surat {letter.number} dicatat terkirim.",
        form,
        "send_form",
    )


@bp.post("/surat/<int:letter_id>/balasan")
@login_required
@require("letters.write")
def reply(letter_id: int):
    form = forms.ReplyForm(prefix="r")
    return _action(
        letter_id,
        lambda lt: services.record_reply(lt, current_user, form.replied_on.data, form.summary.data),
        "Balasan atas surat {letter.number} dicatat.",
        form,
        "reply_form",
    )


@bp.post("/surat/<int:letter_id>/batal")
@login_required
@require("letters.write")
def cancel(letter_id: int):
    return _action(
        letter_id, lambda lt: services.cancel_letter(lt, current_user), "Draf surat dibatalkan."
    )


@bp.get("/surat/<int:letter_id>/pdf")
@login_required
@require("letters.view")
def pdf(letter_id: int):
    letter = _letter(letter_id)
    data = services.letter_pdf_bytes(letter)
    g.no_store = True
    name = (letter.number or f"draf-{letter.id}").replace("/", "-")
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        download_name=f"surat-{name}.pdf",
        as_attachment=request.args.get("unduh") == "1",
    )


# --- settings ------------------------------------------------------------------------------


@bp.route("/admin/pengaturan-surat", methods=["GET", "POST"])
@login_required
@require("letters.settings")
def settings():
    kabkota = regions_in_scope(current_user, level="kabkota")
    if not kabkota:
        flash("Tidak ada kabupaten/kota dalam cakupan Anda.", "warning")
        return redirect(url_for("core.home"))
    codes = [r.code for r in kabkota]
    code = request.values.get("region") or codes[0]
    if code not in codes:
        code = codes[0]
    current = services.get_settings(code)
    if request.method == "GET":
        form = forms.SettingsForm(
            formdata=None,
            data={f: str(getattr(current, f)) for f in services.SETTING_FIELDS},
        )
    else:
        form = forms.SettingsForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                services.save_settings(
                    code,
                    {f: getattr(form, f).data for f in services.SETTING_FIELDS},
                    by=current_user,
                )
                db.session.commit()
                flash("Pengaturan surat disimpan.", "success")
                return redirect(url_for("letters.settings", region=code))
            except DomainError as e:
                db.session.rollback()
                apply_errors(form, e)
    pattern = form.number_pattern.data or current.number_pattern
    example = None
    if not services.validate_pattern(pattern):
        try:
            width = int(form.number_width.data or current.number_width)
        except ValueError:
            width = current.number_width
        example = services.format_number(
            pattern,
            classification="000.2.2",
            seq=12,
            unit=form.unit_code.data or current.unit_code,
            on=services.today_wib(),
            width=max(1, min(width, 6)),
        )
    return render_template(
        "letters/settings.html",
        form=form,
        regions=kabkota,
        code=code,
        current=current,
        example=example,
        tokens=vocab.PATTERN_TOKENS,
    ), status
