"""Forms carry what the user typed; the services check the rules and name the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from assets_app.common import vocab


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # the service names unknown values in Indonesian
        return None


class OperatorForm(FlaskForm):
    name = StringField("Nama")
    nip = StringField("NIP (opsional, 18 angka)")
    position = StringField("Jabatan")
    region_code = SelectField("Wilayah kerja", choices=[], validate_choice=False)
    phone = StringField("Telepon (opsional)")
    active = BooleanField("Aktif", default=True)


class TrainingForm(FlaskForm):
    title = StringField("Judul pelatihan")
    topics = MultiCheckboxField(
        "Materi (jenis peralatan)", choices=list(vocab.TRAINING_TOPIC.items())
    )
    starts_on = StringField("Tanggal mulai", render_kw={"type": "date"})
    ends_on = StringField("Tanggal selesai", render_kw={"type": "date"})
    place = StringField("Tempat")
    organiser = SelectField(
        "Penyelenggara",
        choices=list(vocab.TRAINING_ORGANISER.items()),
        validate_choice=False,
    )
    trainer = StringField("Pelatih/narasumber (opsional)")
    region_code = SelectField("Dinas penyelenggara", choices=[], validate_choice=False)
    notes = TextAreaField("Catatan (opsional)", render_kw={"rows": 2})
    materials = FileField("Materi pelatihan (PDF/DOCX/PPTX/XLSX, maks. 10 MB, opsional)")


class AttendanceForm(FlaskForm):
    operator_id = SelectField("Operator", choices=[], validate_choice=False)
    present = BooleanField("Hadir", default=True)
    passed = BooleanField("Lulus")
    score = StringField("Nilai (0–100, opsional)", render_kw={"inputmode": "numeric"})


class AttendanceRowForm(FlaskForm):
    """Inline update of one attendee (prefixed per row on the page)."""

    present = BooleanField("Hadir")
    passed = BooleanField("Lulus")
    score = StringField("Nilai", render_kw={"inputmode": "numeric"}, validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField("Berkas XLSX")
    dry_run = BooleanField("Periksa saja, jangan simpan")


class ValidityForm(FlaskForm):
    perekaman = StringField("Perekaman KTP-el (bulan)")
    cetak_ktp = StringField("Cetak KTP-el (bulan)")
    cetak_kk = StringField("Cetak KK (bulan)")
    jaringan = StringField("Jaringan (bulan)")
    server = StringField("Server (bulan)")


class ConfirmForm(FlaskForm):
    """Only the CSRF token of a confirm-and-post button."""
