from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from assets_app.letters import vocab


def _choices(v: dict):
    return list(v.items())


class DraftForm(FlaskForm):
    recipient = TextAreaField("Yth. (penerima)", render_kw={"rows": 2})
    recipient_place = StringField("di (tempat)")
    perihal = StringField("Hal (perihal)")
    classification = StringField("Kode klasifikasi", render_kw={"list": "klasifikasi"})
    sifat = SelectField("Sifat", choices=_choices(vocab.LETTER_SIFAT), validate_choice=False)
    lampiran = StringField("Lampiran")
    letter_date = StringField(
        "Tanggal surat (kosongkan: tanggal tanda tangan)", render_kw={"type": "date"}
    )
    body = TextAreaField("Isi surat", render_kw={"rows": 16})
    tembusan = TextAreaField("Tembusan (satu per baris)", render_kw={"rows": 2})
    signer_position = StringField("Jabatan penanda tangan")
    signer_name = StringField("Nama penanda tangan")
    signer_rank = StringField("Pangkat/golongan")
    signer_nip = StringField("NIP")


class SendForm(FlaskForm):
    sent_on = StringField("Tanggal dikirim", render_kw={"type": "date"})
    channel = SelectField(
        "Cara pengiriman",
        choices=[("", "— pilih —"), *_choices(vocab.LETTER_CHANNEL)],
        validate_choice=False,
    )


class ReplyForm(FlaskForm):
    replied_on = StringField("Tanggal balasan", render_kw={"type": "date"})
    summary = TextAreaField("Ringkasan balasan", render_kw={"rows": 3})


class SettingsForm(FlaskForm):
    pemerintah = StringField("Baris pertama kop (pemerintah daerah)")
    dinas = StringField("Nama dinas")
    address = StringField("Alamat kantor")
    phone = StringField("Telepon")
    email = StringField("Surel")
    website = StringField("Laman")
    city = StringField("Tempat penulisan tanggal (kota)")
    number_pattern = StringField("Pola nomor surat")
    unit_code = StringField("Kode unit pengolah")
    number_width = StringField("Lebar nomor urut (angka)", render_kw={"inputmode": "numeric"})
    signer_position = StringField("Jabatan penanda tangan bawaan")
    signer_name = StringField("Nama penanda tangan bawaan")
    signer_rank = StringField("Pangkat/golongan")
    signer_nip = StringField("NIP (18 angka)")
