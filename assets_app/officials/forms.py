from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from assets_app.common.validate import ChoiceField, DateInput, Required, TextField
from assets_app.officials import vocab


class OfficialForm(FlaskForm):
    name = TextField("Nama lengkap (dengan gelar)", validators=[Required()])
    nip = TextField("NIP (18 angka)", validators=[Required()])
    rank = ChoiceField(
        "Pangkat/golongan", mapping={r: r for r in vocab.RANKS}, blank="— tidak dicantumkan —"
    )
    position = TextField("Jabatan", validators=[Required()])
    sign_line = TextField("Baris a.n./Plt. di atas jabatan (opsional)")
    signs = SelectMultipleField(
        "Menandatangani",
        choices=list(vocab.DOC_KINDS.items()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    active_from = DateInput("Menjabat sejak (opsional)")
    active_to = DateInput("Menjabat sampai (opsional)")


class LogoForm(FlaskForm):
    logo = FileField("Lambang daerah (PNG atau SVG, maks. 512 KB)")
