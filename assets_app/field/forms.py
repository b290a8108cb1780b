"""The daily report form and the public board's setting form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

COUNT_LABELS = {
    "rekam": "Perekaman KTP-el",
    "cetak_ktp": "Cetak KTP-el",
    "cetak_kk": "Cetak KK",
    "ditolak": "Warga ditolak / disuruh kembali",
    "suket": "Suket diterbitkan",
    "kuota": "Kuota hari ini",
}


class DailyReportForm(FlaskForm):
    """Counts are text here: the service parses them (`parse_int`) and names the field that
    is wrong; the devices' fields (`device_<id>_status`, `_cause`, `_responsible_party`) are
    read from the request as the page lists them."""

    region_code = HiddenField()
    day = StringField("Tanggal")
    rekam = StringField(COUNT_LABELS["rekam"])
    cetak_ktp = StringField(COUNT_LABELS["cetak_ktp"])
    cetak_kk = StringField(COUNT_LABELS["cetak_kk"])
    ditolak = StringField(COUNT_LABELS["ditolak"])
    suket = StringField(COUNT_LABELS["suket"])
    kuota = StringField(COUNT_LABELS["kuota"])
    blanko_used = StringField("Blanko terpakai")
    blanko_damaged = StringField("Blanko rusak")
    note = TextAreaField("Catatan")
    idempotency_key = HiddenField()


class BoardForm(FlaskForm):
    enabled = BooleanField("Papan layanan publik aktif")
    notice = StringField("Pengumuman singkat untuk warga")
