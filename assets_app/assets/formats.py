"""The register in and out of the layouts Pemda already keep: `lengkap` (this app's 24-column
workbook), `kib` (the classic 16-column KIB B), `ebmd` (the e-BMD item sheet) and `simda`
(CSV with SIMDA BMD's `Ta_KIB_B` columns). Renderers are in `reports.register_formats`.

Import reads e-BMD through the bounded XLSX reader and SIMDA's CSV with the same bounds
(bytes, rows), translates each row to the register fields and checks it exactly as the
standard import does (`importer.validate_asset_rows`): all rows or none, `Baris N, kolom X:
pesan`, an existing NIBAR or (kode barang, register) in the kab/kota is reported and nothing
is updated. A layout column that a file leaves out gets the register's default: e-BMD and
SIMDA do not carry our category or funding source, so such rows come in as *pendukung* and
*LAINNYA* (correct them afterwards), and a missing acquisition method as *pembelian*.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa

from assets_app.assets import queries
from assets_app.assets.importer import (
    Column,
    ImportFailed,
    ImportResult,
    _finish_import,
    read_sheet,
    validate_asset_rows,
)
from assets_app.common import vocab, xlsx_reader
from assets_app.common.formatting import tanggal
from assets_app.common.timeutil import today_wib
from assets_app.common.validate import is_blank
from assets_app.extensions import db
from assets_app.regions.models import Region, kabkota_of
from reports.kib_xlsx import looks_like_formula, write_kib_xlsx
from reports.register_formats import (
    EBMD_COLUMNS,
    SIMDA_COLUMNS,
    RegisterHeader,
    RegisterRow,
    Signatory,
    render_ebmd,
    render_kib_classic,
    render_simda,
    write_ebmd,
    write_kib_classic,
    write_simda,
)

FORMATS = {
    "lengkap": "Lengkap (24 kolom, XLSX)",
    "kib": "KIB B klasik (16 kolom, XLSX)",
    "ebmd": "e-BMD (lembar barang, XLSX)",
    "simda": "SIMDA BMD (Ta_KIB_B, CSV)",
}
IMPORT_FORMATS = {
    "standar": "Templat aplikasi (XLSX)",
    "ebmd": FORMATS["ebmd"],
    "simda": FORMATS["simda"],
}
EXTENSION = {"lengkap": "xlsx", "kib": "xlsx", "ebmd": "xlsx", "simda": "csv"}
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
DINAS = "Dinas Kependudukan dan Pencatatan Sipil"


# --- export --------------------------------------------------------------------------------


def register_rows(user, f: queries.AssetFilter) -> Iterator[RegisterRow]:
    for r in queries.iter_assets(user, f):
        yield RegisterRow(
            region_code=r.region_code,
            kode_barang=r.kode_barang,
            register_no=r.register_no,
            name=r.name,
            category=r.category,
            brand_model=r.brand_model,
            serial_number=r.serial_number,
            acquired_on=r.acquired_on,
            funding_source=r.funding_source,
            acquisition_method=r.acquisition_method,
            acquisition_label=vocab.label(vocab.ACQUISITION_METHOD, r.acquisition_method),
            unit_price=r.unit_price,
            condition=r.condition,
            notes=r.notes,
            nibar=r.nibar,
            ukuran_cc=r.ukuran_cc,
            bahan=r.bahan,
        )


def kib_signatories(kabkota: str | None) -> tuple[Signatory, ...]:
    """Who signs the KIB B card of a kab/kota: the Kepala SKPD is the official set to sign
    `kib` (officials settings, `/admin/pejabat`); the Pengurus Barang has no setting yet and is
    left blank to be written by hand."""
    from assets_app.officials import services as officials

    keeper = Signatory("Pengurus Barang", "", "", "Pengurus Barang")
    signer = officials.signatory(kabkota, "kib") if kabkota else None
    if signer is None:
        return (keeper, Signatory("Kepala SKPD", "", ""))
    return (keeper, Signatory("Kepala SKPD", signer["name"], signer["nip"], signer["position"]))


def register_header(user, f: queries.AssetFilter) -> RegisterHeader:
    scope = f.region or getattr(user, "region_code", None)
    kab = kabkota_of(scope) if scope else None
    codes = [c for c in (scope.split(".")[0] if scope else None, kab) if c]
    names = dict(
        db.session.execute(db.select(Region.code, Region.name).where(Region.code.in_(codes))).all()
    )
    prov = names.get(scope.split(".")[0], "") if scope else "Seluruh instalasi"
    kab_name = names.get(kab, "") if kab else "Seluruh kabupaten/kota"
    today = today_wib()
    return RegisterHeader(
        provinsi=prov,
        kabkota=kab_name,
        skpd=f"{DINAS} {kab_name}" if kab else DINAS,
        printed_on=today,
        place=kab_name.replace("Kabupaten ", "").replace("Kota ", "") if kab else "",
        date_label=tanggal(today),
        signatories=kib_signatories(kab),
    )


def export_register(user, f: queries.AssetFilter, fmt: str) -> bytes:
    """The filtered register in the layout `fmt` (FORMATS)."""
    if fmt == "lengkap":
        from assets_app.assets import documents

        buf = io.BytesIO()
        documents.write_export(user, f, buf)
        return buf.getvalue()
    if fmt == "kib":
        return render_kib_classic(register_header(user, f), register_rows(user, f))
    if fmt == "ebmd":
        return render_ebmd(register_rows(user, f))
    if fmt == "simda":
        return render_simda(register_rows(user, f))
    raise ValueError(f"format tidak dikenal: {fmt}")


def count_register(user, f: queries.AssetFilter) -> int:
    """How many rows `export_register` would write (one COUNT, the same filter)."""
    from assets_app.assets.models import Asset

    stmt = queries.apply_filter(sa.select(sa.func.count(Asset.id)), user, f)
    return int(db.session.scalar(stmt))


def write_register(user, f: queries.AssetFilter, fmt: str, out, wrap=None) -> None:
    """`export_register` streamed into the binary file object `out`; `wrap(rows)` may wrap
    the row iterator (the export job counts rows through it for its progress bar)."""
    from assets_app.assets import documents

    def rows(it):
        return wrap(it) if wrap else it

    if fmt == "lengkap":
        write_kib_xlsx(documents.kib_meta(user, f), rows(documents.kib_rows(user, f)), out)
    elif fmt == "kib":
        write_kib_classic(register_header(user, f), rows(register_rows(user, f)), out)
    elif fmt == "ebmd":
        write_ebmd(rows(register_rows(user, f)), out)
    elif fmt == "simda":
        write_simda(rows(register_rows(user, f)), out)
    else:
        raise ValueError(f"format tidak dikenal: {fmt}")


def export_filename(f: queries.AssetFilter, fmt: str) -> str:
    stem = {
        "lengkap": "KIB-B",
        "kib": "KIB-B-klasik",
        "ebmd": "e-BMD-KIB-B",
        "simda": "SIMDA-Ta_KIB_B",
    }
    region = (f.region or "semua").replace(".", "-")
    return f"{stem[fmt]}-{region}-{today_wib():%Y%m%d}.{EXTENSION[fmt]}"


# --- import: e-BMD -------------------------------------------------------------------------

_EBMD_REQUIRED = {
    "nomor_register",
    "kode_barang",
    "nama_barang",
    "lokasi",
    "harga_satuan",
    "tanggal_perolehan",
}
EBMD_IMPORT = tuple(Column(c, c, c in _EBMD_REQUIRED) for c in EBMD_COLUMNS)
# register field ← e-BMD column
_EBMD_FIELDS = {
    "region_code": "lokasi",
    "kode_barang": "kode_barang",
    "register_no": "nomor_register",
    "name": "nama_barang",
    "category": "kategori",
    "brand_model": "spesifikasi_nama_barang",
    "serial_number": "nomor_seri",
    "acquired_on": "tanggal_perolehan",
    "funding_source": "sumber_dana",
    "acquisition_method": "cara_perolehan",
    "unit_price": "harga_satuan",
    "condition": "kondisi",
    "notes": "spesifikasi_lainnya",
    "nibar": "nibar",
    "ukuran_cc": "ukuran_cc",
    "bahan": "bahan",
}
_DEFAULTS = {
    "category": "pendukung",
    "funding_source": "LAINNYA",
    "acquisition_method": "pembelian",
}


def _with_defaults(raw: dict) -> dict:
    for key, value in _DEFAULTS.items():
        if is_blank(raw.get(key)):
            raw[key] = value
    return raw


def _ebmd_rows(data: bytes) -> list:
    out = []
    for row_no, cells, formulas in read_sheet(data, EBMD_IMPORT):
        raw = _with_defaults({k: cells.get(col) for k, col in _EBMD_FIELDS.items()})
        back = {col: k for k, col in _EBMD_FIELDS.items()}
        found: dict[str, list[str]] = {}
        qty = cells.get("jumlah")
        if not is_blank(qty) and str(qty).strip() not in ("1", "1.0"):
            found["jumlah"] = ["Satu baris satu barang (satu NIBAR): jumlah harus 1."]
        out.append((row_no, raw, {back.get(f, f) for f in formulas}, found))
    return out


# --- import: SIMDA (CSV) -------------------------------------------------------------------

_SIMDA_REQUIRED = (
    "Kd_Prov",
    "Kd_Kab_Kota",
    *(f"Kd_Aset8{i}" for i in ("", 0, 1, 2, 3, 4, 5)),
    "No_Reg8",
    "Tgl_Perolehan",
    "Harga",
    "Nm_Aset",
)
_SIMDA_FIELDS = {  # register field ← column (for messages)
    "region_code": "Kd_Lokasi",
    "kode_barang": "Kd_Aset8",
    "register_no": "No_Reg8",
    "name": "Nm_Aset",
    "category": "Kategori",
    "brand_model": "Merk",
    "serial_number": "Nomor_Pabrik",
    "acquired_on": "Tgl_Perolehan",
    "funding_source": "Sumber_Dana",
    "acquisition_method": "Asal_usul",
    "unit_price": "Harga",
    "condition": "Kondisi",
    "notes": "Keterangan",
    "nibar": "NIBAR",
    "ukuran_cc": "CC",
    "bahan": "Bahan",
}
_SIMDA_CONDITION = {"1": "B", "2": "KB", "3": "RB"}
_CODE_PARTS = (
    "Kd_Aset8",
    "Kd_Aset80",
    "Kd_Aset81",
    "Kd_Aset82",
    "Kd_Aset83",
    "Kd_Aset84",
    "Kd_Aset85",
)
_CODE_WIDTH = (1, 1, 1, 2, 2, 2, 3)


def _unquote(text: str) -> str:
    """A value our export protected from spreadsheets ("'=…") comes back as it was."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text


