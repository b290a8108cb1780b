from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from assets_app.common.permissions import ROLE_LABELS, ROLES
from assets_app.common.validate import ChoiceField, Required, TextField
from assets_app.regions.services import region_choices

REQUIRED = "Wajib diisi."


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(REQUIRED), Length(max=40)])
    password = PasswordField("Kata sandi", validators=[DataRequired(REQUIRED)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Kata sandi saat ini", validators=[DataRequired(REQUIRED)])
    new = PasswordField(
        "Kata sandi baru (minimal 10 karakter)", validators=[DataRequired(REQUIRED)]
    )
    confirm = PasswordField("Ulangi kata sandi baru", validators=[DataRequired(REQUIRED)])


class UserForm(FlaskForm):
    username = TextField("Nama pengguna", [Required()], max_len=40)
    name = TextField("Nama lengkap", [Required()], max_len=120)
    role = ChoiceField("Peran", [Required()], mapping={r: ROLE_LABELS[r] for r in ROLES})
    region_code = ChoiceField("Cakupan wilayah")
    password = PasswordField("Kata sandi awal (minimal 10 karakter)", validators=[Optional()])
    active = BooleanField("Aktif", default=True)


def user_form(by, user=None) -> UserForm:
    """The form for a new user or for `user`, offering the scopes `by` may grant."""
    form = UserForm(obj=user)
    levels = ("provinsi", "kabkota", "kecamatan")
    choices = region_choices(by, levels=levels, selected=form.region_code.data)
    if by.region_code is None:
        choices = [("", "— Seluruh instalasi (hanya admin) —"), *choices]
    form.region_code.choices = choices
    if user is not None:
        form.username.data = user.username  # not editable
    return form


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "Kata sandi baru (minimal 10 karakter)", validators=[DataRequired(REQUIRED)]
    )


class TokenForm(FlaskForm):
    name = TextField("Nama token (misal: integrasi SIAK)", [Required()], max_len=80)


class ConfirmForm(FlaskForm):
    """Empty form: carries only the CSRF token of a confirm-and-post button."""
