"""Parsing and checking of register fields, shared by the form, the API and the XLSX import.

Nothing here touches the database: each function takes what a person typed (text from a form
or a spreadsheet cell, or an already-typed JSON value) and returns the clean value or an
Indonesian message saying what is wrong. Rules that need the database (region in scope,
register number unique) live in services.py and importer.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assets_app.common import vocab
from assets_app.common.validate import (  # noqa: F401  (re-exported for the importer)
    DATE_FORMATS,
    Invalid,
    is_blank,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
)


@dataclass(frozen=True)
class FieldSpec:
    key: str  # model attribute / API field
    header: str  # XLSX column header and form label
    required: bool = False
    max_len: int | None = None


# The register fields in DESIGN.md order; `header` is the exact XLSX import column name.
ASSET_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("region_code", "Kode Wilayah", True, 13),
    FieldSpec("kode_barang", "Kode Barang", True, 30),
    FieldSpec("register_no", "Nomor Register", True, 20),
    FieldSpec("name", "Nama Barang", True, 200),
    FieldSpec("category", "Kategori", True),
    FieldSpec("brand_model", "Merk/Tipe", False, 120),
    FieldSpec("serial_number", "Nomor Seri", False, 120),
    FieldSpec("acquired_on", "Tanggal Perolehan", True),
    FieldSpec("funding_source", "Sumber Dana", True),
    FieldSpec("acquisition_method", "Cara Perolehan", True),
    FieldSpec("contract_no", "Nomor Kontrak/SPK", False, 120),
    FieldSpec("vendor", "Penyedia", False, 200),
    FieldSpec("unit_price", "Harga Satuan (Rp)", True),
    FieldSpec("bast_no", "Nomor BAST", False, 120),
    FieldSpec("bast_date", "Tanggal BAST", False),
    FieldSpec("condition", "Kondisi", False),
    FieldSpec("custodian", "Pemegang", False, 120),
    FieldSpec("notes", "Keterangan", False, 2000),
    FieldSpec("nibar", "NIBAR", False, 30),
    FieldSpec("ukuran_cc", "Ukuran/CC", False, 60),
    FieldSpec("bahan", "Bahan", False, 60),
)
HEADERS = tuple(f.header for f in ASSET_FIELDS)

# KIB B = 1.3.2 "Peralatan dan Mesin" in Permendagri 108/2016: 7 levels, e.g. 1.3.2.10.01.02.001.
KODE_BARANG_RE = re.compile(r"^1\.3\.2\.\d{2}\.\d{2}\.\d{2}\.\d{3}$")
MAX_PRICE = 10**13  # Rp10 triliun: anything above is a typing error, not equipment

# Codes users reach for most often (DESIGN.md / DOMAIN-NOTES.md), offered as suggestions.
KODE_BARANG_SUGGESTIONS = {
    "1.3.2.10.01.02.001": "PC Unit",
    "1.3.2.10.01.02.002": "Laptop",
    "1.3.2.10.02.03.003": "Printer",
    "1.3.2.10.02.03.004": "Scanner",
    "1.3.2.10.02.04.001": "Server",
    "1.3.2.10.02.04.002": "Router",
    "1.3.2.10.02.04.004": "Modem",
    "1.3.2.05.01.05.068": "Alat Sidik Jari",
    "1.3.2.05.02.06.023": "Tustel (kamera)",
    "1.3.2.05.02.06.018": "Unit Power Supply (UPS)",
}

ENUM_FIELDS = {
    "category": vocab.ASSET_CATEGORY,
    "funding_source": vocab.FUNDING_SOURCE,
    "acquisition_method": vocab.ACQUISITION_METHOD,
    "condition": vocab.CONDITION,
}


def normalise_register_no(text: str) -> str:
    """NUP is a running number: "1", 1 and "0001" are the same register, stored as "0001"."""
    if not re.fullmatch(r"\d{1,6}", text):
        raise Invalid("Nomor register harus berupa angka 1–6 digit, misalnya 0001.")
    return text.zfill(4)


def _parse_field(spec: FieldSpec, value, vocabs: dict):
    """One register field's typed value (raises Invalid); an empty condition means B."""
    if spec.key in vocabs:
        parsed = parse_choice(value, vocabs[spec.key])
        return "B" if parsed is None and spec.key == "condition" else parsed
    if spec.key in ("acquired_on", "bast_date"):
        return parse_date(value)
    if spec.key == "unit_price":
        return parse_int(value)
    if spec.key == "region_code" and isinstance(value, int | float | Decimal):
        raise Invalid(
            f"Kode wilayah terbaca sebagai angka ({value}). Isikan sebagai teks, "
            "misalnya 35.11.05, agar kode seperti 35.10 tidak berubah menjadi 35.1."
        )
    return parse_text(value, spec.max_len)


def clean_asset_fields(
    raw: dict, today: date, *, only: set[str] | None = None, enums: dict | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """Parses every register field of `raw` (keys as in ASSET_FIELDS).

    Returns (clean values, errors by field key). `only` limits the check to some keys (PATCH);
    cross-field rules use the values present in `raw`. `enums` overrides vocabularies (the
    condition labels are a setting: some kabupaten call KB "Rusak Ringan").
    """
    vocabs = {**ENUM_FIELDS, **(enums or {})}
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for spec in ASSET_FIELDS:
        if only is not None and spec.key not in only:
            continue
        try:
            parsed = _parse_field(spec, raw.get(spec.key), vocabs)
        except Invalid as exc:
            errors.setdefault(spec.key, []).append(str(exc))
            continue
        if parsed is None and spec.required:
            errors.setdefault(spec.key, []).append("Wajib diisi.")
            continue
        clean[spec.key] = parsed
    _check_rules(raw, clean, today, errors)
    return clean, errors


def _check_rules(raw: dict, clean: dict, today: date, errors: dict[str, list[str]]) -> None:
    """Rules on the parsed values: KIB B code format, NUP, price bounds, dates."""

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if "kode_barang" in clean and not KODE_BARANG_RE.match(clean["kode_barang"]):
        err(
            "kode_barang",
            f"Kode barang '{clean.pop('kode_barang')}' tidak sesuai format KIB B "
            "Permendagri 108/2016 (1.3.2.xx.xx.xx.xxx), misalnya 1.3.2.10.01.02.001.",
        )
    if clean.get("register_no"):
        try:
            clean["register_no"] = normalise_register_no(clean["register_no"])
        except Invalid as exc:
            err("register_no", str(exc))
            clean.pop("register_no")
    price = clean.get("unit_price")
    if price is not None and price < 0:
        err("unit_price", "Harga satuan tidak boleh negatif.")
    elif price is not None and price > MAX_PRICE:
        err("unit_price", "Harga satuan terlalu besar; periksa kembali angkanya.")
    acquired = clean.get("acquired_on")
    if acquired is not None and acquired > today:
        err("acquired_on", "Tanggal perolehan tidak boleh di masa depan.")
    if acquired is not None and acquired.year < 1945:
        err("acquired_on", "Tanggal perolehan tidak masuk akal (sebelum 1945).")
    bast = clean.get("bast_date")
    if bast is not None:
        if bast > today:
            err("bast_date", "Tanggal BAST tidak boleh di masa depan.")
        # With PATCH the acquisition date may come from the stored asset (passed in raw).
        acq = acquired or _maybe_date(raw.get("acquired_on"))
        if acq is not None and bast < acq:
            err("bast_date", "Tanggal BAST tidak boleh sebelum tanggal perolehan.")


def _maybe_date(value) -> date | None:
    try:
        return parse_date(value)
    except Invalid:
        return None
