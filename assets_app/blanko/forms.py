"""Blanko forms. Fields are plain text so the service gives every message (in Indonesian) and
the form keeps exactly what the user typed; field names equal the service's error keys."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField


def _num(label: str, **kw) -> StringField:
    return StringField(label, render_kw={"inputmode": "numeric", "autocomplete": "off", **kw})


class MovementForm(FlaskForm):
    from_region = SelectField("Lokasi asal", choices=[], validate_choice=False)
    to_region = SelectField("Lokasi tujuan", choices=[], validate_choice=False)
    quantity = _num("Jumlah (keping)")
    occurred_at = StringField("Waktu (WIB)", render_kw={"type": "datetime-local"})
    reference = StringField("Nomor referensi", render_kw={"maxlength": 120})
    bast_date = StringField("Tanggal BAST", render_kw={"type": "date"})
    request_id = SelectField("Memenuhi permintaan", choices=[], validate_choice=False)
    serial_ranges = TextAreaField(
        "Rentang nomor seri (opsional)",
        render_kw={"rows": 3, "placeholder": "satu rentang per baris, mis. 1001-2000"},
    )
    note = TextAreaField("Keterangan", render_kw={"rows": 2})


class ReceiveForm(FlaskForm):
    quantity_received = _num("Jumlah diterima (keping)")
    received_at = StringField("Waktu diterima (WIB)", render_kw={"type": "datetime-local"})
    note = TextAreaField("Keterangan / alasan selisih", render_kw={"rows": 2})


class DecisionForm(FlaskForm):
    approved = RadioField(
        "Keputusan",
        choices=[("ya", "Setujui"), ("tidak", "Tolak")],
        validate_choice=False,
    )
    berita_acara_no = StringField("Nomor berita acara", render_kw={"maxlength": 120})
    note = TextAreaField("Catatan", render_kw={"rows": 2})


class OpnameForm(FlaskForm):
    region_code = SelectField("Lokasi", choices=[], validate_choice=False)
    counted_quantity = _num("Hasil hitung fisik (keping)")
    counted_at = StringField("Waktu penghitungan (WIB)", render_kw={"type": "datetime-local"})
    reason = TextAreaField("Alasan selisih", render_kw={"rows": 2})


class SettingsForm(FlaskForm):
    low_stock_days = _num("Ambang stok rendah (hari)")
    lead_time_days = _num("Waktu tunggu permintaan ke Ditjen (hari)")


class RequestForm(FlaskForm):
    region_code = SelectField("Dinas kab/kota", choices=[], validate_choice=False)
    quantity = _num("Jumlah diminta (keping)")
    letter_date = StringField("Tanggal surat", render_kw={"type": "date"})
    recipient = StringField("Kepada")
    signatory = StringField("Penanda tangan (nama Kepala Dinas)")
    note = TextAreaField("Paragraf tambahan (opsional)", render_kw={"rows": 2})


class CancelForm(FlaskForm):
    note = TextAreaField("Alasan pembatalan", render_kw={"rows": 2})


class CorrectionForm(FlaskForm):
    quantity = _num("Jumlah dikoreksi (keping)")
    note = TextAreaField("Alasan koreksi", render_kw={"rows": 2})
