"""Blanko forms. Fields parse what was typed into typed values (int, date, aware UTC datetime,
clean text, serial ranges) and keep the text in the input; the service checks the ledger's rules
and gives the messages for empty or out-of-range values. Field names equal the service's error
keys."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField

from assets_app.blanko import serials
from assets_app.common.errors import ValidationFailed
from assets_app.common.validate import (
    ChoiceField,
    DateInput,
    DateTimeWibInput,
    IntField,
    Invalid,
    NoteField,
    TextField,
)


class SerialRangesField(NoteField):
    """One range per line (`awal-akhir`); `data` is the list of (start, end)."""

    def parse(self, text):
        try:
            return serials.parse_ranges_text(text)
        except ValidationFailed as e:  # one message per faulty range, each on its own line
            raise Invalid(*(m for ms in e.errors.values() for m in ms)) from None

    def render_data(self, value) -> str:
        return "\n".join(f"{s}-{e}" for s, e in value)


class IdChoiceField(ChoiceField):
    """A select of record ids: `data` is the int id, or None for the blank option."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            try:
                self.data = int(self.data)
            except ValueError:
                self.data = None
                raise ValueError("Pilihan tidak dikenal.") from None


class MovementForm(FlaskForm):
    from_region = ChoiceField("Lokasi asal")
    to_region = ChoiceField("Lokasi tujuan")
    quantity = IntField("Jumlah (keping)")
    occurred_at = DateTimeWibInput("Waktu (WIB)")
    reference = TextField("Nomor referensi", render_kw={"maxlength": 120})
    bast_date = DateInput("Tanggal BAST")
    request_id = IdChoiceField("Memenuhi permintaan")
    serial_ranges = SerialRangesField(
        "Rentang nomor seri (opsional)",
        render_kw={"rows": 3, "placeholder": "satu rentang per baris, mis. 1001-2000"},
    )
    note = NoteField("Keterangan", render_kw={"rows": 2})


class ReceiveForm(FlaskForm):
    quantity_received = IntField("Jumlah diterima (keping)")
    received_at = DateTimeWibInput("Waktu diterima (WIB)")
    note = NoteField("Keterangan / alasan selisih", render_kw={"rows": 2})
    on_behalf_reason = NoteField(
        "Alasan mencatat atas nama penerima", render_kw={"rows": 2, "maxlength": 2000}
    )


class DecisionForm(FlaskForm):
    approved = RadioField(
        "Keputusan",
        choices=[("ya", "Setujui"), ("tidak", "Tolak")],
        validate_choice=False,
    )
    berita_acara_no = TextField("Nomor berita acara", render_kw={"maxlength": 120})
    witnesses = NoteField("Saksi (satu nama per baris, opsional)", render_kw={"rows": 2})
    note = NoteField("Catatan", render_kw={"rows": 2})

    @property
    def decision(self) -> bool | None:
        """True to approve, False to reject, None when neither was chosen."""
        return {"ya": True, "tidak": False}.get(self.approved.data)


class OpnameForm(FlaskForm):
    region_code = ChoiceField("Lokasi")
    counted_quantity = IntField("Hasil hitung fisik (keping)")
    counted_at = DateTimeWibInput("Waktu penghitungan (WIB)")
    reason = NoteField("Alasan selisih", render_kw={"rows": 2})


class SettingsForm(FlaskForm):
    low_stock_days = IntField("Ambang stok rendah (hari)")
    lead_time_days = IntField("Waktu tunggu permintaan ke Ditjen (hari)")


class RequestForm(FlaskForm):
    region_code = ChoiceField("Dinas kab/kota")
    quantity = IntField("Jumlah diminta (keping)")
    letter_date = DateInput("Tanggal surat")
    recipient = TextField("Kepada")
    signatory = TextField("Penanda tangan (nama Kepala Dinas)")
    note = NoteField("Paragraf tambahan (opsional)", render_kw={"rows": 2})


class CancelForm(FlaskForm):
    note = NoteField("Alasan pembatalan", render_kw={"rows": 2})


class CorrectionForm(FlaskForm):
    quantity = IntField("Jumlah dikoreksi (keping)")
    note = NoteField("Alasan koreksi", render_kw={"rows": 2})
