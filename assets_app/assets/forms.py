"""Forms: input shape only. Every field is text or a choice; the services parse and check it,
so the form, the API and the XLSX import give the same Indonesian messages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from assets_app.common import vocab


def _choices(mapping: dict[str, str], blank: str | None = None):
    out = [(k, v) for k, v in mapping.items()]
    return [("", blank), *out] if blank is not None else out


def _select(label, mapping=None, blank=None, **kw):
    return SelectField(
        label, choices=_choices(mapping, blank) if mapping else [], validate_choice=False, **kw
    )


NUM = {"inputmode": "numeric", "autocomplete": "off"}


class AssetForm(FlaskForm):
    region_code = _select("Lokasi (kecamatan atau Dinas)")
    kode_barang = StringField(
        "Kode barang", render_kw={"list": "kode-barang-list", "placeholder": "1.3.2.10.01.02.001"}
    )
    register_no = StringField("Nomor register (NUP)", render_kw={"placeholder": "0001", **NUM})
    name = StringField("Nama barang")
    category = _select("Kategori", vocab.ASSET_CATEGORY, "— pilih kategori —")
    brand_model = StringField("Merk/Tipe")
    serial_number = StringField("Nomor seri")
    acquired_on = StringField("Tanggal perolehan", render_kw={"type": "date"})
    funding_source = _select("Sumber dana", vocab.FUNDING_SOURCE, "— pilih sumber dana —")
    acquisition_method = _select("Cara perolehan", vocab.ACQUISITION_METHOD)
    contract_no = StringField("Nomor kontrak/SPK")
    vendor = StringField("Penyedia")
    unit_price = StringField("Harga satuan (Rp)", render_kw={"placeholder": "14750000", **NUM})
    bast_no = StringField("Nomor BAST")
    bast_date = StringField("Tanggal BAST", render_kw={"type": "date"})
    condition = _select("Kondisi", vocab.CONDITION)
    custodian = StringField("Pemegang")
    notes = TextAreaField("Keterangan", render_kw={"rows": 2})


STATUS_CHOICES = {k: v for k, v in vocab.ASSET_STATUS.items() if k != "dihapuskan"}


class StatusForm(FlaskForm):
    status = _select("Status baru", STATUS_CHOICES)
    cause = _select("Sebab", vocab.STATUS_CAUSE, "— pilih sebab —")
    responsible_party = _select(
        "Penanggung jawab", vocab.RESPONSIBLE_PARTY, "— pilih penanggung jawab —"
    )
    started_at = StringField("Mulai (WIB)", render_kw={"type": "datetime-local"})
    note = TextAreaField("Catatan", render_kw={"rows": 3})


class DisposeForm(FlaskForm):
    started_at = StringField("Tanggal penghapusan", render_kw={"type": "date"})
    note = TextAreaField(
        "Dasar penghapusan (nomor SK / berita acara)",
        render_kw={"rows": 3, "placeholder": "SK Bupati No. 000.2.4/…/2026"},
    )


class UsageForm(FlaskForm):
    region_code = _select("Tempat layanan")
    day = StringField("Tanggal", render_kw={"type": "date"})
    rekam = StringField("Perekaman KTP-el", render_kw=NUM)
    cetak_ktp = StringField("Cetak KTP-el", render_kw=NUM)
    cetak_kk = StringField("Cetak KK", render_kw=NUM)
    ditolak = StringField("Warga ditolak/dipulangkan", render_kw=NUM)
    kuota = StringField("Kuota harian (boleh kosong)", render_kw=NUM)


class CoverageForm(FlaskForm):
    region_code = _select("Wilayah")
    as_of = StringField("Per tanggal", render_kw={"type": "date"})
    wajib_ktp = StringField("Wajib KTP-el", render_kw=NUM)
    sudah_rekam = StringField("Sudah rekam", render_kw=NUM)


class UploadForm(FlaskForm):
    file = FileField("Berkas XLSX", render_kw={"accept": ".xlsx"})


class ConfirmImportForm(FlaskForm):
    token = HiddenField()
