"""Ticket forms: shape and typed values only (`common.validate` fields: clean text or None,
a vocabulary code or None); the rules (scope, workflow, files) are checked by the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from assets_app.common import vocab
from assets_app.common.formfields import LetterTextFields
from assets_app.common.validate import ChoiceField, NoteField, TextField
from assets_app.letters import vocab as letter_vocab


class TicketForm(FlaskForm):
    idempotency_key = HiddenField()
    region_code = ChoiceField("Kecamatan")
    asset_id = StringField("Aset (opsional)")
    mark_asset_down = BooleanField("Pindahkan status aset ke gangguan")
    category = ChoiceField("Kategori", mapping=vocab.TICKET_CATEGORY, blank="— pilih —")
    urgency = ChoiceField("Urgensi", mapping=vocab.LEVEL3, blank="— pilih —")
    impact = ChoiceField("Dampak", mapping=vocab.LEVEL3, blank="— pilih —")
    title = TextField("Judul singkat")
    description = NoteField("Uraian masalah", render_kw={"rows": 5})
    attachments = MultipleFileField("Foto atau PDF (opsional)")


CHOOSE_PARTY = "— pilih pihak —"


class TransitionForm(FlaskForm):
    """`responsible_party` is never pre-filled: blank keeps the party recorded on the ticket,
    and the service refuses a step that needs a party none is recorded for."""

    to = HiddenField()
    note = NoteField("Catatan", render_kw={"rows": 2})
    responsible_party = ChoiceField(
        "Pihak penanggung jawab", mapping=vocab.RESPONSIBLE_PARTY, blank=CHOOSE_PARTY
    )
    update_asset = BooleanField("Perbarui status aset", default=True)


class CommentForm(FlaskForm):
    note = NoteField("Komentar", render_kw={"rows": 3})
    attachments = MultipleFileField("Lampiran (foto JPEG/PNG atau PDF)")


class AssignForm(FlaskForm):
    assignee_id = SelectField("Petugas", choices=[], validate_choice=False)
    responsible_party = ChoiceField(
        "Pihak penanggung jawab", mapping=vocab.RESPONSIBLE_PARTY, blank="— tetap —"
    )
    note = TextField("Catatan (opsional)")


class TicketLetterForm(LetterTextFields, FlaskForm):
    party = ChoiceField("Ditujukan kepada", mapping=vocab.RESPONSIBLE_PARTY)
    superior = BooleanField("Kirim ke atasan pihak tersebut")
    sifat = ChoiceField("Sifat", mapping=letter_vocab.LETTER_SIFAT)


class IncomingLetterForm(FlaskForm):
    sender = TextField("Pengirim")
    recipient = TextField("Ditujukan kepada")
    number = TextField("Nomor surat")
    letter_date = StringField("Tanggal surat", render_kw={"type": "date"})
    received_on = StringField("Tanggal diterima", render_kw={"type": "date"})
    perihal = TextField("Hal (perihal)")
    body = NoteField("Ringkasan isi", render_kw={"rows": 3})
    in_reply_to_id = SelectField("Balasan atas surat", choices=[], validate_choice=False)


class SlaForm(FlaskForm):
    mode = SelectField(
        "Cara menghitung waktu",
        choices=[
            ("kerja", "Jam kerja (hari kerja, di luar hari libur)"),
            ("kalender", "Waktu kalender (24 jam setiap hari)"),
        ],
        validate_choice=False,
    )
    day_start = StringField("Jam mulai kerja", render_kw={"type": "time"})
    day_end = StringField("Jam selesai kerja", render_kw={"type": "time"})
    workdays = SelectMultipleField(
        "Hari kerja",
        choices=[
            ("0", "Senin"),
            ("1", "Selasa"),
            ("2", "Rabu"),
            ("3", "Kamis"),
            ("4", "Jumat"),
            ("5", "Sabtu"),
            ("6", "Minggu"),
        ],
        validate_choice=False,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


def add_target_fields(form_cls):
    for prio, label in vocab.TICKET_PRIORITY.items():
        setattr(
            form_cls,
            f"accept_{prio}",
            StringField(f"{label}: target terima (jam)", render_kw={"inputmode": "numeric"}),
        )
        setattr(
            form_cls,
            f"resolve_{prio}",
            StringField(f"{label}: target selesai (hari)", render_kw={"inputmode": "numeric"}),
        )
    return form_cls


add_target_fields(SlaForm)


class HolidayForm(FlaskForm):
    day = StringField("Tanggal", render_kw={"type": "date"})
    name = TextField("Keterangan")
