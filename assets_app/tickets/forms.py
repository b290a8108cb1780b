"""Ticket forms: shape only; the rules (scope, workflow, files) are checked by the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from assets_app.common import vocab
from assets_app.letters import vocab as letter_vocab


def _choices(v: dict, blank: str | None = None):
    out = [(k, lbl) for k, lbl in v.items()]
    return [("", blank), *out] if blank is not None else out


class TicketForm(FlaskForm):
    idempotency_key = HiddenField()
    region_code = SelectField("Kecamatan", choices=[], validate_choice=False)
    asset_id = SelectField("Aset (opsional)", choices=[], validate_choice=False)
    category = SelectField(
        "Kategori", choices=_choices(vocab.TICKET_CATEGORY, "— pilih —"), validate_choice=False
    )
    urgency = SelectField(
        "Urgensi", choices=_choices(vocab.LEVEL3, "— pilih —"), validate_choice=False
    )
    impact = SelectField(
        "Dampak", choices=_choices(vocab.LEVEL3, "— pilih —"), validate_choice=False
    )
    title = StringField("Judul singkat")
    description = TextAreaField("Uraian masalah", render_kw={"rows": 5})
    attachments = MultipleFileField("Foto atau PDF (opsional)")


class TransitionForm(FlaskForm):
    to = HiddenField()
    note = TextAreaField("Catatan", render_kw={"rows": 2})
    responsible_party = SelectField(
        "Pihak penanggung jawab",
        choices=_choices(vocab.RESPONSIBLE_PARTY, "— tetap —"),
        validate_choice=False,
    )
    update_asset = BooleanField("Perbarui status aset", default=True)


class CommentForm(FlaskForm):
    note = TextAreaField("Komentar", render_kw={"rows": 3})
    attachments = MultipleFileField("Lampiran (foto JPEG/PNG atau PDF)")


class AssignForm(FlaskForm):
    assignee_id = SelectField("Petugas", choices=[], validate_choice=False)
    responsible_party = SelectField(
        "Pihak penanggung jawab",
        choices=_choices(vocab.RESPONSIBLE_PARTY, "— tetap —"),
        validate_choice=False,
    )
    note = StringField("Catatan (opsional)")


class TicketLetterForm(FlaskForm):
    party = SelectField(
        "Ditujukan kepada", choices=_choices(vocab.RESPONSIBLE_PARTY), validate_choice=False
    )
    superior = BooleanField("Kirim ke atasan pihak tersebut")
    recipient = TextAreaField("Yth. (penerima)", render_kw={"rows": 2})
    recipient_place = StringField("di (tempat)")
    perihal = StringField("Hal (perihal)")
    classification = StringField("Kode klasifikasi", render_kw={"list": "klasifikasi"})
    sifat = SelectField("Sifat", choices=_choices(letter_vocab.LETTER_SIFAT), validate_choice=False)
    lampiran = StringField("Lampiran")
    body = TextAreaField("Isi surat", render_kw={"rows": 16})
    tembusan = TextAreaField("Tembusan (satu per baris)", render_kw={"rows": 2})


class IncomingLetterForm(FlaskForm):
    sender = StringField("Pengirim")
    recipient = StringField("Ditujukan kepada")
    number = StringField("Nomor surat")
    letter_date = StringField("Tanggal surat", render_kw={"type": "date"})
    received_on = StringField("Tanggal diterima", render_kw={"type": "date"})
    perihal = StringField("Hal (perihal)")
    body = TextAreaField("Ringkasan isi", render_kw={"rows": 3})
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
    name = StringField("Keterangan")
