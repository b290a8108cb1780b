"""Snapshots of the register for the pure renderers in `reports/`: KIB B export rows, label
stickers and import templates. The web, the CLI and the bench share these functions."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from assets_app.assets import queries, settings
from assets_app.assets.fields import ASSET_FIELDS, KODE_BARANG_SUGGESTIONS
from assets_app.assets.importer import COVERAGE_COLUMNS, USAGE_COLUMNS
from assets_app.assets.models import Asset
from assets_app.common import vocab
from assets_app.common.errors import ValidationFailed
from assets_app.common.formatting import number
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.officials import services as officials
from assets_app.regions.models import Region, kabkota_of
from reports.kib_xlsx import KibMeta, KibRow, write_kib_xlsx
from reports.labels_pdf import Label
from reports.xlsx_template import TemplateColumn, render_import_template

MAX_LABELS = 3000
DINAS = "Dinas Kependudukan dan Pencatatan Sipil"


def _kabkota_names(codes) -> dict[str, str]:
    prefixes = sorted({kabkota_of(c) or c for c in codes if c})
    if not prefixes:
        return {}
    stmt = sa.select(Region.code, Region.name).where(Region.code.in_(prefixes))
    return dict(db.session.execute(stmt).all())


def kib_meta(user, f: queries.AssetFilter) -> KibMeta:
    scope = f.region or getattr(user, "region_code", None) or ""
    names = _kabkota_names([scope]) if scope else {}
    kab = names.get(kabkota_of(scope) or scope) if scope else None
    note = []
    if f.category:
        note.append(f"kategori {vocab.label(vocab.ASSET_CATEGORY, f.category)}")
    if f.status:
        note.append(f"status {vocab.ASSET_STATUS.get(f.status, 'semua')}")
    if f.year:
        note.append(f"tahun {f.year}")
    if f.q:
        note.append(f"pencarian '{f.q}'")
    return KibMeta(
        kode_lokasi=scope,
        nama_upb=f"{DINAS} {kab}" if kab else DINAS,
        printed_on=today_wib(),
        filter_note=("Saringan: " + ", ".join(note)) if note else "",
        **_kop_and_signer(scope, kab),
    )


def _kop_and_signer(scope: str, kab: str | None) -> dict:
    """The kop lines and the official who signs the KIB (`kib`) of the export's kab/kota."""
    from reports._kop import signatory_of

    code = officials.kabkota_or_none(scope)
    if code is None:
        return {}
    kop = officials.kop(code)
    return {
        "pemerintah": kop.get("pemerintah", ""),
        "kop_address": " · ".join(x for x in (kop.get("address"), kop.get("contact")) if x),
        "place": kop.get("city", ""),
        "signatory": signatory_of(officials.signatory(code, "kib")),
        "signer_caption": f"Kepala {DINAS} {kab}" if kab else f"Kepala {DINAS}",
    }


def kib_row(asset, region_name: str, labels: dict | None = None) -> KibRow:
    """`asset`: an Asset or a row with the same column names (queries.iter_assets)."""
    labels = labels or settings.condition_labels()
    return KibRow(
        kode_barang=asset.kode_barang,
        name=asset.name,
        register_no=asset.register_no,
        brand_model=asset.brand_model,
        serial_number=asset.serial_number,
        acquired_on=asset.acquired_on,
        acquisition_method=vocab.label(vocab.ACQUISITION_METHOD, asset.acquisition_method),
        unit_price=asset.unit_price,
        notes=asset.notes,
        category=vocab.label(vocab.ASSET_CATEGORY, asset.category),
        condition=labels.get(asset.condition, asset.condition),
        status=vocab.label(vocab.ASSET_STATUS, asset.status),
        region_code=asset.region_code,
        region_name=region_name,
        funding_source=vocab.label(vocab.FUNDING_SOURCE, asset.funding_source),
        contract_no=asset.contract_no,
        vendor=asset.vendor,
        bast_no=asset.bast_no,
        bast_date=asset.bast_date,
        custodian=asset.custodian,
        ukuran_cc=getattr(asset, "ukuran_cc", None),
        bahan=getattr(asset, "bahan", None),
    )


