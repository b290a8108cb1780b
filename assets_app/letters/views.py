from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from assets_app.common.forms import form_data, submitted
from assets_app.common.pagination import page_args, paginate
from assets_app.common.permissions import require
from assets_app.common.timeutil import today_wib
from assets_app.common.views import form_post, page_form, send_private_file
from assets_app.letters import forms, services, vocab
from assets_app.letters import pdf as letter_pdf
from assets_app.letters import queries as letter_queries
from assets_app.letters import settings as letter_settings
from assets_app.letters.models import Letter
from assets_app.regions.services import regions_in_scope

bp = Blueprint("letters", __name__)


@bp.get("/surat/")
@require("letters.view")
def index():
    f = {
        "region": request.args.get("region") or None,
        "direction": request.args.get("direction") or None,
        "status": request.args.get("status") or None,
        "q": (request.args.get("q") or "").strip() or None,
    }
    page = paginate(letter_queries.letters_query(current_user, **f), *page_args())
    links = letter_queries.subject_links(page.items)
    return render_template("letters/list.html", page=page, filters=f, links=links, vocab=vocab)


def _letter(letter_id: int) -> Letter:
    return letter_queries.get_letter_or_404(letter_id, current_user)


def _render(letter: Letter, status: int = 200, **forms_):
    return render_template(
        "letters/detail.html",
        letter=letter,
        links=letter_queries.subject_links([letter]),
        people=letter_queries.people_of(letter),
        send_form=forms_.get("send_form") or forms.SendForm(prefix="s"),
        reply_form=forms_.get("reply_form") or forms.ReplyForm(prefix="r"),
        reply_to=letter_queries.get_letter(letter.in_reply_to_id),
        vocab=vocab,
    ), status


def _to_letter(letter: Letter):
    return redirect(url_for("letters.detail", letter_id=letter.id))


@bp.get("/surat/<int:letter_id>")
@require("letters.view")
def detail(letter_id: int):
    return _render(_letter(letter_id))


@bp.route("/surat/<int:letter_id>/ubah", methods=["GET", "POST"])
@require("letters.write")
def edit(letter_id: int):
    letter = _letter(letter_id)
    if letter.status != "draf":
        flash("Hanya draf yang dapat diubah.", "warning")
        return _to_letter(letter)
    form = forms.DraftForm(obj=letter) if request.method == "GET" else forms.DraftForm()
    if request.method == "GET" and letter.letter_date:
        form.letter_date.data = letter.letter_date.isoformat()
    if submitted(form, lambda: services.update_draft(letter, by=current_user, **form_data(form))):
        flash("Draf surat disimpan.", "success")
        return _to_letter(letter)
    return render_template(
        "letters/edit.html", letter=letter, form=form, classifications=vocab.CLASSIFICATIONS
    ), (422 if request.method == "POST" else 200)


def _action(letter_id: int, fn, message: str, form=None, form_key: str | None = None):
    """A button on the letter page: `fn(letter)`, then back to the letter; a refusal is shown
    beside the form's fields (or flashed when the button has no form)."""
    letter = _letter(letter_id)

    def refused():
        if form is None:
            return _to_letter(letter)
        return _render(_letter(letter_id), 422, **{form_key: form})

    done = lambda: message.format(letter=letter)  # noqa: E731
    back = url_for("letters.detail", letter_id=letter.id)
    return page_form(form, lambda: fn(letter), done, back, refused)


@form_post(bp, "/surat/<int:letter_id>/tandatangani", "letters.detail")
@require("letters.sign")
def sign(letter_id: int):
    return _action(
        letter_id,
        lambda lt: services.sign_letter(lt, current_user),
        "Surat ditandatangani dengan nomor {letter.number}.",
    )


@form_post(bp, "/surat/<int:letter_id>/kirim", "letters.detail")
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


@form_post(bp, "/surat/<int:letter_id>/balasan", "letters.detail")
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


@form_post(bp, "/surat/<int:letter_id>/batal", "letters.detail")
@require("letters.write")
def cancel(letter_id: int):
    return _action(
        letter_id, lambda lt: services.cancel_letter(lt, current_user), "Draf surat dibatalkan."
    )


@bp.get("/surat/<int:letter_id>/pdf")
@require("letters.view")
def pdf(letter_id: int):
    letter = _letter(letter_id)
    data = letter_pdf.letter_pdf_bytes(letter)
    name = (letter.number or f"draf-{letter.id}").replace("/", "-")
    return send_private_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        download_name=f"surat-{name}.pdf",
        as_attachment=request.args.get("unduh") == "1",
    )


# --- settings ------------------------------------------------------------------------------


def _region_code(codes: list[str]) -> str:
    wanted = request.values.get("region")
    return wanted if wanted in codes else codes[0]


def _settings_form(current):
    if request.method == "POST":
        return forms.SettingsForm()
    data = {f: str(getattr(current, f)) for f in letter_settings.SETTING_FIELDS}
    return forms.SettingsForm(formdata=None, data=data)


@bp.route("/admin/pengaturan-surat", methods=["GET", "POST"])
@require("letters.settings")
def settings():
    kabkota = regions_in_scope(current_user, level="kabkota")
    if not kabkota:
        flash("Tidak ada kabupaten/kota dalam cakupan Anda.", "warning")
        return redirect(url_for("core.home"))
    code = _region_code([r.code for r in kabkota])
    current = letter_settings.get_settings(code)
    form = _settings_form(current)
    if submitted(
        form, lambda: letter_settings.save_settings(code, form_data(form), by=current_user)
    ):
        flash("Pengaturan surat disimpan.", "success")
        return redirect(url_for("letters.settings", region=code))
    example = letter_settings.example_number(
        form.number_pattern.data, form.number_width.data, form.unit_code.data, today_wib(), current
    )
    return render_template(
        "letters/settings.html", form=form, regions=kabkota, code=code, current=current,
        example=example, tokens=vocab.PATTERN_TOKENS,
    ), (422 if request.method == "POST" else 200)  # fmt: skip
