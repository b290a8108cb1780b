from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class PublicUrlForm(FlaskForm):
    url = StringField(
        "Alamat publik aplikasi",
        render_kw={"placeholder": "https://aset.bondowosokab.go.id", "inputmode": "url"},
    )
