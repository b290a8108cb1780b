from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import Length


class PacketForm(FlaskForm):
    """Shape only; the service validates the region (scope, level) and the dates."""

    region = SelectField("Wilayah", choices=[], validate_choice=False)
    start = StringField("Periode mulai", validators=[Length(max=10)], render_kw={"type": "date"})
    end = StringField("Periode selesai", validators=[Length(max=10)], render_kw={"type": "date"})


class VerifyForm(FlaskForm):
    file = FileField("Berkas PDF atau XLSX paket")