def _csv_records(data: bytes) -> Iterator[tuple[int, dict]]:
    limits = xlsx_reader.Limits.from_config()
    if len(data) > limits.max_bytes:
        raise ImportFailed(
            [f"Berkas terlalu besar (lebih dari {limits.max_bytes // 1_000_000} MB)."]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ImportFailed(["Berkas bukan CSV teks (berisi karakter NUL)."])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header or all(not h.strip() for h in header):
        raise ImportFailed(["Berkas kosong: baris 1 harus berisi judul kolom Ta_KIB_B."])
    names = [h.strip() for h in header]
    unknown = [h for h in names if h and h not in SIMDA_COLUMNS]
    problems = [f"Baris 1, kolom {h}: judul kolom tidak dikenal." for h in unknown]
    problems += [
        f"Baris 1, kolom {h}: kolom wajib tidak ada di baris judul."
        for h in _SIMDA_REQUIRED
        if h not in names
    ]
    if problems:
        raise ImportFailed(problems)
    started = time.monotonic()
    count = blank = 0
    for row_no, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            blank += 1
            if blank > limits.max_blank_rows:
                raise ImportFailed([f"Terlalu banyak baris kosong sampai baris {row_no}."])
            continue
        count += 1
        if count > limits.max_rows:
            raise ImportFailed([f"Terlalu banyak baris: lebih dari {limits.max_rows} baris data."])
        if time.monotonic() - started > limits.max_seconds:
            raise ImportFailed(["Berkas terlalu lama dibaca; pecah menjadi beberapa berkas."])
        yield row_no, {n: _unquote(v.strip()) for n, v in zip(names, values, strict=False) if n}


def _simda_row(cells: dict) -> tuple[dict, dict]:
    found: dict[str, list[str]] = {}
    parts = []
    for name, width in zip(_CODE_PARTS, _CODE_WIDTH, strict=True):
        value = cells.get(name, "")
        if not value.isdigit():
            found.setdefault("kode_barang", []).append(
                f"{name} harus berupa angka (terisi '{value}')."
            )
        else:
            parts.append(str(int(value)).zfill(width))
    kode = ".".join(parts) if len(parts) == len(_CODE_PARTS) else None
    region = cells.get("Kd_Lokasi") or None
    if region is None:
        prov, kab = cells.get("Kd_Prov", ""), cells.get("Kd_Kab_Kota", "")
        if prov.isdigit() and kab.isdigit():
            region = f"{int(prov):02d}.{int(kab):02d}"
        else:
            found.setdefault("region_code", []).append(
                "Kd_Prov dan Kd_Kab_Kota harus berupa angka."
            )
    merk = " ".join(x for x in (cells.get("Merk", ""), cells.get("Type", "")) if x) or None
    cond = cells.get("Kondisi", "")
    acquired = cells.get("Tgl_Perolehan", "")
    if len(acquired) > 10 and acquired[10] in " T":  # SQL Server's "2019-11-18 00:00:00"
        acquired = acquired[:10]
    raw = {
        "region_code": region,
        "kode_barang": kode,
        "register_no": cells.get("No_Reg8") or None,
        "name": cells.get("Nm_Aset") or None,
        "category": cells.get("Kategori") or None,
        "brand_model": merk,
        "serial_number": cells.get("Nomor_Pabrik") or None,
        "acquired_on": acquired or None,
        "funding_source": cells.get("Sumber_Dana") or None,
        "acquisition_method": cells.get("Asal_usul") or None,
        "unit_price": cells.get("Harga") or None,
        "condition": _SIMDA_CONDITION.get(cond, cond) or None,
        "notes": cells.get("Keterangan") or None,
        "nibar": cells.get("NIBAR") or None,
        "ukuran_cc": cells.get("CC") or None,
        "bahan": cells.get("Bahan") or None,
    }
    if isinstance(raw["unit_price"], str) and raw["unit_price"].endswith((".00", ",00")):
        raw["unit_price"] = raw["unit_price"][:-3]
    return _with_defaults(raw), found


def _simda_rows(data: bytes) -> list:
    out = [(n, *_simda_row(cells)) for n, cells in _csv_records(data)]
    if not out:
        raise ImportFailed(
            ["Tidak ada baris data: isikan data mulai baris 2 di bawah judul kolom."]
        )
    return [(n, raw, set(), found) for n, raw, found in out]


def import_register(
    data: bytes, fmt: str, by, *, dry_run: bool = False, today: date | None = None
) -> ImportResult:
    """Imports a file in the layout `fmt` ("ebmd", "simda"): all rows or none."""
    started = time.perf_counter()
    if fmt == "ebmd":
        rows, header = _ebmd_rows(data), dict(_EBMD_FIELDS) | {"jumlah": "jumlah"}
    elif fmt == "simda":
        rows, header = _simda_rows(data), dict(_SIMDA_FIELDS)
    else:
        raise ValueError(f"format tidak dikenal: {fmt}")
    result = validate_asset_rows(rows, by, header, today=today)
    return _finish_import(result, by, dry_run, started)
