from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assets_app.common.forms import submitted
from assets_app.common.permissions import require
from assets_app.common.uow import discard
from assets_app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("core.home"))


@bp.get("/beranda")
@login_required
def home():
    from assets_app.core.registry import home_sections

    sections = []
    for section in home_sections():
        ctx = section.context(current_user)
        if ctx is not None:
            sections.append((section, ctx))
    return render_template("core/home.html", sections=sections)


@bp.get("/perlu-tindakan")
@require("inbox.view")
def inbox():
    from assets_app.core.inbox import inbox_for

    return render_template("core/inbox.html", inbox=inbox_for(current_user))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
        ok = True
    except Exception:  # the point of the endpoint is to report, not to raise
        discard()
        ok = False
    body = {"status": "ok" if ok else "gagal", "database": "ok" if ok else "tidak terhubung"}
    return jsonify(body), 200 if ok else 503


@bp.route("/admin/alamat-publik", methods=["GET", "POST"])
@require("install.settings")
def public_address():
    """The installation-wide public base URL of QR codes and links (admin without region)."""
    from assets_app.core import public_url
    from assets_app.core.forms import PublicUrlForm

    form = PublicUrlForm(data=None if request.method == "POST" else {"url": public_url.stored()})
    if submitted(form, lambda: public_url.save(current_user, form.url.data)):
        flash("Alamat publik disimpan.", "success")
        return redirect(url_for("core.public_address"))
    return render_template(
        "core/public_url.html", form=form, pu=public_url, region=current_user.region_code
    ), (422 if request.method == "POST" else 200)