def kib_rows(user, f: queries.AssetFilter) -> Iterator[KibRow]:
    labels = settings.condition_labels()
    for row in queries.iter_assets(user, f):
        yield kib_row(row, row.region_name, labels)


def write_export(user, f: queries.AssetFilter, out) -> tuple[int, int]:
    """Writes the KIB B workbook of the filtered register to `out`; returns (rows, value)."""
    return write_kib_xlsx(kib_meta(user, f), kib_rows(user, f), out)


def export_filename(f: queries.AssetFilter) -> str:
    return f"KIB-B-{(f.region or 'semua').replace('.', '-')}-{today_wib():%Y%m%d}.xlsx"


def label_items(user, f: queries.AssetFilter, base_url: str, ids=None) -> list[Label]:
    """Label data for the filtered register (or the given asset ids), at most MAX_LABELS."""
    stmt = queries.apply_filter(
        sa.select(Asset, Region).join(Region, Region.code == Asset.region_code), user, f
    )
    if ids:
        stmt = stmt.where(Asset.id.in_(ids))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    if count > MAX_LABELS:
        raise ValidationFailed(
            f"Terlalu banyak label ({number(count)}); batasnya {number(MAX_LABELS)} per berkas. "
            "Saring per kecamatan atau kategori."
        )
    rows = db.session.execute(
        stmt.order_by(Asset.region_code, Asset.kode_barang, Asset.register_no)
    ).all()
    kab = _kabkota_names(r.code for _, r in rows)
    base = base_url.rstrip("/")
    out = []
    for asset, region in rows:
        prefix = kabkota_of(region.code) or region.code
        place = region.display_name if region.level != "kabkota" else f"{region.name} (Dinas)"
        out.append(
            Label(
                kode_barang=asset.kode_barang,
                register_no=asset.register_no,
                name=asset.name,
                region_name=place,
                url=f"{base}/l/{asset.label_token}",
                owner=f"Disdukcapil {kab.get(prefix, '')}".strip(),
            )
        )
    return out


# --- import templates ----------------------------------------------------------------------

_ASSET_HELP = {
    "region_code": (
        "Kode Kemendagri kecamatan, atau kab/kota untuk aset Dinas. Isi sebagai teks.",
        "35.11.05",
    ),
    "kode_barang": (
        "Kode barang KIB B Permendagri 108/2016 (1.3.2.xx.xx.xx.xxx). "
        + "; ".join(f"{k} {v}" for k, v in list(KODE_BARANG_SUGGESTIONS.items())[:5])
        + ".",
        "1.3.2.10.01.02.001",
    ),
    "register_no": ("Nomor urut pendaftaran (NUP), unik per kode barang dan wilayah.", "0001"),
    "name": ("Nama/jenis barang.", "PC Unit perekaman KTP-el"),
    "category": ("Kategori layanan.", "perekaman"),
    "brand_model": ("Merk dan tipe.", "Dell OptiPlex 7090"),
    "serial_number": ("Nomor seri/pabrik.", "CN-0X1234"),
    "acquired_on": ("Tanggal perolehan; tidak boleh di masa depan.", "15/08/2019"),
    "funding_source": ("Sumber dana.", "APBD"),
    "acquisition_method": ("Asal-usul/cara perolehan.", "pembelian"),
    "contract_no": ("Nomor kontrak, SPK atau kuitansi.", "027/123/SPK/2019"),
    "vendor": ("Nama penyedia.", "CV Maju Jaya"),
    "unit_price": ("Harga satuan dalam Rupiah, bilangan bulat tanpa desimal.", "14750000"),
    "bast_no": ("Nomor berita acara serah terima.", "027/130/BAST/2019"),
    "bast_date": ("Tanggal BAST; tidak sebelum tanggal perolehan.", "20/08/2019"),
    "condition": ("Kondisi: B (baik), KB (kurang baik), RB (rusak berat). Kosong = B.", "B"),
    "custodian": ("Pemegang/penanggung jawab barang.", "Operator perekaman"),
    "notes": ("Keterangan bebas.", ""),
    "nibar": ("NIBAR dari e-BMD, bila ada; unik per kabupaten/kota.", ""),
    "ukuran_cc": ("Ukuran/CC (KIB B), bila ada.", ""),
    "bahan": ("Bahan (KIB B), mis. plastik, logam.", ""),
}
_CHOICES = {
    "category": tuple(vocab.ASSET_CATEGORY),
    "funding_source": tuple(vocab.FUNDING_SOURCE),
    "acquisition_method": tuple(vocab.ACQUISITION_METHOD),
    "condition": tuple(vocab.CONDITION),
}
_KIND = {"acquired_on": "date", "bast_date": "date", "unit_price": "money"}
_WIDTH = {"name": 32, "kode_barang": 20, "vendor": 24, "notes": 30}

