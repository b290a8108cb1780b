from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FileField, SelectField, SelectMultipleField, StringField

from assets_app.common import vocab
from assets_app.common.validate import ChoiceField, NoteField, TextField


class OpenForm(FlaskForm):
    regions = SelectMultipleField(
        "Wilayah (kab/kota, atau satu/lebih kecamatan)", choices=[], validate_choice=False
    )
    title = TextField("Judul (kosongkan: dibuat otomatis)")
    note = NoteField("Catatan", render_kw={"rows": 2})


class ScanForm(FlaskForm):
    code = StringField("Kode label atau nomor register")
    condition = ChoiceField("Kondisi", mapping=vocab.CONDITION, blank="— pilih —")
    found_in_region = SelectField("Ditemukan di (bila berbeda)", choices=[], validate_choice=False)
    note = NoteField("Catatan", render_kw={"rows": 2})
    photo = FileField("Foto (JPEG/PNG, opsional)", render_kw={"accept": "image/jpeg,image/png"})


class UnregisteredForm(FlaskForm):
    description = TextField("Uraian barang")
    condition = ChoiceField("Kondisi", mapping=vocab.CONDITION, blank="— pilih —")
    found_in_region = SelectField("Ditemukan di", choices=[], validate_choice=False)
    note = NoteField("Catatan", render_kw={"rows": 2})
    photo = FileField("Foto (JPEG/PNG, opsional)", render_kw={"accept": "image/jpeg,image/png"})


class ButtonForm(FlaskForm):
    pass
