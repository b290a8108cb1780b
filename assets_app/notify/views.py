"""Own contact and channel preferences, the role defaults, the outbox, the silent kecamatan."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from assets_app.common.forms import submitted
from assets_app.common.pagination import page_args
from assets_app.common.permissions import ROLE_LABELS, ROLES, require
from assets_app.common.timeutil import today_wib
from assets_app.common.views import form_post
from assets_app.notify import forms, queries, services, silent, vocab

bp = Blueprint("notify", __name__)


def _both(user, contact: forms.ContactForm):
    services.update_contact(user, email=contact.email.data, phone=contact.phone.data)
    services.set_preferences(user, forms.chosen_channels(request.form))


@bp.route("/akun/profil", methods=["GET", "POST"])
@require("notify.profile")
def profile():
    form = forms.ContactForm(obj=current_user)
    if submitted(form, lambda: _both(current_user, form)):
        flash("Kontak dan pilihan notifikasi disimpan.", "success")
        return redirect(url_for(".profile"))
    return render_template(
        "notify/profile.html", form=form, prefs=services.preferences(current_user), vocab=vocab
    )


@bp.route("/admin/notifikasi/peran", methods=["GET", "POST"])
@require("notify.admin")
def role_defaults():
    role = request.values.get("peran") if request.values.get("peran") in ROLES else ROLES[0]
    form = forms.ChannelsForm()
    if submitted(
        form, lambda: services.set_role_defaults(role, forms.chosen_channels(request.form))
    ):
        flash(f"Bawaan notifikasi untuk peran {ROLE_LABELS[role]} disimpan.", "success")
        return redirect(url_for(".role_defaults", peran=role))
    prefs = services.role_defaults(role)
    context = {"form": form, "role": role, "roles": ROLE_LABELS, "prefs": prefs, "vocab": vocab}
    return render_template("notify/role_defaults.html", **context)


@bp.get("/admin/notifikasi")
@require("notify.admin")
def outbox():
    filters = {k: request.args.get(k) or None for k in ("status", "channel", "kind")}
    page = queries.outbox_page(current_user, filters, *page_args())
    return render_template(
        "notify/outbox.html", page=page, f=filters, vocab=vocab, form=forms.ChannelsForm()
    )


@form_post(bp, "/admin/notifikasi/<int:message_id>/kirim-ulang", "notify.outbox", keep=())
@require("notify.admin")
def resend(message_id: int):
    if submitted(forms.ChannelsForm(), lambda: services.resend(current_user, message_id)):
        flash(
            "Pesan dijadwalkan untuk dikirim ulang pada jalannya `flask jobs run` berikutnya.",
            "success",
        )
    return redirect(request.referrer or url_for(".outbox"))


@bp.get("/gangguan")
@require("notify.silent")
def silent_list():
    day = silent.last_working_day_before(today_wib())
    rows = silent.silent_kecamatan(day, current_user)
    return render_template("notify/silent.html", rows=rows, day=day)
