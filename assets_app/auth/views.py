from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from assets_app.auth import forms, queries, services
from assets_app.common.forms import form_data, submitted
from assets_app.common.pagination import page_args
from assets_app.common.permissions import ROLE_LABELS, require
from assets_app.common.views import form_post

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
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        try:
            user = services.login(form.username.data, form.password.data, request.remote_addr)
        except services.TooManyAttempts as e:
            flash(e.message, "danger")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            flash("Nama pengguna atau kata sandi salah, atau akun tidak aktif.", "danger")
        else:
            login_user(user)
            flash(f"Selamat datang, {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@form_post(bp, "/keluar", "core.home")
@login_required
def logout():
    # Ends every session of this account, on every device: a saved cookie no longer works.
    services.end_sessions(current_user._get_current_object())
    logout_user()
    flash("Anda telah keluar.", "info")
    resp = redirect(url_for("auth.login"))
    # A shared kecamatan PC keeps nothing of this user: the browser drops the offline queue
    # (IndexedDB), the service worker and its page copies (Cache Storage), the HTTP cache.
    resp.headers["Clear-Site-Data"] = '"cache", "storage"'
    return resp


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()
    user = current_user._get_current_object()
    locked = request.method == "POST" and services.password_change_wait(user) > 0
    if submitted(
        form,
        lambda: services.change_own_password(
            user, form.current.data, form.new.data, form.confirm.data
        ),
    ):
        login_user(user)  # other sessions ended; this one carries the new session version
        flash("Kata sandi berhasil diubah. Sesi lain akun ini telah diakhiri.", "success")
        return redirect(url_for("core.home"))
    return render_template("auth/change_password.html", form=form), 429 if locked else 200


@bp.route("/akun/token", methods=["GET", "POST"])
@require("tokens.own")
def tokens():
    form = forms.TokenForm()
    new_token = submitted(form, lambda: services.issue_token(current_user, form.name.data))
    if new_token:
        flash("Token baru dibuat. Salin sekarang: token tidak akan ditampilkan lagi.", "warning")
        form = forms.TokenForm(formdata=None)
    return render_template(
        "auth/tokens.html",
        form=form,
        new_token=new_token,
        tokens=queries.list_tokens(current_user),
        confirm=forms.ConfirmForm(),
    )


@form_post(bp, "/akun/token/<int:token_id>/cabut", "auth.tokens", keep=())
@require("tokens.own")
def revoke_token(token_id: int):
    services.revoke_token(current_user, token_id)
    flash("Token dicabut.", "success")
    return redirect(url_for("auth.tokens"))


# --- user administration -------------------------------------------------------------------


@bp.get("/admin/pengguna")
@require("users.manage")
def users():
    page, per_page = page_args()
    q = request.args.get("q", "").strip()
    role = request.args.get("role") or None
    result = queries.list_users(current_user, q, role, page, per_page)
    return render_template("auth/users.html", page=result, q=q, role=role, roles=ROLE_LABELS)


@bp.route("/admin/pengguna/baru", methods=["GET", "POST"])
@require("users.manage")
def user_new():
    form = forms.user_form(current_user)
    data = form_data(form)
    user = submitted(
        form,
        lambda: services.create_user(
            data["username"],
            role=data["role"],
            password=data["password"] or "",
            name=data["name"],
            region_code=data["region_code"],
            by=current_user,
        ),
    )
    if user:
        flash(f"Pengguna {user.username} dibuat.", "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


def _user_page(form, user, reset):
    return render_template(
        "auth/user_form.html", form=form, user=user, reset=reset, confirm=forms.ConfirmForm()
    )


@bp.route("/admin/pengguna/<int:user_id>", methods=["GET", "POST"])
@require("users.manage")
def user_edit(user_id: int):
    user = queries.get_user(current_user, user_id)
    form = forms.user_form(current_user, user)
    changes = {k: form_data(form)[k] for k in ("name", "role", "region_code", "active")}
    if submitted(form, lambda: services.update_user(user, **changes, by=current_user)):
        flash(f"Pengguna {user.username} diperbarui.", "success")
        return redirect(url_for("auth.users"))
    return _user_page(form, user, forms.ResetPasswordForm(prefix="reset"))


@form_post(bp, "/admin/pengguna/<int:user_id>/reset-sandi", "auth.user_edit")
@require("users.manage")
def user_reset_password(user_id: int):
    user = queries.get_user(current_user, user_id)
    reset = forms.ResetPasswordForm(prefix="reset")
    if submitted(reset, lambda: services.set_password(user, reset.password.data)):
        flash(f"Kata sandi {user.username} telah diganti.", "success")
        return redirect(url_for("auth.user_edit", user_id=user.id))
    return _user_page(forms.user_form(current_user, user), user, reset), 422


@form_post(bp, "/admin/pengguna/<int:user_id>/akhiri-sesi", "auth.user_edit")
@require("users.manage")
def user_end_sessions(user_id: int):
    user = queries.get_user(current_user, user_id)
    if submitted(forms.ConfirmForm(), lambda: services.end_sessions(user)):
        flash(f"Semua sesi {user.username} telah diakhiri; ia perlu masuk lagi.", "success")
    return redirect(url_for("auth.user_edit", user_id=user.id))


@form_post(bp, "/admin/pengguna/<int:user_id>/nonaktifkan", "auth.user_edit")
@require("users.manage")
def user_toggle_active(user_id: int):
    user = queries.get_user(current_user, user_id)
    confirm = forms.ConfirmForm()
    if not confirm.validate():
        return redirect(url_for("auth.user_edit", user_id=user.id))
    if submitted(
        confirm,
        lambda: services.set_active(user, not user.active, by=current_user),
        validate=False,
    ):
        state = "diaktifkan" if user.active else "dinonaktifkan"
        flash(f"Pengguna {user.username} {state}.", "success")
    return redirect(url_for("auth.users"))
