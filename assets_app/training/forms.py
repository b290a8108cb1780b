"""Forms parse what the user typed into typed values (`common.validate` fields); the services
check the rules and name the field. Parse messages keep this domain's wording."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from assets_app.common import vocab
from assets_app.common.validate import (
    ChoiceField,
    DateInput,
    IntField,
    Invalid,
    NoteField,
    TextField,
    parse_int,
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # the service names unknown values in Indonesian
        return None


class _Worded:
    """A typed field whose parse error reads `invalid` (the wording the users know)."""

    def __init__(self, label=None, validators=None, *, invalid: str, **kw):
        super().__init__(label, validators, **kw)
        self.invalid = invalid

    def parse(self, text):
        try:
            return super().parse(text)
        except Invalid:
            raise Invalid(self.invalid) from None


class WordedInt(_Worded, IntField):
    pass


class WordedDate(_Worded, DateInput):
    pass


def _id_or_none(value):
    """The id of a select option; None for the blank option or anything not a number."""
    try:
        return parse_int(value)
    except Invalid:
        return None


class OperatorForm(FlaskForm):
    name = TextField("Nama")
    nip = TextField("NIP (opsional, 18 angka)")
    position = TextField("Jabatan")
    region_code = ChoiceField("Wilayah kerja")
    phone = TextField("Telepon (opsional)")
    active = BooleanField("Aktif", default=True)


class TrainingForm(FlaskForm):
    title = TextField("Judul pelatihan")
    topics = MultiCheckboxField(
        "Materi (jenis peralatan)", choices=list(vocab.TRAINING_TOPIC.items())
    )
    starts_on = WordedDate(
        "Tanggal mulai", invalid="Tanggal mulai tidak valid (format YYYY-MM-DD)."
    )
    ends_on = WordedDate(
        "Tanggal selesai", invalid="Tanggal selesai tidak valid (format YYYY-MM-DD)."
    )
    place = TextField("Tempat")
    organiser = ChoiceField("Penyelenggara", mapping=vocab.TRAINING_ORGANISER)
    trainer = TextField("Pelatih/narasumber (opsional)")
    region_code = ChoiceField("Dinas penyelenggara")
    notes = NoteField("Catatan (opsional)", render_kw={"rows": 2})
    materials = FileField("Materi pelatihan (PDF/DOCX/PPTX/XLSX, maks. 10 MB, opsional)")


_SCORE_INVALID = "Nilai harus bilangan bulat 0–100."


class AttendanceForm(FlaskForm):
    operator_id = ChoiceField("Operator", coerce=_id_or_none)
    present = BooleanField("Hadir", default=True)
    passed = BooleanField("Lulus")
    score = WordedInt("Nilai (0–100, opsional)", invalid=_SCORE_INVALID)


class AttendanceRowForm(FlaskForm):
    """Inline update of one attendee (prefixed per row on the page)."""

    present = BooleanField("Hadir")
    passed = BooleanField("Lulus")
    score = WordedInt("Nilai", invalid=_SCORE_INVALID)


class ImportForm(FlaskForm):
    file = FileField("Berkas XLSX")
    dry_run = BooleanField("Periksa saja, jangan simpan")


_MONTHS_INVALID = "Masa berlaku harus bilangan bulat (bulan)."


class ValidityForm(FlaskForm):
    perekaman = WordedInt("Perekaman KTP-el (bulan)", invalid=_MONTHS_INVALID)
    cetak_ktp = WordedInt("Cetak KTP-el (bulan)", invalid=_MONTHS_INVALID)
    cetak_kk = WordedInt("Cetak KK (bulan)", invalid=_MONTHS_INVALID)
    jaringan = WordedInt("Jaringan (bulan)", invalid=_MONTHS_INVALID)
    server = WordedInt("Server (bulan)", invalid=_MONTHS_INVALID)


class ConfirmForm(FlaskForm):
    """Only the CSRF token of a confirm-and-post button."""
