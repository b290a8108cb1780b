from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField

from assets_app.common.formfields import LetterTextFields
from assets_app.common.validate import ChoiceField, NoteField, TextField
from assets_app.letters import vocab

# Dates stay text here: letters take ISO dates only and say so (`services._date`).


class DraftForm(LetterTextFields, FlaskForm):
    sifat = ChoiceField("Sifat", mapping=vocab.LETTER_SIFAT)
    letter_date = StringField(
        "Tanggal surat (kosongkan: tanggal tanda tangan)", render_kw={"type": "date"}
    )
    signer_position = TextField("Jabatan penanda tangan")
    signer_name = TextField("Nama penanda tangan")
    signer_rank = TextField("Pangkat/golongan")
    signer_nip = TextField("NIP")


class SendForm(FlaskForm):
    sent_on = StringField("Tanggal dikirim", render_kw={"type": "date"})
    channel = ChoiceField("Cara pengiriman", mapping=vocab.LETTER_CHANNEL, blank="— pilih —")


class ReplyForm(FlaskForm):
    replied_on = StringField("Tanggal balasan", render_kw={"type": "date"})
    summary = NoteField("Ringkasan balasan", render_kw={"rows": 3})


class SettingsForm(FlaskForm):
    pemerintah = TextField("Baris pertama kop (pemerintah daerah)")
    dinas = TextField("Nama dinas")
    address = TextField("Alamat kantor")
    phone = TextField("Telepon")
    email = TextField("Surel")
    website = TextField("Laman")
    city = TextField("Tempat penulisan tanggal (kota)")
    number_pattern = TextField("Pola nomor surat")
    unit_code = TextField("Kode unit pengolah")
    number_width = TextField("Lebar nomor urut (angka)", render_kw={"inputmode": "numeric"})
    signer_position = TextField("Jabatan penanda tangan bawaan")
    signer_name = TextField("Nama penanda tangan bawaan")
    signer_rank = TextField("Pangkat/golongan")
    signer_nip = TextField("NIP (18 angka)")
