from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from assets_app.auth import forms, services
from assets_app.common.errors import DomainError
from assets_app.common.forms import apply_errors
from assets_app.common.pagination import page_args, paginate
from assets_app.common.permissions import ROLE_LABELS, require
from assets_app.extensions import db, limiter
from assets_app.regions.services import region_choices

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if (
        target
        and urlsplit(target).netloc == ""
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("core.home")


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash("Nama pengguna atau kata sandi salah, atau akun tidak aktif.", "danger")
        else:
            db.session.commit()
            login_user(user)
            flash(f"Selamat datang, {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/keluar")
@login_required
def logout():
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(
                current_user, form.current.data, form.new.data, form.confirm.data
            )
            db.session.commit()
            flash("Kata sandi berhasil diubah.", "success")
            return redirect(url_for("core.home"))
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template("auth/change_password.html", form=form)


@bp.route("/akun/token", methods=["GET", "POST"])
@login_required
@require("tokens.own")
def tokens():
    form = forms.TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = services.issue_token(current_user, form.name.data)
        db.session.commit()
        flash("Token baru dibuat. Salin sekarang: token tidak akan ditampilkan lagi.", "warning")
        form = forms.TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        form=form,
        new_token=new_token,
        tokens=services.user_tokens(current_user),
        confirm=forms.ConfirmForm(),
    )


@bp.post("/akun/token/<int:token_id>/cabut")
@login_required
@require("tokens.own")
def revoke_token(token_id: int):
    if services.revoke_token(current_user, token_id) is None:
        return render_template(
            "errors/error.html", status=404, title="Tidak ditemukan", text="Token tidak ditemukan."
        ), 404
    db.session.commit()
    flash("Token dicabut.", "success")
    return redirect(url_for("auth.tokens"))


# --- user administration -------------------------------------------------------------------


def _region_choices():
    choices = region_choices(current_user, levels=("provinsi", "kabkota", "kecamatan"))
    if current_user.region_code is None:
        choices = [("", "— Seluruh instalasi (hanya admin) —"), *choices]
    return choices


def _get_user_or_404(user_id: int):
    user = services.get_user_for(current_user, user_id)
    if user is None:
        from flask import abort

        abort(404)
    return user


@bp.get("/admin/pengguna")
@login_required
@require("users.manage")
def users():
    page, per_page = page_args()
    q = request.args.get("q", "").strip()
    role = request.args.get("role") or None
    result = paginate(services.users_query(current_user, q, role), page, per_page)
    return render_template("auth/users.html", page=result, q=q, role=role, roles=ROLE_LABELS)


@bp.route("/admin/pengguna/baru", methods=["GET", "POST"])
@login_required
@require("users.manage")
def user_new():
    form = forms.UserForm()
    form.region_code.choices = _region_choices()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data,
                role=form.role.data,
                password=form.password.data or "",
                name=form.name.data,
                region_code=form.region_code.data,
                by=current_user,
            )
            db.session.commit()
            flash(f"Pengguna {user.username} dibuat.", "success")
            return redirect(url_for("auth.users"))
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/pengguna/<int:user_id>", methods=["GET", "POST"])
@login_required
@require("users.manage")
def user_edit(user_id: int):
    user = _get_user_or_404(user_id)
    form = forms.UserForm(obj=user)
    form.region_code.choices = _region_choices()
    form.username.data = user.username
    reset = forms.ResetPasswordForm(prefix="reset")
    if request.method == "POST" and form.validate():
        try:
            services.update_user(
                user,
                name=form.name.data,
                role=form.role.data,
                region_code=form.region_code.data,
                active=form.active.data,
                by=current_user,
            )
            db.session.commit()
            flash(f"Pengguna {user.username} diperbarui.", "success")
            return redirect(url_for("auth.users"))
        except DomainError as e:
            db.session.rollback()
            apply_errors(form, e)
    return render_template(
        "auth/user_form.html", form=form, user=user, reset=reset, confirm=forms.ConfirmForm()
    )


@bp.post("/admin/pengguna/<int:user_id>/reset-sandi")
@login_required
@require("users.manage")
def user_reset_password(user_id: int):
    user = _get_user_or_404(user_id)
    reset = forms.ResetPasswordForm(prefix="reset")
    if reset.validate():
        try:
            services.set_password(user, reset.password.data)
            db.session.commit()
            flash(f"Kata sandi {user.username} telah diganti.", "success")
            return redirect(url_for("auth.user_edit", user_id=user.id))
        except DomainError as e:
            db.session.rollback()
            apply_errors(reset, e, {"password": "password"})
    form = forms.UserForm(obj=user)
    form.region_code.choices = _region_choices()
    return render_template(
        "auth/user_form.html", form=form, user=user, reset=reset, confirm=forms.ConfirmForm()
    ), 422


@bp.post("/admin/pengguna/<int:user_id>/nonaktifkan")
@login_required
@require("users.manage")
def user_toggle_active(user_id: int):
    user = _get_user_or_404(user_id)
    if not forms.ConfirmForm().validate():
        return redirect(url_for("auth.user_edit", user_id=user.id))
    try:
        services.update_user(
            user,
            name=user.name,
            role=user.role,
            region_code=user.region_code,
            active=not user.active,
            by=current_user,
        )
        db.session.commit()
        flash(
            f"Pengguna {user.username} {'diaktifkan' if user.active else 'dinonaktifkan'}.",
            "success",
        )
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    return redirect(url_for("auth.users"))