INTRO = [
    "Petunjuk pengisian. Isi lembar pertama mulai baris 2; jangan ubah judul kolom di baris 1.",
    "Kolom kuning wajib diisi, kolom hijau boleh kosong. Urutan kolom boleh diubah.",
    "Semua baris diimpor sekaligus atau tidak sama sekali: setiap kesalahan dilaporkan sebagai "
    "'Baris N, kolom X: pesan'.",
]


def asset_template() -> bytes:
    cols = [
        TemplateColumn(
            header=f.header,
            required=f.required,
            description=_ASSET_HELP[f.key][0],
            example=_ASSET_HELP[f.key][1],
            kind=_KIND.get(f.key, "text"),
            choices=_CHOICES.get(f.key, ()),
            width=_WIDTH.get(f.key, 18),
        )
        for f in ASSET_FIELDS
    ]
    return render_import_template("Aset", cols, ["Templat impor register aset (KIB B).", *INTRO])


def _template_columns(columns, help_: dict) -> list[TemplateColumn]:
    """Import columns with their help text: help_[key] = (description, example, kind)."""
    return [TemplateColumn(c.header, c.required, *help_[c.key]) for c in columns]


def usage_template() -> bytes:
    help_ = {
        "region_code": (
            "Kode kecamatan (atau kab/kota untuk layanan di Dinas), sebagai teks.",
            "35.11.05",
            "text",
        ),
        "day": ("Tanggal layanan; satu baris per tempat per hari.", "20/11/2026", "date"),
        "rekam": ("Jumlah perekaman KTP-el.", "45", "int"),
        "cetak_ktp": ("Jumlah KTP-el dicetak.", "30", "int"),
        "cetak_kk": ("Jumlah KK dicetak.", "12", "int"),
        "ditolak": ("Warga yang dipulangkan/tidak terlayani.", "0", "int"),
        "kuota": ("Kuota layanan hari itu (boleh kosong).", "60", "int"),
    }
    cols = _template_columns(USAGE_COLUMNS, help_)
    return render_import_template(
        "Pemakaian",
        cols,
        [
            "Templat impor pemakaian harian.",
            *INTRO,
            "Baris untuk tanggal yang sudah ada menggantikan data lama (koreksi).",
        ],
    )


def coverage_template() -> bytes:
    help_ = {
        "region_code": ("Kode kecamatan atau kelurahan/desa, sebagai teks.", "32.76.10", "text"),
        "as_of": ("Tanggal data (per tanggal).", "30/06/2026", "date"),
        "wajib_ktp": ("Jumlah penduduk wajib KTP-el.", "289607", "int"),
        "sudah_rekam": ("Jumlah yang sudah merekam KTP-el.", "144509", "int"),
    }
    cols = _template_columns(COVERAGE_COLUMNS, help_)
    return render_import_template(
        "Cakupan", cols, ["Templat impor cakupan perekaman KTP-el.", *INTRO]
    )


TEMPLATES = {"aset": asset_template, "pemakaian": usage_template, "cakupan": coverage_template}
