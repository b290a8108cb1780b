"""Forms: typed fields from `common.validate` (text, integer, date, WIB moment, choice), so a
view hands the services typed values. Vocabulary values and the rules (negative counts, dates
in the future, register numbers) are checked by the services, the same for form, API and
XLSX import, so all three give the same Indonesian messages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from assets_app.common import vocab
from assets_app.common.validate import (
    MAX_INT64,
    ChoiceField,
    DateInput,
    DateTimeWibInput,
    IntField,
    NoteField,
    TextField,
)


class AssetForm(FlaskForm):
    region_code = ChoiceField("Lokasi (kecamatan atau Dinas)")
    kode_barang = TextField(
        "Kode barang", render_kw={"list": "kode-barang-list", "placeholder": "1.3.2.10.01.02.001"}
    )
    register_no = TextField(
        "Nomor register (NUP)",
        render_kw={"placeholder": "0001", "inputmode": "numeric", "autocomplete": "off"},
    )
    name = TextField("Nama barang")
    category = ChoiceField("Kategori", mapping=vocab.ASSET_CATEGORY, blank="— pilih kategori —")
    brand_model = TextField("Merk/Tipe")
    serial_number = TextField("Nomor seri")
    acquired_on = DateInput("Tanggal perolehan")
    funding_source = ChoiceField(
        "Sumber dana", mapping=vocab.FUNDING_SOURCE, blank="— pilih sumber dana —"
    )
    acquisition_method = ChoiceField("Cara perolehan", mapping=vocab.ACQUISITION_METHOD)
    contract_no = TextField("Nomor kontrak/SPK")
    vendor = TextField("Penyedia")
    unit_price = IntField(
        "Harga satuan (Rp)",
        max=MAX_INT64,
        render_kw={"placeholder": "14750000", "inputmode": "numeric", "autocomplete": "off"},
    )
    bast_no = TextField("Nomor BAST")
    bast_date = DateInput("Tanggal BAST")
    condition = ChoiceField("Kondisi", mapping=vocab.CONDITION)
    custodian = TextField("Pemegang")
    nibar = TextField("NIBAR (e-BMD)")
    ukuran_cc = TextField("Ukuran/CC")
    bahan = TextField("Bahan")
    notes = NoteField("Keterangan", render_kw={"rows": 2})


STATUS_CHOICES = {k: v for k, v in vocab.ASSET_STATUS.items() if k != "dihapuskan"}


class StatusForm(FlaskForm):
    status = ChoiceField("Status baru", mapping=STATUS_CHOICES)
    cause = ChoiceField("Sebab", mapping=vocab.STATUS_CAUSE, blank="— pilih sebab —")
    responsible_party = ChoiceField(
        "Penanggung jawab", mapping=vocab.RESPONSIBLE_PARTY, blank="— pilih penanggung jawab —"
    )
    started_at = DateTimeWibInput("Mulai (WIB)")
    note = NoteField("Catatan", render_kw={"rows": 3})


class DisposeForm(FlaskForm):
    started_at = DateInput("Tanggal penghapusan")
    note = NoteField(
        "Dasar penghapusan (nomor SK / berita acara)",
        render_kw={"rows": 3, "placeholder": "SK Bupati No. 000.2.4/…/2026"},
    )


class UsageForm(FlaskForm):
    region_code = ChoiceField("Tempat layanan")
    day = DateInput("Tanggal")
    rekam = IntField("Perekaman KTP-el")
    cetak_ktp = IntField("Cetak KTP-el")
    cetak_kk = IntField("Cetak KK")
    ditolak = IntField("Warga ditolak/dipulangkan")
    kuota = IntField("Kuota harian (boleh kosong)")


class CoverageForm(FlaskForm):
    region_code = ChoiceField("Wilayah")
    as_of = DateInput("Per tanggal")
    wajib_ktp = IntField("Wajib KTP-el")
    sudah_rekam = IntField("Sudah rekam")


IMPORT_LAYOUTS = {
    "standar": "Templat aplikasi (XLSX)",
    "ebmd": "e-BMD (lembar barang, XLSX)",
    "simda": "SIMDA BMD (Ta_KIB_B, CSV)",
}


class UploadForm(FlaskForm):
    file = FileField("Berkas XLSX", render_kw={"accept": ".xlsx,.csv"})
    layout = ChoiceField("Tata letak berkas", mapping=IMPORT_LAYOUTS)


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
    layout = HiddenField()
