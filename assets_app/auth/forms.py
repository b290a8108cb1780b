from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from assets_app.common.permissions import ROLE_LABELS, ROLES

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


def _role_choices():
    return [(r, ROLE_LABELS[r]) for r in ROLES]


class UserForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(REQUIRED), Length(max=40)])
    name = StringField("Nama lengkap", validators=[DataRequired(REQUIRED), Length(max=120)])
    role = SelectField("Peran", choices=_role_choices(), validators=[DataRequired(REQUIRED)])
    region_code = SelectField(
        "Cakupan wilayah", choices=[], validate_choice=False, validators=[Optional()]
    )
    password = PasswordField("Kata sandi awal (minimal 10 karakter)", validators=[Optional()])
    active = BooleanField("Aktif", default=True)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "Kata sandi baru (minimal 10 karakter)", validators=[DataRequired(REQUIRED)]
    )


class TokenForm(FlaskForm):
    name = StringField(
        "Nama token (misal: integrasi SIAK)", validators=[DataRequired(REQUIRED), Length(max=80)]
    )


class ConfirmForm(FlaskForm):
    """Empty form: carries only the CSRF token of a confirm-and-post button."""
