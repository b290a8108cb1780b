"""Settings page of the officials (pejabat) and the kop logo of a kab/kota."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from assets_app.common.forms import form_data, submitted
from assets_app.common.permissions import require
from assets_app.common.views import form_post
from assets_app.letters import services as letters
from assets_app.officials import forms, queries, services, vocab
from assets_app.regions.services import chosen_setting_scope, setting_scope_label, setting_scopes

bp = Blueprint("officials", __name__)


def _page(code, form, logo_form, status=200):
    officials = queries.list_officials(current_user, code) if code else []
    signed = {k for o in officials for k in (o.signs or [])}
    unsigned = [label for k, label in vocab.DOC_KINDS.items() if k not in signed]
    scopes = [(c, n) for c, n in setting_scopes(current_user) if c]
    return render_template(
        "officials/index.html", form=form, logo_form=logo_form, code=code, scopes=scopes,
        label=setting_scope_label(code), vocab=vocab,
        officials=officials, unsigned=unsigned,
        kop=services.kop(code) if code else None,
    ), status  # fmt: skip


@bp.route("/admin/pejabat", methods=["GET", "POST"])
@require("officials.write")
def index():
    code = chosen_setting_scope(current_user, request.values.get("region"))
    form = forms.OfficialForm()
    data = lambda: form_data(form)  # noqa: E731
    if submitted(form, lambda: services.create_official(current_user, region_code=code, **data())):
        flash("Pejabat disimpan.", "success")
        return redirect(url_for(".index", region=code))
    return _page(
        code, form, forms.LogoForm(formdata=None), 422 if request.method == "POST" else 200
    )


@bp.route("/admin/pejabat/<int:official_id>", methods=["GET", "POST"])
@require("officials.write")
def edit(official_id: int):
    official = queries.get_official(current_user, official_id)
    form = forms.OfficialForm(obj=official)
    if submitted(form, lambda: services.update_official(current_user, official, **form_data(form))):
        flash("Pejabat diperbarui.", "success")
        return redirect(url_for(".index", region=official.region_code))
    return render_template("officials/edit.html", form=form, official=official), (
        422 if request.method == "POST" else 200
    )


@form_post(bp, "/admin/pejabat/lambang", "officials.index", keep=())
@require("officials.write")
def logo():
    code = chosen_setting_scope(current_user, request.form.get("region"))
    form = forms.LogoForm()
    upload = request.files.get("logo")
    if submitted(
        form, lambda: letters.save_logo(code, upload.read() if upload else None, by=current_user)
    ):
        flash("Lambang daerah disimpan.", "success")
        return redirect(url_for(".index", region=code))
    return _page(code, forms.OfficialForm(formdata=None), form, 422)
